/* libFuzzer target for the capture reader (csrc/gbcs_capture.c): text lines and
 * length-prefixed records into column buffers, and the source strings.
 *
 * The input is copied into a heap block of exactly its length and every column buffer holds
 * exactly CAPACITY rows, so ASan catches a read or write one byte out of bounds (the vector
 * hex reader loads 16 and 32 bytes at a time). The first input byte picks lines or records.
 * Invariants (what pandc/codec/capture.py relies on):
 *   - rows never pass capacity, consumed never passes the input, a call with `final` that
 *     writes no row has consumed everything;
 *   - every row's raw text lies inside the input; its error code is 0, a header code or a
 *     capture code (32..37); an error offset is set only with an error;
 *   - a row without error has its header bit set, and one with an error has it clear.
 */
#include "capture_exact_columns.h"
#include "gbcs_capture.h"
#include "gbcs_header.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CAPACITY 3

static int bit(const uint8_t *bitmap, uint64_t i)
{
    return (bitmap[i >> 3] >> (i & 7)) & 1;
}


/* The invariants above, on one batch; `left`: the bytes the call was given. */
static void check_batch(const pandc_capture_columns *c, uint64_t written, size_t consumed,
                        size_t left)
{
    if (c->rows > CAPACITY || written != c->rows || consumed > left)
        abort();
    if (c->rows < CAPACITY && consumed != left)
        abort();                      /* with `final`, a short batch means the input ended */
    for (uint64_t row = 0; row < c->rows; row++) {
        if (c->text_start[row] + c->text_length[row] > left)
            abort();
        uint8_t code = c->error[row];
        if (!(code < PANDC_ERROR_COUNT || (code >= PANDC_TEXT_NOT_ASCII && code <= PANDC_RECORD_TRUNCATED)))
            abort();
        if (bit(c->error_valid, row) != (code != 0) || (bit(c->offset_valid, row) && !code))
            abort();
        if (bit(c->header_valid, row) == (code != 0))
            abort();
    }
    if (c->rows) {
        int32_t offsets[CAPACITY + 1];
        uint8_t *sources = exact(CAPACITY * 25);
        if (pandc_format_sources((const uint8_t *)"f:", 2, c->line, c->rows, offsets, sources,
                                 CAPACITY * 25) < 0)
            abort();
        free(sources);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    pandc_capture_abi();
    capture_all(data + 1, size - 1, data[0] & 1, CAPACITY, check_batch);
    return 0;
}
