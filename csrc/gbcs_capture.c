/* Capture files to columns; see gbcs_capture.h and pandc/codec/_pycapture.py (its twin). */
#include "gbcs_capture.h"
#include "gbcs_header.h"

#include <string.h>


/* Digit values: 0..15 hex, 0x40 other. */
#define NOT_HEX 0x40
/* Character classes for the text rules of pandc/codec/text.py: the whitespace str.strip()
 * and the regex \s remove from ASCII text, and the base64 alphabet. */
#define CLASS_SPACE 0x80
#define NOT_BASE64 0x40

static uint8_t hex_value[256];
/* Two hex digits (first << 8 | second) to their byte; PAIR_INVALID when either is no digit.
 * One lookup per byte of the fast path below. */
#define PAIR_INVALID 0x100
static uint16_t hex_pair[65536];
static uint8_t base64_value[256];
static uint8_t is_space[256];
static int tables_ready;

static void build_tables(void)
{
    /* Idempotent, so two threads racing here write the same bytes. */
    for (int i = 0; i < 256; i++) {
        hex_value[i] = NOT_HEX;
        base64_value[i] = NOT_BASE64;
        is_space[i] = 0;
    }
    for (int i = 0; i < 10; i++) {
        hex_value['0' + i] = (uint8_t)i;
        base64_value['0' + i] = (uint8_t)(52 + i);
    }
    for (int i = 0; i < 6; i++) {
        hex_value['A' + i] = (uint8_t)(10 + i);
        hex_value['a' + i] = (uint8_t)(10 + i);
    }
    for (int i = 0; i < 26; i++) {
        base64_value['A' + i] = (uint8_t)i;
        base64_value['a' + i] = (uint8_t)(26 + i);
    }
    base64_value['+'] = 62;
    base64_value['/'] = 63;
    /* \t \n \v \f \r, the information separators 0x1C-0x1F, space: Python's str.isspace(). */
    const uint8_t spaces[] = {9, 10, 11, 12, 13, 28, 29, 30, 31, 32};
    for (size_t i = 0; i < sizeof spaces; i++)
        is_space[spaces[i]] = 1;
    for (int i = 0; i < 65536; i++) {
        uint8_t hi = hex_value[i >> 8], lo = hex_value[i & 0xFF];
        hex_pair[i] = ((hi | lo) & NOT_HEX) ? PAIR_INVALID : (uint16_t)((hi << 4) | lo);
    }
    tables_ready = 1;
}

int pandc_capture_abi(void)
{
    /* Also builds the lookup tables, so a caller that checks the ABI once (pandc's binding
     * does, at import) has them ready before threads share them. */
    if (!tables_ready)
        build_tables();
    return PANDC_CAPTURE_ABI;
}

static void set_bit(uint8_t *bitmap, uint64_t i)
{
    bitmap[i >> 3] |= (uint8_t)(1u << (i & 7));
}

/* Days from 1970-01-01 to the proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static unsigned days_in_month(unsigned year, unsigned month)
{
    static const uint8_t days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
        return 29;
    return days[month - 1];
}

/* The instant of 12 date-time octets in UTC microseconds, under the rules of
 * pandc.codec.dates._instant (every field specified, hundredths 0xFF read as 0, deviation
 * 0x8000 = UTC or within +-720 minutes, a date Python's datetime accepts, in UTC too).
 * Returns 0 when the octets are no instant. */
static int date_time_micros(const uint8_t *o, int64_t *out)
{
    unsigned year = ((unsigned)o[0] << 8) | o[1];
    unsigned month = o[2], day = o[3], hour = o[5], minute = o[6], second = o[7];
    unsigned hundredths = o[8];
    int deviation = (int16_t)(((unsigned)o[9] << 8) | o[10]);

    if (year == 0xFFFF || month == 0xFF || day == 0xFF || hour == 0xFF || minute == 0xFF ||
        second == 0xFF)
        return 0;
    if (hundredths == 0xFF)
        hundredths = 0;
    if (hundredths > 99)
        return 0;
    if (deviation == -0x8000)
        deviation = 0;
    else if (deviation < -720 || deviation > 720)
        return 0;
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
        day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 59)
        return 0;
    /* DLMS deviation is minutes from local time to UTC: UTC = local + deviation. */
    int64_t seconds = days_from_civil(year, month, day) * 86400 + (int64_t)hour * 3600 +
                      (int64_t)minute * 60 + second + (int64_t)deviation * 60;
    /* The UTC instant must itself be a date Python (and xs:dateTime as pandc writes it)
     * can hold: 0001-01-01 to 9999-12-31. */
    if (seconds < days_from_civil(1, 1, 1) * 86400 || seconds >= days_from_civil(10000, 1, 1) * 86400)
        return 0;
    *out = seconds * 1000000 + (int64_t)hundredths * 10000;
    return 1;
}

static void fail_row(pandc_capture_columns *c, uint64_t row, int code, int64_t offset)
{
    c->error[row] = (uint8_t)code;
    set_bit(c->error_valid, row);
    if (offset >= 0) {
        c->offset[row] = (uint32_t)offset;
        set_bit(c->offset_valid, row);
    }
}

/* Decodes the message msg[0:len] into row `row`. */
static void decode_row(pandc_capture_columns *c, uint64_t row, const uint8_t *msg, size_t len)
{
    pandc_header h;
    if (pandc_decode_header(msg, len, &h) != PANDC_OK) {
        fail_row(c, row, h.error, h.error_offset);
        return;
    }
    set_bit(c->header_valid, row);
    c->frame[row] = h.frame;
    c->cra[row] = h.cra;
    c->originator_counter[row] = h.originator_counter;
    memcpy(c->originator + row * 8, h.originator, 8);
    memcpy(c->recipient + row * 8, h.recipient, 8);
    c->message_code[row] = h.message_code;
    c->payload_length[row] = h.content_length;
    if ((h.flags & PANDC_HAS_SIGNATURE_FIELD) && h.signature_length)
        set_bit(c->is_signed, row);
    if (h.flags & PANDC_HAS_SRP_ID) {
        memcpy(c->supplementary_remote_party_id + row * 8, h.supplementary_remote_party_id, 8);
        set_bit(c->supplementary_remote_party_id_valid, row);
    }
    if (h.flags & PANDC_HAS_SRP_COUNTER) {
        c->supplementary_remote_party_counter[row] = h.supplementary_remote_party_counter;
        set_bit(c->supplementary_remote_party_counter_valid, row);
    }
    if (h.flags & PANDC_HAS_SO_COUNTER) {
        c->supplementary_originator_counter[row] = h.supplementary_originator_counter;
        set_bit(c->supplementary_originator_counter_valid, row);
    }
    if (h.flags & PANDC_HAS_DATE_TIME) {
        uint8_t status = h.date_time[11];
        int64_t micros;
        c->time_status[row] = status;
        set_bit(c->time_status_valid, row);
        if (date_time_micros(h.date_time, &micros)) {
            c->date_time[row] = micros;
            set_bit(c->date_time_valid, row);
        }
        if (status != 0xFF) {
            set_bit(c->clock_status_valid, row);
            c->clock_status[row] = (status & 0x01) ? PANDC_CLOCK_INVALID
                                 : (status & 0x02) ? PANDC_CLOCK_UNRELIABLE
                                 : PANDC_CLOCK_RELIABLE;
            if (status & 0x04)
                set_bit(c->is_from_gsme, row);
        }
    }
}

/* Strict base64 as binascii.a2b_base64(text, strict_mode=True) decides it: returns the
 * decoded length, or -1 when Python would raise. Every character is already in the alphabet
 * or '='. */
static int64_t base64_strict(const uint8_t *text, size_t n, uint8_t *out)
{
    size_t written = 0;
    unsigned quad = 0, pads = 0, left = 0;
    int padding = 0;

    if (n > 0 && text[0] == '=')
        return -1;                          /* leading padding */
    for (size_t i = 0; i < n; i++) {
        uint8_t ch = text[i];
        if (ch == '=') {
            padding = 1;
            if (quad >= 2 && quad + ++pads >= 4) {
                if (i + 1 < n)
                    return -1;              /* excess data after padding */
                return (int64_t)written;
            }
            continue;
        }
        unsigned v = base64_value[ch];
        if (padding)
            return -1;                      /* discontinuous padding */
        pads = 0;
        switch (quad) {
        case 0:
            left = v;
            quad = 1;
            break;
        case 1:
            out[written++] = (uint8_t)((left << 2) | (v >> 4));
            left = v & 0x0F;
            quad = 2;
            break;
        case 2:
            out[written++] = (uint8_t)((left << 4) | (v >> 2));
            left = v & 0x03;
            quad = 3;
            break;
        default:
            out[written++] = (uint8_t)((left << 6) | v);
            left = 0;
            quad = 0;
            break;
        }
    }
    if (quad != 0)
        return -1;                          /* incorrect padding or length */
    return (int64_t)written;
}

static uint8_t upper(uint8_t ch)
{
    return (ch >= 'a' && ch <= 'z') ? (uint8_t)(ch - 32) : ch;
}

static int is_frame_start(uint8_t a, uint8_t b)
{
    a = upper(a);
    b = upper(b);
    return (a == 'D' && (b == 'D' || b == 'F')) || (a == 'E' && b == '0');
}

/* Hex or base64 text (no whitespace left, at least one character) to message bytes, as
 * pandc.codec.text.text_to_bytes does it. Returns the message length, or -1 after writing
 * the error into the row. `out` holds at least n bytes. */
static int64_t text_to_bytes(pandc_capture_columns *c, uint64_t row, const uint8_t *t, size_t n,
                             uint8_t *out)
{
    size_t i;
    int hex_frame = n >= 2 && hex_value[t[0]] < 16 && hex_value[t[1]] < 16 &&
                    is_frame_start(t[0], t[1]);
    if (hex_frame || n % 2 == 0) {
        for (i = 0; i + 1 < n; i += 2) {
            uint8_t hi = hex_value[t[i]], lo = hex_value[t[i + 1]];
            if ((hi | lo) & NOT_HEX)
                break;
            out[i / 2] = (uint8_t)((hi << 4) | lo);
        }
        if (i + 1 >= n && n % 2 == 0)
            return (int64_t)(n / 2);
        if (hex_frame) {
            if (i < n && hex_value[t[i]] & NOT_HEX) {
                fail_row(c, row, PANDC_TEXT_HEX_DIGIT, (int64_t)(i / 2));
                return -1;
            }
            if (i + 1 < n) {
                fail_row(c, row, PANDC_TEXT_HEX_DIGIT, (int64_t)((i + 1) / 2));
                return -1;
            }
            fail_row(c, row, PANDC_TEXT_HEX_ODD, (int64_t)(n / 2));
            return -1;
        }
    }
    for (i = 0; i < n; i++) {
        if (base64_value[t[i]] == NOT_BASE64 && t[i] != '=') {
            fail_row(c, row, PANDC_TEXT_BASE64_CHAR, (int64_t)(i * 3 / 4));
            return -1;
        }
    }
    int64_t length = base64_strict(t, n, out);
    if (length < 0)
        fail_row(c, row, PANDC_TEXT_BASE64, (int64_t)(n * 3 / 4));
    return length;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ONES 0x0101010101010101ULL
#define HIGH 0x8080808080808080ULL
/* High bit set in each byte of x strictly between m and n (bytes below 0x80; 0 <= m <= 127,
 * n <= 128): the "hasbetween" bit trick, exact per byte because no carry crosses bytes. */
#define BETWEEN(x, m, n) \
    ((ONES * (127 + (n)) - ((x) & ONES * 127)) & ~(x) & (((x) & ONES * 127) + ONES * (127 - (m))) & HIGH)

/* Eight hex digits to four bytes, eight at a time; 0 when any is no hex digit. */
static int hex8(const uint8_t *s, uint8_t *out)
{
    uint64_t x;
    memcpy(&x, s, 8);
    if (x & HIGH)
        return 0;
    uint64_t lower = x | ONES * 0x20;
    if ((BETWEEN(x, 0x2F, 0x3A) | BETWEEN(lower, 0x60, 0x67)) != HIGH)
        return 0;
    /* digits: low nibble; letters (bit 6 set): low nibble + 9 */
    uint64_t v = (x & ONES * 0x0F) + ((x >> 6) & ONES) * 9;
    /* byte pairs (high, low digit) to one byte in the low half of each 16-bit lane */
    v = ((v & 0x00FF00FF00FF00FFULL) << 4) | ((v >> 8) & 0x00FF00FF00FF00FFULL);
    v = (v | (v >> 8)) & 0x0000FFFF0000FFFFULL;
    v = (v | (v >> 16)) & 0x00000000FFFFFFFFULL;
    uint32_t bytes = (uint32_t)v;
    memcpy(out, &bytes, 4);
    return 1;
}
#else
static int hex8(const uint8_t *s, uint8_t *out)
{
    unsigned bad = 0;
    for (int i = 0; i < 8; i += 2) {
        uint16_t v = hex_pair[((unsigned)s[i] << 8) | s[i + 1]];
        bad |= v;
        out[i / 2] = (uint8_t)v;
    }
    return !(bad & PAIR_INVALID);
}
#endif

#if defined(__SSE2__)
#include <emmintrin.h>
#define HAVE_HEX_SSE2 1
/* All-ones in the lanes of x that hold a hex digit. Bytes >= 0x80 are negative as signed
 * chars and fail both range tests. */
static __m128i hex_lanes(__m128i x, __m128i *letter)
{
    /* x - '0' in 0..9, tested as signed (x + 0x50) < -118 (-128 + 10) */
    __m128i digit = _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8(0x50)), _mm_set1_epi8(-118));
    /* (x | 0x20) - 'a' in 0..5, tested as signed ((x | 0x20) + 0x1F) < -122 (-128 + 6) */
    *letter = _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(x, _mm_set1_epi8(0x20)), _mm_set1_epi8(0x1F)),
                             _mm_set1_epi8(-122));
    return _mm_or_si128(digit, *letter);
}

/* Sixteen hex digits (all valid) to eight bytes, in the low 8 bytes of each 16-bit lane. */
static __m128i hex_pairs(__m128i x, __m128i letter)
{
    /* digits: low nibble; letters: low nibble + 9 */
    __m128i v = _mm_add_epi8(_mm_and_si128(x, _mm_set1_epi8(0x0F)),
                             _mm_and_si128(letter, _mm_set1_epi8(9)));
    /* each 16-bit lane holds (first digit, second digit), low byte first */
    return _mm_or_si128(_mm_slli_epi16(_mm_and_si128(v, _mm_set1_epi16(0x00FF)), 4),
                        _mm_srli_epi16(v, 8));
}

/* 32 hex digits to 16 bytes with SSE2 (every x86-64 has it); 0 when any is no hex digit. */
static int hex32(const uint8_t *s, uint8_t *out)
{
    __m128i letter_a, letter_b;
    __m128i a = _mm_loadu_si128((const __m128i *)s);
    __m128i b = _mm_loadu_si128((const __m128i *)(s + 16));
    __m128i ok = _mm_and_si128(hex_lanes(a, &letter_a), hex_lanes(b, &letter_b));
    if (_mm_movemask_epi8(ok) != 0xFFFF)
        return 0;
    _mm_storeu_si128((__m128i *)out, _mm_packus_epi16(hex_pairs(a, letter_a), hex_pairs(b, letter_b)));
    return 1;
}

/* Sixteen hex digits to eight bytes; 0 when any is no hex digit. */
static int hex16(const uint8_t *s, uint8_t *out)
{
    __m128i letter;
    __m128i x = _mm_loadu_si128((const __m128i *)s);
    if (_mm_movemask_epi8(hex_lanes(x, &letter)) != 0xFFFF)
        return 0;
    __m128i pairs = hex_pairs(x, letter);
    _mm_storel_epi64((__m128i *)out, _mm_packus_epi16(pairs, pairs));
    return 1;
}
#endif

/* s[0:n] (n even) to n / 2 bytes; 0 when a character is no hex digit (out is then partly
 * written). The fast path of plain hex lines; any other line takes text_to_bytes. */
static int hex_to_bytes(const uint8_t *s, size_t n, uint8_t *out)
{
    size_t i = 0;
#ifdef HAVE_HEX_SSE2
    for (; i + 32 <= n; i += 32)
        if (!hex32(s + i, out + i / 2))
            return 0;
    if (i + 16 <= n) {
        if (!hex16(s + i, out + i / 2))
            return 0;
        i += 16;
    }
#endif
    for (; i + 8 <= n; i += 8)
        if (!hex8(s + i, out + i / 2))
            return 0;
    unsigned bad = 0;
    for (; i < n; i += 2) {
        uint16_t v = hex_pair[((unsigned)s[i] << 8) | s[i + 1]];
        bad |= v;
        out[i / 2] = (uint8_t)v;
    }
    return !(bad & PAIR_INVALID);
}

static int is_ascii(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] & 0x80)
            return 0;
    return 1;
}

/* One stripped, non-empty line (not a comment) into row `row`. */
static void decode_text_row(pandc_capture_columns *c, uint64_t row, const uint8_t *s, size_t n,
                            uint8_t *scratch)
{
    const uint8_t *text = s;
    size_t i;

    /* The common case first: an even number of hex digits that starts a known frame, no
     * whitespace inside. Any other byte (space, non-hex, non-ASCII) takes the general path. */
    if (n % 2 == 0 && is_frame_start(s[0], s[1]) && hex_to_bytes(s, n, scratch)) {
        decode_row(c, row, scratch, n / 2);
        return;
    }
    if (!is_ascii(s, n)) {
        fail_row(c, row, PANDC_TEXT_NOT_ASCII, -1);
        return;
    }
    for (i = 0; i < n; i++)
        if (is_space[s[i]])
            break;
    if (i < n) {
        /* Whitespace inside the line: text_to_bytes removes it first. The compacted text
         * goes after the first n bytes of scratch, the message bytes to its start. */
        uint8_t *compact = scratch + n;
        size_t m = 0;
        for (i = 0; i < n; i++)
            if (!is_space[s[i]])
                compact[m++] = s[i];
        text = compact;
        n = m;
    }
    int64_t length = text_to_bytes(c, row, text, n, scratch);
    if (length >= 0)
        decode_row(c, row, scratch, (size_t)length);
}

uint64_t pandc_capture_lines(const uint8_t *text, size_t len, uint64_t first_line, int final,
                             pandc_capture_columns *c, uint8_t *scratch,
                             size_t *consumed, uint64_t *lines)
{
    size_t pos = 0;
    uint64_t line = first_line, written = 0;

    if (!tables_ready)
        build_tables();
    while (pos < len && c->rows < c->capacity) {
        const uint8_t *start = text + pos;
        const uint8_t *newline = memchr(start, '\n', len - pos);
        size_t raw_length, next;
        if (newline) {
            raw_length = (size_t)(newline - start);
            next = pos + raw_length + 1;
        } else if (final) {
            raw_length = len - pos;
            next = len;
        } else {
            break;
        }
        uint64_t number = line++;
        size_t a = 0, b = raw_length;
        /* Stripped ends are ASCII whitespace: only [a, b) can hold a byte >= 0x80. */
        while (a < b && is_space[start[a]])
            a++;
        while (b > a && is_space[start[b - 1]])
            b--;
        if (a == b) {
            pos = next;
            continue;
        }
        int ascii = 1;
        if (start[a] == '#') {
            /* A comment, unless a byte is not ASCII: the line is decoded as ASCII first. */
            ascii = is_ascii(start + a, b - a);
            if (ascii) {
                pos = next;
                continue;
            }
        }
        uint64_t row = c->rows++;
        written++;
        c->line[row] = number;
        c->text_start[row] = pos;
        c->text_length[row] = (uint32_t)(raw_length > UINT32_MAX ? UINT32_MAX : raw_length);
        pos = next;
        if (!ascii) {
            fail_row(c, row, PANDC_TEXT_NOT_ASCII, -1);
            continue;
        }
        decode_text_row(c, row, start + a, b - a, scratch);
    }
    *consumed = pos;
    *lines = line - first_line;
    return written;
}

uint64_t pandc_capture_records(const uint8_t *data, size_t len, uint64_t first_record,
                               int final, pandc_capture_columns *c,
                               size_t *consumed, uint64_t *records)
{
    size_t pos = 0;
    uint64_t number = first_record, written = 0;

    while (pos < len && c->rows < c->capacity) {
        size_t left = len - pos;
        uint64_t length;
        if (left < 4) {
            if (!final)
                break;
        } else {
            length = ((uint64_t)data[pos] << 24) | ((uint64_t)data[pos + 1] << 16) |
                     ((uint64_t)data[pos + 2] << 8) | data[pos + 3];
            if (length <= left - 4) {
                uint64_t row = c->rows++;
                written++;
                c->line[row] = number++;
                c->text_start[row] = pos;
                c->text_length[row] = (uint32_t)(length + 4);
                decode_row(c, row, data + pos + 4, (size_t)length);
                pos += 4 + (size_t)length;
                continue;
            }
            if (!final)
                break;
        }
        /* A record cut off by the end of the input: one error row, then nothing more. */
        uint64_t row = c->rows++;
        written++;
        c->line[row] = number++;
        c->text_start[row] = pos;
        c->text_length[row] = (uint32_t)(left > UINT32_MAX ? UINT32_MAX : left);
        fail_row(c, row, PANDC_RECORD_TRUNCATED, -1);
        pos = len;
    }
    *consumed = pos;
    *records = number - first_record;
    return written;
}

int64_t pandc_format_sources(const uint8_t *prefix, size_t prefix_len, const uint64_t *lines,
                             uint64_t rows, int32_t *offsets, uint8_t *data, size_t data_cap)
{
    size_t written = 0;
    offsets[0] = 0;
    for (uint64_t i = 0; i < rows; i++) {
        char digits[20];
        size_t n = 0;
        uint64_t v = lines[i];
        do {
            digits[n++] = (char)('0' + v % 10);
            v /= 10;
        } while (v);
        if (prefix_len + n > data_cap - written || written + prefix_len + n > INT32_MAX)
            return -1;
        memcpy(data + written, prefix, prefix_len);
        written += prefix_len;
        while (n)
            data[written++] = (uint8_t)digits[--n];
        offsets[i + 1] = (int32_t)written;
    }
    return (int64_t)written;
}
