/* Runs the header decoder over hex message files and a bounded, seeded mutation loop.
 *
 * Built with -fsanitize=address,undefined -fno-sanitize-recover=all by .ci/sanitize, so any
 * out-of-bounds read or undefined behaviour aborts the run. Every input is copied into a
 * heap block of exactly its length, so a read one byte past the end is caught.
 *
 * usage: sanitize_driver MUTATIONS_PER_MESSAGE FILE...
 * exit status: 0 when every file decodes and no sanitizer fired; 1 otherwise.
 */
#include "gbcs_header.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t next_random(void)
{
    /* xorshift64*: deterministic, so a failing run can be repeated exactly. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

static int hex_value(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Reads a file of hex digits (whitespace ignored) into a new buffer. */
static uint8_t *read_hex_file(const char *path, size_t *length)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t capacity = 4096, used = 0;
    uint8_t *out = malloc(capacity);
    int high = -1, c;
    while (out && (c = fgetc(f)) != EOF) {
        int v = hex_value(c);
        if (v < 0)
            continue;
        if (high < 0) {
            high = v;
            continue;
        }
        if (used == capacity) {
            uint8_t *bigger = realloc(out, capacity *= 2);
            if (!bigger) {
                free(out);
                out = NULL;
                break;
            }
            out = bigger;
        }
        out[used++] = (uint8_t)(high << 4 | v);
        high = -1;
    }
    fclose(f);
    *length = used;
    return out;
}

/* Decodes data[0:length] from an exact-size heap copy and checks the result's invariants. */
static int decode_exact(const uint8_t *data, size_t length, pandc_header *out)
{
    uint8_t *copy = malloc(length ? length : 1);
    if (!copy)
        abort();
    memcpy(copy, data, length);
    int rc = pandc_decode_header(copy, length, out);
    if (rc == PANDC_OK) {
        if ((size_t)out->content_offset + out->content_length > length)
            abort();
        if ((out->flags & PANDC_HAS_MAC) && (size_t)out->mac_offset + 12 != length)
            abort();
    } else if (out->error_offset > length || rc >= PANDC_ERROR_COUNT) {
        abort();
    }
    free(copy);
    return rc;
}

static void mutate_and_decode(const uint8_t *data, size_t length, long rounds)
{
    uint8_t *work = malloc(length + 8);
    pandc_header header;
    if (!work)
        abort();
    for (long round = 0; round < rounds; round++) {
        size_t n = length;
        memcpy(work, data, length);
        int edits = 1 + (int)(next_random() % 4);
        for (int e = 0; e < edits && n > 0; e++) {
            size_t at = (size_t)(next_random() % n);
            switch (next_random() % 4) {
            case 0: work[at] ^= (uint8_t)(1 + next_random() % 255); break;
            case 1: n = at; break;                                         /* truncate */
            case 2: memmove(work + at, work + at + 1, n - at - 1); n--; break; /* delete */
            default:                                                         /* length bytes */
                work[at] = (uint8_t[]){0x00, 0x7F, 0x80, 0x81, 0x82, 0x83, 0x84, 0xFF}[next_random() % 8];
            }
        }
        decode_exact(work, n, &header);
    }
    free(work);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s MUTATIONS_PER_MESSAGE FILE...\n", argv[0]);
        return 2;
    }
    long rounds = strtol(argv[1], NULL, 10);
    int failures = 0, files = 0;
    pandc_header header;

    for (int i = 2; i < argc; i++) {
        size_t length;
        uint8_t *data = read_hex_file(argv[i], &length);
        if (!data) {
            fprintf(stderr, "%s: cannot read\n", argv[i]);
            failures++;
            continue;
        }
        files++;
        int rc = decode_exact(data, length, &header);
        if (rc != PANDC_OK) {
            fprintf(stderr, "%s: %s at offset %u\n", argv[i], pandc_error_reason(rc), header.error_offset);
            failures++;
        }
        for (size_t cut = 0; cut < length; cut++)
            decode_exact(data, cut, &header);
        mutate_and_decode(data, length, rounds);

        /* The batch entry point over the message twice plus an out-of-range span. */
        uint8_t *twice = malloc(2 * length + 1);
        if (!twice)
            abort();
        memcpy(twice, data, length);
        memcpy(twice + length, data, length);
        uint64_t offsets[3] = {0, length, 2 * (uint64_t)length}, lengths[3] = {length, length, 5};
        pandc_header batch[3];
        size_t failed = pandc_decode_headers(twice, 2 * length, offsets, lengths, 3, batch);
        if (failed != (rc == PANDC_OK ? 1u : 3u)) {
            fprintf(stderr, "%s: batch reported %zu failures\n", argv[i], failed);
            failures++;
        }
        free(twice);
        free(data);
    }
    printf("sanitize_driver: %d files, %ld mutations each, %d failures\n", files, rounds, failures);
    return failures ? 1 : 0;
}
