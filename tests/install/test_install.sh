#!/bin/sh
# cmake --install puts libsymscope (static and shared), its headers and symscope.pc under a
# prefix; a program outside the project builds against it with pkg-config and runs.
set -eu
build=$1
src=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
libdir=$(ls -d "$tmp"/prefix/lib*)
for f in include/symscope/symscope.h include/symscope/session.h; do
    test -f "$tmp/prefix/$f" || { echo "not installed: $f"; exit 1; }
done
ls "$libdir"/libsymscope.a "$libdir"/libsymscope.so* >/dev/null
test -x "$tmp/prefix/bin/symscope"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
cc -o "$tmp/example" "$src/example.c" $(pkg-config --cflags --libs symscope)
mkdir "$tmp/syms"
cp "$SYMSCOPE_FIXTURES/app.pdb" "$tmp/syms/"
out=$(LD_LIBRARY_PATH="$libdir" "$tmp/example" "$tmp/syms" "$SYMSCOPE_FIXTURES/app.exe")
echo "$out"
echo "$out" | grep -q "private symbols & lines"
# The shared library exports the API and nothing of the engine's insides.
if nm -D --defined-only "$libdir"/libsymscope.so | grep -q ' T sym_pe_read$'; then
    echo "an internal function is exported"
    exit 1
fi
nm -D --defined-only "$libdir"/libsymscope.so | grep -q ' T sym_session_create$'
echo "install: ok"
