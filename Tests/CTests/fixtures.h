/* Objectives and helpers shared by the C tests. Header-only (static inline, so a test that
 * does not use one gets no warning): each test file is its own program. */
#ifndef GD_TEST_FIXTURES_H
#define GD_TEST_FIXTURES_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_descent.h"
#include "check.h"

/* A report of the header's size, ready for gd_minimize. */
static inline gd_report fresh_report(void) {
    gd_report r;
    memset(&r, 0, sizeof r);
    r.struct_size = sizeof r;
    return r;
}

/* Rosenbrock's banana in two dimensions, minimum 0 at (1, 1). */
static inline int rosenbrock(void *user, const double *x, double *grad, size_t n, double *loss) {
    (void)user;
    (void)n;
    const double a = 1.0 - x[0], b = x[1] - x[0] * x[0];
    *loss = a * a + 100.0 * b * b;
    if (grad) {
        grad[0] = -2.0 * a - 400.0 * x[0] * b;
        grad[1] = 200.0 * b;
    }
    return 0;
}

/* f(x) = 1/2 sum (x_i - c_i)^2 in up to three dimensions, with scripted failures; it also
 * records whether the library handed it the same x and gradient buffers on every call. */
typedef struct bowl {
    double center[3];
    int calls;
    int fail_at;    /* return 42 on this call (0 = never) */
    int nan_from;   /* a NaN loss on calls nan_from..nan_until (0 = never) */
    int nan_until;
    const double *seen_x;
    double *seen_grad;
    int buffers_changed;
} bowl;

static inline int bowl_fn(void *user, const double *x, double *grad, size_t n, double *loss) {
    bowl *b = user;
    b->calls++;
    if (b->calls > 1 && (x != b->seen_x || grad != b->seen_grad)) b->buffers_changed = 1;
    b->seen_x = x;
    b->seen_grad = grad;
    if (b->fail_at && b->calls == b->fail_at) return 42;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - b->center[i];
        sum += d * d;
        if (grad) grad[i] = d;
    }
    *loss = 0.5 * sum;
    if (b->nan_from && b->calls >= b->nan_from && b->calls <= b->nan_until) *loss = NAN;
    return 0;
}

/* Least squares over FIT_ROWS rows a_s = (1, s/10, s%3 - 1), b_s = sin(s), as a sampled
 * callback: the mean of 1/2 (a_s.x - b_s)^2 over a batch (the Swift tests' SmallRegression).
 * It keeps the losses of partial batches and can return a NaN gradient on one call. */
enum { FIT_ROWS = 10, FIT_DIMENSION = 3 };

typedef struct data_fit {
    int calls;
    int nan_call;          /* batch evaluation that returns a NaN gradient (0 = never) */
    double batch_losses[64];
    int batches;
} data_fit;

static inline int data_fn(void *user, const double *x, double *grad, size_t n, const size_t *samples,
                          size_t count, double *loss) {
    data_fit *d = user;
    d->calls++;
    double sum = 0, g[FIT_DIMENSION] = {0, 0, 0};
    for (size_t k = 0; k < count; k++) {
        size_t s = samples[k];
        double a[FIT_DIMENSION] = {1.0, (double)s / 10, (double)(s % 3) - 1};
        double r = a[0] * x[0] + a[1] * x[1] + a[2] * x[2] - sin((double)s);
        sum += 0.5 * r * r;
        for (size_t i = 0; i < n; i++) g[i] += r * a[i];
    }
    *loss = sum / (double)count;
    if (grad) {
        for (size_t i = 0; i < n; i++) grad[i] = g[i] / (double)count;
        if (d->nan_call && d->calls == d->nan_call) grad[1] = NAN;
    }
    if (count < FIT_ROWS && d->batches < 64) d->batch_losses[d->batches++] = *loss;
    return 0;
}

/* The small regression as a sampled objective over *d (zeroed here). */
static inline gd_objective *new_fit_objective(data_fit *d) {
    memset(d, 0, sizeof *d);
    gd_objective *obj = NULL;
    CHECK_STATUS(gd_objective_new_sampled(data_fn, d, FIT_DIMENSION, FIT_ROWS, &obj), GD_OK);
    return obj;
}

/* An optimizer of rule `name` over n parameters with learning rate lr. */
static inline gd_optimizer *new_optimizer(const char *name, size_t n, double lr) {
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_optimizer_new(name, n, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "lr", lr), GD_OK);
    return opt;
}

/* A schedule with up to three settings (NULL keys are skipped). */
static inline gd_schedule *make_schedule(const char *name, const char *k1, double v1, const char *k2,
                                         double v2, const char *k3, double v3) {
    gd_schedule *s = NULL;
    CHECK_STATUS(gd_schedule_new(name, &s), GD_OK);
    if (k1) CHECK_STATUS(gd_schedule_set(s, k1, v1), GD_OK);
    if (k2) CHECK_STATUS(gd_schedule_set(s, k2, v2), GD_OK);
    if (k3) CHECK_STATUS(gd_schedule_set(s, k3, v3), GD_OK);
    return s;
}

/* A gd_data over a row-major rows x cols matrix and one target per row. */
static inline gd_data dense_data(const double *x, const double *y, size_t rows, size_t cols) {
    gd_data data;
    CHECK_STATUS(gd_data_init(&data), GD_OK);
    data.x = x;
    data.rows = rows;
    data.cols = cols;
    data.y = y;
    return data;
}

/* An optimizer's saved state in a malloc'ed buffer (the caller frees it). */
static inline unsigned char *save_optimizer(const gd_optimizer *opt, size_t *size) {
    CHECK_STATUS(gd_optimizer_save(opt, NULL, 0, size), GD_OK);
    unsigned char *blob = malloc(*size);
    CHECK_STATUS(gd_optimizer_save(opt, blob, *size, size), GD_OK);
    return blob;
}

#endif
