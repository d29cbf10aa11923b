/* libFuzzer target for the C core: the single-message decoder and the batch entry point.
 *
 * Each input is copied into a heap block of exactly its length, so ASan catches a read even
 * one byte past the end. The same bytes are then cut into a batch (the first input byte picks
 * the number of cuts) and handed to pandc_decode_headers, which must agree with
 * pandc_decode_header on every message: a disagreement aborts, so libFuzzer reports it.
 *
 * Invariants checked on every decoded header (they are what the Python layer relies on when
 * it slices the message with the offsets the C core returns):
 *   - error codes are in range and pandc_error_reason() never returns NULL;
 *   - on success every (offset, length) pair lies inside the message;
 *   - on failure error_offset <= len.
 */
#include "gbcs_header.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BATCH 8

static void check_header(const pandc_header *h, int rc, size_t len)
{
    if (rc < 0 || rc >= PANDC_ERROR_COUNT || h->error != rc)
        abort();
    if (pandc_error_reason(rc) == NULL)
        abort();
    if (rc != PANDC_OK) {
        if (h->error_offset > len)
            abort();
        return;
    }
    if (h->message_length != len)
        abort();
    if ((uint64_t)h->content_offset + h->content_length > len)
        abort();
    if ((h->flags & PANDC_HAS_CERTIFICATE) &&
        (uint64_t)h->certificate_offset + h->certificate_length > len)
        abort();
    if ((h->flags & PANDC_HAS_SIGNATURE_FIELD) &&
        (uint64_t)h->signature_offset + h->signature_length > len)
        abort();
    if ((h->flags & PANDC_HAS_MAC) && (uint64_t)h->mac_offset + 12 > len)
        abort();
    if (h->signing_offset > len)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    if (size)
        memcpy(copy, data, size);

    pandc_header single;
    int rc = pandc_decode_header(copy, size, &single);
    check_header(&single, rc, size);

    /* Batch: the first byte says into how many pieces the rest is cut; piece boundaries come
     * from the following bytes, so the fuzzer explores batches of related messages. */
    if (size >= 2) {
        size_t pieces = 1 + (copy[0] % MAX_BATCH);
        uint64_t offsets[MAX_BATCH], lengths[MAX_BATCH];
        pandc_header out[MAX_BATCH];
        size_t body = size - 1, start = 1;
        for (size_t i = 0; i < pieces; i++) {
            size_t left = body - (start - 1);
            size_t take = (i + 1 == pieces) ? left : (left ? copy[(start + i) % size] % (left + 1) : 0);
            offsets[i] = start;
            lengths[i] = take;
            start += take;
        }
        size_t failed = pandc_decode_headers(copy, size, offsets, lengths, pieces, out);
        size_t counted = 0;
        for (size_t i = 0; i < pieces; i++) {
            pandc_header again;
            int one = pandc_decode_header(copy + offsets[i], (size_t)lengths[i], &again);
            check_header(&out[i], out[i].error, (size_t)lengths[i]);
            if (one != out[i].error)
                abort();
            if (memcmp(&again, &out[i], sizeof again) != 0)
                abort();
            counted += one != PANDC_OK;
        }
        if (counted != failed)
            abort();
        /* A batch entry that lies past the buffer must be refused, never read. */
        uint64_t bad_offset = size, bad_length = 1;
        pandc_header bad;
        if (pandc_decode_headers(copy, size, &bad_offset, &bad_length, 1, &bad) != 1)
            abort();
    }
    free(copy);
    return 0;
}
