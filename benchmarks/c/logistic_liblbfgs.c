/* Logistic regression with libLBFGS, the baseline of the L-BFGS logistic case of
 * `make bench`: the built-in objective's loss
 *     J = (1/m) sum_i [log(1 + e^z_i) - y_i z_i],  z = X theta,  grad = (1/m) X^T (sigma(z) - y)
 * written as a C programmer would for speed: one pass over the row-major X per evaluation
 * (each row read once for z_i and, still in L1, again for the gradient), the rows split
 * over `threads` OpenMP threads with a gradient buffer per thread. libLBFGS's defaults but
 * the stop: the progress callback ends the run when ||grad||_2 <= gtol (libLBFGS's own test
 * is relative to ||x||), and max_iterations 10000. Built with -O3 -march=native -fopenmp. */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#include <lbfgs.h>
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct logistic_result {
    double seconds;
    double loss;
    double gradient_norm;
    uint64_t evaluations;
    uint64_t iterations;
    int32_t code;            /* lbfgs()'s return: 1 when the gradient test stopped it */
} logistic_result;

typedef struct problem {
    const double *X, *y;
    size_t rows, cols;
    int threads;
    double *scratch;         /* threads * cols gradient buffers */
    double gtol;
    uint64_t evaluations, iterations;
    double gradient_norm;
} problem;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static lbfgsfloatval_t evaluate(void *user, const lbfgsfloatval_t *theta, lbfgsfloatval_t *g,
                                const int n, const lbfgsfloatval_t step) {
    problem *p = user;
    const size_t cols = p->cols;
    double loss = 0;
    (void)step;
    p->evaluations++;
#pragma omp parallel num_threads(p->threads) reduction(+ : loss)
    {
        double *local = p->scratch + (size_t)omp_get_thread_num() * cols;
        memset(local, 0, sizeof(double) * cols);
#pragma omp for schedule(static)
        for (size_t i = 0; i < p->rows; i++) {
            const double *row = p->X + i * cols;
            /* four partial sums: the additions pipeline and vectorize without -ffast-math */
            double z0 = 0, z1 = 0, z2 = 0, z3 = 0;
            size_t j = 0;
            for (; j + 4 <= cols; j += 4) {
                z0 += row[j] * theta[j];
                z1 += row[j + 1] * theta[j + 1];
                z2 += row[j + 2] * theta[j + 2];
                z3 += row[j + 3] * theta[j + 3];
            }
            for (; j < cols; j++) z0 += row[j] * theta[j];
            double z = (z0 + z1) + (z2 + z3);
            /* log(1 + e^z) without overflow */
            loss += (z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))) - p->y[i] * z;
            double r = 1 / (1 + exp(-z)) - p->y[i];
            for (j = 0; j < cols; j++) local[j] += r * row[j];
        }
    }
    double scale = 1.0 / (double)p->rows;
    for (int j = 0; j < n; j++) {
        double sum = 0;
        for (int t = 0; t < p->threads; t++) sum += p->scratch[(size_t)t * cols + (size_t)j];
        g[j] = sum * scale;
    }
    return loss * scale;
}

static int progress(void *user, const lbfgsfloatval_t *x, const lbfgsfloatval_t *g,
                    const lbfgsfloatval_t fx, const lbfgsfloatval_t xnorm,
                    const lbfgsfloatval_t gnorm, const lbfgsfloatval_t step, int n, int k,
                    int ls) {
    problem *p = user;
    (void)x; (void)g; (void)fx; (void)xnorm; (void)step; (void)n; (void)ls;
    p->iterations = (uint64_t)k;
    p->gradient_norm = gnorm;
    return gnorm <= p->gtol ? 1 : 0;
}

/* Fits theta[0..cols) in place from its values. Returns lbfgs()'s code (1: the gradient
 * test stopped it), or -100 when memory runs out. */
int logistic_liblbfgs(const double *X, const double *y, size_t rows, size_t cols, double *theta,
                      double gtol, int threads, logistic_result *result) {
    memset(result, 0, sizeof *result);
    problem p = {X, y, rows, cols, threads < 1 ? 1 : threads, NULL, gtol, 0, 0, 0};
    p.scratch = malloc(sizeof(double) * cols * (size_t)p.threads);
    lbfgsfloatval_t *x = lbfgs_malloc((int)cols);
    if (!p.scratch || !x) {
        free(p.scratch);
        lbfgs_free(x);
        return result->code = -100;
    }
    memcpy(x, theta, sizeof(double) * cols);
    lbfgs_parameter_t parameters;
    lbfgs_parameter_init(&parameters);
    parameters.epsilon = 0;              /* the progress callback applies gtol */
    parameters.max_iterations = 10000;
    lbfgsfloatval_t f = 0;
    double start = now();
    int code = lbfgs((int)cols, x, &f, evaluate, progress, &p, &parameters);
    result->seconds = now() - start;
    memcpy(theta, x, sizeof(double) * cols);
    result->loss = f;
    result->gradient_norm = p.gradient_norm;
    result->evaluations = p.evaluations;
    result->iterations = p.iterations;
    result->code = code;
    free(p.scratch);
    lbfgs_free(x);
    return code;
}
