/* The text of one progress line (gd_progress_print), formatted in C: snprintf into the
 * printer's buffer, so printing allocates nothing. Internal to the library: the name does not
 * start with gd_, so the version script keeps it out of the exports. */
#ifndef GRADIENT_DESCENT_PROGRESS_FORMAT_H
#define GRADIENT_DESCENT_PROGRESS_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* Writes "gd: iteration I[/T (P%)][  epoch E]  loss L  |grad| G  lr R  S s\n" into
 * line[0..capacity) (the total and percentage when total > 0, the epoch when epoch > 0) and
 * returns its length, at most capacity - 1. */
size_t gradient_descent_format_progress(char *line, size_t capacity, uint64_t iteration,
                                        uint64_t total, uint64_t epoch, double loss,
                                        double gradient_norm, double lr, double seconds);

#endif
