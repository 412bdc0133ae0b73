#!/bin/bash
# Batch conversion end to end: run_batch.sh OCTAVO PLUGIN_DIR SOURCE_DIR WORK_DIR
#
# A mixed folder (good files, a broken one, one that crashes the reader, an
# unreadable one, links and paths that would write outside the output folder)
# goes through `octavo --output-dir`; the outputs, the JSON report, the JUnit
# XML (validated against junit.xsd) and the exit status are checked, then -j,
# --incremental, --shard/--merge-reports, defaults files, --fail-fast,
# --fail-if-warnings and SIGTERM.
set -u
OCTAVO=$1
PLUGINS=$2
SRC=$3
WORK=$4/batch-work
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
unset CI

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
check() { # check "description" command...
    local what=$1; shift
    "$@" || fail "$what"
}
oct() { "$OCTAVO" --plugin-dir "$PLUGINS" "$@"; }
validates() { xmllint --noout --schema "$SRC/junit.xsd" "$1" 2>/dev/null; }
status_of() { # status_of REPORT INPUT
    jq -r --arg i "$2" '.inputs[] | select(.input == $i) | .status' "$1"
}

rm -rf "$WORK"
mkdir -p "$WORK/run/mixed/sub/deeper" "$WORK/run/mixed/linked" "$WORK/elsewhere"
cd "$WORK/run" || exit 1

# ---------------------------------------------------------------- corpus
printf 'first paragraph\nsecond paragraph\n' > mixed/good1.bt
printf 'deep down\n' > mixed/sub/deeper/good2.bt
printf 'before\n!warn\nafter\n' > mixed/good3.bt
printf 'fine\n!fail\n' > mixed/broken.bt
printf 'about to crash\n!abort\n' > mixed/crash.bt
printf 'not for you\n' > mixed/locked.bt
chmod 000 mixed/locked.bt
ln -s does-not-exist.bt mixed/missing.bt            # unreadable even for root
printf 'secret\n' > "$WORK/secret.bt"
ln -s ../../secret.bt mixed/outside.bt              # leads out of the input folder
printf 'through a link\n' > mixed/linked/a.bt       # its output folder will be a link
printf 'escaping\n' > "$WORK/escape.bt"
printf 'skip me\n' > mixed/skip-this.bt
printf 'not a bt file\n' > mixed/notes.txt
mkdir -p out1
ln -s "$WORK/elsewhere" out1/linked

# ------------------------------------------------------ the mixed folder
oct -t batchout --output-dir out1 -j 1 --include '*.bt' --exclude 'skip-*' \
    --report r1.json --junit j1.xml mixed ../escape.bt 2> err1.txt
rc=$?
check "mixed folder exits non-zero (got $rc)" test "$rc" -ne 0
check "the exit status is the first failure's (broken.bt: input error 3, got $rc)" test "$rc" -eq 3

for f in good1 good3 sub/deeper/good2; do
    check "out1/$f.out exists" test -f "out1/$f.out"
    # the batch must produce what a single conversion of the same file does
    oct -t batchout "mixed/$f.bt" -o "single.out" 2>/dev/null
    check "out1/$f.out equals the single-document conversion" cmp -s "out1/$f.out" single.out
done
unreadable=locked
[ "$(id -u)" -eq 0 ] && unreadable=   # root reads a mode-000 file anyway
for f in broken crash missing outside $unreadable skip-this notes; do
    check "no output for $f" test ! -e "out1/$f.out"
done
check "nothing written through the output-side link" test -z "$(ls -A "$WORK/elsewhere")"
check "no output next to the escaping input" test ! -e "$WORK/escape.out"
check "no temporary files left" test -z "$(find out1 -name '.*.octavo-??????')"

check "report: good1 converted" test "$(status_of r1.json mixed/good1.bt)" = converted
check "report: good2 converted" test "$(status_of r1.json mixed/sub/deeper/good2.bt)" = converted
check "report: good3 converted" test "$(status_of r1.json mixed/good3.bt)" = converted
check "report: broken failed" test "$(status_of r1.json mixed/broken.bt)" = failed
check "report: crash crashed" test "$(status_of r1.json mixed/crash.bt)" = crashed
check "report: dangling link failed" test "$(status_of r1.json mixed/missing.bt)" = failed
check "report: link out of the folder refused" test "$(status_of r1.json mixed/outside.bt)" = refused
check "report: output folder link refused" test "$(status_of r1.json mixed/linked/a.bt)" = refused
check "report: ../ input refused" test "$(status_of r1.json ../escape.bt)" = refused
if [ "$(id -u)" -ne 0 ]; then
    check "report: unreadable file failed" test "$(status_of r1.json mixed/locked.bt)" = failed
fi
check "report: excluded and non-matching files absent" \
    test "$(jq '[.inputs[] | select(.input | test("skip-this|notes"))] | length' r1.json)" = 0
check "report: broken.bt error names the line" \
    test "$(jq -r '.inputs[] | select(.input == "mixed/broken.bt") | .error' r1.json)" = "line 2: failing on purpose"
check "report: good3 has its warning" \
    test "$(jq -r '.inputs[] | select(.input == "mixed/good3.bt") | .warnings[0]' r1.json)" = "line 2: warning on purpose"
check "report: output bytes recorded" \
    test "$(jq '.inputs[] | select(.input == "mixed/good1.bt") | .output_bytes' r1.json)" = "$(stat -c %s out1/good1.out)"
check "report: exactly one crash" test "$(jq '.summary.crashed' r1.json)" = 1
check "report: summary total matches entries" \
    test "$(jq '.summary.total' r1.json)" = "$(jq '.inputs | length' r1.json)"
check "stderr names the crash" grep -q "crash.bt.*signal" err1.txt
check "stderr has one plain line per input" \
    test "$(grep -c '^octavo: \[' err1.txt)" = "$(jq '.inputs | length' r1.json)"

check "JUnit validates against junit.xsd" validates j1.xml
check "JUnit: one testcase per input" \
    test "$(xmllint --xpath 'count(//testcase)' j1.xml)" = "$(jq '.inputs | length' r1.json)"
check "JUnit: the crash is an error" \
    test "$(xmllint --xpath 'count(//testcase[@name="mixed/crash.bt"]/error)' j1.xml)" = 1
check "JUnit: the broken file is a failure" \
    test "$(xmllint --xpath 'count(//testcase[@name="mixed/broken.bt"]/failure)' j1.xml)" = 1
check "JUnit: the warning is shown" \
    test "$(xmllint --xpath 'count(//testcase[@name="mixed/good3.bt"]/system-err)' j1.xml)" = 1

# ------------------------------------------------------ -j 1 and -j 4
rm -rf out4 && mkdir out4 && ln -s "$WORK/elsewhere" out4/linked
oct -q -t batchout --output-dir out4 -j 4 --include '*.bt' --exclude 'skip-*' mixed 2>/dev/null
check "-j 1 and -j 4 outputs byte-identical" diff -r -x .octavo-manifest.json -x linked out1 out4

# ------------------------------------------------------ crashes cost one result each
mkdir -p crashy
for i in 1 2 3 4 5 6; do printf 'fine %s\n' "$i" > "crashy/ok$i.bt"; done
for i in 1 2 3; do printf '!abort\n' > "crashy/boom$i.bt"; done
oct -q -t batchout --output-dir outc -j 2 --report rc.json crashy 2>/dev/null
check "three crashes, three crashed results" test "$(jq '.summary.crashed' rc.json)" = 3
check "six good files converted despite the crashes" test "$(jq '.summary.converted' rc.json)" = 6
check "six outputs" test "$(find outc -name '*.out' | wc -l)" = 6

# ------------------------------------------------------ two inputs, one output path
mkdir -p dupA dupB && printf 'from A\n' > dupA/x.bt && printf 'from B\n' > dupB/x.bt
oct -q -t batchout --output-dir outdup --report rdup.json dupA dupB 2>/dev/null
check "same output twice: the second is refused" test "$(status_of rdup.json dupB/x.bt)" = refused
check "same output twice: the first one wins" grep -q "from A" outdup/x.out

# ------------------------------------------------------ --incremental
mkdir -p inc && printf 'a\n' > inc/a.bt && printf 'b\n' > inc/b.bt && printf 'c\n!warn\n' > inc/c.bt
oct -q -t batchout --output-dir outi inc 2>/dev/null
oct -q -t batchout --output-dir outi --incremental --report ri1.json inc 2>/dev/null
check "incremental: nothing re-converted" test "$(jq '.summary.up_to_date' ri1.json)" = 3
check "incremental: warnings carried over" \
    test "$(jq '.inputs[] | select(.input == "inc/c.bt") | .warnings | length' ri1.json)" = 1
touch -d '2001-01-01' inc/a.bt
printf 'b changed\n' > inc/b.bt
oct -q -t batchout --output-dir outi --incremental --report ri2.json inc 2>/dev/null
check "incremental: changed input re-converted" test "$(status_of ri2.json inc/b.bt)" = converted
check "incremental: mtime alone changes nothing" test "$(status_of ri2.json inc/a.bt)" = up-to-date
check "incremental: unchanged input skipped" test "$(status_of ri2.json inc/c.bt)" = up-to-date
check "incremental: new content in the output" grep -q "b changed" outi/b.out
printf 'tampered\n' > outi/c.out
oct -q -t batchout --output-dir outi --incremental --report ri3.json inc 2>/dev/null
check "incremental: a modified output is re-made" test "$(status_of ri3.json inc/c.bt)" = converted
check "incremental: only that one" test "$(jq '.summary.converted' ri3.json)" = 1
oct -q -t batchout --output-dir outi --incremental -V batchout-footer=x --report ri4.json inc 2>/dev/null
check "incremental: a new option re-converts all" test "$(jq '.summary.converted' ri4.json)" = 3
oct -q -t batchout --output-dir outi --incremental --fail-if-warnings --report ri5.json inc 2>/dev/null
rc=$?
check "incremental: skipped warnings still fail --fail-if-warnings (rc $rc)" test "$rc" -eq 3

# ------------------------------------------------------ --shard and --merge-reports
mkdir -p many
for i in $(seq 1 40); do printf 'doc %s\n' "$i" > "many/doc$i.bt"; done
oct -q -t batchout --output-dir outall --report all.json many 2>/dev/null
for k in 1 2 3; do
    oct -q -t batchout --output-dir "outs$k" --shard "$k/3" --report "s$k.json" many 2>/dev/null
    check "shard $k/3 exits 0" test $? -eq 0
done
jq -r '.inputs[].input' s1.json s2.json s3.json | sort > shard-union.txt
jq -r '.inputs[].input' all.json | sort > all-inputs.txt
check "shards cover every input exactly once" cmp -s shard-union.txt all-inputs.txt
check "every shard gets some inputs" test "$(jq '.inputs | length' s1.json)" -gt 0 -a \
    "$(jq '.inputs | length' s2.json)" -gt 0 -a "$(jq '.inputs | length' s3.json)" -gt 0
mkdir -p outsharded && cp -r outs1/. outs2/. outs3/. outsharded/ 2>/dev/null
check "sharded outputs identical to the whole run" diff -r -x .octavo-manifest.json outall outsharded
oct --merge-reports merged.json s1.json s2.json s3.json
check "merge-reports exits 0" test $? -eq 0
check "merged report has every input" test "$(jq '.summary.total' merged.json)" = 40
check "merged report's inputs are the union" \
    cmp -s <(jq -r '.inputs[].input' merged.json | sort) all-inputs.txt
oct --merge-reports bad.json err1.txt 2>/dev/null
check "merge-reports refuses a non-report" test $? -ne 0

# ------------------------------------------------------ defaults file
cat > ci.yaml <<'YAML'
# options a CI job keeps in its repository
to: batchout
output-dir: outd
jobs: 2
quiet: true
include:
  - "*.bt"
variables:
  batchout-footer: from-defaults
metadata:
  title: Defaults Title
input-files:
  - inc
YAML
oct -d ci.yaml
check "defaults: exit 0" test $? -eq 0
check "defaults: outputs written" test -f outd/a.out
check "defaults: variables applied" grep -q "^-- from-defaults$" outd/a.out
check "defaults: metadata applied" grep -q "^title: Defaults Title$" outd/a.out
oct -d ci.yaml -V batchout-footer=from-cli -M title=CLI --output-dir outd2 inc/a.bt
check "defaults: command line overrides a variable" grep -q "^-- from-cli$" outd2/inc/a.out
check "defaults: command line overrides metadata" grep -q "^title: CLI$" outd2/inc/a.out
check "defaults: command-line inputs replace the file's" test ! -e outd2/b.out
printf 'to: [unclosed\n' > broken.yaml
oct -d broken.yaml inc 2> yerr.txt
check "defaults: malformed YAML is a usage error" test $? -eq 2
check "defaults: the error names the file" grep -q "broken.yaml" yerr.txt
printf 'include:\n  - [nested, list]\n' > nested.yaml
oct -d nested.yaml inc 2> yerr.txt
check "defaults: nesting beyond the documented shapes refused" test $? -eq 2
check "defaults: the error gives the line" grep -q "nested.yaml: line 2" yerr.txt
printf 'no-such-option: 1\n' > unknown.yaml
oct -d unknown.yaml inc 2> yerr.txt
check "defaults: unknown key refused" test $? -eq 2

# ------------------------------------------------------ --fail-fast, --fail-if-warnings
mkdir -p ff && printf '!fail\n' > ff/a.bt && for i in 1 2 3 4; do printf 'x\n' > "ff/b$i.bt"; done
oct -q -t batchout --output-dir outf -j 1 --fail-fast --report rf.json ff 2>/dev/null
check "fail-fast: non-zero exit" test $? -ne 0
check "fail-fast: the rest not run" test "$(jq '.summary.not_run' rf.json)" = 4
mkdir -p warn && printf 'x\n' > warn/a.bt && printf '!warn\n' > warn/b.bt
oct -q -t batchout --output-dir outw warn 2>/dev/null
check "warnings alone exit 0" test $? -eq 0
oct -q -t batchout --output-dir outw2 --fail-if-warnings --junit jw.xml warn 2>/dev/null
check "fail-if-warnings: exit 3" test $? -eq 3
check "fail-if-warnings: JUnit validates" validates jw.xml
check "fail-if-warnings: a JUnit failure" \
    test "$(xmllint --xpath 'count(//testcase[@name="warn/b.bt"]/failure)' jw.xml)" = 1
check "fail-if-warnings: the output is still written" test -f outw2/b.out
oct -q -t batchout --fail-if-warnings warn/b.bt -o single-warn.out 2>/dev/null
check "fail-if-warnings without --output-dir: exit 3" test $? -eq 3

# ------------------------------------------------------ usage errors
oct -t batchout --report x.json inc 2>/dev/null
check "--report without --output-dir is a usage error" test $? -eq 2
oct -t batchout --output-dir o -o x inc 2>/dev/null
check "-o with --output-dir is a usage error" test $? -eq 2
oct -t batchout --output-dir o --shard 4/3 inc 2>/dev/null
check "--shard 4/3 is a usage error" test $? -eq 2

# ------------------------------------------------------ SIGTERM, SIGINT: no partial outputs
mkdir -p slow && for i in 1 2 3 4; do printf 'start\n!slow\n' > "slow/s$i.bt"; done
for sig in TERM INT; do
    out=outsig-$sig
    "$OCTAVO" --plugin-dir "$PLUGINS" -q -t batchout --output-dir "$out" -j 2 slow 2>/dev/null &
    pid=$!
    for _ in $(seq 1 50); do
        [ -n "$(find "$out" -name '.*.octavo-??????' 2>/dev/null)" ] && break
        sleep 0.1
    done
    check "$sig: a temporary output exists while converting" \
        test -n "$(find "$out" -name '.*.octavo-??????' 2>/dev/null)"
    kill -"$sig" "$pid"
    wait "$pid"
    rc=$?
    expected=$((128 + $(kill -l "$sig")))
    check "SIG$sig exits $expected (got $rc)" test "$rc" -eq "$expected"
    check "SIG$sig leaves no temporary files" test -z "$(find "$out" -name '.*.octavo-??????')"
    check "SIG$sig leaves no partial outputs" test -z "$(find "$out" -name '*.out')"
    check "SIG$sig leaves no worker behind" test -z "$(pgrep -f "output-dir $out" || true)"
done

chmod 644 mixed/locked.bt
if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed; work files in $WORK" >&2
    exit 1
fi
rm -rf "$WORK"
echo "batch: all checks passed"
