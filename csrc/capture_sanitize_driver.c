/* Runs the capture reader over RTDS lines and a bounded, seeded mutation loop of text and
 * records, every input in a heap block of exactly its length and every column buffer sized
 * for exactly `capacity` rows, so ASan catches a read or write one byte out of bounds.
 *
 * usage: capture_sanitize_driver ROUNDS FILE...   (exit 0 when no sanitizer fired)
 */
#include "capture_exact_columns.h"
#include "gbcs_capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;

static uint64_t next_random(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

#define CAPACITY 3

static void run(const uint8_t *data, size_t len, int records)
{
    capture_all(data, len, records, CAPACITY, NULL);
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    long rounds = atol(argv[1]);
    static const char noise[] = "0123456789ABCDEFabcdef \t\r\n#=+/GXZ\x80\xff\x1c";
    for (int f = 2; f < argc; f++) {
        FILE *in = fopen(argv[f], "rb");
        if (!in)
            return 1;
        uint8_t text[20000];
        size_t n = fread(text, 1, sizeof text, in);
        fclose(in);
        run(text, n, 0);
        uint8_t record[10010];
        size_t m = n / 2 < 10000 ? n / 2 : 10000;
        record[0] = 0; record[1] = 0; record[2] = (uint8_t)(m >> 8); record[3] = (uint8_t)m;
        for (size_t i = 0; i < m; i++)
            record[4 + i] = text[i];
        run(record, m + 4, 1);
        for (long r = 0; r < rounds / (argc - 2) + 1; r++) {
            uint8_t copy[20000];
            memcpy(copy, text, n);
            size_t cut = n ? (size_t)(next_random() % (n + 1)) : 0;
            for (int k = 0; k < 3 && cut; k++)
                copy[next_random() % cut] = (uint8_t)noise[next_random() % (sizeof noise - 1)];
            run(copy, cut, 0);
            run(copy, cut, 1);
        }
    }
    return 0;
}
