"""save_npy, for the helpers of scripts/check-native-api.sh that write .npy files without NumPy."""
import struct


def save_npy(path, descr, payload, count):
    """A .npy file of `count` elements of `descr` (shape (count,)), format version 1.0: magic, header length, a header
    padded with spaces to 64 bytes, the data."""
    header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({count},), }}"
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1") + payload)
