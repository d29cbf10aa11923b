#!/usr/bin/env bash
# A long fuzzing campaign on one core: the C targets, then every atheris target, one at a time
# (the targets fuzz/run_ci.sh runs). Findings are kept, not fatal: a C target's crash inputs
# land in OUT/c-TARGET/, each distinct
# Python finding (exception type + innermost pandc frame) in OUT/findings-TARGET/.
# Prints executions and coverage per target at the end (also in OUT/summary.txt).
#
# usage: fuzz/campaign.sh [OUT_DIR]     (default fuzz/work/campaign-DATE)
#   CAMPAIGN_C_SECONDS   time for each C target         (default 1800)
#   CAMPAIGN_PY_SECONDS  time for each Python target    (default 900)
#   CAMPAIGN_TARGETS     Python targets to run          (default: all seven)
#   CAMPAIGN_UPDATE_CORPUS=1  minimise what was found into fuzz/corpus/ (libFuzzer -merge=1)
set -uo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
out="${1:-fuzz/work/campaign-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
c_seconds="${CAMPAIGN_C_SECONDS:-1800}"
py_seconds="${CAMPAIGN_PY_SECONDS:-900}"
targets="${CAMPAIGN_TARGETS:-decode decode_keys to_mmc validate duis parse_request correlate}"
python="${PYTHON:-python3}"

"$python" fuzz/make_seeds.py "$out/seeds-bin"
"$python" fuzz/make_seeds.py "$out/seeds-xml" --xml
"$python" fuzz/make_seeds.py "$out/seeds-mmc" --mmc
"$python" fuzz/make_seeds.py "$out/seeds-requests" --requests
summary="$out/summary.txt"
: > "$summary"

bash fuzz/build.sh "$out/build" >/dev/null
for c_target in header capture; do
    mkdir -p "$out/c-$c_target" "$out/corpus-$c_target"
    echo "== fuzz_$c_target ${c_seconds}s"
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$out/build/fuzz_$c_target" -dict=fuzz/gbcs.dict -max_total_time="$c_seconds" \
        -print_final_stats=1 -artifact_prefix="$out/c-$c_target/" "$out/corpus-$c_target" \
        "$out/seeds-bin" $( [ -d fuzz/corpus/header ] && echo fuzz/corpus/header ) \
        > "$out/c-$c_target.log" 2>&1
    echo "fuzz_$c_target exit $?: $(grep -E '^#[0-9]+[[:space:]]*DONE' "$out/c-$c_target.log" | tail -1)" | tee -a "$summary"
    grep -E "stat::number_of_executed_units" "$out/c-$c_target.log" | tee -a "$summary"
    echo "fuzz_$c_target crash inputs: $(ls "$out/c-$c_target" | wc -l)" | tee -a "$summary"
done

for target in $targets; do
    case $target in
        validate) seeds="$out/seeds-mmc"; extra="$root/fuzz/corpus/mmc"; dict=xml.dict ;;
        parse_request) seeds="$out/seeds-requests"; extra=""; dict=xml.dict ;;
        duis) seeds="$out/seeds-xml"; extra="$root/fuzz/corpus/duis"; dict=xml.dict ;;
        *) seeds="$out/seeds-bin"; extra="$root/fuzz/corpus/header"; dict=gbcs.dict ;;
    esac
    [ -d "$extra" ] || extra=""
    mkdir -p "$out/corpus-$target"
    echo "== atheris_$target ${py_seconds}s"
    (cd fuzz && FUZZ_KEEP_GOING="$out/findings-$target" "$python" "atheris_$target.py" \
        -dict="$dict" -max_total_time="$py_seconds" -rss_limit_mb=2048 -timeout=30 \
        -artifact_prefix="$out/$target-" "$out/corpus-$target" "$seeds" $extra) \
        > "$out/$target.log" 2>&1
    echo "atheris_$target exit $?: $(grep -E '^#[0-9]+[[:space:]]*DONE' "$out/$target.log" | tail -1)" | tee -a "$summary"
    echo "atheris_$target findings: $(ls "$out/findings-$target" 2>/dev/null | grep -c '\.txt$')" | tee -a "$summary"
done

if [ "${CAMPAIGN_UPDATE_CORPUS:-0}" = 1 ]; then
    # Each corpus is minimised by the coverage of the target that reads it.
    mkdir -p fuzz/corpus/header fuzz/corpus/duis fuzz/corpus/mmc
    "$out/build/fuzz_header" -merge=1 fuzz/corpus/header "$out/corpus-header" >/dev/null 2>&1 || true
    [ -d "$out/corpus-duis" ] && (cd fuzz && "$python" atheris_duis.py -merge=1 corpus/duis \
        "$out/corpus-duis" >/dev/null 2>&1 || true)
    [ -d "$out/corpus-validate" ] && (cd fuzz && "$python" atheris_validate.py -merge=1 corpus/mmc \
        "$out/corpus-validate" >/dev/null 2>&1 || true)
    du -sh fuzz/corpus/*
fi
echo "summary: $summary"
