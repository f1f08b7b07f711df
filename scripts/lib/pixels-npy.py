#!/usr/bin/env python3
"""Writes a golden input as integer pixels for scripts/check-native-api.sh, without NumPy:

    pixels-npy.py INPUT.f32 SCALE PIXELS.npy FLOATS.npy

PIXELS.npy holds each float clamped to 0-1 as a uint8 pixel of full scale SCALE (1 to 255: x × SCALE, rounded down);
FLOATS.npy the same pixels / SCALE as float32, the input elr_session_run_pixels must turn them into. Both are flat arrays (shape (N,)), as classify.py reads
samples one after another whatever the shape.
"""
import struct
import sys
from array import array


def save_npy(path, descr, payload, count):
    """A .npy file, format version 1.0: magic, header length, a header padded with spaces to 64 bytes, the data."""
    header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({count},), }}"
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1") + payload)


def main(source, scale, pixels_path, floats_path):
    scale = int(scale)
    floats = array("f")
    with open(source, "rb") as f:
        floats.frombytes(f.read())
    if sys.byteorder != "little":
        floats.byteswap()
    pixels = bytes(int(min(max(x, 0.0), 1.0) * scale) for x in floats)
    save_npy(pixels_path, "|u1", pixels, len(pixels))
    save_npy(floats_path, "<f4", struct.pack(f"<{len(pixels)}f", *(p / scale for p in pixels)), len(pixels))


if __name__ == "__main__":
    main(*sys.argv[1:])
