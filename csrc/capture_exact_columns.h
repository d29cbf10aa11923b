/* For the capture reader's test harnesses only (csrc/capture_sanitize_driver.c,
 * fuzz/fuzz_capture.c), never for the extension: inputs and column buffers allocated to their
 * exact sizes, so ASan reports a read or write one byte past any of them. One place lists the
 * columns and one loop reads a whole input, so both harnesses drive the reader the same way.
 */
#ifndef PANDC_CAPTURE_EXACT_COLUMNS_H
#define PANDC_CAPTURE_EXACT_COLUMNS_H

#include "gbcs_capture.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *exact(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        abort();
    return p;
}

/* Every column of `c` sized for exactly `capacity` rows (bitmaps: whole octets). */
static void exact_columns(pandc_capture_columns *c, uint64_t capacity)
{
    memset(c, 0, sizeof *c);
    c->capacity = capacity;
    size_t bitmap = (size_t)((capacity + 7) / 8);
#define FIELD(name, size) c->name = calloc((size_t)capacity, size)
#define BITS(name) c->name = calloc(bitmap, 1)
    FIELD(line, 8); FIELD(text_start, 8); FIELD(text_length, 4); FIELD(error, 1);
    BITS(error_valid); FIELD(offset, 4); BITS(offset_valid); BITS(header_valid);
    FIELD(frame, 1); FIELD(cra, 1); FIELD(originator_counter, 8); FIELD(originator, 8);
    FIELD(recipient, 8); FIELD(message_code, 2); FIELD(payload_length, 4); BITS(is_signed);
    FIELD(supplementary_remote_party_id, 8); BITS(supplementary_remote_party_id_valid);
    FIELD(supplementary_remote_party_counter, 8);
    BITS(supplementary_remote_party_counter_valid);
    FIELD(supplementary_originator_counter, 8);
    BITS(supplementary_originator_counter_valid);
    FIELD(date_time, 8); BITS(date_time_valid); FIELD(time_status, 1);
    BITS(time_status_valid); FIELD(clock_status, 1); BITS(clock_status_valid);
    BITS(is_from_gsme);
#undef FIELD
#undef BITS
}

/* Frees what exact_columns allocated: every member after the two counts that begin the
 * struct is a column pointer. */
static void free_columns(pandc_capture_columns *c)
{
    void **fields = (void **)&c->line;
    for (size_t i = 0; i < (sizeof *c - 2 * sizeof(uint64_t)) / sizeof(void *); i++)
        free(fields[i]);
}

/* What a harness checks after each call of the reader: the batch, the rows the call returned,
 * the bytes it consumed and the bytes that were left before it. */
typedef void (*capture_batch_check)(const pandc_capture_columns *c, uint64_t written,
                                    size_t consumed, size_t left);

/* Reads all of `data` (copied into a block of exactly `len` bytes) as text lines or as
 * length-prefixed records, `capacity` rows a call with `final` set, as pandc/codec/capture.py
 * does; `check` (NULL: none) sees every batch. */
static void capture_all(const uint8_t *data, size_t len, int records, uint64_t capacity,
                        capture_batch_check check)
{
    uint8_t *input = exact(len);
    memcpy(input, data, len);
    uint8_t *scratch = exact(2 * len);
    size_t pos = 0;
    uint64_t number = 1;
    while (pos < len) {
        pandc_capture_columns c;
        exact_columns(&c, capacity);
        size_t consumed = 0;
        uint64_t counted = 0, written;
        if (records)
            written = pandc_capture_records(input + pos, len - pos, number, 1, &c, &consumed,
                                            &counted);
        else
            written = pandc_capture_lines(input + pos, len - pos, number, 1, &c, scratch,
                                          &consumed, &counted);
        if (check)
            check(&c, written, consumed, len - pos);
        pos += consumed;
        number += counted;
        free_columns(&c);
        if (!consumed)
            break;
    }
    free(scratch);
    free(input);
}

#endif
