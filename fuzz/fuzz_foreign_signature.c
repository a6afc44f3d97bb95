/* libFuzzer target: foreign-function signature strings (gd_objective_new_foreign). The
 * harness exports the functions the seeds name (exported by fuzz/exports.list, found through
 * library NULL), so a signature that parses also gets bound through libffi; nothing is
 * called, since a signature that is not the function's real prototype cannot be called
 * safely. Every outcome must be GD_OK or a documented status.
 *
 * Input: byte 0 chooses n (bits 0-2) and whether a gradient signature follows (bit 3); the
 * rest is the function signature, then after the first newline the gradient signature. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_descent.h"

double rosen(int n, const double *x);
void rosen_grad(int n, const double *x, double *g);
double fdf(const double *x, double *g, size_t n);
void fg_(const int *n, const double *x, double *f, double *g);

/* Definitions only for the symbol lookup; the harness never calls them. */
double rosen(int n, const double *x) { return n > 0 ? x[0] : 0; }
void rosen_grad(int n, const double *x, double *g) { if (n > 0) g[0] = x[0]; }
double fdf(const double *x, double *g, size_t n) { if (n > 0) g[0] = x[0]; return 0; }
void fg_(const int *n, const double *x, double *f, double *g) { if (*n > 0) { *f = 0; g[0] = x[0]; } }

static const size_t dimensions[] = {0, 1, 2, 3, 7, 1000, 4096, SIZE_MAX};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size > 4096) return 0;
    const size_t n = dimensions[data[0] & 7];
    const int with_gradient = (data[0] >> 3) & 1;
    char *text = malloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    char *gradient = NULL;
    char *newline = memchr(text, '\n', size - 1);
    if (newline) {
        *newline = '\0';
        if (with_gradient) gradient = newline + 1;
    }
    gd_objective *obj = NULL;
    int status = gd_objective_new_foreign(NULL, text, gradient, n, &obj);
    if (!(status == GD_OK || status == GD_E_FOREIGN || status == GD_E_INVALID_ARGUMENT ||
          status == GD_E_OUT_OF_MEMORY)) {
        fprintf(stderr, "unexpected status %d: %s\n", status, gd_last_error());
        abort();
    }
    if ((status == GD_OK) != (obj != NULL)) abort();
    if (status == GD_OK) {
        size_t dimension = 0;
        if (gd_objective_dimension(obj, &dimension) != GD_OK || dimension != n) abort();
    } else if (gd_last_error()[0] == '\0') {
        abort(); /* every failure has a message */
    }
    gd_objective_free(obj);
    free(text);
    return 0;
}
