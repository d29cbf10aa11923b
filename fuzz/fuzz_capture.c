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


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int records = data[0] & 1;
    size_t len = size - 1;
    uint8_t *input = exact(len);
    memcpy(input, data + 1, len);
    uint8_t *scratch = exact(2 * len);
    size_t pos = 0;
    uint64_t number = 1;
    pandc_capture_abi();
    while (pos < len) {
        pandc_capture_columns c;
        exact_columns(&c, CAPACITY);
        size_t consumed = 0;
        uint64_t counted = 0, written;
        if (records)
            written = pandc_capture_records(input + pos, len - pos, number, 1, &c, &consumed, &counted);
        else
            written = pandc_capture_lines(input + pos, len - pos, number, 1, &c, scratch, &consumed,
                                          &counted);
        if (c.rows > CAPACITY || written != c.rows || consumed > len - pos)
            abort();
        if (c.rows < CAPACITY && consumed != len - pos)
            abort();                  /* with `final`, a short batch means the input ended */
        for (uint64_t row = 0; row < c.rows; row++) {
            if (c.text_start[row] + c.text_length[row] > len - pos)
                abort();
            uint8_t code = c.error[row];
            if (!(code < PANDC_ERROR_COUNT || (code >= PANDC_TEXT_NOT_ASCII && code <= PANDC_RECORD_TRUNCATED)))
                abort();
            if (bit(c.error_valid, row) != (code != 0) || (bit(c.offset_valid, row) && !code))
                abort();
            if (bit(c.header_valid, row) == (code != 0))
                abort();
        }
        if (c.rows) {
            int32_t offsets[CAPACITY + 1];
            uint8_t *sources = exact(CAPACITY * 25);
            if (pandc_format_sources((const uint8_t *)"f:", 2, c.line, c.rows, offsets, sources,
                                     CAPACITY * 25) < 0)
                abort();
            free(sources);
        }
        pos += consumed;
        number += counted;
        free_columns(&c);
        if (!consumed)
            break;
    }
    free(scratch);
    free(input);
    return 0;
}
