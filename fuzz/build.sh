#!/usr/bin/env bash
# Builds the libFuzzer targets of the C core (header decoder, capture reader) with ASan + UBSan (every UB report aborts).
# usage: fuzz/build.sh [OUT_DIR]   (default fuzz/build); needs clang with libFuzzer.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-fuzz/build}"
mkdir -p "$out"
cc="${FUZZ_CC:-clang}"
"$cc" -std=c99 -g -O1 -Wall -Wextra -Werror -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -Icsrc csrc/gbcs_header.c fuzz/fuzz_header.c -o "$out/fuzz_header"
"$cc" -std=c99 -g -O1 -Wall -Wextra -Werror -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -Icsrc csrc/gbcs_header.c csrc/gbcs_capture.c fuzz/fuzz_capture.c -o "$out/fuzz_capture"
echo "$out/fuzz_header"
echo "$out/fuzz_capture"
