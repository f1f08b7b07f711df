#!/usr/bin/env python3
"""Writes labels for classify.py's --labels checks in scripts/check-native-api.sh, without NumPy:

    labels-npy.py LABELS.npy DESCR VALUE...

LABELS.npy holds the VALUEs as a flat array of NumPy type DESCR: '|u1' (as elr data export writes labels), '<i8' (NumPy's
default integer), or '<f4' (floats, which classify.py must refuse as labels).
"""
import struct
import sys

from npyfile import save_npy

FORMATS = {"|u1": "B", "<i8": "q", "<f4": "f"}


def main(path, descr, *values):
    code = FORMATS[descr]
    numbers = [float(v) if code == "f" else int(v) for v in values]
    save_npy(path, descr, struct.pack(f"<{len(numbers)}{code}", *numbers), len(numbers))


if __name__ == "__main__":
    main(*sys.argv[1:])
