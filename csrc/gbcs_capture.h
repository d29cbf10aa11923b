/* Capture files to columns: reads hex/base64 text lines (or length-prefixed binary records),
 * decodes each message's grouping header and time status, and writes one value per row into
 * caller-owned column buffers (Arrow layouts: little-endian values, LSB-first validity bitmaps).
 *
 * No allocation, no per-message object: the caller hands in zeroed column buffers for
 * `capacity` rows and a scratch buffer twice as long as the text it passes; every read of
 * the input is checked against its length. pandc/codec/_pycapture.py is the pure-Python twin
 * and must fill the same bytes.
 */
#ifndef PANDC_GBCS_CAPTURE_H
#define PANDC_GBCS_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

/* Bumped whenever pandc_capture_columns or a function signature changes; the Python binding
 * refuses to load a compiled module whose number differs from its own. */
#define PANDC_CAPTURE_ABI 2

/* Error codes of the capture reader, above the header decoder's codes (gbcs_header.h). */
enum {
    PANDC_TEXT_NOT_ASCII = 32,      /* a byte >= 0x80 in the line; no byte offset */
    PANDC_TEXT_HEX_DIGIT = 33,      /* offset: text position of the bad digit / 2 */
    PANDC_TEXT_HEX_ODD = 34,        /* offset: digits / 2 */
    PANDC_TEXT_BASE64_CHAR = 35,    /* offset: text position * 3 / 4 */
    PANDC_TEXT_BASE64 = 36,         /* malformed base64 (padding, length); offset: chars * 3 / 4 */
    PANDC_RECORD_TRUNCATED = 37     /* length-prefixed record runs past the end of the input */
};

/* Clock status dictionary indices (MMC ClockStatus). */
enum { PANDC_CLOCK_RELIABLE = 0, PANDC_CLOCK_UNRELIABLE = 1, PANDC_CLOCK_INVALID = 2 };

typedef struct pandc_capture_columns {
    uint64_t capacity;              /* rows every buffer below holds */
    uint64_t rows;                  /* rows written so far; the next row goes here */
    /* where the row came from */
    uint64_t *line;                 /* 1-based line (or record) number in the whole input */
    uint64_t *text_start;           /* the raw line (without its newline) in the text passed */
    uint32_t *text_length;
    /* outcome */
    uint8_t *error;                 /* 0, a header error code or a PANDC_TEXT_* code */
    uint8_t *error_valid;           /* bitmap: error != 0 */
    uint32_t *offset;               /* byte offset of the error in the message */
    uint8_t *offset_valid;          /* bitmap */
    uint8_t *header_valid;          /* bitmap: the header decoded (every header column valid) */
    /* header fields */
    uint8_t *frame;                 /* 0xDD or 0xDF */
    uint8_t *cra;                   /* 1, 2, 3 */
    uint64_t *originator_counter;
    uint8_t *originator;            /* 8 bytes a row */
    uint8_t *recipient;             /* 8 bytes a row */
    uint16_t *message_code;
    uint32_t *payload_length;
    uint8_t *is_signed;             /* bitmap: a signature (length 64) is present */
    uint8_t *supplementary_remote_party_id;     /* 8 bytes a row */
    uint8_t *supplementary_remote_party_id_valid;
    uint64_t *supplementary_remote_party_counter;
    uint8_t *supplementary_remote_party_counter_valid;
    uint64_t *supplementary_originator_counter;
    uint8_t *supplementary_originator_counter_valid;
    /* date-time and time status (FACTS section 3, SECMP0015) */
    int64_t *date_time;             /* UTC microseconds since 1970-01-01 */
    uint8_t *date_time_valid;       /* bitmap: present and a real instant */
    uint8_t *time_status;
    uint8_t *time_status_valid;     /* bitmap: the header carries a date-time */
    uint8_t *clock_status;          /* PANDC_CLOCK_* */
    uint8_t *clock_status_valid;    /* bitmap: date-time present and status != 0xFF */
    uint8_t *is_from_gsme;          /* bitmap of values; validity is clock_status_valid */
} pandc_capture_columns;

/* The ABI number; the first call also builds the reader's lookup tables, so call it once
 * before using the reader from several threads. */
int pandc_capture_abi(void);

/* Reads lines from text[0:len] into rows until the columns are full or the text ends.
 * A line ends at '\n'; without `final`, a last line without '\n' is left unread. Blank lines
 * and lines starting with '#' (after whitespace) take no row but are counted. `first_line` is
 * the number of text's first line. `scratch` holds at least 2 * `len` bytes.
 * Stores the bytes read in *consumed and the lines read in *lines; returns rows written. */
uint64_t pandc_capture_lines(const uint8_t *text, size_t len, uint64_t first_line, int final,
                             pandc_capture_columns *columns, uint8_t *scratch,
                             size_t *consumed, uint64_t *lines);

/* Reads records (4-byte big-endian length, then the message) in the same way; `first_record`
 * numbers rows. With `final`, a record running past the end is a PANDC_RECORD_TRUNCATED row. */
uint64_t pandc_capture_records(const uint8_t *data, size_t len, uint64_t first_record,
                               int final, pandc_capture_columns *columns,
                               size_t *consumed, uint64_t *records);

/* The Arrow string column "prefix" + decimal line number for rows [0, rows): offsets[0..rows]
 * and data. Returns the bytes written, or -1 when they would pass data_cap or INT32_MAX. */
int64_t pandc_format_sources(const uint8_t *prefix, size_t prefix_len, const uint64_t *lines,
                             uint64_t rows, int32_t *offsets, uint8_t *data, size_t data_cap);

#endif
