#!/bin/bash
# Out-of-tree plugin test: install the build into a temporary prefix, build a
# plugin against the INSTALLED headers through `pkg-config octavo` only, and
# convert a file with the installed octavo and --plugin-dir.
#
# usage: run_oot.sh CMAKE BUILD_DIR PLUGIN_SRC_DIR LIBDIR
set -euo pipefail

cmake_cmd=$1 build=$2 plugin_src=$3 libdir=$4
tmp=$(mktemp -d "${TMPDIR:-/tmp}/octavo-oot.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "oot: $*" >&2; exit 1; }

prefix=$tmp/prefix
"$cmake_cmd" --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 \
    || { cat "$tmp/install.log" >&2; fail "cmake --install failed"; }
for f in "$prefix/bin/octavo" "$prefix/include/octavo/octavo.h" \
         "$prefix/include/octavo/octavo_plugin.h" "$prefix/$libdir/pkgconfig/octavo.pc"; do
    [[ -e $f ]] || fail "not installed: ${f#"$prefix"/}"
done

export PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig
unset PKG_CONFIG_LIBDIR OCTAVO_PLUGIN_PATH
# The .pc must describe the prefix it was installed into, not the configured
# one (e.g. prefix=${pcfiledir}/../.. in octavo.pc.in).
resolved() { realpath -m "$1"; }
includedir=$(pkg-config --variable=includedir octavo)
libdir_pc=$(pkg-config --variable=libdir octavo)
[[ $(resolved "$includedir") == $(resolved "$prefix/include") ]] \
    || fail "octavo.pc gives includedir '$includedir', not $prefix/include: octavo.pc is not relocatable"
[[ $(resolved "$libdir_pc") == $(resolved "$prefix/$libdir") ]] \
    || fail "octavo.pc gives libdir '$libdir_pc', not $prefix/$libdir"

mkdir "$tmp/plugins"
make --no-print-directory -f "$plugin_src/Makefile" SRCDIR="$plugin_src" OUTDIR="$tmp/plugins" \
    CC="${CC:-cc}" >"$tmp/make.log" 2>&1 || { cat "$tmp/make.log" >&2; fail "plugin build failed"; }
[[ -f $tmp/plugins/oot.so ]] || fail "make did not produce oot.so"

octavo=$prefix/bin/octavo
list=$("$octavo" --plugin-dir "$tmp/plugins" --list-formats)
grep -qw "oot" <<<"$list" || fail "--list-formats does not show the oot format"
grep -q "4.5.6" <<<"$list" || fail "--list-formats does not show the oot plugin version"

printf 'hello out of tree\nsecond line\n' >"$tmp/in.oot"
"$octavo" --plugin-dir "$tmp/plugins" "$tmp/in.oot" -o "$tmp/out.oot" 2>"$tmp/err" \
    || { cat "$tmp/err" >&2; fail "conversion failed"; }
[[ ! -s $tmp/err ]] || { cat "$tmp/err" >&2; fail "conversion printed diagnostics"; }
expected=$'HELLO OUT OF TREE\nSECOND LINE'
[[ $(cat "$tmp/out.oot") == "$expected" ]] || fail "unexpected output: $(cat "$tmp/out.oot")"

# Without --plugin-dir the format is unknown: the plugin was found only there.
if "$octavo" -t oot "$tmp/in.oot" >/dev/null 2>&1; then
    fail "the oot format was found without --plugin-dir"
fi
echo "oot: ok"
