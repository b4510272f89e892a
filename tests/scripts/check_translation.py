#!/usr/bin/env python3
"""Checks a Qt Linguist catalogue: every message translated, and every placeholder (%1, %n),
accelerator (&X) and line break of the source kept in the translation. Exit 1 with the offenders."""
import re
import sys
import xml.etree.ElementTree as ET

path = sys.argv[1]
problems = []
messages = ET.parse(path).getroot().iter("message")
count = 0
for message in messages:
    count += 1
    source = message.findtext("source") or ""
    translation = message.find("translation")
    texts = [n.text or "" for n in translation.iter("numerusform")] or [translation.text or ""]
    if translation.get("type") in ("unfinished", "vanished", "obsolete") or not all(t.strip() for t in texts):
        problems.append(f"untranslated: {source!r}")
        continue
    for text in texts:
        for pattern, what in ((r"%(?:\d+|n)", "placeholders"), (r"&[A-Za-z0-9]", "accelerator"), (r"\n", "line breaks")):
            if sorted(re.findall(pattern, source)) != sorted(re.findall(pattern, text)):
                problems.append(f"{what} differ: {source!r} -> {text!r}")
print(f"{path}: {count} messages, {len(problems)} problems")
for p in problems:
    print("  " + p)
sys.exit(1 if problems or count == 0 else 0)
