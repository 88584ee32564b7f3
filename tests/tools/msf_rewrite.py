#!/usr/bin/env python3
"""Rewrite an MSF 7.00 ("big MSF") PDB into a new, valid MSF file.

The streams of the input PDB are copied byte for byte into a freshly laid-out
MSF container.  Optionally the layout is changed, to exercise PDB readers:

  --block-size N        re-lay every stream into blocks of N bytes (a power of
                        two from 512 to 65536; llvm-pdbutil 14 accepts 512,
                        1024, 2048 and 4096 only).
  --scatter             give every stream (and the stream directory) blocks in
                        descending, interleaved order, so that no two logical
                        neighbours are physical neighbours: a reader has to
                        follow the block lists instead of assuming contiguous
                        streams.
  --add-stream-bytes N  append a NEW stream of N zero bytes to the end of the
                        stream directory (repeatable).  Nothing references a
                        trailing extra stream, so every PDB reader keeps
                        accepting the file: this is the preferred way to make
                        a large PDB.
  --pad-stream I --pad-bytes N
                        append N zero bytes to the data of stream I (I may be
                        the number of streams, which adds a new stream).  The
                        file stays a valid MSF, but the stream's own format
                        may not expect trailing bytes.  llvm-pdbutil 14
                        happens to accept a zero-padded TPI stream (2):
                        "dump --summary", "dump --types" and "pdb2yaml
                        --dbi-stream --tpi-stream" print the same as for the
                        original (the TPI header gives the length of the type
                        records); other readers may be stricter.
  --split-map           when the directory block map needs several blocks,
                        put them apart, in descending order (BlockMapAddr is
                        then the last block of the file), and list them only
                        in the superblock array (see below): valid for
                        msf.cpp, which allocates each page on its own.

Padding is never written: the zero blocks are left as holes (the file is
extended with truncate and only real data is written at its offsets), so a
1 GiB PDB costs a few megabytes of disk (the free block map pages) and is
created in well under a second on file systems with sparse files.

Layout of the output:
  block 0                        superblock
  blocks k*B+1 and k*B+2         free block maps FPM1 and FPM2 (B = block size),
                                 for every interval k up to the end of the file;
                                 never used for data.  Bit b of the map (byte
                                 b/8, bit b%8, the bytes concatenated over the
                                 FPM1 blocks of all intervals) is 0 when block
                                 b is in use, 1 when free; FPM1 = FPM2.
  stream data, then the stream directory, then the directory block map.

The directory block map (the u32 list of the blocks holding the stream
directory) may need more than one block.  Microsoft's format (msf.cpp,
BigMsfFileHeader.big_stream_pages_map[]) lists the numbers of the map blocks
in the superblock from 0x34 on; BlockMapAddr is only the first entry of that
array.  By default the map blocks are consecutive AND listed in that array, so
readers of either convention find them; with --split-map they are not
consecutive (only the array finds them).  When the array does not fit in the
superblock (e.g. 1 GiB at 512-byte blocks needs 129 map blocks, 115 fit) a
warning is printed and only readers of consecutive map blocks can read the
file.  llvm-pdbutil 14 rejects directories that need more than BlockSize/4
blocks ("Too many directory blocks"), i.e. it only accepts single-block maps.

The output is parsed again (unless --no-verify): stream sizes and contents,
block ownership (no block used twice, none an FPM block) and both free block
maps are checked.

Examples:
  msf_rewrite.py in.pdb out.pdb --block-size 512 --scatter
  msf_rewrite.py in.pdb big.pdb --add-stream-bytes 1073741824
  msf_rewrite.py in.pdb tpi.pdb --pad-stream 2 --pad-bytes 65536
"""

import argparse
import os
import struct
import sys

MAGIC = b"Microsoft C/C++ MSF 7.00\r\n\x1aDS\0\0\0"
NIL = 0xFFFFFFFF
SB_FIELDS = struct.Struct("<6I")  # at 0x20: BlockSize, Fpm, NumBlocks, DirBytes, Unknown, MapAddr
SB_MAP_OFF = 0x34


class MsfError(Exception):
    pass


def ceil_div(a, b):
    return (a + b - 1) // b


def valid_block_size(bs):
    return 512 <= bs <= 65536 and bs & (bs - 1) == 0


def is_fpm_block(b, bs):
    return b % bs in (1, 2)


# --------------------------------------------------------------------------- reading


class Msf:
    """A parsed MSF 7.00 file: superblock fields and stream block lists."""

    def __init__(self, path):
        self.path = path
        self.f = open(path, "rb")
        self.file_size = os.fstat(self.f.fileno()).st_size
        sb = self._pread(0, 0x38, "superblock")
        if sb[:32] != MAGIC:
            raise MsfError("%s: not an MSF 7.00 file (bad magic)" % path)
        (self.block_size, self.fpm_block, self.num_blocks, self.dir_bytes, self.unknown,
         self.map_addr) = SB_FIELDS.unpack_from(sb, 0x20)
        bs = self.block_size
        if not valid_block_size(bs):
            raise MsfError("%s: bad block size %d" % (path, bs))
        if self.num_blocks * bs > self.file_size:
            raise MsfError("%s: %d blocks of %d bytes but the file has %d bytes"
                           % (path, self.num_blocks, bs, self.file_size))
        n_dir = ceil_div(self.dir_bytes, bs)
        n_map = ceil_div(n_dir * 4, bs)
        # Map block i: the superblock array (msf.cpp) when it holds a plausible number,
        # else the block after the previous one (consecutive layout).
        sbfull = self._pread(0, bs, "superblock")
        self.map_blocks = []
        for i in range(n_map):
            v = 0
            if SB_MAP_OFF + 4 * i + 4 <= bs:
                v = struct.unpack_from("<I", sbfull, SB_MAP_OFF + 4 * i)[0]
            if i > 0 and not (0 < v < self.num_blocks):
                v = self.map_blocks[-1] + 1
            self.map_blocks.append(v)
        maplist = b"".join(self._block(b, "directory block map") for b in self.map_blocks)
        self.dir_blocks = list(struct.unpack_from("<%dI" % n_dir, maplist))
        directory = self._read_blocks(self.dir_blocks, self.dir_bytes, "stream directory")
        (n,) = struct.unpack_from("<I", directory)
        if 4 + 4 * n > len(directory):
            raise MsfError("%s: directory lists %d streams in %d bytes" % (path, n, len(directory)))
        self.sizes = list(struct.unpack_from("<%dI" % n, directory, 4))
        pos = 4 + 4 * n
        self.stream_blocks = []
        for sz in self.sizes:
            k = 0 if sz == NIL else ceil_div(sz, bs)
            if pos + 4 * k > len(directory):
                raise MsfError("%s: stream directory is truncated" % path)
            self.stream_blocks.append(list(struct.unpack_from("<%dI" % k, directory, pos)))
            pos += 4 * k

    def _pread(self, off, n, what):
        if off + n > self.file_size:
            raise MsfError("%s: %s at %d (+%d) is past the end of the file" % (self.path, what, off, n))
        return os.pread(self.f.fileno(), n, off)

    def _block(self, b, what):
        if b >= self.num_blocks:
            raise MsfError("%s: %s: block %d is beyond the %d blocks" % (self.path, what, b,
                                                                        self.num_blocks))
        return self._pread(b * self.block_size, self.block_size, what)

    def _read_blocks(self, blocks, size, what):
        out = bytearray()
        bs = self.block_size
        for b in blocks:
            if len(out) >= size:
                break
            out += self._block(b, what)[: min(bs, size - len(out))]
        if len(out) != size:
            raise MsfError("%s: %s is short" % (self.path, what))
        return bytes(out)

    def num_streams(self):
        return len(self.sizes)

    def stream(self, i, limit=None):
        """Contents of stream i (b"" for a nil stream); at most `limit` bytes."""
        sz = self.sizes[i]
        if sz == NIL:
            return b""
        if limit is not None:
            sz = min(sz, limit)
        return self._read_blocks(self.stream_blocks[i], sz, "stream %d" % i)

    def close(self):
        self.f.close()


# --------------------------------------------------------------------------- layout


class Allocator:
    """Hands out block numbers from 3 upwards, skipping the two FPM blocks of each interval."""

    def __init__(self, bs):
        self.bs = bs
        self.next = 3

    def one(self):
        b = self.next
        while is_fpm_block(b, self.bs) or b == 0:
            b += 1
        self.next = b + 1
        return b

    def many(self, n):
        return [self.one() for _ in range(n)]

    def run(self, n):
        """n consecutive blocks, none of them an FPM block (n <= bs - 3)."""
        if n > self.bs - 3:
            raise MsfError("a run of %d consecutive blocks cannot avoid the FPM blocks" % n)
        b = self.next
        while True:
            while is_fpm_block(b, self.bs):
                b += 1
            if all(not is_fpm_block(x, self.bs) for x in range(b, b + n)):
                break
            b += 1
        self.next = b + n
        return list(range(b, b + n))


def plan(sizes, bs, scatter, split_map=False):
    """Assigns blocks: returns (stream block lists, directory blocks, map blocks, dir_bytes,
    num_blocks).

    sizes: list of stream sizes (NIL for nil streams)."""
    counts = [0 if s == NIL else ceil_div(s, bs) for s in sizes]
    dir_bytes = 4 + 4 * len(sizes) + 4 * sum(counts)
    n_dir = ceil_div(dir_bytes, bs)
    n_map = ceil_div(4 * n_dir, bs)
    alloc = Allocator(bs)
    # The directory is treated as one more stream, laid out after the others.
    all_counts = counts + [n_dir]
    if not scatter:
        lists = [alloc.many(c) for c in all_counts]
    else:
        # Interleave round-robin over the streams, from a pool handed out in descending
        # order: logical block j+1 of any stream lies below logical block j, and next to
        # blocks of other streams.
        pool = alloc.many(sum(all_counts))
        pool.reverse()
        lists = [[] for _ in all_counts]
        it = iter(pool)
        level = 0
        remaining = sum(all_counts)
        while remaining:
            for i, c in enumerate(all_counts):
                if level < c:
                    lists[i].append(next(it))
                    remaining -= 1
            level += 1
    if split_map and n_map > 1:
        # Every other block, in descending order: the map blocks are not consecutive (the
        # gaps stay free) and the first one, at BlockMapAddr, is the last block of the file.
        map_blocks = alloc.many(2 * n_map - 1)[::-2]
    else:
        map_blocks = alloc.run(n_map)
    last = max([2] + map_blocks + [b for l in lists for b in l])
    num_blocks = last + 1
    # The FPM blocks of the last interval must lie inside the file.
    if num_blocks % bs in (1, 2):
        num_blocks += 3 - num_blocks % bs
    return lists[:-1], lists[-1], map_blocks, dir_bytes, num_blocks


# --------------------------------------------------------------------------- writing


def build_fpm(num_blocks, bs, used):
    """The free block map bytes (one bit per block, 1 = free), len = all FPM blocks."""
    n_intervals = ceil_div(num_blocks, bs)
    fpm = bytearray(b"\xff" * (n_intervals * bs))
    fixed = [0] + [k * bs + off for k in range(n_intervals) for off in (1, 2)
                   if k * bs + off < num_blocks]
    for blocks in (fixed, used):
        for b in blocks:
            fpm[b >> 3] &= ~(1 << (b & 7)) & 0xFF
    return fpm


def rewrite(src, out_path, bs, scatter, pads, extra_streams, verify=True, quiet=False,
            split_map=False):
    sizes = [s for s in src.sizes]
    n_orig = len(sizes)
    for i, n in pads:
        if i > len(sizes):
            raise MsfError("--pad-stream %d: the file has %d streams (use %d to add one)"
                           % (i, len(sizes), len(sizes)))
        if i == len(sizes):
            sizes.append(0)
        if sizes[i] == NIL:
            sizes[i] = 0
        sizes[i] += n
    for n in extra_streams:
        sizes.append(n)
    for i, s in enumerate(sizes):
        if s != NIL and s >= NIL:
            raise MsfError("stream %d would be %d bytes, more than a u32 size allows" % (i, s))

    stream_lists, dir_blocks, map_blocks, dir_bytes, num_blocks = plan(sizes, bs, scatter, split_map)
    if num_blocks >= 1 << 32:
        raise MsfError("%d blocks do not fit the u32 block count" % num_blocks)

    directory = bytearray(struct.pack("<I", len(sizes)))
    directory += struct.pack("<%dI" % len(sizes), *sizes)
    for l in stream_lists:
        directory += struct.pack("<%dI" % len(l), *l)
    assert len(directory) == dir_bytes
    maplist = struct.pack("<%dI" % len(dir_blocks), *dir_blocks)

    superblock = bytearray(bs)
    superblock[:32] = MAGIC
    SB_FIELDS.pack_into(superblock, 0x20, bs, 1, num_blocks, dir_bytes, src.unknown,
                        map_blocks[0])
    fit = min(len(map_blocks), (bs - SB_MAP_OFF) // 4)
    if split_map and fit < len(map_blocks):
        raise MsfError("--split-map: %d map blocks do not fit the superblock's list of %d"
                       % (len(map_blocks), fit))
    struct.pack_into("<%dI" % fit, superblock, SB_MAP_OFF, *map_blocks[:fit])
    if fit < len(map_blocks):
        print("msf_rewrite: warning: the directory block map needs %d blocks; only %d fit in "
              "the superblock's list (msf.cpp readers need them all; readers of consecutive "
              "map blocks are fine)" % (len(map_blocks), fit), file=sys.stderr)

    used = [b for l in stream_lists for b in l] + dir_blocks + map_blocks
    fpm = build_fpm(num_blocks, bs, used)

    tmp = out_path + ".tmp%d" % os.getpid()
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.ftruncate(fd, num_blocks * bs)  # holes everywhere: padding is never written

        def put_blocks(blocks, data):
            for j in range(ceil_div(len(data), bs)):
                chunk = data[j * bs:(j + 1) * bs]
                if chunk.count(0) != len(chunk):
                    os.pwrite(fd, chunk, blocks[j] * bs)

        os.pwrite(fd, bytes(superblock), 0)
        for k in range(ceil_div(num_blocks, bs)):
            page = bytes(fpm[k * bs:(k + 1) * bs])
            for off in (1, 2):
                if k * bs + off < num_blocks:
                    os.pwrite(fd, page, (k * bs + off) * bs)
        for i in range(n_orig):
            data = src.stream(i)
            if data:
                put_blocks(stream_lists[i], data)
        put_blocks(dir_blocks, bytes(directory))
        for j, b in enumerate(map_blocks):  # one by one: they need not be consecutive
            os.pwrite(fd, maplist[j * bs:(j + 1) * bs], b * bs)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise
    os.close(fd)
    os.replace(tmp, out_path)

    if verify:
        check(src, out_path, sizes, n_orig)
    if not quiet:
        st = os.stat(out_path)
        print("%s: block size %d, %d blocks, %d streams, directory %d bytes in %d blocks, "
              "block map in %d block(s) at %d, %d bytes (%d on disk)"
              % (out_path, bs, num_blocks, len(sizes), dir_bytes, len(dir_blocks),
                 len(map_blocks), map_blocks[0], st.st_size,
                 getattr(st, "st_blocks", 0) * 512))


def check(src, out_path, sizes, n_orig):
    """Parses the output again; stream sizes and the original contents must match."""
    out = Msf(out_path)
    try:
        if out.sizes != sizes:
            raise MsfError("verify: stream sizes differ")
        bs = out.block_size
        owner = {}  # block -> what uses it; no block may be used twice
        for b in [0] + [k * bs + o for k in range(ceil_div(out.num_blocks, bs)) for o in (1, 2)]:
            if b < out.num_blocks:
                owner[b] = "superblock/FPM"
        for what, blocks in ([("directory", out.dir_blocks), ("block map", out.map_blocks)]
                             + [("stream %d" % i, l) for i, l in enumerate(out.stream_blocks)]):
            for b in blocks:
                if b == 0 or is_fpm_block(b, bs) or b >= out.num_blocks:
                    raise MsfError("verify: %s uses block %d" % (what, b))
                if b in owner:
                    raise MsfError("verify: block %d is used by %s and %s" % (b, owner[b], what))
                owner[b] = what
        for fpm_start in (1, 2):
            fpm = b"".join(out._block(k * bs + fpm_start, "FPM")
                           for k in range(ceil_div(out.num_blocks, bs)))
            for b in range(out.num_blocks):
                free = (fpm[b >> 3] >> (b & 7)) & 1
                if free != (b not in owner):
                    raise MsfError("verify: FPM%d marks block %d %s" % (
                        fpm_start, b, "free" if free else "used"))
        for i, s in enumerate(sizes):
            if i < n_orig:
                orig = src.stream(i)
                if out.stream(i, len(orig)) != orig:
                    raise MsfError("verify: stream %d differs" % i)
                # The start of the padding must read back as zeros.
                if s != NIL and s > len(orig):
                    tail = out.stream(i, min(s, len(orig) + 2 * bs))[len(orig):]
                    if tail.count(0) != len(tail):
                        raise MsfError("verify: padding of stream %d is not zero" % i)
    finally:
        out.close()


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Rewrite an MSF 7.00 PDB into a new valid MSF file: other block size, "
                    "scattered blocks, zero-padded or extra streams (written sparse).",
        epilog="llvm-pdbutil 14 accepts the output of --block-size 512..4096, --scatter,\n"
               "--add-stream-bytes and --pad-stream 2 ('dump --summary', 'pdb2yaml --dbi-stream'\n"
               "and even 'dump --types') as long as the stream directory needs at most\n"
               "BlockSize/4 blocks; padding a stream may upset stricter readers, so prefer\n"
               "--add-stream-bytes. See the module docstring (pydoc) for the layout.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input", help="MSF 7.00 PDB to read")
    ap.add_argument("output", help="file to write (replaced atomically)")
    ap.add_argument("--block-size", type=int, default=None, metavar="N",
                    help="block size of the output (512, 1024, 2048, 4096, 8192 ... 65536); "
                         "default: that of the input")
    ap.add_argument("--scatter", action="store_true",
                    help="lay out blocks in descending, interleaved order (no stream contiguous)")
    ap.add_argument("--pad-stream", type=int, metavar="INDEX",
                    help="stream to append --pad-bytes zero bytes to (INDEX = number of streams "
                         "adds a new stream)")
    ap.add_argument("--pad-bytes", type=int, default=0, metavar="N",
                    help="number of zero bytes to append to --pad-stream")
    ap.add_argument("--add-stream-bytes", type=int, action="append", default=[], metavar="N",
                    help="append a new stream of N zero bytes at the end of the directory "
                         "(repeatable; preferred over --pad-stream for llvm-pdbutil)")
    ap.add_argument("--split-map", action="store_true",
                    help="when the directory block map needs several blocks, put them apart "
                         "(every other block, descending: BlockMapAddr is the last block of the "
                         "file) and list them only in the superblock array at 0x34, as msf.cpp "
                         "allows; readers that assume the map continues in the "
                         "blocks after BlockMapAddr misread such files")
    ap.add_argument("--no-verify", dest="verify", action="store_false",
                    help="do not parse the output again to compare the streams")
    ap.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    args = ap.parse_args(argv)

    if (args.pad_stream is None) != (args.pad_bytes == 0):
        ap.error("--pad-stream and --pad-bytes go together")
    if args.pad_bytes < 0 or any(n < 0 for n in args.add_stream_bytes):
        ap.error("byte counts must not be negative")
    try:
        src = Msf(args.input)
        try:
            bs = args.block_size or src.block_size
            if not valid_block_size(bs):
                ap.error("--block-size must be a power of two from 512 to 65536")
            pads = [(args.pad_stream, args.pad_bytes)] if args.pad_stream is not None else []
            if os.path.abspath(args.input) == os.path.abspath(args.output):
                ap.error("output must differ from input")
            rewrite(src, args.output, bs, args.scatter, pads, args.add_stream_bytes,
                    verify=args.verify, quiet=args.quiet, split_map=args.split_map)
        finally:
            src.close()
    except (MsfError, OSError) as e:
        print("msf_rewrite: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
