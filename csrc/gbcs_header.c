/* GBCS grouping-header decoder; see gbcs_header.h and pandc/_pyheader.py (its pure-Python twin). */
#include "gbcs_header.h"

#include <string.h>

static const char *const error_reasons[PANDC_ERROR_COUNT] = {
    "ok",
    "empty message",
    "field runs past the end of the message",
    "unsupported length form (expected < 0x80, 0x81, 0x82 or 0x83)",
    "unknown frame tag (expected DD general ciphering or DF general signing)",
    "general block transfer APDU (E0) without the DD 09 routing header of a GBT block",
    "general ciphering: the six leading fields must be empty (00)",
    "general ciphering: security control must be 0x11",
    "general ciphering: ciphered service too short for security header and MAC",
    "expected general signing tag DF",
    "transaction-id must be 9 bytes (09)",
    "CRA flag must be 1 (command), 2 (response) or 3 (alert)",
    "system title must be 8 bytes (08)",
    "date-time must be absent (00) or 12 bytes (0C)",
    "other-information length must be 2, 10, 18, 26 or over 26",
    "signature length must be 0 or 64",
    "bytes left over after the message",
    "message longer than 4 GiB",
    "signature field missing (only general-signing commands, i.e. pre-commands, omit it)",
    "general block transfer block (DD 09 routing header): reassemble the blocks first (pandc.codec.gbt)",
};

const char *pandc_error_reason(int code)
{
    if (code < 0 || code >= PANDC_ERROR_COUNT)
        return "unknown error";
    return error_reasons[code];
}

typedef struct {
    const uint8_t *buf;
    size_t pos;
    size_t end;
    pandc_header *out;
} cursor;

static int fail(cursor *c, int code, size_t offset)
{
    c->out->error = (uint8_t)code;
    c->out->error_offset = (uint32_t)offset;
    return code;
}

static int need(cursor *c, size_t n)
{
    if (n > c->end - c->pos)
        return fail(c, PANDC_ERR_TRUNCATED, c->pos);
    return PANDC_OK;
}

static uint64_t read_be(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

/* BER-style length: < 0x80 itself, 0x81..0x83 followed by 1..3 length bytes. */
static int read_length(cursor *c, size_t *length)
{
    int rc = need(c, 1);
    if (rc)
        return rc;
    uint8_t first = c->buf[c->pos];
    if (first < 0x80) {
        *length = first;
        c->pos += 1;
        return PANDC_OK;
    }
    size_t n = first & 0x7F;
    if (n < 1 || n > 3)
        return fail(c, PANDC_ERR_LENGTH_FORM, c->pos);
    if (n + 1 > c->end - c->pos)
        return fail(c, PANDC_ERR_TRUNCATED, c->pos);
    *length = (size_t)read_be(c->buf + c->pos + 1, n);
    c->pos += n + 1;
    return PANDC_OK;
}

/* A length-prefixed field whose value must fit before the end. */
static int read_sized(cursor *c, size_t *offset, size_t *length)
{
    size_t start = c->pos;
    int rc = read_length(c, length);
    if (rc)
        return rc;
    if (*length > c->end - c->pos)
        return fail(c, PANDC_ERR_TRUNCATED, start);
    *offset = c->pos;
    c->pos += *length;
    return PANDC_OK;
}

static int expect_byte(cursor *c, uint8_t value, int code)
{
    int rc = need(c, 1);
    if (rc)
        return rc;
    if (c->buf[c->pos] != value)
        return fail(c, code, c->pos);
    c->pos += 1;
    return PANDC_OK;
}

static int read_system_title(cursor *c, uint8_t title[8])
{
    int rc = expect_byte(c, 0x08, PANDC_ERR_SYSTEM_TITLE);
    if (rc)
        return rc;
    if ((rc = need(c, 8)))
        return rc;
    memcpy(title, c->buf + c->pos, 8);
    c->pos += 8;
    return PANDC_OK;
}

static int decode_other_information(cursor *c)
{
    pandc_header *out = c->out;
    size_t start = c->pos, offset, length;
    int rc = read_sized(c, &offset, &length);
    if (rc)
        return rc;
    if (!(length == 2 || length == 10 || length == 18 || length >= 26))
        return fail(c, PANDC_ERR_OTHER_INFORMATION, start);
    const uint8_t *p = c->buf + offset;
    out->message_code = (uint16_t)read_be(p, 2);
    if (length >= 10) {
        memcpy(out->supplementary_remote_party_id, p + 2, 8);
        out->flags |= PANDC_HAS_SRP_ID;
    }
    if (length >= 18) {
        out->supplementary_remote_party_counter = read_be(p + 10, 8);
        out->flags |= PANDC_HAS_SRP_COUNTER;
    }
    if (length == 26) {
        out->supplementary_originator_counter = read_be(p + 18, 8);
        out->flags |= PANDC_HAS_SO_COUNTER;
    } else if (length > 26) {
        /* A key-agreement certificate follows the supplementary remote party counter. */
        out->certificate_offset = (uint32_t)(offset + 18);
        out->certificate_length = (uint32_t)(length - 18);
        out->flags |= PANDC_HAS_CERTIFICATE;
    }
    return PANDC_OK;
}

static int decode_general_signing(cursor *c)
{
    pandc_header *out = c->out;
    size_t offset, length;
    int rc;

    out->signing_offset = (uint32_t)c->pos;
    if ((rc = expect_byte(c, PANDC_FRAME_GENERAL_SIGNING, PANDC_ERR_SIGNING_TAG)))
        return rc;
    if ((rc = expect_byte(c, 0x09, PANDC_ERR_TRANSACTION_ID)))
        return rc;
    if ((rc = need(c, 9)))
        return rc;
    uint8_t cra = c->buf[c->pos];
    if (cra < 1 || cra > 3)
        return fail(c, PANDC_ERR_CRA_FLAG, c->pos);
    out->cra = cra;
    out->originator_counter = read_be(c->buf + c->pos + 1, 8);
    c->pos += 9;
    if ((rc = read_system_title(c, out->originator)))
        return rc;
    if ((rc = read_system_title(c, out->recipient)))
        return rc;

    if ((rc = need(c, 1)))
        return rc;
    uint8_t date_time_length = c->buf[c->pos];
    if (date_time_length == 0x0C) {
        c->pos += 1;
        if ((rc = need(c, 12)))
            return rc;
        memcpy(out->date_time, c->buf + c->pos, 12);
        out->flags |= PANDC_HAS_DATE_TIME;
        c->pos += 12;
    } else if (date_time_length == 0x00) {
        c->pos += 1;
    } else {
        return fail(c, PANDC_ERR_DATE_TIME, c->pos);
    }

    if ((rc = decode_other_information(c)))
        return rc;
    if ((rc = read_sized(c, &offset, &length)))
        return rc;
    out->content_offset = (uint32_t)offset;
    out->content_length = (uint32_t)length;

    /* Pre-commands (general-signing commands) end with the content: no signature field. */
    if (c->pos == c->end) {
        if (out->frame == PANDC_FRAME_GENERAL_SIGNING && out->cra == 1)
            return PANDC_OK;
        return fail(c, PANDC_ERR_SIGNATURE_MISSING, c->pos);
    }
    size_t signature_start = c->pos;
    if ((rc = read_sized(c, &offset, &length)))
        return rc;
    if (length != 0 && length != 64)
        return fail(c, PANDC_ERR_SIGNATURE_LENGTH, signature_start);
    out->flags |= PANDC_HAS_SIGNATURE_FIELD;
    out->signature_offset = (uint32_t)offset;
    out->signature_length = (uint32_t)length;
    if (c->pos != c->end)
        return fail(c, PANDC_ERR_TRAILING_BYTES, c->pos);
    return PANDC_OK;
}

static int decode_general_ciphering(cursor *c)
{
    size_t offset, length;
    int rc;

    c->pos = 1;
    for (int i = 0; i < 6; i++)
        if ((rc = expect_byte(c, 0x00, PANDC_ERR_CIPHERING_FIELDS)))
            return rc;
    if ((rc = read_sized(c, &offset, &length)))
        return rc;
    if (c->pos != c->end)
        return fail(c, PANDC_ERR_TRAILING_BYTES, c->pos);
    /* The ciphered service holds the security header (5), the signing APDU and the MAC (12). */
    if (length < 5 + 1 + 12)
        return fail(c, PANDC_ERR_CIPHERING_LENGTH, offset);
    if (c->buf[offset] != 0x11)
        return fail(c, PANDC_ERR_SECURITY_HEADER, offset);
    c->pos = offset + 5;
    c->end = offset + length - 12;
    c->out->mac_offset = (uint32_t)c->end;
    c->out->flags |= PANDC_HAS_MAC;
    return decode_general_signing(c);
}

int pandc_decode_header(const uint8_t *buf, size_t len, pandc_header *out)
{
    cursor c = {buf, 0, len, out};

    memset(out, 0, sizeof *out);
    if (len == 0)
        return fail(&c, PANDC_ERR_EMPTY, 0);
    if (len > UINT32_MAX)
        return fail(&c, PANDC_ERR_TOO_LARGE, 0);
    out->frame = buf[0];
    out->message_length = (uint32_t)len;
    switch (buf[0]) {
    case PANDC_FRAME_GENERAL_CIPHERING:
        /* DD 09 is a GBT block's routing header (a transaction-id where general ciphering
         * has its empty fields): one piece of a message, not a message (FACTS section 8). */
        if (len >= 2 && buf[1] == 0x09)
            return fail(&c, PANDC_ERR_GBT_BLOCK, 0);
        return decode_general_ciphering(&c);
    case PANDC_FRAME_GENERAL_SIGNING:
        return decode_general_signing(&c);
    case PANDC_FRAME_BLOCK_TRANSFER:
        return fail(&c, PANDC_ERR_BLOCK_TRANSFER, 0);
    default:
        return fail(&c, PANDC_ERR_UNKNOWN_FRAME, 0);
    }
}

size_t pandc_decode_headers(const uint8_t *buf, size_t buf_len, const uint64_t *offsets,
                            const uint64_t *lengths, size_t count, pandc_header *out)
{
    size_t failures = 0;
    for (size_t i = 0; i < count; i++) {
        /* A span outside the buffer is the caller's mistake; report it, never read it. */
        if (offsets[i] > buf_len || lengths[i] > buf_len - offsets[i]) {
            memset(&out[i], 0, sizeof out[i]);
            out[i].error = PANDC_ERR_TRUNCATED;
            failures++;
            continue;
        }
        if (pandc_decode_header(buf + offsets[i], (size_t)lengths[i], &out[i]) != PANDC_OK)
            failures++;
    }
    return failures;
}
