/* Editing saved state blobs the way a hostile user would: change a field, then recompute the
 * header's CRC-32 so that loading gets past the checksum to the field checks. Shared by the C
 * tests and the fuzzers. The layout is the header's "Saved states" section. */
#ifndef GD_TEST_STATE_BLOB_H
#define GD_TEST_STATE_BLOB_H

#include <stddef.h>
#include <stdint.h>

#define STATE_BLOB_HEADER_SIZE 32
#define STATE_BLOB_CHECKSUM_OFFSET 24
#define STATE_BLOB_RESERVED_OFFSET 28

/* CRC-32 as zlib computes it (reflected polynomial 0xEDB88320), bit by bit. */
static inline uint32_t state_blob_crc32(const unsigned char *bytes, size_t count) {
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < count; i++) {
        crc ^= bytes[i];
        for (int bit = 0; bit < 8; bit++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return crc ^ 0xFFFFFFFFu;
}

static inline void state_blob_store_u32(unsigned char *at, uint32_t value) {
    for (int i = 0; i < 4; i++) at[i] = (unsigned char)(value >> (8 * i));
}

static inline void state_blob_store_u64(unsigned char *at, uint64_t value) {
    for (int i = 0; i < 8; i++) at[i] = (unsigned char)(value >> (8 * i));
}

static inline uint64_t state_blob_load_u64(const unsigned char *at) {
    uint64_t value = 0;
    for (int i = 7; i >= 0; i--) value = (value << 8) | at[i];
    return value;
}

/* Recomputes the body's checksum into the header (blobs shorter than a header are left). */
static inline void state_blob_fix_checksum(unsigned char *blob, size_t size) {
    if (size < STATE_BLOB_HEADER_SIZE) return;
    state_blob_store_u32(blob + STATE_BLOB_CHECKSUM_OFFSET,
                         state_blob_crc32(blob + STATE_BLOB_HEADER_SIZE, size - STATE_BLOB_HEADER_SIZE));
}

#endif
