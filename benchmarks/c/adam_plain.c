/*
 * Adam (PyTorch's single-tensor formula) as a C programmer writes it: the baseline the
 * library's gd_optimizer_step is compared with. The harness compiles this file twice:
 *   -O2                                   "plain gcc -O2 loop" (sqrt keeps errno, scalar)
 *   -O3 -march=native -fno-math-errno     the hardware reference: what this CPU can do
 * ADAM_PLAIN_NAME gives each copy its own symbol.
 */
#include <math.h>
#include <stddef.h>

#ifndef ADAM_PLAIN_NAME
#define ADAM_PLAIN_NAME adam_plain
#endif

void ADAM_PLAIN_NAME(double *x, const double *g, double *m, double *v, size_t n, double lr,
                     double beta1, double beta2, double eps, double t) {
    const double bias_correction1 = 1.0 - pow(beta1, t);
    const double bias_correction2 = 1.0 - pow(beta2, t);
    const double step_size = lr / bias_correction1;
    const double bias_correction2_sqrt = sqrt(bias_correction2);
    for (size_t i = 0; i < n; i++) {
        m[i] = m[i] + (1.0 - beta1) * (g[i] - m[i]);
        v[i] = v[i] * beta2 + (1.0 - beta2) * g[i] * g[i];
        x[i] = x[i] - step_size * m[i] / (sqrt(v[i]) / bias_correction2_sqrt + eps);
    }
}
