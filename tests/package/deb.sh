#!/usr/bin/env bash
# Builds the Debian package with CPack, installs it (dpkg -i as root; else
# unpacks it into a clean root), converts a sample with the installed binary,
# and uninstalls it. Usage: deb.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$(cd "$1" && pwd)
build=$2
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
  -DOCTAVO_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls "$build"/octavo_*.deb | head -n 1)
echo "package: $deb"
dpkg-deb --info "$deb" | grep -E 'Package|Version|Depends'
# libcurl and libuchardet are opened with dlopen, invisible to shlibdeps:
# they must be declared
dpkg-deb --field "$deb" Depends | grep -q 'libcurl4'
dpkg-deb --field "$deb" Depends | grep -q 'libuchardet0'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ "$(id -u)" -eq 0 ] && [ -z "${OCTAVO_DEB_UNPACK_ONLY:-}" ]; then
  dpkg -i "$deb" >/dev/null
  bin=/usr/bin/octavo
  installed=1
else
  dpkg-deb -x "$deb" "$work/root"
  bin="$work/root/usr/bin/octavo"
  installed=0
fi
# The installed binary finds its plugins with no environment variables.
env -u OCTAVO_PLUGIN_PATH "$bin" --list-formats
env -u OCTAVO_PLUGIN_PATH "$bin" --list-formats | grep -q '^markdown ' 
env -u OCTAVO_PLUGIN_PATH "$bin" "$src/samples/article.txt" -o "$work/article.epub"
env -u OCTAVO_PLUGIN_PATH "$bin" "$src/samples/article.txt" -o "$work/article.md"
test -s "$work/article.epub" && test -s "$work/article.md"
# The installed plugins.cache is current (the build IDs survive packaging): a
# text to Markdown conversion opens the text and Markdown plugins, no other.
LD_DEBUG=files env -u OCTAVO_PLUGIN_PATH "$bin" "$src/samples/article.txt" -o "$work/again.md" \
  2> "$work/loaded.log"
cmp "$work/article.md" "$work/again.md"
grep -q 'plugins/markdown\.so' "$work/loaded.log" && grep -q 'plugins/text\.so' "$work/loaded.log"
if grep -Eq 'plugins/(html|epub|docx)\.so' "$work/loaded.log"; then
  echo "deb: the installed plugin cache was not used" >&2
  exit 1
fi
if [ "$installed" -eq 1 ]; then
  man -w octavo >/dev/null 2>&1 || test -f /usr/share/man/man1/octavo.1.gz || test -f /usr/share/man/man1/octavo.1
  dpkg -r octavo >/dev/null
  if [ -e /usr/bin/octavo ] || ls /usr/lib/*/octavo/plugins/*.so >/dev/null 2>&1; then
    echo "deb: files left after dpkg -r" >&2
    exit 1
  fi
fi
echo "deb: installed, converted and removed cleanly"
