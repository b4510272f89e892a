#!/usr/bin/env python3
"""Hostile files: every image reader must refuse malformed input cleanly (issue 21).

Issue 21 says no odd or hostile file may crash, hang, or be read from outside its folder. This
test GENERATES its corpus at run time (nothing binary is checked in) and runs every file through
`medclick-cli info --json FILE` as a child process:

  * seeds: small valid files of every format MedClick reads (PNG grey/16-bit/RGB/palette/Adam7,
    BMP 8-bit/24-bit, TIFF little/big-endian/3-page, NIfTI int16/float32/.nii.gz, NRRD
    raw/gzip/detached, MetaImage raw/compressed/detached, JPEG/NRRD/MHA/TIFF from medclick-cli's
    own writers, a 3-slice DICOM folder). Each must be read (exit 0) with the size written.
  * truncations of every seed (a truncated file loses data: exit 1 expected), single-byte
    changes over header and body (exit 0 or 1, nothing else), and format-specific hostile
    files (zero/negative/huge sizes, IFD loops, lying lengths, data files outside the folder
    by absolute path, "..", symlink or LIST, lying extensions, ...), each expected to give exit 1.

The crash classes issue 21 names, and how each is caught here:
  crash     the child dies by a signal (SIGSEGV, SIGABRT, SIGBUS, SIGFPE, ...)
  hang      the child runs past --timeout seconds (a loop in an IFD chain, a stuck inflate, ...)
  memory    a header that lies about its size makes the reader allocate: every child runs under
            RLIMIT_AS = (address space a valid read needs, measured at start) + 1 GiB, and its
            peak resident memory must stay under the valid seeds' peak + 256 MiB; an error that
            says the allocation failed counts as a failure too (the limit, not the reader, stopped it)
  outside   a header that names /etc/passwd, ../x, a symlink out of the folder or a LIST entry
            with ".." must be refused, not read
  accepted  a file that is known to be broken (truncated, or listed as hostile) read with exit 0
  message   exit 1 must come with an "error:" line on stderr that names the file (or DICOM folder)

usage: hostile_files_test.py --cli medclick-cli --dicom-series DIR [--workdir DIR] [--keep]
                             [--jobs 2] [--extra-corpus DIR] [--timeout 60]
The closing line is "N passed, M failed"; the exit status is 0 only when nothing failed.
Only the Python 3 standard library is used.
"""

import argparse
import collections
import gzip
import json
import math
import os
import random
import re
import resource
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib

MIB = 1 << 20
GIB = 1 << 30
RSS_MARGIN = 256 * MIB
AS_MARGIN = 1 * GIB

EXACT = "exact"  # exit 0 and the written size
FAIL = "fail"    # exit 1 expected
ANY = "any"      # exit 0 or 1, nothing else


# --------------------------------------------------------------------------------------------
# Content: a gradient plus a disk, so that no reader can pass by returning a constant.

def pattern(w, h, d=1):
    """Values in [0, 1]: 0.6 * gradient + 0.4 inside a disk (a ball in 3D), x fastest."""
    cx, cy, cz = (w - 1) * 0.45, (h - 1) * 0.55, (d - 1) * 0.5
    r2 = (min(w, h) * 0.3) ** 2
    out = []
    for z in range(d):
        for y in range(h):
            for x in range(w):
                g = (x / max(w - 1, 1) + y / max(h - 1, 1) + (z / (d - 1) if d > 1 else 0.0)) / (3 if d > 1 else 2)
                v = 0.6 * g
                if (x - cx) ** 2 + (y - cy) ** 2 + (((z - cz) * 2.0) ** 2 if d > 1 else 0.0) <= r2:
                    v += 0.4
                out.append(v)
    return out


def scaled(values, lo, hi):
    return [int(round(lo + v * (hi - lo))) for v in values]


def rgb_pattern(w, h):
    grey = pattern(w, h)
    out = []
    for y in range(h):
        for x in range(w):
            v = grey[y * w + x]
            out += [int(255 * v), int(255 * x / (w - 1)), int(255 * (1 - y / (h - 1)))]
    return out


# --------------------------------------------------------------------------------------------
# PNG

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_chunk(kind, data, crc=None):
    if crc is None:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_serialize(chunks):
    """chunks: list of (kind, data) or (kind, data, crc)."""
    return PNG_SIGNATURE + b"".join(png_chunk(*c) for c in chunks)


def png_row_bytes(samples, depth):
    return bytes(samples) if depth == 8 else struct.pack(">%dH" % len(samples), *samples)


def png_filter(row, prior, bpp, kind):
    if kind == 0:
        return b"\x00" + row
    if kind == 1:  # Sub
        return b"\x01" + bytes((row[i] - (row[i - bpp] if i >= bpp else 0)) & 0xFF for i in range(len(row)))
    if kind == 2:  # Up
        return b"\x02" + bytes((row[i] - prior[i]) & 0xFF for i in range(len(row)))
    raise ValueError(kind)


def png_ihdr(w, h, depth, colour, interlace=0):
    return struct.pack(">IIBBBBB", w, h, depth, colour, 0, 0, interlace)


def png_chunks(w, h, depth, colour, samples, plte=None, interlace=0, split_idat=False):
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    bpp = max(1, channels * depth // 8)
    raw = bytearray()
    if interlace:
        passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        for x0, y0, dx, dy in passes:
            xs = list(range(x0, w, dx))
            if not xs:
                continue
            for y in range(y0, h, dy):
                row = []
                for x in xs:
                    row += samples[(y * w + x) * channels:(y * w + x + 1) * channels]
                raw += png_filter(png_row_bytes(row, depth), None, bpp, 0)
    else:
        prior = bytes(w * channels * depth // 8)
        for y in range(h):
            row = png_row_bytes(samples[y * w * channels:(y + 1) * w * channels], depth)
            raw += png_filter(row, prior, bpp, y % 3 if depth == 8 else 0)
            prior = row
    data = zlib.compress(bytes(raw), 9)
    chunks = [(b"IHDR", png_ihdr(w, h, depth, colour, interlace))]
    if plte is not None:
        chunks.append((b"PLTE", plte))
    if split_idat:
        half = len(data) // 2
        chunks += [(b"IDAT", data[:half]), (b"IDAT", data[half:])]
    else:
        chunks.append((b"IDAT", data))
    chunks.append((b"IEND", b""))
    return chunks


# --------------------------------------------------------------------------------------------
# BMP (BITMAPINFOHEADER, BI_RGB, bottom-up; widths chosen so that rows need no padding and a
# truncated file always loses pixels)

def bmp_file(w, h, bits, pixels, width_field=None, height_field=None, offset_field=None, bits_field=None):
    if bits == 8:
        palette = b"".join(bytes((i, i, i, 0)) for i in range(256))
        rows = [bytes(pixels[y * w:(y + 1) * w]) for y in range(h)]
    else:
        palette = b""
        rows = []
        for y in range(h):
            row = bytearray()
            for x in range(w):
                r, g, b = pixels[(y * w + x) * 3:(y * w + x) * 3 + 3]
                row += bytes((b, g, r))
            rows.append(bytes(row))
    stride = (w * bits // 8 + 3) & ~3
    body = b"".join(r + bytes(stride - len(r)) for r in reversed(rows))
    offset = 14 + 40 + len(palette)
    info = struct.pack("<IiiHHIIiiII", 40, w if width_field is None else width_field,
                       h if height_field is None else height_field, 1, bits if bits_field is None else bits_field,
                       0, len(body), 2835, 2835, 256 if bits == 8 else 0, 0)
    head = b"BM" + struct.pack("<IHHI", offset + len(body), 0, 0, offset if offset_field is None else offset_field)
    return head + info + palette + body


# --------------------------------------------------------------------------------------------
# TIFF: IFD first, then its out-of-line values, then its strips; pages chained. Returns the bytes
# and where each page's IFD, next-IFD pointer and tag values lie, for the hostile variants.

TIFF_SHORT, TIFF_LONG, TIFF_RATIONAL = 3, 4, 5


def tiff_build(pages, endian="<"):
    e = endian
    buf = bytearray((b"II*\x00" if e == "<" else b"MM\x00*") + struct.pack(e + "I", 8))
    info = {"ifd": [], "next": [], "values": [], "endian": e}
    for index, (w, h, bits, data) in enumerate(pages):
        if len(buf) % 2:
            buf += b"\x00"
        ifd = len(buf)
        if index > 0:
            struct.pack_into(e + "I", buf, info["next"][-1], ifd)
        rows_per_strip = 8
        row_bytes = w * bits // 8
        strips = [min(rows_per_strip, h - s) * row_bytes for s in range(0, h, rows_per_strip)]
        tags = {
            256: (TIFF_LONG, [w]), 257: (TIFF_LONG, [h]), 258: (TIFF_SHORT, [bits]), 259: (TIFF_SHORT, [1]),
            262: (TIFF_SHORT, [1]), 273: (TIFF_LONG, [0] * len(strips)), 277: (TIFF_SHORT, [1]),
            278: (TIFF_LONG, [rows_per_strip]), 279: (TIFF_LONG, strips), 282: (TIFF_RATIONAL, [(72, 1)]),
            283: (TIFF_RATIONAL, [(72, 1)]), 296: (TIFF_SHORT, [2]), 339: (TIFF_SHORT, [1]),
        }

        def blob(kind, values):
            if kind == TIFF_SHORT:
                return struct.pack(e + "%dH" % len(values), *values)
            if kind == TIFF_LONG:
                return struct.pack(e + "%dI" % len(values), *values)
            return b"".join(struct.pack(e + "II", *v) for v in values)

        order = sorted(tags)
        position = ifd + 2 + 12 * len(order) + 4
        where = {}
        for tag in order:
            size = len(blob(*tags[tag]))
            if size > 4:
                where[tag] = position
                position += size + (size % 2)
        strip_start = position
        offsets, running = [], strip_start
        for s in strips:
            offsets.append(running)
            running += s
        tags[273] = (TIFF_LONG, offsets)
        entries = bytearray(struct.pack(e + "H", len(order)))
        out_of_line = bytearray()
        values = {}
        for i, tag in enumerate(order):
            kind, vals = tags[tag]
            b = blob(kind, vals)
            if tag in where:
                entries += struct.pack(e + "HHII", tag, kind, len(vals), where[tag])
                values[tag] = where[tag]
                out_of_line += b + (b"\x00" if len(b) % 2 else b"")
            else:
                entries += struct.pack(e + "HHI", tag, kind, len(vals)) + b + bytes(4 - len(b))
                values[tag] = ifd + 2 + 12 * i + 8
        next_pointer = ifd + 2 + 12 * len(order)
        entries += struct.pack(e + "I", 0)
        buf += entries + out_of_line
        assert len(buf) == strip_start
        buf += data
        info["ifd"].append(ifd)
        info["next"].append(next_pointer)
        info["values"].append(values)
    return bytes(buf), info


def tiff_patch_long(data, info, location, value):
    b = bytearray(data)
    struct.pack_into(info["endian"] + "I", b, location, value)
    return bytes(b)


# --------------------------------------------------------------------------------------------
# NIfTI-1

def nifti_header(dims, datatype, bitpix, spacing, vox_offset=352.0):
    h = bytearray(348)
    struct.pack_into("<i", h, 0, 348)
    dim = [len(dims)] + list(dims) + [1] * (7 - len(dims))
    struct.pack_into("<8h", h, 40, *dim)
    struct.pack_into("<hh", h, 70, datatype, bitpix)
    pixdim = [1.0] + list(spacing) + [1.0] * (7 - len(spacing))
    struct.pack_into("<8f", h, 76, *pixdim)
    struct.pack_into("<fff", h, 108, vox_offset, 1.0, 0.0)
    h[123] = 2 | 8  # mm, s
    struct.pack_into("<hh", h, 252, 1, 1)  # qform_code, sform_code: scanner
    struct.pack_into("<6f", h, 256, 0.0, 0.0, 0.0, -5.0, 3.0, 7.0)  # identity quaternion, offset
    struct.pack_into("<4f", h, 280, spacing[0], 0, 0, -5.0)
    struct.pack_into("<4f", h, 296, 0, spacing[1], 0, 3.0)
    struct.pack_into("<4f", h, 312, 0, 0, spacing[2] if len(spacing) > 2 else 1.0, 7.0)
    h[344:348] = b"n+1\x00"
    return bytes(h)


def nifti_file(dims, datatype, bitpix, spacing, data):
    return nifti_header(dims, datatype, bitpix, spacing) + b"\x00" * 4 + data


def nifti_patch(data, fmt, offset, *values):
    b = bytearray(data)
    struct.pack_into(fmt, b, offset, *values)
    return bytes(b)


# --------------------------------------------------------------------------------------------
# NRRD and MetaImage headers

def nrrd_header(fields, magic="NRRD0004", blank_line=True):
    text = magic + "\n# written by hostile_files_test.py\n" + "".join("%s: %s\n" % kv for kv in fields)
    return (text + ("\n" if blank_line else "")).encode()


def nrrd_fields_3d(encoding="raw", sizes="12 10 6", kind="short", dimension="3", extra=()):
    return [("type", kind), ("dimension", dimension), ("space", "left-posterior-superior"), ("sizes", sizes),
            ("space directions", "(1,0,0) (0,1.5,0) (0,0,2)"), ("space origin", "(-5,3,7)"),
            ("endian", "little"), ("encoding", encoding)] + list(extra)


def meta_header(fields):
    return "".join("%s = %s\n" % kv for kv in fields).encode()


def meta_fields(ndims="3", dims="12 10 6", etype="MET_SHORT", compressed="False", datafile="LOCAL", extra=(),
                spacing="1 1.5 2"):
    fields = [("ObjectType", "Image"), ("NDims", ndims), ("BinaryData", "True"), ("BinaryDataByteOrderMSB", "False"),
              ("CompressedData", compressed)] + list(extra)
    fields += [("ElementSpacing", spacing), ("DimSize", dims), ("ElementType", etype), ("ElementDataFile", datafile)]
    return fields


# --------------------------------------------------------------------------------------------
# JPEG markers (for the hostile variants of medclick-cli's JPEGs)

def jpeg_segments(data):
    """Marker segments up to and including SOS: list of (marker, offset, length)."""
    segments, i = [], 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            raise ValueError("not a marker at %d" % i)
        marker = data[i + 1]
        if marker == 0xFF:
            i += 1
            continue
        if marker == 0xD8 or 0xD0 <= marker <= 0xD7 or marker == 0x01:
            i += 2
            continue
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        segments.append((marker, i, length))
        if marker == 0xDA:
            break
        i += 2 + length
    return segments


# --------------------------------------------------------------------------------------------
# DICOM: Rows and Columns of an explicit-VR little-endian slice (to know the expected size)

def dicom_rows_columns(data):
    def find(tag):
        i = data.find(tag + b"US\x02\x00")
        return struct.unpack("<H", data[i + 8:i + 10])[0] if i >= 0 else None
    return find(b"\x28\x00\x10\x00"), find(b"\x28\x00\x11\x00")


# --------------------------------------------------------------------------------------------
# Cases

class Case:
    __slots__ = ("name", "fmt", "kind", "expect", "size", "files", "links", "input", "path", "note")

    def __init__(self, name, fmt, kind, expect, files, input_name, size=None, links=(), note=""):
        self.name = name          # unique, file-system safe
        self.fmt = fmt            # summary group
        self.kind = kind          # seed, truncation, flip, hostile, extra
        self.expect = expect      # EXACT, FAIL or ANY
        self.size = size          # expected size for EXACT
        self.files = files        # {relative path: bytes}; "../x" lands beside the case folder
        self.links = list(links)  # [(relative link name, target path)]
        self.input = input_name   # the file given to medclick-cli, "." for the folder (DICOM)
        self.path = None          # absolute input path once written
        self.note = note


class Seed:
    """A valid file set and what its mutations should touch."""

    def __init__(self, name, fmt, files, input_name, size, target=None, text_header=None, data_file=None,
                 dense=(0, 64)):
        self.name, self.fmt, self.files, self.input, self.size = name, fmt, files, input_name, size
        self.target = target or input_name  # the file whose bytes truncations and flips change
        self.text_header = text_header      # length of an attached text header in target
        self.data_file = data_file          # detached data file (mutated as the body)
        self.dense = dense                  # header bytes sampled more densely by the flips


def materialize(case, root):
    folder = os.path.join(root, case.fmt, case.name)
    os.makedirs(folder, exist_ok=True)
    for rel, data in case.files.items():
        path = os.path.normpath(os.path.join(folder, rel))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    for rel, target in case.links:
        os.symlink(target, os.path.join(folder, rel))
    case.path = folder if case.input == "." else os.path.join(folder, case.input)


def make_seeds(dicom_series):
    seeds = []
    W, H = 40, 32
    grey = pattern(W, H)

    # PNG
    g8 = scaled(grey, 0, 255)
    seeds.append(Seed("png-grey8", "png", {"grey8.png": png_serialize(png_chunks(W, H, 8, 0, g8, split_idat=True))},
                      "grey8.png", [W, H]))
    g16 = scaled(grey, 100, 60000)
    seeds.append(Seed("png-grey16", "png", {"grey16.png": png_serialize(png_chunks(W, H, 16, 0, g16))},
                      "grey16.png", [W, H]))
    rgb = rgb_pattern(W, H)
    seeds.append(Seed("png-rgb8", "png", {"rgb8.png": png_serialize(png_chunks(W, H, 8, 2, rgb))}, "rgb8.png", [W, H]))
    palette = b"".join(bytes(((i * 16) % 256, 255 - i * 16, (i * 37) % 256)) for i in range(16))
    indices = [min(15, v // 16) for v in g8]
    seeds.append(Seed("png-palette", "png", {"palette.png": png_serialize(png_chunks(W, H, 8, 3, indices, plte=palette))},
                      "palette.png", [W, H]))
    seeds.append(Seed("png-adam7", "png", {"adam7.png": png_serialize(png_chunks(W, H, 8, 0, g8, interlace=1))},
                      "adam7.png", [W, H]))

    # BMP (40 wide: no row padding)
    BW, BH = 40, 30
    bgrey = scaled(pattern(BW, BH), 0, 255)
    seeds.append(Seed("bmp-grey8", "bmp", {"grey8.bmp": bmp_file(BW, BH, 8, bgrey)}, "grey8.bmp", [BW, BH]))
    seeds.append(Seed("bmp-rgb24", "bmp", {"rgb24.bmp": bmp_file(BW, BH, 24, rgb_pattern(BW, BH))}, "rgb24.bmp", [BW, BH]))

    # TIFF
    tle, _ = tiff_build([(W, H, 8, bytes(g8))], "<")
    seeds.append(Seed("tiff-le8", "tiff", {"le8.tif": tle}, "le8.tif", [W, H]))
    tbe, _ = tiff_build([(W, H, 16, struct.pack(">%dH" % len(g16), *g16))], ">")
    seeds.append(Seed("tiff-be16", "tiff", {"be16.tif": tbe}, "be16.tif", [W, H]))
    pages = [bytes(scaled(pattern(W, H), 20 * k, 200 + 20 * k)) for k in range(3)]
    t3, _ = tiff_build([(W, H, 8, p) for p in pages], "<")
    seeds.append(Seed("tiff-3page", "tiff", {"pages3.tif": t3}, "pages3.tif", [W, H, 3]))

    # NIfTI
    X, Y, Z = 12, 10, 6
    vol = pattern(X, Y, Z)
    i16 = scaled(vol, -500, 1500)
    i16_bytes = struct.pack("<%dh" % len(i16), *i16)
    f32_bytes = struct.pack("<%df" % len(vol), *[v * 3.25 - 0.5 for v in vol])
    nii16 = nifti_file((X, Y, Z), 4, 16, (1.0, 1.5, 2.0), i16_bytes)
    nii32 = nifti_file((X, Y, Z), 16, 32, (1.0, 1.5, 2.0), f32_bytes)
    dense_nifti = (0, 128)
    seeds.append(Seed("nifti-int16", "nifti", {"int16.nii": nii16}, "int16.nii", [X, Y, Z], dense=dense_nifti))
    seeds.append(Seed("nifti-float32", "nifti", {"float32.nii": nii32}, "float32.nii", [X, Y, Z], dense=dense_nifti))
    seeds.append(Seed("nifti-gz", "nifti", {"int16.nii.gz": gzip.compress(nii16, 9, mtime=0)}, "int16.nii.gz", [X, Y, Z]))

    # NRRD
    h = nrrd_header(nrrd_fields_3d())
    seeds.append(Seed("nrrd-raw", "nrrd", {"raw.nrrd": h + i16_bytes}, "raw.nrrd", [X, Y, Z], text_header=len(h)))
    h = nrrd_header(nrrd_fields_3d("gzip"))
    seeds.append(Seed("nrrd-gzip", "nrrd", {"gzip.nrrd": h + gzip.compress(i16_bytes, 9, mtime=0)}, "gzip.nrrd",
                      [X, Y, Z], text_header=len(h)))
    h = nrrd_header(nrrd_fields_3d(extra=[("data file", "detached.raw")]), blank_line=False)
    seeds.append(Seed("nrrd-detached", "nrrd", {"detached.nhdr": h, "detached.raw": i16_bytes}, "detached.nhdr",
                      [X, Y, Z], text_header=len(h), data_file="detached.raw"))

    # MetaImage
    h = meta_header(meta_fields())
    seeds.append(Seed("meta-raw", "meta", {"raw.mha": h + i16_bytes}, "raw.mha", [X, Y, Z], text_header=len(h)))
    z = zlib.compress(i16_bytes, 9)
    h = meta_header(meta_fields(compressed="True", extra=[("CompressedDataSize", str(len(z)))]))
    seeds.append(Seed("meta-zlib", "meta", {"zlib.mha": h + z}, "zlib.mha", [X, Y, Z], text_header=len(h)))
    h = meta_header(meta_fields(datafile="detached.raw"))
    seeds.append(Seed("meta-detached", "meta", {"detached.mhd": h, "detached.raw": i16_bytes}, "detached.mhd",
                      [X, Y, Z], text_header=len(h), data_file="detached.raw"))

    # DICOM: three neighbouring slices from the middle of the series; the middle one is mutated.
    names = sorted(n for n in os.listdir(dicom_series) if os.path.isfile(os.path.join(dicom_series, n)))
    if len(names) < 3:
        raise SystemExit("--dicom-series %s holds fewer than 3 files" % dicom_series)
    mid = len(names) // 2
    chosen = names[mid - 1:mid + 2]
    slices = {}
    for n in chosen:
        with open(os.path.join(dicom_series, n), "rb") as f:
            slices[n] = f.read()
    rows, cols = dicom_rows_columns(slices[chosen[1]])
    size = [cols, rows, 3] if rows and cols else None
    seeds.append(Seed("dicom-3slices", "dicom", slices, ".", size, target=chosen[1], dense=(128, 256)))
    return seeds


def derived_seeds(seeds_by_name, run_convert, root):
    """Seeds written by medclick-cli's own writers (ITK): JPEG cannot be written by hand simply."""
    jobs = [("jpeg-grey", "jpeg", "png-grey8", "grey.jpg"), ("jpeg-rgb", "jpeg", "png-rgb8", "rgb.jpg"),
            ("nrrd-itk", "nrrd", "nifti-int16", "itk.nrrd"), ("meta-itk", "meta", "nifti-int16", "itk.mha"),
            ("tiff-itk3d", "tiff", "nifti-int16", "itk3d.tif")]
    made, problems = [], []
    folder = os.path.join(root, "convert")
    os.makedirs(folder, exist_ok=True)
    for name, fmt, source_name, out_name in jobs:
        source = seeds_by_name[source_name]
        src = os.path.join(folder, source.input)
        with open(src, "wb") as f:
            f.write(source.files[source.input])
        out = os.path.join(folder, out_name)
        ok, message = run_convert(src, out)
        if not ok or not os.path.isfile(out):
            problems.append((name, "medclick-cli convert %s %s failed: %s" % (source.input, out_name, message)))
            continue
        with open(out, "rb") as f:
            data = f.read()
        made.append(Seed(name, fmt, {out_name: data}, out_name, list(source.size)))
    return made, problems


def spread(lo, hi, count):
    if hi <= lo or count <= 0:
        return []
    if hi - lo <= count:
        return list(range(lo, hi))
    return sorted(set(lo + (i * (hi - lo)) // count for i in range(count)))


FLIP_OPS = (("xor", lambda b: b ^ 0xFF), ("00", lambda b: 0x00), ("ff", lambda b: 0xFF))


def flipped(data, position, k):
    for j in range(3):
        name, op = FLIP_OPS[(k + j) % 3]
        value = op(data[position])
        if value != data[position]:
            return name, data[:position] + bytes((value,)) + data[position + 1:]
    raise AssertionError("xor always changes a byte")


def mutations(seed, header_flips, body_flips):
    cases = []

    def case(tag, kind, expect, target, data):
        files = dict(seed.files)
        files[target] = data
        cases.append(Case("%s.%s" % (seed.name, tag), seed.fmt, kind, expect, files, seed.input))

    # Truncations: the target file; for detached pairs also the data file.
    targets = [seed.target] + ([seed.data_file] if seed.data_file else [])
    for target in targets:
        data = seed.files[target]
        n = len(data)
        lengths = sorted(set(x for x in (1, 8, 64, n // 100, n // 10, n // 2, (n * 9) // 10, n - 1) if 0 < x < n))
        for length in lengths:
            expect = FAIL
            if target == seed.target and seed.data_file and not data[length:].strip():
                expect = ANY  # a detached header that lost only its trailing newline still says everything
            tag = "trunc%s-%d" % ("-data" if target != seed.target else "", length)
            case(tag, "truncation", expect, target, data[:length])

    # Byte changes: header region (the whole text header, or the first 512 bytes) and body.
    data = seed.files[seed.target]
    header_end = seed.text_header if seed.text_header is not None else min(len(data), 512)
    if seed.text_header is not None:
        positions = spread(0, header_end, header_flips)
    else:
        lo, hi = seed.dense[0], min(seed.dense[1], header_end)
        positions = sorted(set(spread(lo, hi, header_flips // 2) + spread(0, header_end, header_flips - header_flips // 2)))
    for k, p in enumerate(positions):
        op, changed = flipped(data, p, k)
        case("flip-h%d-%s" % (p, op), "flip", ANY, seed.target, changed)
    body_target = seed.data_file or seed.target
    body = seed.files[body_target]
    body_start = 0 if seed.data_file else header_end
    for k, p in enumerate(spread(body_start, len(body), body_flips)):
        op, changed = flipped(body, p, k)
        case("flip-b%d-%s" % (p, op), "flip", ANY, body_target, changed)
    return cases


# --------------------------------------------------------------------------------------------
# Format-specific hostile files (all expected to be refused with exit 1 unless marked)

def hostile_cases(seeds, outside_root):
    by = {s.name: s for s in seeds}
    cases = []

    def add(fmt, name, files, input_name, expect=FAIL, links=(), size=None, note=""):
        cases.append(Case("hostile-" + name, fmt, "hostile", expect, files, input_name, size=size, links=links, note=note))

    # --- PNG
    W, H = 40, 32
    g8 = scaled(pattern(W, H), 0, 255)
    base = png_chunks(W, H, 8, 0, g8)
    ihdr_crc = zlib.crc32(b"IHDR" + base[0][1]) & 0xFFFFFFFF

    def with_ihdr(ihdr, stale=False):
        return png_serialize([(b"IHDR", ihdr, ihdr_crc if stale else None)] + base[1:])

    add("png", "png-width0", {"w0.png": with_ihdr(png_ihdr(0, H, 8, 0))}, "w0.png")
    add("png", "png-height0", {"h0.png": with_ihdr(png_ihdr(W, 0, 8, 0))}, "h0.png")
    add("png", "png-width0-stale-crc", {"w0.png": with_ihdr(png_ihdr(0, H, 8, 0), True)}, "w0.png")
    add("png", "png-height0-stale-crc", {"h0.png": with_ihdr(png_ihdr(W, 0, 8, 0), True)}, "h0.png")
    add("png", "png-depth3", {"d3.png": with_ihdr(png_ihdr(W, H, 3, 0))}, "d3.png")
    add("png", "png-colour5", {"c5.png": with_ihdr(png_ihdr(W, H, 8, 5))}, "c5.png")
    add("png", "png-huge", {"huge.png": with_ihdr(png_ihdr(100000, 100000, 8, 0))}, "huge.png")
    add("png", "png-no-idat", {"noidat.png": png_serialize([c for c in base if c[0] != b"IDAT"])}, "noidat.png")
    add("png", "png-no-iend", {"noiend.png": png_serialize([c for c in base if c[0] != b"IEND"])}, "noiend.png")
    pal = png_chunks(W, H, 8, 3, [min(15, v // 16) for v in g8], plte=bytes(range(48)))
    add("png", "png-palette-no-plte", {"noplte.png": png_serialize([c for c in pal if c[0] != b"PLTE"])}, "noplte.png")
    add("png", "png-unknown-critical", {"abcd.png": png_serialize(base[:1] + [(b"ABCD", b"hostile")] + base[1:])},
        "abcd.png")
    # IDAT whose stream inflates to fewer rows than IHDR declares (a picture cut inside the stream)
    short_raw = zlib.compress(b"".join(b"\x00" + bytes(g8[y * W:(y + 1) * W]) for y in range(H // 2)))
    add("png", "png-idat-short", {"short.png": png_serialize([base[0], (b"IDAT", short_raw), (b"IEND", b"")])},
        "short.png")

    # --- JPEG (needs medclick-cli's JPEG)
    for seed_name in ("jpeg-grey", "jpeg-rgb"):
        if seed_name not in by:
            continue
        jpg = by[seed_name].files[by[seed_name].input]
        tag = seed_name.split("-")[1]
        try:
            segments = jpeg_segments(jpg)
        except ValueError:
            continue
        sof = next((s for s in segments if s[0] in (0xC0, 0xC1, 0xC2)), None)
        sos = next((s for s in segments if s[0] == 0xDA), None)
        if sof:
            b = bytearray(jpg)
            struct.pack_into(">H", b, sof[1] + 7, 0)
            add("jpeg", "jpeg-%s-width0" % tag, {"w0.jpg": bytes(b)}, "w0.jpg")
            b = bytearray(jpg)
            struct.pack_into(">H", b, sof[1] + 5, 0)
            add("jpeg", "jpeg-%s-height0" % tag, {"h0.jpg": bytes(b)}, "h0.jpg")
        first = next((s for s in segments if s[0] in (0xDB, 0xC4) or 0xE0 <= s[0] <= 0xEF), None)
        if first and len(jpg) < 0xFFFF:
            b = bytearray(jpg)
            struct.pack_into(">H", b, first[1] + 2, 0xFFFF)
            add("jpeg", "jpeg-%s-segment-past-eof" % tag, {"seg.jpg": bytes(b)}, "seg.jpg")
        if jpg.endswith(b"\xff\xd9"):
            add("jpeg", "jpeg-%s-no-eoi" % tag, {"noeoi.jpg": jpg[:-2]}, "noeoi.jpg")
        if sos:
            add("jpeg", "jpeg-%s-cut-after-sos" % tag, {"sos.jpg": jpg[:sos[1] + 2 + sos[2]]}, "sos.jpg")

    # --- TIFF
    one, info1 = tiff_build([(W, H, 8, bytes(g8))], "<")
    two, info2 = tiff_build([(W, H, 8, bytes(g8)), (W, H, 8, bytes(g8))], "<")
    add("tiff", "tiff-ifd-self-loop", {"loop.tif": tiff_patch_long(one, info1, info1["next"][0], info1["ifd"][0])},
        "loop.tif")
    add("tiff", "tiff-ifd-back-loop", {"loop2.tif": tiff_patch_long(two, info2, info2["next"][1], info2["ifd"][0])},
        "loop2.tif")
    add("tiff", "tiff-ifd-beyond-eof", {"far.tif": tiff_patch_long(one, info1, 4, len(one) + 4096)}, "far.tif")
    add("tiff", "tiff-strip-beyond-eof",
        {"strip.tif": tiff_patch_long(one, info1, info1["values"][0][273], len(one) + 4096)}, "strip.tif")
    add("tiff", "tiff-width0", {"w0.tif": tiff_patch_long(one, info1, info1["values"][0][256], 0)}, "w0.tif")
    small = one
    for s in range(4):
        small = tiff_patch_long(small, info1, info1["values"][0][279] + 4 * s, 3)
    add("tiff", "tiff-strip-bytes-short", {"short.tif": small}, "short.tif")
    b = bytearray(one)
    struct.pack_into("<H", b, info1["ifd"][0], 65535)
    add("tiff", "tiff-65535-entries", {"many.tif": bytes(b)}, "many.tif")
    add("tiff", "tiff-huge", {"huge.tif": tiff_patch_long(tiff_patch_long(one, info1, info1["values"][0][256], 1 << 30),
                                                        info1, info1["values"][0][257], 1 << 30)}, "huge.tif")

    # --- BMP
    BW, BH = 40, 30
    bg = scaled(pattern(BW, BH), 0, 255)
    good_bmp = bmp_file(BW, BH, 8, bg)
    add("bmp", "bmp-width0", {"w0.bmp": bmp_file(BW, BH, 8, bg, width_field=0)}, "w0.bmp")
    add("bmp", "bmp-height0", {"h0.bmp": bmp_file(BW, BH, 8, bg, height_field=0)}, "h0.bmp")
    add("bmp", "bmp-offset-beyond-eof", {"off.bmp": bmp_file(BW, BH, 8, bg, offset_field=len(good_bmp) + 4096)}, "off.bmp")
    add("bmp", "bmp-bits7", {"b7.bmp": bmp_file(BW, BH, 8, bg, bits_field=7)}, "b7.bmp")
    add("bmp", "bmp-huge-width", {"wide.bmp": bmp_file(BW, BH, 8, bg, width_field=1 << 30)}, "wide.bmp")
    add("bmp", "bmp-huge-both", {"huge.bmp": bmp_file(BW, BH, 8, bg, width_field=1 << 20, height_field=-(1 << 20))},
        "huge.bmp")

    # --- MetaImage
    X, Y, Z = 12, 10, 6
    vol = scaled(pattern(X, Y, Z), -500, 1500)
    raw16 = struct.pack("<%dh" % len(vol), *vol)
    small16 = bytes(range(16))

    def mhd(fields):
        return meta_header(fields)

    add("meta", "mhd-etc-passwd", {"abs.mhd": mhd(meta_fields("2", "4 4", "MET_UCHAR", datafile="/etc/passwd", spacing="1 1"))},
        "abs.mhd", note="absolute data file outside the folder")
    add("meta", "mhd-dotdot", {"up.mhd": mhd(meta_fields(datafile="../hostile-mhd-dotdot.outside.raw")),
                               "../hostile-mhd-dotdot.outside.raw": raw16}, "up.mhd",
        note="../ data file (it exists, the right size)")
    outside = os.path.join(outside_root, "meta", "hostile-mhd-symlink.outside.raw")
    add("meta", "mhd-symlink", {"link.mhd": mhd(meta_fields(datafile="inside.raw")),
                                "../hostile-mhd-symlink.outside.raw": raw16}, "link.mhd",
        links=[("inside.raw", outside)], note="data file is a symlink out of the folder")
    add("meta", "mhd-data-short", {"short.mhd": mhd(meta_fields(datafile="short.raw")), "short.raw": raw16[:-24]},
        "short.mhd")
    add("meta", "mhd-huge-over-tiny", {"huge.mhd": mhd(meta_fields(dims="1024 1024 1024", etype="MET_FLOAT",
                                                                  datafile="tiny.raw")), "tiny.raw": small16},
        "huge.mhd", note="4 GiB declared over a 16-byte data file")
    add("meta", "mhd-headersize-beyond", {"skip.mhd": mhd(meta_fields(datafile="skip.raw", extra=[("HeaderSize", "10000000")])),
                                          "skip.raw": raw16}, "skip.mhd")
    add("meta", "mhd-data-missing", {"gone.mhd": mhd(meta_fields(datafile="gone.raw"))}, "gone.mhd")
    add("meta", "mhd-data-is-folder", {"dir.mhd": mhd(meta_fields(datafile="sub")), "sub/placeholder": b"x"}, "dir.mhd")
    add("meta", "mha-compressed-over-raw",
        {"c.mha": mhd(meta_fields(compressed="True", extra=[("CompressedDataSize", str(len(raw16)))])) + raw16}, "c.mha")
    zshort = zlib.compress(raw16, 9)
    add("meta", "mha-compressed-stream-short",
        {"cs.mha": mhd(meta_fields(dims="12 10 7", compressed="True",
                                   extra=[("CompressedDataSize", str(len(zshort)))])) + zshort}, "cs.mha")
    add("meta", "mha-compressed-size-lies",
        {"cl.mha": mhd(meta_fields(compressed="True", extra=[("CompressedDataSize", "100000000")])) + zshort}, "cl.mha")
    add("meta", "mha-dimsize-0", {"d0.mha": mhd(meta_fields(dims="12 0 6")) + raw16}, "d0.mha")
    add("meta", "mha-dimsize-negative", {"dn.mha": mhd(meta_fields(dims="12 -10 6")) + raw16}, "dn.mha")
    add("meta", "mha-dimsize-3-for-ndims-2", {"d3.mha": mhd(meta_fields(ndims="2", dims="12 10 6")) + raw16}, "d3.mha")
    add("meta", "mha-elementtype-nonsense", {"et.mha": mhd(meta_fields(etype="MET_NONSENSE")) + raw16}, "et.mha")
    add("meta", "mha-ndims-0", {"n0.mha": mhd(meta_fields(ndims="0")) + raw16}, "n0.mha")
    add("meta", "mha-ndims-9", {"n9.mha": mhd(meta_fields(ndims="9", dims="12 10 6 2 2 2 2 2 2",
                                                         spacing="1 1 1 1 1 1 1 1 1")) + raw16}, "n9.mha")
    add("meta", "mha-headersize-beyond", {"hs.mha": mhd(meta_fields(extra=[("HeaderSize", "10000000")])) + raw16}, "hs.mha")

    # --- NRRD / NHDR
    add("nrrd", "nrrd-gzip-over-raw", {"g.nrrd": nrrd_header(nrrd_fields_3d("gzip")) + raw16}, "g.nrrd")
    z = gzip.compress(raw16, 9, mtime=0)
    add("nrrd", "nrrd-gzip-stream-short", {"gs.nrrd": nrrd_header(nrrd_fields_3d("gzip", sizes="12 10 7")) + z}, "gs.nrrd")

    def nhdr(fields):
        return nrrd_header(fields, blank_line=False)

    fields2d = [("type", "uchar"), ("dimension", "2"), ("sizes", "4 4"), ("encoding", "raw")]
    add("nrrd", "nhdr-etc-passwd", {"abs.nhdr": nhdr(fields2d + [("data file", "/etc/passwd")])}, "abs.nhdr",
        note="absolute data file outside the folder")
    add("nrrd", "nhdr-dotdot", {"up.nhdr": nhdr(nrrd_fields_3d(extra=[("data file", "../hostile-nhdr-dotdot.outside.raw")])),
                                "../hostile-nhdr-dotdot.outside.raw": raw16}, "up.nhdr")
    outside = os.path.join(outside_root, "nrrd", "hostile-nhdr-symlink.outside.raw")
    add("nrrd", "nhdr-symlink", {"link.nhdr": nhdr(nrrd_fields_3d(extra=[("data file", "inside.raw")])),
                                 "../hostile-nhdr-symlink.outside.raw": raw16}, "link.nhdr",
        links=[("inside.raw", outside)])
    add("nrrd", "nhdr-data-short", {"short.nhdr": nhdr(nrrd_fields_3d(extra=[("data file", "short.raw")])),
                                    "short.raw": raw16[:-24]}, "short.nhdr")
    add("nrrd", "nhdr-huge-over-tiny", {"huge.nhdr": nhdr(nrrd_fields_3d(sizes="1024 1024 1024", kind="float",
                                                                        extra=[("data file", "tiny.raw")])),
                                        "tiny.raw": small16}, "huge.nhdr", note="4 GiB declared over 16 bytes")
    add("nrrd", "nrrd-sizes-0", {"s0.nrrd": nrrd_header(nrrd_fields_3d(sizes="12 0 6")) + raw16}, "s0.nrrd")
    add("nrrd", "nrrd-sizes-negative", {"sn.nrrd": nrrd_header(nrrd_fields_3d(sizes="12 -10 6")) + raw16}, "sn.nrrd")
    add("nrrd", "nrrd-dimension-0",
        {"d0.nrrd": nrrd_header([("type", "short"), ("dimension", "0"), ("sizes", "12 10 6"), ("endian", "little"),
                                 ("encoding", "raw")]) + raw16}, "d0.nrrd")
    add("nrrd", "nrrd-type-nonsense", {"t.nrrd": nrrd_header(nrrd_fields_3d(kind="nonsense")) + raw16}, "t.nrrd")
    slice_bytes = raw16[:len(raw16) // 6]
    add("nrrd", "nhdr-list-escape",
        {"list.nhdr": nhdr(nrrd_fields_3d(sizes="12 10 2", extra=[("data file", "LIST")]))
         + b"slice0.raw\n../hostile-nhdr-list-escape.outside.raw\n",
         "slice0.raw": slice_bytes, "../hostile-nhdr-list-escape.outside.raw": slice_bytes}, "list.nhdr")
    add("nrrd", "nhdr-format-missing-slice",
        {"fmt.nhdr": nhdr(nrrd_fields_3d(sizes="12 10 3", extra=[("data file", "slice%03d.raw 1 3 1")])),
         "slice001.raw": slice_bytes, "slice003.raw": slice_bytes}, "fmt.nhdr")
    add("nrrd", "nhdr-format-escape",
        {"fmte.nhdr": nhdr(nrrd_fields_3d(sizes="12 10 2", extra=[("data file", "../hostile-nhdr-format-escape.s%d.raw 1 2 1")])),
         "../hostile-nhdr-format-escape.s1.raw": slice_bytes, "../hostile-nhdr-format-escape.s2.raw": slice_bytes},
        "fmte.nhdr")

    # --- NIfTI
    nii = by["nifti-int16"].files["int16.nii"]
    nii32 = by["nifti-float32"].files["float32.nii"]
    variants = [
        ("dim1-0", nifti_patch(nii, "<h", 42, 0)),
        ("dim0-9", nifti_patch(nii, "<h", 40, 9)),
        ("vox-offset-beyond", nifti_patch(nii, "<f", 108, float(len(nii) + 4096))),
        ("bitpix-0", nifti_patch(nii, "<h", 72, 0)),
        ("int16-bitpix32", nifti_patch(nii, "<h", 72, 32)),
        ("float32-bitpix16", nifti_patch(nii32, "<h", 72, 16)),
        ("float32-bitpix8", nifti_patch(nii32, "<h", 72, 8)),
        ("huge-dims", nifti_patch(nii, "<3h", 42, 32767, 32767, 32767)),
        ("negative-dim", nifti_patch(nii, "<h", 44, -10)),
    ]
    for tag, data in variants:
        add("nifti", "nii-" + tag, {"x.nii": data}, "x.nii")
    for tag, data in variants[:3] + variants[7:8]:
        add("nifti", "niigz-" + tag, {"x.nii.gz": gzip.compress(data, 9, mtime=0)}, "x.nii.gz")

    # --- Extensions that lie
    rnd = random.Random(21)
    junk = bytes(rnd.getrandbits(8) for _ in range(4096))
    png_bytes = by["png-grey8"].files["grey8.png"]
    add("misc", "png-named-nii", {"png.nii": png_bytes}, "png.nii")
    add("misc", "nii-named-png", {"nii.png": nii}, "nii.png")
    add("misc", "random-named-dcm", {"random.dcm": junk}, "random.dcm")
    add("misc", "random-named-jpg", {"random.jpg": junk}, "random.jpg")
    add("misc", "random-named-tif", {"random.tif": junk}, "random.tif")
    add("misc", "text-named-mha", {"text.mha": b"This is not a MetaImage, just a note someone saved as .mha.\n"}, "text.mha")
    add("misc", "random-named-nrrd", {"random.nrrd": junk}, "random.nrrd")
    add("misc", "random-named-nii-gz", {"random.nii.gz": junk}, "random.nii.gz")

    # --- DICOM folders
    dicom = by["dicom-3slices"]
    junk_files = {"junk.bin": junk}
    add("dicom", "dicom-plus-junk", dict(dicom.files, **junk_files), ".", expect=EXACT, size=dicom.size,
        note="the series is still there")
    add("dicom", "dicom-only-junk", {"junk1.bin": junk, "junk2.dcm": junk[::-1], "junk3.txt": b"hello\n"}, ".")
    return cases


# --------------------------------------------------------------------------------------------
# Running

class Runner:
    def __init__(self, cli, timeout, as_limit=None):
        self.cli, self.timeout, self.as_limit = cli, timeout, as_limit
        self.env = dict(os.environ)

    def _limits(self):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if self.as_limit:
            resource.setrlimit(resource.RLIMIT_AS, (self.as_limit, self.as_limit))

    def spawn(self, args, out_path, err_path):
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            return subprocess.Popen([self.cli] + args, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                    preexec_fn=self._limits, start_new_session=True, env=self.env)

    def run_many(self, jobs, parallel, log_dir, on_done, sample_vm=False):
        """jobs: list of (key, args). Calls on_done(key, result) as each finishes."""
        pending = list(jobs)
        pending.reverse()
        running = {}
        counter = 0
        while pending or running:
            while pending and len(running) < parallel:
                key, args = pending.pop()
                counter += 1
                out_path = os.path.join(log_dir, "%05d.out" % counter)
                err_path = os.path.join(log_dir, "%05d.err" % counter)
                try:
                    proc = self.spawn(args, out_path, err_path)
                except OSError as e:  # e.g. the executable is being relinked
                    on_done(key, {"spawn_error": str(e), "status": 0, "hung": False, "maxrss": 0, "stdout": "",
                                  "stderr": "", "seconds": 0.0, "vm_peak": 0})
                    continue
                running[proc.pid] = (key, proc, time.monotonic(), out_path, err_path, [0])
            finished = False
            for pid in list(running):
                key, proc, started, out_path, err_path, vm = running[pid]
                if sample_vm:
                    vm[0] = max(vm[0], read_vm_peak(pid))
                got, status, usage = os.wait4(pid, os.WNOHANG)
                hung = False
                if got == 0:
                    if time.monotonic() - started <= self.timeout:
                        continue
                    hung = True
                    try:
                        os.killpg(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                    got, status, usage = os.wait4(pid, 0)
                proc.returncode = -1  # reaped here; keep Popen from waiting on it again
                del running[pid]
                finished = True
                with open(out_path, "rb") as f:
                    stdout = f.read().decode("utf-8", "replace")
                with open(err_path, "rb") as f:
                    stderr = f.read().decode("utf-8", "replace")
                on_done(key, {"status": status, "hung": hung, "maxrss": usage.ru_maxrss * 1024, "stdout": stdout,
                              "stderr": stderr, "seconds": time.monotonic() - started, "vm_peak": vm[0]})
            if not finished:
                time.sleep(0.004)

    def run_one(self, args, log_dir, sample_vm=False):
        results = []
        self.run_many([(0, args)], 1, log_dir, lambda k, r: results.append(r), sample_vm)
        return results[0]


def read_vm_peak(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def json_size(stdout):
    try:
        obj = json.loads(stdout.strip())
    except ValueError:
        return None, "stdout is not one JSON object: %r" % stdout.strip()[:200]
    size = obj.get("size") if isinstance(obj, dict) else None
    if not isinstance(size, list) or len(size) not in (2, 3) or not all(
            isinstance(v, (int, float)) and v == int(v) and v > 0 for v in size):
        return None, "JSON 'size' is not 2 or 3 positive integers: %r" % (size,)
    return [int(v) for v in size], None


ALLOCATION_WORDS = re.compile(r"bad_alloc|allocate memory|Cannot allocate|out of memory|MemoryAllocationError", re.I)


def judge(case, r, rss_limit):
    """Failure kinds (empty list: passed) and the exit code (None when none)."""
    failures = []
    status = r["status"]
    if r.get("spawn_error"):
        return [("spawn", "could not start medclick-cli: " + r["spawn_error"])], None
    if r["hung"]:
        return [("hang", "still running after the timeout; killed")], None
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = "?"
        return [("crash", "killed by signal %d (%s)" % (sig, name))], None
    code = os.WEXITSTATUS(status)
    if rss_limit and r["maxrss"] > rss_limit:
        failures.append(("memory", "peak RSS %.0f MiB > limit %.0f MiB" % (r["maxrss"] / MIB, rss_limit / MIB)))
    if code not in (0, 1):
        failures.append(("exit-status", "exit status %d (only 0 and 1 are allowed)" % code))
        return failures, code
    if code == 1:
        lines = [l for l in r["stderr"].splitlines() if l.strip()]
        target = case.path
        if not any("error:" in l and target in l for l in lines):
            failures.append(("message", "no stderr line with 'error:' and the path"))
        if ALLOCATION_WORDS.search(r["stderr"]):
            failures.append(("memory", "refused only because an allocation failed under the address-space limit"))
        if case.expect == EXACT:
            failures.append(("seed-refused", "a valid file was refused"))
    else:
        size, problem = json_size(r["stdout"])
        if problem:
            failures.append(("bad-json", problem))
        elif case.expect == EXACT and case.size is not None and size != list(case.size):
            failures.append(("wrong-size", "size %s, written %s" % (size, case.size)))
        if case.expect == FAIL:
            failures.append(("wrongly-accepted", "read with exit 0 (size %s)" % (size,)))
    return failures, code


def one_line(text, limit=300):
    text = " | ".join(l.strip() for l in text.strip().splitlines() if l.strip())
    return text if len(text) <= limit else "..." + text[-limit:]


# --------------------------------------------------------------------------------------------

def calibrate(runner, probe_path, expected_size, log_dir):
    """The address space a valid read needs: VmPeak sampled while it runs, and the smallest
    RLIMIT_AS under which it still succeeds (found by bisection)."""
    def ok(limit):
        # Too small a limit can make the process spin rather than fail (OpenBLAS retries its
        # start-up allocation forever), so a probe gets a short timeout of its own.
        runner.as_limit, runner.timeout = limit, probe_timeout
        r = runner.run_one(["info", "--json", probe_path], log_dir)
        runner.timeout = timeout
        if r["hung"] or os.WIFSIGNALED(r["status"]) or os.WEXITSTATUS(r["status"]) != 0:
            return False, r
        size, problem = json_size(r["stdout"])
        return (problem is None and size == expected_size), r

    timeout = runner.timeout
    runner.as_limit = None
    first = runner.run_one(["info", "--json", probe_path], log_dir, sample_vm=True)
    size, problem = json_size(first["stdout"]) if not first["hung"] and os.WIFEXITED(first["status"]) else (None, "")
    if size != expected_size:
        raise SystemExit("medclick-cli cannot read the valid probe %s without limits: status %s, stdout %r, stderr %r"
                         % (probe_path, first["status"], first["stdout"][:200], one_line(first["stderr"])))
    sampled = first["vm_peak"]
    probe_timeout = max(5.0, 8 * first["seconds"])
    hi = max(sampled, 256 * MIB)
    good, _ = ok(hi)
    while not good:
        hi *= 2
        if hi > (1 << 44):
            raise SystemExit("medclick-cli fails under every RLIMIT_AS up to 16 TiB")
        good, _ = ok(hi)
    lo = hi // 2 if hi > sampled else hi - hi // 4
    while hi - lo > 16 * MIB:
        mid = (lo + hi) // 2
        good, _ = ok(mid)
        if good:
            hi = mid
        else:
            lo = mid
    runner.as_limit = None
    return sampled, hi, first


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cli", required=True, help="medclick-cli executable")
    parser.add_argument("--dicom-series", required=True, help="a folder holding a DICOM series (3 slices are used)")
    parser.add_argument("--workdir", help="where the temporary working folder is made (default: the system's)")
    parser.add_argument("--keep", action="store_true", help="keep the working folder (corpus and logs)")
    parser.add_argument("--jobs", type=int, default=2, help="files run at once (default 2)")
    parser.add_argument("--extra-corpus", action="append", default=[],
                        help="also run every file under DIR (e.g. fuzzer finds): exit 0 or 1, never a signal or hang")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds after which a file counts as a hang")
    # Defaults keep a run near 530 files, under 3 minutes on 2 cores (medclick-cli takes ~0.6 s to
    # start); --header-flips 24 --body-flips 8 gives the denser sweep (~1100 files, ~6 minutes).
    parser.add_argument("--header-flips", type=int, default=6, help="byte changes per seed in its header region")
    parser.add_argument("--body-flips", type=int, default=3, help="byte changes per seed in its body")
    parser.add_argument("--verbose", action="store_true", help="print every file's exit status and stderr")
    parser.add_argument("--only", help="run only cases whose name contains this text (debugging)")
    args = parser.parse_args()

    cli = os.path.abspath(args.cli)
    if not os.access(cli, os.X_OK):
        raise SystemExit("not an executable: %s" % cli)
    work = tempfile.mkdtemp(prefix="medclick-hostile-", dir=args.workdir)
    started = time.monotonic()
    try:
        return run(args, cli, work, started)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def run(args, cli, work, started):
    corpus = os.path.join(work, "corpus")
    logs = os.path.join(work, "logs")
    os.makedirs(corpus)
    os.makedirs(logs)
    runner = Runner(cli, args.timeout)
    if args.keep:
        print("working folder (kept): %s" % work)

    seeds = make_seeds(os.path.abspath(args.dicom_series))
    by_name = {s.name: s for s in seeds}

    # 1. What a valid read needs.
    probe = by_name["png-grey8"]
    probe_path = os.path.join(work, "probe-" + probe.input)
    with open(probe_path, "wb") as f:
        f.write(probe.files[probe.input])
    sampled, needed, first = calibrate(runner, probe_path, probe.size, logs)
    runner.as_limit = max(sampled, needed) + AS_MARGIN
    print("address space: VmPeak sampled %.0f MiB, smallest RLIMIT_AS that reads a valid PNG %.0f MiB; "
          "children run under RLIMIT_AS = %.0f MiB (+1 GiB), RLIMIT_CORE = 0"
          % (sampled / MIB, needed / MIB, runner.as_limit / MIB))
    print("one valid read: %.2f s, peak RSS %.0f MiB" % (first["seconds"], first["maxrss"] / MIB))

    # 2. Seeds from medclick-cli's own writers.
    def run_convert(src, out):
        try:
            p = subprocess.run([cli, "convert", src, out], stdin=subprocess.DEVNULL, capture_output=True,
                               timeout=args.timeout, preexec_fn=runner._limits, start_new_session=True)
        except subprocess.TimeoutExpired:
            return False, "timed out"
        return p.returncode == 0, "exit %d: %s" % (p.returncode, one_line(p.stderr.decode("utf-8", "replace")))

    made, convert_problems = derived_seeds(by_name, run_convert, work)
    seeds += made
    by_name = {s.name: s for s in seeds}

    # 3. The corpus.
    cases = []
    for s in seeds:
        cases.append(Case(s.name + ".seed", s.fmt, "seed", EXACT, s.files, s.input, size=s.size))
    seed_cases = list(cases)
    for s in seeds:
        cases += mutations(s, args.header_flips, args.body_flips)
    cases += hostile_cases(seeds, corpus)
    if args.only:
        cases = [c for c in cases if args.only in c.name]
        seed_cases = [c for c in seed_cases if c in cases]
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "duplicate case names"
    for c in cases:
        materialize(c, corpus)
    for folder in args.extra_corpus:
        folder = os.path.abspath(folder)
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for n in sorted(filenames):
                p = os.path.join(dirpath, n)
                if os.path.isfile(p):
                    c = Case("extra:" + os.path.relpath(p, folder), "extra", "extra", ANY, {}, n)
                    c.path = p
                    cases.append(c)
    counts = collections.Counter(c.fmt for c in cases)
    print("corpus: %d files (%s) in %s" % (len(cases), ", ".join("%s %d" % kv for kv in sorted(counts.items())), corpus))
    sys.stdout.flush()

    # 4. Seeds first: their peak RSS is the baseline for the rest.
    results = {}

    def record(case, r):
        results[case.name] = (case, r)

    runner.run_many([(c, ["info", "--json", c.path]) for c in seed_cases], args.jobs, logs, record)
    seed_rss = [results[c.name][1]["maxrss"] for c in seed_cases] or [first["maxrss"]]
    baseline = max(seed_rss + [first["maxrss"]])
    rss_limit = baseline + RSS_MARGIN
    print("peak RSS of the seeds: %.0f..%.0f MiB; every other file must stay under %.0f MiB"
          % (min(seed_rss) / MIB, max(seed_rss) / MIB, rss_limit / MIB))
    sys.stdout.flush()
    rest = [c for c in cases if c.name not in results]
    runner.run_many([(c, ["info", "--json", c.path]) for c in rest], args.jobs, logs, record)

    # 5. Judgement.
    failed_cases = []
    per_format = collections.OrderedDict()
    by_class = collections.Counter()
    stderr_lines = collections.Counter()
    exits = collections.Counter()
    notes = []
    for name, problem in convert_problems:
        failed_cases.append(name)
        by_class["seed-conversion"] += 1
        print("FAIL %s [seed-conversion] %s" % (name, problem))
    for c in cases:
        r = results[c.name][1]
        failures, code = judge(c, r, rss_limit)
        exits[code if code is not None else "none"] += 1
        if code == 1:
            line_count = len([l for l in r["stderr"].splitlines() if l.strip()])
            stderr_lines[line_count] += 1
            if line_count > 1:
                notes.append("NOTE %s: exit 1 with %d stderr lines: %s" % (c.name, line_count, one_line(r["stderr"])))
        elif code == 0 and r["stderr"].strip():
            size, _ = json_size(r["stdout"])
            notes.append("NOTE %s: exit 0 (size %s) but stderr says: %s" % (c.name, size, one_line(r["stderr"], 200)))
        if args.verbose:
            print("RUN  %s: %s, %s | %s" % (c.name, "exit %s" % code if code is not None else "no exit",
                                          "FAILED" if failures else "ok", one_line(r["stderr"]) or "(no stderr)"))
        stats = per_format.setdefault(c.fmt, collections.Counter())
        stats["files"] += 1
        if failures:
            stats["failed"] += 1
            failed_cases.append(c.name)
            for kind, detail in failures:
                stats[kind] += 1
                by_class[kind] += 1
            kinds = ",".join(sorted(set(k for k, _ in failures)))
            details = "; ".join(d for _, d in failures)
            print("FAIL %s [%s] %s (%s, expected %s)%s | %s | stderr: %s" % (
                c.name, kinds, details, c.kind, {EXACT: "exit 0 + size", FAIL: "exit 1", ANY: "exit 0 or 1"}[c.expect],
                " [%s]" % c.note if c.note else "", c.path, one_line(r["stderr"]) or "(empty)"))
        else:
            stats["passed"] += 1

    for note in notes:
        print(note)
    print("\nper format:")
    for fmt, stats in per_format.items():
        extra = ", ".join("%s %d" % (k, v) for k, v in sorted(stats.items()) if k not in ("files", "passed", "failed"))
        print("  %-6s %4d files: %4d passed, %4d failed%s" % (fmt, stats["files"], stats["passed"], stats["failed"],
                                                            (" (" + extra + ")") if extra else ""))
    if by_class:
        print("failures by class: " + ", ".join("%s %d" % kv for kv in by_class.most_common()))
    print("exit codes: " + ", ".join("%s: %d" % (k, v) for k, v in sorted(exits.items(), key=str)))
    print("non-empty stderr lines on exit 1: " + ", ".join("%d line(s): %d files" % kv for kv in sorted(stderr_lines.items())))
    print("time: %.1f s for %d files with %d jobs" % (time.monotonic() - started, len(cases), args.jobs))
    total = len(cases) + len(convert_problems)
    failed = len(failed_cases)
    print("%d passed, %d failed" % (total - failed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
