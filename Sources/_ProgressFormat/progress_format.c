#include "progress_format.h"

#include <stdio.h>

size_t gradient_descent_format_progress(char *line, size_t capacity, uint64_t iteration,
                                        uint64_t total, uint64_t epoch, double loss,
                                        double gradient_norm, double lr, double seconds) {
    if (line == NULL || capacity == 0) return 0;
    size_t used = 0;
    int written;
#define APPEND(...)                                                                  \
    do {                                                                             \
        written = snprintf(line + used, capacity - used, __VA_ARGS__);               \
        if (written < 0) return used;                                                \
        used += (size_t)written;                                                     \
        if (used >= capacity) return capacity - 1;                                   \
    } while (0)
    APPEND("gd: iteration %llu", (unsigned long long)iteration);
    if (total > 0) {
        APPEND("/%llu (%3.0f%%)", (unsigned long long)total, 100.0 * (double)iteration / (double)total);
    }
    if (epoch > 0) APPEND("  epoch %llu", (unsigned long long)epoch);
    APPEND("  loss %.6e  |grad| %.3e  lr %.3e  %.3f s\n", loss, gradient_norm, lr, seconds);
#undef APPEND
    return used;
}
