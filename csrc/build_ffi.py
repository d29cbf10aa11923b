"""cffi (out-of-line, API mode) build of the C core into pandc._gbcs_header."""
from cffi import FFI

CDEF = """
typedef struct pandc_header {
    uint64_t originator_counter;
    uint64_t supplementary_remote_party_counter;
    uint64_t supplementary_originator_counter;
    uint32_t message_length;
    uint32_t signing_offset;
    uint32_t certificate_offset;
    uint32_t certificate_length;
    uint32_t content_offset;
    uint32_t content_length;
    uint32_t signature_offset;
    uint32_t signature_length;
    uint32_t mac_offset;
    uint16_t message_code;
    uint8_t frame;
    uint8_t cra;
    uint8_t flags;
    uint8_t originator[8];
    uint8_t recipient[8];
    uint8_t supplementary_remote_party_id[8];
    uint8_t date_time[12];
    uint8_t error;
    uint32_t error_offset;
} pandc_header;

int pandc_decode_header(const uint8_t *buf, size_t len, pandc_header *out);
size_t pandc_decode_headers(const uint8_t *buf, size_t buf_len, const uint64_t *offsets,
                            const uint64_t *lengths, size_t count, pandc_header *out);
const char *pandc_error_reason(int code);

/* csrc/gbcs_capture.h: capture text or records to column buffers */
typedef struct pandc_capture_columns {
    uint64_t capacity;
    uint64_t rows;
    uint64_t *line;
    uint64_t *text_start;
    uint32_t *text_length;
    uint8_t *error;
    uint8_t *error_valid;
    uint32_t *offset;
    uint8_t *offset_valid;
    uint8_t *header_valid;
    uint8_t *frame;
    uint8_t *cra;
    uint64_t *originator_counter;
    uint8_t *originator;
    uint8_t *recipient;
    uint16_t *message_code;
    uint32_t *payload_length;
    uint8_t *is_signed;
    uint8_t *supplementary_remote_party_id;
    uint8_t *supplementary_remote_party_id_valid;
    uint64_t *supplementary_remote_party_counter;
    uint8_t *supplementary_remote_party_counter_valid;
    uint64_t *supplementary_originator_counter;
    uint8_t *supplementary_originator_counter_valid;
    int64_t *date_time;
    uint8_t *date_time_valid;
    uint8_t *time_status;
    uint8_t *time_status_valid;
    uint8_t *clock_status;
    uint8_t *clock_status_valid;
    uint8_t *is_from_gsme;
} pandc_capture_columns;

int pandc_capture_abi(void);
uint64_t pandc_capture_lines(const uint8_t *text, size_t len, uint64_t first_line, int final,
                             pandc_capture_columns *columns, uint8_t *scratch,
                             size_t *consumed, uint64_t *lines);
uint64_t pandc_capture_records(const uint8_t *data, size_t len, uint64_t first_record,
                               int final, pandc_capture_columns *columns,
                               size_t *consumed, uint64_t *records);
int64_t pandc_format_sources(const uint8_t *prefix, size_t prefix_len, const uint64_t *lines,
                             uint64_t rows, int32_t *offsets, uint8_t *data, size_t data_cap);
"""

ffibuilder = FFI()
ffibuilder.cdef(CDEF)
ffibuilder.set_source(
    "pandc._gbcs_header",
    '#include "gbcs_header.h"\n#include "gbcs_capture.h"',
    # Paths are relative to the project root, where setup.py runs.
    sources=["csrc/gbcs_header.c", "csrc/gbcs_capture.c"],
    include_dirs=["csrc"],
    extra_compile_args=["-O2", "-std=c99", "-Wall", "-Wextra"],
)

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
