/* Bounds-checked decoder for the GBCS grouping header (General Ciphering / General Signing).
 *
 * The decoder never allocates and never reads outside [buf, buf + len): every field is
 * checked against the remaining length before it is read, and every failure reports an
 * error code and the byte offset at which the message stopped making sense.
 */
#ifndef PANDC_GBCS_HEADER_H
#define PANDC_GBCS_HEADER_H

#include <stddef.h>
#include <stdint.h>

/* Error codes; pandc/errors.py holds the same table for the pure-Python twin. */
enum {
    PANDC_OK = 0,
    PANDC_ERR_EMPTY = 1,
    PANDC_ERR_TRUNCATED = 2,
    PANDC_ERR_LENGTH_FORM = 3,
    PANDC_ERR_UNKNOWN_FRAME = 4,
    PANDC_ERR_BLOCK_TRANSFER = 5,
    PANDC_ERR_CIPHERING_FIELDS = 6,
    PANDC_ERR_SECURITY_HEADER = 7,
    PANDC_ERR_CIPHERING_LENGTH = 8,
    PANDC_ERR_SIGNING_TAG = 9,
    PANDC_ERR_TRANSACTION_ID = 10,
    PANDC_ERR_CRA_FLAG = 11,
    PANDC_ERR_SYSTEM_TITLE = 12,
    PANDC_ERR_DATE_TIME = 13,
    PANDC_ERR_OTHER_INFORMATION = 14,
    PANDC_ERR_SIGNATURE_LENGTH = 15,
    PANDC_ERR_TRAILING_BYTES = 16,
    PANDC_ERR_TOO_LARGE = 17,
    PANDC_ERR_SIGNATURE_MISSING = 18,
    PANDC_ERR_GBT_BLOCK = 19,
    PANDC_ERROR_COUNT = 20
};

/* Bits of pandc_header.flags */
#define PANDC_HAS_DATE_TIME 0x01
#define PANDC_HAS_SRP_ID 0x02
#define PANDC_HAS_SRP_COUNTER 0x04
#define PANDC_HAS_SO_COUNTER 0x08
#define PANDC_HAS_CERTIFICATE 0x10
#define PANDC_HAS_SIGNATURE_FIELD 0x20
#define PANDC_HAS_MAC 0x40

#define PANDC_FRAME_GENERAL_CIPHERING 0xDD
#define PANDC_FRAME_GENERAL_SIGNING 0xDF
#define PANDC_FRAME_BLOCK_TRANSFER 0xE0

typedef struct pandc_header {
    /* Field order is the order of pandc.rawheader.RawHeader, which unpacks this struct with
     * the struct module in one call (format RAW_HEADER_FORMAT there). */
    uint64_t originator_counter;
    uint64_t supplementary_remote_party_counter;
    uint64_t supplementary_originator_counter;
    uint32_t message_length;      /* bytes the message occupies */
    uint32_t signing_offset;      /* offset of the DF tag */
    uint32_t certificate_offset;
    uint32_t certificate_length;
    uint32_t content_offset;
    uint32_t content_length;
    uint32_t signature_offset;    /* valid when PANDC_HAS_SIGNATURE_FIELD */
    uint32_t signature_length;    /* 0 or 64 */
    uint32_t mac_offset;          /* valid when PANDC_HAS_MAC */
    uint16_t message_code;
    uint8_t frame;
    uint8_t cra;
    uint8_t flags;
    uint8_t originator[8];
    uint8_t recipient[8];
    uint8_t supplementary_remote_party_id[8];   /* zeros when absent */
    uint8_t date_time[12];                      /* zeros when absent */
    uint8_t error;
    uint32_t error_offset;
} pandc_header;

/* Decodes one message occupying exactly buf[0:len]. Returns PANDC_OK or an error code, which
 * is also stored in out->error with out->error_offset. */
int pandc_decode_header(const uint8_t *buf, size_t len, pandc_header *out);

/* Decodes count messages: message i is buf[offsets[i] : offsets[i] + lengths[i]].
 * Results go to out[i] (offsets in out[i] are relative to the message's start).
 * Returns the number of messages that failed. */
size_t pandc_decode_headers(const uint8_t *buf, size_t buf_len, const uint64_t *offsets,
                            const uint64_t *lengths, size_t count, pandc_header *out);

/* A short, static, human-readable reason for an error code. */
const char *pandc_error_reason(int code);

#endif
