#!/usr/bin/env python3
"""Writes a golden input as integer pixels for scripts/check-native-api.sh, without NumPy:

    pixels-npy.py INPUT.f32 SCALE PIXELS.npy FLOATS.npy

PIXELS.npy holds each float clamped to 0-1 as a uint8 pixel of full scale SCALE (1 to 255: x × SCALE, rounded down);
FLOATS.npy the same pixels / SCALE as float32, the input elr_session_run_pixels must turn them into. Both are flat
arrays (shape (N,)), as classify.py reads samples one after another whatever the shape.
"""
import struct
import sys
from array import array

from npyfile import save_npy


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
