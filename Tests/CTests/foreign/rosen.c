/* Functions with their own signatures, as a user's existing library would have them; the
 * tests bind them through libffi without glue. All are the 2-parameter-per-term Rosenbrock
 * sum_{i<n-1} 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2. */
#include <stddef.h>

static double value(size_t n, const double *x, double *g) {
    double f = 0;
    if (g) {
        for (size_t i = 0; i < n; i++) g[i] = 0;
    }
    for (size_t i = 0; i + 1 < n; i++) {
        double t = x[i + 1] - x[i] * x[i], u = 1 - x[i];
        f += 100 * t * t + u * u;
        if (g) {
            g[i] += -400 * x[i] * t - 2 * u;
            g[i + 1] += 200 * t;
        }
    }
    return f;
}

/* Form 1: value and gradient apart, int n by value. */
double rosen(int n, const double *x);
double rosen(int n, const double *x) { return value((size_t)n, x, NULL); }

void rosen_grad(int n, const double *x, double *g);
void rosen_grad(int n, const double *x, double *g) { (void)value((size_t)n, x, g); }

/* Form 3: combined, size_t n last, no user pointer. */
double fdf(const double *x, double *g, size_t n);
double fdf(const double *x, double *g, size_t n) { return value(n, x, g); }

/* A status-returning form: fails (returns 3) when x[0] > 10, else 0 with the loss in *f. */
int checked(long n, const double *x, double *f, double *g);
int checked(long n, const double *x, double *f, double *g) {
    if (x[0] > 10) return 3;
    *f = value((size_t)n, x, g);
    return 0;
}
