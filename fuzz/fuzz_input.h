/* Reading a fuzzer's input as a stream of choices: integers, doubles, strings, each taken
 * from the front; an exhausted input gives zeros and empty strings, so every input is a
 * complete program. Shared by the fuzz targets. */
#ifndef GD_FUZZ_INPUT_H
#define GD_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct fuzz_input {
    const uint8_t *data;
    size_t size;
} fuzz_input;

static inline int fuzz_empty(const fuzz_input *in) { return in->size == 0; }

static inline uint8_t fuzz_u8(fuzz_input *in) {
    if (in->size == 0) return 0;
    uint8_t value = in->data[0];
    in->data++;
    in->size--;
    return value;
}

static inline uint64_t fuzz_u64(fuzz_input *in) {
    uint64_t value = 0;
    for (int i = 0; i < 8; i++) value |= (uint64_t)fuzz_u8(in) << (8 * i);
    return value;
}

/* An integer in [0, bound) (bound > 0) from one or two bytes. */
static inline size_t fuzz_below(fuzz_input *in, size_t bound) {
    size_t value = bound > 256 ? (size_t)fuzz_u8(in) | (size_t)fuzz_u8(in) << 8 : fuzz_u8(in);
    return value % bound;
}

/* A double: mostly edge values and small numbers, sometimes any 64 bits. */
static inline double fuzz_double(fuzz_input *in) {
    static const double edges[] = {0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 0.1, 0.9, 0.999, 1e-8, 1e300, -1e300,
                                   1e-310, 3.0, 10.0, 100.0, 1e6, 9007199254740992.0, 1.0 / 0.0,
                                   -1.0 / 0.0, 0.0 / 0.0, 1.7976931348623157e308};
    uint8_t kind = fuzz_u8(in);
    if (kind < 128) return edges[kind % (sizeof edges / sizeof edges[0])];
    if (kind < 192) return (double)(int8_t)fuzz_u8(in) / 8.0;
    uint64_t bits = fuzz_u64(in);
    double value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

/* A NUL-terminated string of at most capacity - 1 bytes: one of `words` (when given) or raw
 * bytes up to a 0 byte. */
static inline const char *fuzz_string(fuzz_input *in, char *buffer, size_t capacity, const char *const *words,
                               size_t word_count) {
    uint8_t kind = fuzz_u8(in);
    if (words && word_count > 0 && kind < 200) return words[kind % word_count];
    size_t length = 0;
    while (length + 1 < capacity && in->size > 0) {
        uint8_t c = fuzz_u8(in);
        if (c == 0) break;
        buffer[length++] = (char)c;
    }
    buffer[length] = '\0';
    return buffer;
}

#endif
