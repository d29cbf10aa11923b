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
"""

ffibuilder = FFI()
ffibuilder.cdef(CDEF)
ffibuilder.set_source(
    "pandc._gbcs_header",
    '#include "gbcs_header.h"',
    # Paths are relative to the project root, where setup.py runs.
    sources=["csrc/gbcs_header.c"],
    include_dirs=["csrc"],
    extra_compile_args=["-O2", "-std=c99", "-Wall", "-Wextra"],
)

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
