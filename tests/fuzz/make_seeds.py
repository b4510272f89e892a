#!/usr/bin/env python3
"""Writes the seed corpus of tests/fuzz/image_reader_fuzzer.cpp: small valid images, each prefixed
with the byte that selects its file extension in the fuzzer.

  make_seeds.py OUT_DIR [--from DIR ...]

Generated with struct and zlib only (no numpy, Pillow or nibabel): 16x12 (and 16x12x3) images in
PNG (grey 8/16 bit, RGB), JPEG (baseline, grey), BMP (24-bit, 8-bit palette), TIFF (8-bit grey),
NIfTI-1 (.nii, .nii.gz, int16 3D, float32 2D), NRRD (raw, gzip), detached NRRD (.nhdr naming
data.raw), MetaImage (.mha, raw and compressed; .mhd naming data.raw) and DICOM (explicit VR little
endian, 16-bit MONOCHROME2).

--from DIR (repeatable): also turn every file in DIR whose name ends in a known extension into a
seed (e.g. the hostile-file corpus, or tests/fuzz/findings/ so that earlier findings are fuzzed on).

The fuzzer's companion file data.raw holds 4096 bytes; the detached headers here declare 16x12
uint8 voxels (192 bytes) from it.
"""

import argparse
import gzip
import os
import struct
import sys
import zlib

# Must match kExtensions in image_reader_fuzzer.cpp (the index is the selector byte).
EXTENSIONS = [".png", ".jpg", ".bmp", ".tif", ".nii", ".nii.gz", ".nrrd", ".nhdr", ".mha", ".mhd", ".dcm"]
ALIASES = {".jpeg": ".jpg", ".tiff": ".tif"}

W, H, D = 16, 12, 3


def selector(ext):
    return bytes([EXTENSIONS.index(ext)])


def extension_of(name):
    lower = name.lower()
    if lower.endswith(".nii.gz"):
        return ".nii.gz"
    ext = os.path.splitext(lower)[1]
    ext = ALIASES.get(ext, ext)
    return ext if ext in EXTENSIONS else None


def grey8(w=W, h=H, d=1):
    return bytes(((x * 13 + y * 7 + z * 29) & 0xFF) for z in range(d) for y in range(h) for x in range(w))


# ---------------------------------------------------------------- PNG
def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width, height, bit_depth, colour_type, rows):
    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 on every row
    return (b"\x89PNG\r\n\x1a\n"
            + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0))
            + png_chunk(b"pHYs", struct.pack(">IIB", 2835, 2835, 1))  # 0.3528 mm pixels
            + png_chunk(b"IDAT", zlib.compress(raw, 9))
            + png_chunk(b"IEND", b""))


def png_seeds():
    g = grey8()
    yield "grey8", png(W, H, 8, 0, [g[y * W:(y + 1) * W] for y in range(H)])
    yield "grey16", png(W, H, 16, 0, [b"".join(struct.pack(">H", (x * 4000 + y * 300) & 0xFFFF) for x in range(W)) for y in range(H)])
    yield "rgb8", png(W, H, 8, 2, [bytes(c for x in range(W) for c in ((x * 16) & 255, (y * 20) & 255, 128)) for y in range(H)])


# ---------------------------------------------------------------- JPEG (baseline, grey, DC only)
def jpeg_grey_blocks(width, height):
    """A baseline JPEG whose 8x8 blocks are flat (DC only), with one tiny Huffman table each for DC
    (12 categories, 4-bit codes) and AC (just EOB, code '0'): valid, and short."""
    bw, bh = (width + 7) // 8, (height + 7) // 8
    out = bytearray(b"\xFF\xD8")
    out += b"\xFF\xE0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00" + struct.pack(">HH", 1, 1) + b"\x00\x00"
    out += b"\xFF\xDB" + struct.pack(">H", 67) + b"\x00" + bytes([1] * 64)
    out += b"\xFF\xC0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    dc_counts = [0, 0, 0, 12] + [0] * 12
    out += b"\xFF\xC4" + struct.pack(">H", 2 + 1 + 16 + 12) + b"\x00" + bytes(dc_counts) + bytes(range(12))
    ac_counts = [1] + [0] * 15
    out += b"\xFF\xC4" + struct.pack(">H", 2 + 1 + 16 + 1) + b"\x10" + bytes(ac_counts) + b"\x00"
    out += b"\xFF\xDA" + struct.pack(">HB", 8, 1) + b"\x01\x00" + b"\x00\x3F\x00"
    bits = []
    previous = 0
    for by in range(bh):
        for bx in range(bw):
            level = (bx * 90 + by * 60 + 30) % 256
            dc = 8 * (level - 128)  # quantiser 1: DC of a flat block is 8 * (value - 128)
            diff = dc - previous
            previous = dc
            category = abs(diff).bit_length()
            bits += [int(b) for b in format(category, "04b")]
            if category:
                magnitude = diff if diff >= 0 else diff + (1 << category) - 1
                bits += [int(b) for b in format(magnitude, "0%db" % category)]
            bits.append(0)  # AC: end of block
    while len(bits) % 8:
        bits.append(1)
    for i in range(0, len(bits), 8):
        byte = int("".join(map(str, bits[i:i + 8])), 2)
        out.append(byte)
        if byte == 0xFF:
            out.append(0x00)
    out += b"\xFF\xD9"
    return bytes(out)


def jpeg_seeds():
    yield "grey", jpeg_grey_blocks(W, H)


# ---------------------------------------------------------------- BMP
def bmp(width, height, bpp, pixel_rows, palette=b""):
    row_bytes = (width * bpp // 8 + 3) & ~3
    data = b"".join(row + b"\x00" * (row_bytes - len(row)) for row in reversed(pixel_rows))  # bottom-up
    offset = 14 + 40 + len(palette)
    colours = len(palette) // 4
    header = b"BM" + struct.pack("<IHHI", offset + len(data), 0, 0, offset)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, bpp, 0, len(data), 2835, 2835, colours, 0)
    return header + info + palette + data


def bmp_seeds():
    yield "rgb24", bmp(W, H, 24, [bytes(c for x in range(W) for c in (128, (y * 20) & 255, (x * 16) & 255)) for y in range(H)])
    palette = b"".join(bytes([i, i, i, 0]) for i in range(256))
    g = grey8()
    yield "grey8pal", bmp(W, H, 8, [g[y * W:(y + 1) * W] for y in range(H)], palette)


# ---------------------------------------------------------------- TIFF
def tiff_grey8(width, height, pixels):
    entries = [  # (tag, type, count, value); type 3 SHORT, 4 LONG, 5 RATIONAL
        (256, 3, 1, width), (257, 3, 1, height), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
        (273, 4, 1, None), (277, 3, 1, 1), (278, 3, 1, height), (279, 4, 1, len(pixels)),
        (282, 5, 1, "xres"), (283, 5, 1, "yres"), (284, 3, 1, 1), (296, 3, 1, 2)]
    ifd_offset = 8
    ifd_size = 2 + 12 * len(entries) + 4
    rational_offset = ifd_offset + ifd_size
    data_offset = rational_offset + 16
    out = b"II*\x00" + struct.pack("<I", ifd_offset) + struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        if tag == 273:
            value = data_offset
        if kind == 5:
            value = rational_offset + (0 if value == "xres" else 8)
            out += struct.pack("<HHII", tag, kind, count, value)
        elif kind == 3:
            out += struct.pack("<HHIHH", tag, kind, count, value, 0)
        else:
            out += struct.pack("<HHII", tag, kind, count, value)
    out += struct.pack("<I", 0)
    out += struct.pack("<IIII", 72, 1, 72, 1)
    return out + pixels


def tiff_seeds():
    yield "grey8", tiff_grey8(W, H, grey8())


# ---------------------------------------------------------------- NIfTI-1
def nifti1(dims, datatype, bitpix, data, spacing):
    header = bytearray(348)
    struct.pack_into("<i", header, 0, 348)
    dim = [len(dims)] + list(dims) + [1] * (7 - len(dims))
    struct.pack_into("<8h", header, 40, *dim)
    struct.pack_into("<hh", header, 70, datatype, bitpix)
    pixdim = [1.0] + list(spacing) + [1.0] * (7 - len(spacing))
    struct.pack_into("<8f", header, 76, *pixdim)
    struct.pack_into("<f", header, 108, 352.0)  # vox_offset
    struct.pack_into("<ff", header, 112, 1.0, 0.0)  # scl_slope, scl_inter
    struct.pack_into("<b", header, 123, 2)  # xyzt_units: mm
    struct.pack_into("<hh", header, 252, 1, 1)  # qform_code, sform_code: scanner
    struct.pack_into("<ffffff", header, 256, 0.0, 0.0, 0.0, -8.0, -6.0, 0.0)  # quaternion b,c,d, offsets
    struct.pack_into("<4f", header, 280, spacing[0], 0, 0, -8.0)
    struct.pack_into("<4f", header, 296, 0, spacing[1], 0, -6.0)
    struct.pack_into("<4f", header, 312, 0, 0, spacing[2] if len(spacing) > 2 else 1.0, 0.0)
    header[344:348] = b"n+1\x00"
    return bytes(header) + b"\x00\x00\x00\x00" + data


def nifti_seeds():
    int16 = b"".join(struct.pack("<h", (x * 50 + y * 20 + z * 300) - 500) for z in range(D) for y in range(H) for x in range(W))
    vol = nifti1((W, H, D), 4, 16, int16, (0.8, 0.8, 2.5))
    floats = b"".join(struct.pack("<f", x * 0.25 - y * 1.5) for y in range(H) for x in range(W))
    flat = nifti1((W, H), 16, 32, floats, (0.5, 0.5))
    return [(".nii", "int16_3d", vol), (".nii", "float32_2d", flat),
            (".nii.gz", "int16_3d", gzip.compress(vol, 9, mtime=0)),
            (".nii.gz", "float32_2d", gzip.compress(flat, 9, mtime=0))]


# ---------------------------------------------------------------- NRRD
def nrrd_seeds():
    g = grey8()
    yield ".nrrd", "raw2d", (b"NRRD0004\ntype: uint8\ndimension: 2\nspace dimension: 2\nsizes: 16 12\n"
                             b"space directions: (0.5,0) (0,0.5)\nspace origin: (1,2)\nkinds: domain domain\nencoding: raw\n\n") + g
    vol = b"".join(struct.pack("<h", x * 10 - y * 40 + z * 100) for z in range(D) for y in range(H) for x in range(W))
    yield ".nrrd", "gzip3d", (b"NRRD0004\ntype: short\ndimension: 3\nsizes: 16 12 3\nspacings: 0.8 0.8 2.5\n"
                              b"endian: little\nencoding: gzip\n\n") + gzip.compress(vol, 9, mtime=0)
    yield ".nhdr", "detached", (b"NRRD0004\ntype: uint8\ndimension: 2\nsizes: 16 12\nspacings: 1 1\n"
                                b"encoding: raw\ndata file: data.raw\n")


# ---------------------------------------------------------------- MetaImage
def meta_seeds():
    g = grey8()
    head = ("ObjectType = Image\nNDims = 2\nBinaryData = True\nBinaryDataByteOrderMSB = False\n"
            "Offset = 0 0\nElementSpacing = 0.7 0.7\nDimSize = 16 12\nElementType = MET_UCHAR\n")
    yield ".mha", "raw2d", (head + "ElementDataFile = LOCAL\n").encode() + g
    vol = b"".join(struct.pack("<f", x * 0.5 + y - z * 3.0) for z in range(D) for y in range(H) for x in range(W))
    packed = zlib.compress(vol, 9)
    yield ".mha", "zlib3d", ("ObjectType = Image\nNDims = 3\nBinaryData = True\nBinaryDataByteOrderMSB = False\n"
                             "CompressedData = True\nCompressedDataSize = %d\nTransformMatrix = 1 0 0 0 1 0 0 0 1\n"
                             "Offset = -5 -5 0\nElementSpacing = 0.8 0.8 2.5\nDimSize = 16 12 3\n"
                             "ElementType = MET_FLOAT\nElementDataFile = LOCAL\n" % len(packed)).encode() + packed
    yield ".mhd", "detached", (head + "ElementDataFile = data.raw\n").encode()


# ---------------------------------------------------------------- DICOM
def dicom_element(group, element, vr, value):
    if isinstance(value, str):
        value = value.encode()
        if len(value) % 2:
            value += b"\x00" if vr == "UI" else b" "
    if vr in ("OB", "OW", "SQ", "UN", "UT"):
        return struct.pack("<HH", group, element) + vr.encode() + b"\x00\x00" + struct.pack("<I", len(value)) + value
    return struct.pack("<HH", group, element) + vr.encode() + struct.pack("<H", len(value)) + value


def dicom_seeds():
    sop_class = "1.2.840.10008.5.1.4.1.1.7"  # secondary capture
    sop_instance = "1.2.826.0.1.3680043.2.1125.1.1"
    syntax = "1.2.840.10008.1.2.1"  # explicit VR little endian
    meta = (dicom_element(0x0002, 0x0001, "OB", b"\x00\x01")
            + dicom_element(0x0002, 0x0002, "UI", sop_class)
            + dicom_element(0x0002, 0x0003, "UI", sop_instance)
            + dicom_element(0x0002, 0x0010, "UI", syntax)
            + dicom_element(0x0002, 0x0012, "UI", "1.2.826.0.1.3680043.2.1125"))
    meta = dicom_element(0x0002, 0x0000, "UL", struct.pack("<I", len(meta))) + meta
    pixels = b"".join(struct.pack("<H", (x * 200 + y * 50) & 0x0FFF) for y in range(H) for x in range(W))
    data = (dicom_element(0x0008, 0x0016, "UI", sop_class)
            + dicom_element(0x0008, 0x0018, "UI", sop_instance)
            + dicom_element(0x0008, 0x0060, "CS", "OT")
            + dicom_element(0x0010, 0x0010, "PN", "Fuzz^Seed")
            + dicom_element(0x0020, 0x000D, "UI", "1.2.826.0.1.3680043.2.1125.1.2")
            + dicom_element(0x0020, 0x000E, "UI", "1.2.826.0.1.3680043.2.1125.1.3")
            + dicom_element(0x0020, 0x0013, "IS", "1")
            + dicom_element(0x0020, 0x0032, "DS", "0\\0\\0")
            + dicom_element(0x0020, 0x0037, "DS", "1\\0\\0\\0\\1\\0")
            + dicom_element(0x0028, 0x0002, "US", struct.pack("<H", 1))
            + dicom_element(0x0028, 0x0004, "CS", "MONOCHROME2")
            + dicom_element(0x0028, 0x0010, "US", struct.pack("<H", H))
            + dicom_element(0x0028, 0x0011, "US", struct.pack("<H", W))
            + dicom_element(0x0028, 0x0030, "DS", "0.5\\0.5")
            + dicom_element(0x0028, 0x0100, "US", struct.pack("<H", 16))
            + dicom_element(0x0028, 0x0101, "US", struct.pack("<H", 12))
            + dicom_element(0x0028, 0x0102, "US", struct.pack("<H", 11))
            + dicom_element(0x0028, 0x0103, "US", struct.pack("<H", 0))
            + dicom_element(0x7FE0, 0x0010, "OW", pixels))
    yield "mono16", b"\x00" * 128 + b"DICM" + meta + data


# ----------------------------------------------------------------
def all_seeds():
    for name, data in png_seeds():
        yield ".png", name, data
    for name, data in jpeg_seeds():
        yield ".jpg", name, data
    for name, data in bmp_seeds():
        yield ".bmp", name, data
    for name, data in tiff_seeds():
        yield ".tif", name, data
    yield from nifti_seeds()
    yield from nrrd_seeds()
    yield from meta_seeds()
    for name, data in dicom_seeds():
        yield ".dcm", name, data


def safe(name):
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)[:80]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir")
    parser.add_argument("--from", dest="sources", action="append", default=[],
                        help="a folder of image files to add as seeds (repeatable)")
    parser.add_argument("--max-bytes", type=int, default=1 << 20, help="skip --from files larger than this")
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    count = 0
    for ext, name, data in all_seeds():
        with open(os.path.join(args.out_dir, "seed-%s-%s" % (safe(ext.lstrip(".")), name)), "wb") as f:
            f.write(selector(ext) + data)
        count += 1
    added = 0
    for source in args.sources:
        if not os.path.isdir(source):
            continue
        for root, _, files in os.walk(source):
            for file in sorted(files):
                ext = extension_of(file)
                path = os.path.join(root, file)
                if ext is None or not os.path.isfile(path) or os.path.getsize(path) > args.max_bytes:
                    continue
                with open(path, "rb") as f:
                    data = f.read()
                rel = os.path.relpath(path, source)
                with open(os.path.join(args.out_dir, "extra-" + safe(os.path.basename(os.path.normpath(source)) + "-" + rel)), "wb") as f:
                    f.write(selector(ext) + data)
                added += 1
    print("make_seeds: %d generated seeds, %d from --from folders, in %s" % (count, added, args.out_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
