#!/usr/bin/env python3
"""Makes real symbol files with chosen identities, for tests and benchmarks.

  symforge.py pdb --guid GUID --age N IN.pdb OUT.pdb
      A copy of an MSF 7.00 PDB whose info stream carries GUID and age N and whose DBI stream
      carries age N (what images record and keys use).
  symforge.py pe --guid GUID --age N [--pdb-name NAME] IN.exe OUT.exe
      A copy of a PE image whose RSDS CodeView record names GUID, age N and, optionally, a
      PDB path NAME (no longer than the one it replaces).

Everything else in the files stays as the linker wrote it.
"""
import argparse
import os
import shutil
import struct
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from msf_rewrite import Msf  # noqa: E402


def guid_bytes(text):
    """The on-disk (little-endian fields) form of a GUID."""
    return uuid.UUID(text).bytes_le


def stream_offset(msf, stream, offset):
    """File offset of byte `offset` of a stream."""
    bs = msf.block_size
    block = msf.stream_blocks[stream][offset // bs]
    return block * bs + offset % bs


def forge_pdb(src, dst, guid, age):
    shutil.copyfile(src, dst)
    msf = Msf(dst)
    patches = [(stream_offset(msf, 1, 8), struct.pack("<I", age)),
               (stream_offset(msf, 1, 12), guid_bytes(guid)),
               (stream_offset(msf, 3, 8), struct.pack("<I", age))]
    msf.close()
    with open(dst, "r+b") as f:
        for off, data in patches:
            f.seek(off)
            f.write(data)


def forge_pe(src, dst, guid, age, pdb_name):
    data = bytearray(open(src, "rb").read())
    pos = data.find(b"RSDS")
    if pos < 0:
        raise SystemExit(f"{src}: no RSDS CodeView record")
    data[pos + 4:pos + 20] = guid_bytes(guid)
    data[pos + 20:pos + 24] = struct.pack("<I", age)
    if pdb_name is not None:
        end = data.index(b"\0", pos + 24)
        room = end - (pos + 24)
        name = pdb_name.encode()
        if len(name) > room:
            raise SystemExit(f"{src}: PDB name {pdb_name} is longer than the {room} bytes there")
        data[pos + 24:end + 1] = name + b"\0" * (room - len(name) + 1)
    with open(dst, "wb") as f:
        f.write(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", choices=["pdb", "pe"])
    ap.add_argument("--guid", required=True)
    ap.add_argument("--age", type=int, required=True)
    ap.add_argument("--pdb-name")
    ap.add_argument("src")
    ap.add_argument("dst")
    a = ap.parse_args()
    if a.kind == "pdb":
        forge_pdb(a.src, a.dst, a.guid, a.age)
    else:
        forge_pe(a.src, a.dst, a.guid, a.age, a.pdb_name)


if __name__ == "__main__":
    main()
