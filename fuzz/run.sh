#!/bin/sh
# Builds one libFuzzer target and runs it for a number of seconds, keeping the corpus in
# fuzz/corpus/TARGET/ (the committed seeds plus everything new that libFuzzer finds).
#
#   fuzz/run.sh TARGET SECONDS [extra libFuzzer flags]
#
# TARGET is FuzzParser, FuzzEvaluate, FuzzJSON or FuzzYAML. Crash and timeout reproducers go to
# fuzz/artifacts/TARGET/. The last lines of libFuzzer's log (executions, coverage) are printed.
set -eu
if [ $# -lt 2 ]; then
    echo "usage: fuzz/run.sh TARGET SECONDS [libFuzzer flags]" >&2
    exit 64
fi
target=$1
seconds=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

# SwiftPM keeps sanitizers in a set, so `--sanitize address --sanitize fuzzer` reaches swiftc in
# either order, and swiftc 6.3.1 adds no coverage instrumentation for `-sanitize=fuzzer
# -sanitize=address` in that order. A single combined flag has no order.
build="swift build -c release --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address --scratch-path $here/.build"
$build --product "$target" >&2
binary=$($build --show-bin-path)/$target

mkdir -p "corpus/$target" "artifacts/$target" "logs"
log="logs/$target-$(date -u +%Y%m%dT%H%M%SZ).log"
status=0
# Swift frees a reference cycle never, and LeakSanitizer reports the cycles the interpreter's
# closures form at exit as a failure. Leaks are not what these targets look for.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
"$binary" "corpus/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
    -max_len=4096 -artifact_prefix="artifacts/$target/" -print_final_stats=1 -detect_leaks=0 "$@" >"$log" 2>&1 || status=$?
grep -E '^(#[0-9]+.*(INITED|DONE)|stat::number_of_executed_units|stat::peak_rss_mb|Done [0-9]+ runs)' "$log" | tail -5
echo "log: fuzz/$log (exit status $status)"
exit $status
