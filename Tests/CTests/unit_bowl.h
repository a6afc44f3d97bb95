/* f(x) = 1/2 |x - 1|^2 as a full-batch and a sampled callback (every sample the same), for
 * the C tests, the fuzz targets and the seed writer: every update of every rule moves x.
 * Header-only; no other test header needed. */
#ifndef GD_TEST_UNIT_BOWL_H
#define GD_TEST_UNIT_BOWL_H

#include <stddef.h>

static inline int unit_bowl(void *user, const double *x, double *grad, size_t n, double *loss) {
    (void)user;
    double f = 0;
    for (size_t i = 0; i < n; i++) {
        f += 0.5 * (x[i] - 1) * (x[i] - 1);
        if (grad) grad[i] = x[i] - 1;
    }
    *loss = f;
    return 0;
}

static inline int sampled_unit_bowl(void *user, const double *x, double *grad, size_t n,
                                    const size_t *samples, size_t count, double *loss) {
    (void)samples;
    (void)count;
    return unit_bowl(user, x, grad, n, loss);
}

#endif
