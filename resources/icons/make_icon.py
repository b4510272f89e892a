#!/usr/bin/env python3
"""Draws MedClick's icon (resources/icons/medclick.png, 256x256 RGBA) with the standard library only:
a dark tile with a grey 'scan', an orange segmented region and a green click inside it.
Run it again after changing the design; the PNG is committed."""
import math, struct, sys, zlib

N = 256

def coverage(d):  # antialiased edge: d = signed distance in pixels (negative inside)
    return max(0.0, min(1.0, 0.5 - d))

def blend(dst, src, a):
    return tuple(dst[i] * (1 - a) + src[i] * a for i in range(3))

rows = []
for y in range(N):
    row = bytearray([0])
    for x in range(N):
        px, py = x + 0.5, y + 0.5
        # Rounded square tile.
        qx, qy = abs(px - 128) - 104, abs(py - 128) - 104
        tile = math.hypot(max(qx, 0), max(qy, 0)) + min(max(qx, qy), 0) - 24
        alpha = coverage(tile)
        colour = (24, 38, 64)
        # A grey elliptical 'scan' with a soft gradient.
        e = math.hypot((px - 128) / 92, (py - 132) / 78)
        colour = blend(colour, (150, 156, 166), coverage((e - 1) * 80) * (0.35 + 0.4 * (1 - e)))
        # The segmented lesion: an orange blob.
        r = 46 + 6 * math.sin(3 * math.atan2(py - 120, px - 112))
        colour = blend(colour, (255, 140, 0), coverage(math.hypot(px - 112, py - 120) - r) * 0.85)
        outline = abs(math.hypot(px - 112, py - 120) - r)
        colour = blend(colour, (255, 190, 90), coverage(outline - 2))
        # The positive click: a green dot with a white ring.
        d = math.hypot(px - 112, py - 120)
        colour = blend(colour, (255, 255, 255), coverage(d - 15))
        colour = blend(colour, (40, 200, 60), coverage(d - 11))
        # A pointer arrow at the lower right.
        ax, ay = px - 150, py - 150
        inside = ax >= 0 and ay >= 0 and ay >= ax * 0.45 and ax >= ay * 0.45 and ax + ay <= 80
        if inside:
            colour = (245, 245, 245)
        row += bytes(int(round(c)) for c in colour) + bytes([int(round(alpha * 255))])
    rows.append(bytes(row))

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", N, N, 8, 6, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")
out = sys.argv[1] if len(sys.argv) > 1 else "medclick.png"
open(out, "wb").write(png)
