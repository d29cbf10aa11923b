#!/usr/bin/env bash
# CI fuzzing: every target for a bounded time (about 4 minutes in all), seeded with the corpus
# kept in the repo (fuzz/corpus/) plus seeds generated from ../shared and build_message.
# Any crash, sanitizer report or non-PandcError exception fails the run (non-zero exit).
# Needs clang with libFuzzer for the C target and atheris for the Python targets; a missing
# tool fails the run unless FUZZ_ALLOW_MISSING=1 (then that target is skipped, said aloud).
# usage: fuzz/run_ci.sh            (FUZZ_C_SECONDS, FUZZ_PY_SECONDS override the budgets)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
c_seconds="${FUZZ_C_SECONDS:-40}"
py_seconds="${FUZZ_PY_SECONDS:-25}"
work="$(mktemp -d "${TMPDIR:-/tmp}/pandc-fuzz-ci.XXXXXX")"
trap 'rm -rf "$work"' EXIT
python="${PYTHON:-python3}"
missing() {
    if [ "${FUZZ_ALLOW_MISSING:-0}" = 1 ]; then echo "fuzz: SKIPPED $1" >&2; return 0; fi
    echo "fuzz: $1 (set FUZZ_ALLOW_MISSING=1 to skip)" >&2; exit 1
}

"$python" fuzz/make_seeds.py "$work/seeds-bin"
"$python" fuzz/make_seeds.py "$work/seeds-xml" --xml
"$python" fuzz/make_seeds.py "$work/seeds-mmc" --mmc
"$python" fuzz/make_seeds.py "$work/seeds-requests" --requests

status=0
if command -v "${FUZZ_CC:-clang}" >/dev/null && bash fuzz/build.sh "$work/build" >/dev/null; then
    for target in header capture; do
        mkdir -p "$work/corpus-$target-c"
        echo "== fuzz_$target (C core, ASan+UBSan, ${c_seconds}s)"
        ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
            "$work/build/fuzz_$target" -dict=fuzz/gbcs.dict -max_total_time="$c_seconds" -seed="${FUZZ_SEED:-1}" \
            -print_final_stats=1 -artifact_prefix="$work/$target-" "$work/corpus-$target-c" \
            "$work/seeds-bin" $( [ -d fuzz/corpus/header ] && echo fuzz/corpus/header ) > "$work/c-$target.log" 2>&1 \
            || { status=1; tail -40 "$work/c-$target.log"; ls "$work/$target"-crash-* 2>/dev/null || true; }
        grep -E "^#[0-9]+[[:space:]]*DONE|stat::number_of_executed_units|ERROR|SUMMARY" "$work/c-$target.log" || true
    done
else
    missing "clang with -fsanitize=fuzzer is not available"
fi

if "$python" -c "import atheris" 2>/dev/null; then
    for target in decode decode_keys to_mmc validate duis parse_request correlate; do
        case $target in
            validate) seeds=("$work/seeds-mmc" "$root/fuzz/corpus/mmc"); dict=xml.dict ;;
            parse_request) seeds=("$work/seeds-requests"); dict=xml.dict ;;
            duis) seeds=("$work/seeds-xml" "$root/fuzz/corpus/duis"); dict=xml.dict ;;
            *) seeds=("$work/seeds-bin" "$root/fuzz/corpus/header"); dict=gbcs.dict ;;
        esac
        existing=(); for s in "${seeds[@]}"; do [ -d "$s" ] && existing+=("$s"); done
        mkdir -p "$work/corpus-$target"
        echo "== atheris_$target (${py_seconds}s)"
        if ! (cd fuzz && "$python" "atheris_$target.py" -dict="$dict" \
                -max_total_time="$py_seconds" -seed="${FUZZ_SEED:-1}" -rss_limit_mb=2048 -timeout=20 \
                -artifact_prefix="$work/$target-" "$work/corpus-$target" \
                "${existing[@]}") > "$work/$target.log" 2>&1; then
            status=1
            tail -40 "$work/$target.log"
        fi
        grep -E "^#[0-9]+[[:space:]]*DONE" "$work/$target.log" || true
    done
else
    missing "atheris is not installed (pip install '.[fuzz]')"
fi
if [ $status = 0 ]; then echo "fuzz: 0 crashes"; else echo "fuzz: CRASH (see above)"; fi
exit $status
