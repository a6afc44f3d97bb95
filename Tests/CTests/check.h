/* A tiny assertion layer for the C tests: counts failures, prints where, never aborts. */
#ifndef GD_TEST_CHECK_H
#define GD_TEST_CHECK_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int check_failures = 0;
static int check_count = 0;

#define CHECK(cond)                                                                    \
    do {                                                                               \
        check_count++;                                                                 \
        if (!(cond)) {                                                                 \
            check_failures++;                                                          \
            fprintf(stderr, "%s:%d: CHECK(%s) failed (last error: %s)\n", __FILE__,   \
                    __LINE__, #cond, gd_last_error());                                 \
        }                                                                              \
    } while (0)

#define CHECK_STATUS(expr, expected)                                                   \
    do {                                                                               \
        int status_ = (expr);                                                          \
        check_count++;                                                                 \
        if (status_ != (expected)) {                                                   \
            check_failures++;                                                          \
            fprintf(stderr, "%s:%d: %s returned %d (%s), expected %s; last error: %s\n", \
                    __FILE__, __LINE__, #expr, status_, gd_status_string(status_),     \
                    #expected, gd_last_error());                                       \
        }                                                                              \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                          \
    do {                                                                               \
        double a_ = (a), b_ = (b);                                                     \
        check_count++;                                                                 \
        if (!(fabs(a_ - b_) <= (tol))) {                                               \
            check_failures++;                                                          \
            fprintf(stderr, "%s:%d: %s = %.17g, expected %.17g (tol %g)\n", __FILE__,  \
                    __LINE__, #a, a_, b_, (double)(tol));                              \
        }                                                                              \
    } while (0)

/* The last error mentions a word (the argument's name or its value). */
#define CHECK_ERROR_MENTIONS(text)                                                     \
    do {                                                                               \
        check_count++;                                                                 \
        if (strstr(gd_last_error(), (text)) == NULL) {                                 \
            check_failures++;                                                          \
            fprintf(stderr, "%s:%d: last error \"%s\" does not mention \"%s\"\n",      \
                    __FILE__, __LINE__, gd_last_error(), (text));                      \
        }                                                                              \
    } while (0)

/* zlib's CRC-32, for tests that change a saved blob on purpose and seal it again. */
static inline uint32_t check_crc32(const unsigned char *p, size_t n) {
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++) crc = (crc & 1) ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
    }
    return crc ^ 0xFFFFFFFFu;
}

static int check_summary(const char *name) {
    printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
    return check_failures == 0 ? 0 : 1;
}

#endif
