#!/usr/bin/env python3
"""The layers point one way (issue 22): ui -> core -> inference, training -> inference, app -> any.

Resolves every #include "..." of every source file under inference/, training/, core/ and ui/ to the
layer whose folder holds the included file (the including file's own layer first, then a LAYER/...
prefix, then the one layer that has it), prints the include graph, one line per layer, and fails on
an arrow the architecture forbids, on an include that two layers could satisfy (a folder name used
in two layers must be included with its layer's prefix), and on <torch/...> in a public header of
core/ or ui/. The closing line is "N passed, M failed".

usage: check_layer_includes.py REPOSITORY_ROOT
"""

import collections
import os
import re
import sys

LAYERS = ["inference", "training", "core", "ui", "app"]
ALLOWED = {
    "inference": {"inference"},
    "training": {"training", "inference"},
    "core": {"core", "inference"},
    "ui": {"ui", "core", "inference"},
    "app": set(LAYERS),
}
# Include roots besides the layer's own folder (a target's extra include directories).
EXTRA_ROOTS = {"training": ["training/api"]}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]', re.M)


def resolve(root, layer, name):
    """The layers an include could come from, the including file's own layer first."""
    first = name.split("/", 1)[0]
    if first in LAYERS and os.path.exists(os.path.join(root, name)):
        return [first]
    def holds(l):
        return any(os.path.exists(os.path.join(root, r, name)) for r in [l] + EXTRA_ROOTS.get(l, []))
    if holds(layer):
        return [layer]
    return [l for l in LAYERS if holds(l)]


def shared_folders(root):
    """Folder names that exist directly under two or more layers: includes of them need the prefix."""
    count = collections.Counter()
    for layer in LAYERS:
        for entry in os.listdir(os.path.join(root, layer)):
            if os.path.isdir(os.path.join(root, layer, entry)):
                count[entry] += 1
    return {name for name, n in count.items() if n > 1}


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
    graph = collections.defaultdict(collections.Counter)
    failures = []
    checked = 0
    shared = shared_folders(root)
    for layer in LAYERS:
        for folder, _, files in os.walk(os.path.join(root, layer)):
            for name in sorted(files):
                if not name.endswith((".h", ".cpp")):
                    continue
                path = os.path.join(folder, name)
                relative = os.path.relpath(path, root)
                text = open(path, encoding="utf-8", errors="replace").read()
                for kind, included in INCLUDE.findall(text):
                    checked += 1
                    if kind == "<":
                        if included.startswith("torch/") and layer in ("core", "ui") and name.endswith(".h"):
                            failures.append(f"{relative}: public header of {layer}/ includes <{included}>")
                        continue
                    if included.split("/", 1)[0] in shared:
                        failures.append(f"{relative}: \"{included}\": {included.split('/', 1)[0]}/ exists in two layers, include it with its layer's prefix")
                        continue
                    owners = resolve(root, layer, included)
                    if not owners:
                        continue  # the file's own folder, generated headers (moc, ui_*.h)
                    target = owners[0]
                    graph[layer][target] += 1
                    if target not in ALLOWED[layer]:
                        failures.append(f"{relative}: includes \"{included}\" of {target}/, against the arrows ({layer} may include {', '.join(sorted(ALLOWED[layer]))})")
    print("include graph (layer: included layer x count):")
    for layer in LAYERS:
        arrows = ", ".join(f"{t} x{n}" for t, n in sorted(graph[layer].items(), key=lambda item: LAYERS.index(item[0])))
        print(f"  {layer:9} -> {arrows}")
    for failure in failures:
        print("FAIL " + failure)
    print(f"{checked - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
