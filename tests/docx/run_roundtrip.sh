#!/bin/bash
# run_roundtrip.sh SOURCE_DIR BINARY_DIR OCTAVO_CLI samples|corpus
# samples: every file of samples/ plus four readability pages (RTL, notes,
#          definitions, tables, an embedded picture), and a
#          conversion with a --reference-doc;
# corpus:  the 65 readability pages, whole (-V extract=off).
set -u
src=$1 bin=$2 cli=$3 mode=$4
shared="$src/../shared"
validator="$shared/ooxml/validate-docx.sh"
work="$bin/tests/docx-$mode"
rm -rf "$work"
mkdir -p "$work"
[ -f "$validator" ] || { echo "no validator at $validator"; exit 77; }
here=$(dirname "$0")
case $mode in
samples)
    inputs=()
    for f in "$src"/samples/*; do [ -f "$f" ] && inputs+=("$f"); done
    for p in rtl-1 google-sre-book-1 links-in-tables data-url-image; do
        inputs+=("$shared/corpora/readability/$p/source.html")
    done
    # a reference document: its page setup and styles, still schema-valid
    ref="$shared/ooxml/samples/pandoc-basic-fixed.docx"
    "$cli" -q --offline --reference-doc "$ref" "$src/samples/article.txt" -o "$work/ref.docx" || exit 1
    unzip -p "$work/ref.docx" word/styles.xml | grep -q 'w:styleId="BodyText"' || { echo "ref: styles lost"; exit 1; }
    bash "$validator" --plain -q "$work/ref.docx" || exit 1
    # reproducible: the same input twice gives the same bytes
    for i in 1 2; do
        "$cli" -q --offline "$src/samples/article.txt" -o "$work/again$i.docx" || exit 1
    done
    cmp "$work/again1.docx" "$work/again2.docx" || { echo "output not reproducible"; exit 1; }
    ;;
corpus)
    inputs=("$shared"/corpora/readability/*/source.html)
    ;;
*) echo "usage: $0 SRC BIN CLI samples|corpus"; exit 2 ;;
esac
exec python3 "$here/roundtrip.py" --octavo "$cli" --validator "$validator" --work "$work" \
    --opt=-V --opt=extract=off "${inputs[@]}"
