#!/bin/sh
# pdb_identity_io.sh - how many bytes of a 1 GiB PDB does `symscope inspect` read?
#
# Identifying a PDB (GUID, age, stripped/private/lines) should cost a few kilobytes however
# large the PDB is. This benchmark builds a PDB of 1 GiB or more from a real one by padding
# its stream data with tests/tools/msf_rewrite.py (a sparse file in a temporary directory,
# so it costs a few MB of disk and well under a second), then measures what
# `symscope inspect --json` reads of it, two independent ways:
#   (a) the engine's own count, the "bytes_read" field of the JSON;
#   (b) strace: the sum of the return values of read/pread64/readv/preadv/preadv2 calls
#       made on a file descriptor that refers to the padded PDB (strace -y names the file
#       behind each descriptor). A mmap of the PDB would escape this count: it is reported
#       and counts as a failure.
# It also prints the file size, the wall time of several runs (warm page cache; the padding
# is a hole, so it never hits the disk anyway), and checks that the padded PDB's identity
# (pdb_key) is the original's.
# Result: PASS when (a) and (b) are both under 1 MiB (1,048,576 bytes) and the identity is
# unchanged, else FAIL and exit status 1 (2 for a setup error). The temporary directory is
# removed on exit.
#
# Usage: bench/pdb_identity_io.sh [PDB]          (default /work/shared/corpus/msvc/crash.pdb)
# Environment:
#   SYMSCOPE    symscope binary (default: build/tui/symscope under the project root, the
#               parent of bench/)
#   PAD_BYTES   bytes of padding (default 1073741824, so the file is at least 1 GiB)
#   PAD_STREAM  pad this existing stream (e.g. 2, the TPI stream) instead of adding a new
#               stream at the end of the directory (the default)
#   BLOCK_SIZE  re-lay the PDB into blocks of this size (default: the input's)
#   SCATTER     1 to scatter the blocks of every stream (msf_rewrite.py --scatter)
#   RUNS        number of timed runs (default 5)
#   PYTHON      python3 interpreter (default python3)
#   TMPDIR      where the temporary directory goes (needs sparse-file support)
# Requires: python3, strace.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
SYMSCOPE=${SYMSCOPE:-$root/build/tui/symscope}
PYTHON=${PYTHON:-python3}
RUNS=${RUNS:-5}
PAD_BYTES=${PAD_BYTES:-1073741824}
LIMIT=1048576
src=${1:-/work/shared/corpus/msvc/crash.pdb}
rewrite=$root/tests/tools/msf_rewrite.py

die() {
    echo "pdb_identity_io: $*" >&2
    exit 2
}

[ -f "$src" ] || die "no such PDB: $src"
[ -x "$SYMSCOPE" ] || die "symscope not found or not executable: $SYMSCOPE (build it, or set SYMSCOPE)"
[ -f "$rewrite" ] || die "missing $rewrite"
command -v "$PYTHON" >/dev/null 2>&1 || die "python3 not found (set PYTHON)"
command -v strace >/dev/null 2>&1 || die "strace not found (apt-get install strace)"
case $RUNS in '' | *[!0-9]* | 0) die "RUNS must be a positive integer" ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pdb_identity_io.XXXXXX") || die "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

big=$tmp/padded.pdb

# --- build the padded PDB --------------------------------------------------------------
set -- "$src" "$big" --quiet
if [ -n "${PAD_STREAM:-}" ]; then
    set -- "$@" --pad-stream "$PAD_STREAM" --pad-bytes "$PAD_BYTES"
    how="stream $PAD_STREAM padded with $PAD_BYTES zero bytes"
else
    set -- "$@" --add-stream-bytes "$PAD_BYTES"
    how="new stream of $PAD_BYTES zero bytes"
fi
[ -n "${BLOCK_SIZE:-}" ] && set -- "$@" --block-size "$BLOCK_SIZE"
[ "${SCATTER:-0}" = 1 ] && set -- "$@" --scatter
t0=$("$PYTHON" -c 'import time; print(time.time())')
"$PYTHON" "$rewrite" "$@" || die "msf_rewrite.py failed"
t1=$("$PYTHON" -c 'import time; print(time.time())')

# --- measure ---------------------------------------------------------------------------
"$SYMSCOPE" inspect --json "$src" >"$tmp/orig.json" || die "symscope failed on the original $src"
strace -f -y -s 0 -o "$tmp/strace.txt" \
    -e 'trace=read,pread64,readv,preadv,preadv2,?mmap,?mmap2' \
    "$SYMSCOPE" inspect --json "$big" >"$tmp/padded.json" || {
    echo "FAIL: symscope inspect failed on the padded PDB" >&2
    exit 1
}

"$PYTHON" - "$src" "$big" "$tmp" "$SYMSCOPE" "$RUNS" "$LIMIT" "$how" "$t0" "$t1" <<'EOF'
import json, os, re, statistics, subprocess, sys, time

src, big, tmp, symscope, runs, limit, how, t0, t1 = sys.argv[1:]
runs, limit = int(runs), int(limit)
ok = True

def load(name):
    with open(os.path.join(tmp, name)) as f:
        text = f.read().strip()
    return json.loads(text.splitlines()[0]) if text else {}

orig, padded = load("orig.json"), load("padded.json")
st = os.stat(big)
print("symscope:      %s" % symscope)
print("source:        %s (%d bytes)" % (src, os.path.getsize(src)))
print("padded PDB:    %s, %s" % (how, "built in %.2f s" % (float(t1) - float(t0))))
print("file size:     %d bytes (%.3f GiB; %d bytes allocated on disk)"
      % (st.st_size, st.st_size / 2**30, st.st_blocks * 512))
pdb = padded.get("pdb", {})
print("layout:        block size %s, %s blocks, %s streams"
      % (pdb.get("block_size"), pdb.get("blocks"), pdb.get("streams")))
if st.st_size < 2**30:
    print("note:          the padded file is smaller than 1 GiB (PAD_BYTES=%s)"
          % os.environ.get("PAD_BYTES", ""))

# Identity: the padding must not change it.
ko, kp = orig.get("pdb_key"), padded.get("pdb_key")
same = ko is not None and ko == kp
print("identity:      %s %s %s" % (kp, "==" if same else "!=", ko))
ok &= same
for field in ("age", "info_age", "dbi_age", "stripped", "private", "lines"):
    a, b = orig.get("pdb", {}).get(field), pdb.get(field)
    if a != b:
        print("               pdb.%s differs: %r (padded) vs %r (original)" % (field, b, a))
        ok = False

# (a) the engine's own count
engine = padded.get("bytes_read")
if not isinstance(engine, int):
    print("bytes_read:    missing from the JSON")
    ok = False
    engine = -1

# (b) strace: sum of read-family return values on descriptors naming the padded PDB
real = os.path.realpath(big)
call = re.compile(r'^(?:\d+\s+)?(read|pread64|readv|preadv|preadv2|mmap2?)\((.*)\)\s+=\s+(-?\d+|0x[0-9a-f]+)')
fd_of = re.compile(r'^(-?\d+)<(.*)>$')
total = calls = mmaps = unfinished = 0
with open(os.path.join(tmp, "strace.txt"), errors="replace") as f:
    for line in f:
        line = line.rstrip("\n")
        if "<unfinished ...>" in line or "resumed>" in line:
            unfinished += 1
        m = call.match(line)
        if not m:
            continue
        name, args, ret = m.groups()
        if name.startswith("mmap"):
            # mmap(addr, len, prot, flags, fd<path>, off)
            parts = [p.strip() for p in args.split(", ")]
            if len(parts) >= 5:
                fm = fd_of.match(parts[4])
                if fm and fm.group(2) == real:
                    mmaps += 1
            continue
        first = args.split(", ", 1)[0]
        fm = fd_of.match(first)
        if fm and fm.group(2) == real:
            calls += 1
            if not ret.startswith("-"):
                total += int(ret, 0)
if unfinished:
    print("note:          %d interrupted syscall line(s) in the strace log were not counted"
          % unfinished)

print("bytes_read:    %d bytes (engine count)" % engine)
print("strace:        %d bytes in %d read calls on the PDB%s"
      % (total, calls, "" if engine == total else "  (differs from bytes_read)"))
if mmaps:
    print("strace:        the PDB was mmap'ed %d time(s): reads through the mapping are "
          "not counted" % mmaps)
    ok = False
ok &= 0 <= engine < limit and total < limit

# Wall time of several runs (the engine's whole process, warm cache).
times = []
for _ in range(runs):
    t = time.perf_counter()
    r = subprocess.run([symscope, "inspect", "--json", big], stdout=subprocess.DEVNULL)
    times.append(time.perf_counter() - t)
    if r.returncode != 0:
        print("symscope exited with %d" % r.returncode)
        ok = False
ms = [1000 * t for t in times]
print("wall time:     %d runs: min %.2f ms, median %.2f ms, max %.2f ms"
      % (runs, min(ms), statistics.median(ms), max(ms)))

print("limit:         %d bytes for both counts" % limit)
print("PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
EOF
