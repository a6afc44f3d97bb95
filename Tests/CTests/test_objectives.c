/* Built-in objectives by name over borrowed data, and the registry, through the C ABI:
 * values against closed forms, gradients against central differences, runs that reach the
 * known optimum, and every error a caller can provoke. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_descent.h"
#include "check.h"
#include "fixtures.h"

static uint64_t lcg_state = 12345;
static double uniform(void) { /* in [-1, 1) */
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(lcg_state >> 11) / 4503599627370496.0 - 1.0;
}

/* max over i of |g_i - fd_i| / max(1e-6, |fd_i|), with fd central differences at x. */
static double gradient_error(gd_objective *obj, const double *x0, size_t n) {
    double *x = malloc(n * sizeof *x), *g = malloc(n * sizeof *g);
    double worst = 0, loss = 0;
    memcpy(x, x0, n * sizeof *x);
    CHECK_STATUS(gd_objective_evaluate(obj, x, n, g, &loss), GD_OK);
    for (size_t i = 0; i < n; i++) {
        double h = 1e-5 * (1 + fabs(x0[i])), up = 0, down = 0;
        x[i] = x0[i] + h;
        CHECK_STATUS(gd_objective_evaluate(obj, x, n, NULL, &up), GD_OK);
        x[i] = x0[i] - h;
        CHECK_STATUS(gd_objective_evaluate(obj, x, n, NULL, &down), GD_OK);
        x[i] = x0[i];
        double fd = (up - down) / (2 * h);
        double err = fabs(g[i] - fd) / (fabs(fd) > 1e-3 ? fabs(fd) : 1e-3);
        if (err > worst) worst = err;
    }
    free(x);
    free(g);
    return worst;
}

/* Solves the k x k system a z = b in place by Gaussian elimination with partial pivoting. */
static void solve(double *a, double *b, size_t k) {
    for (size_t c = 0; c < k; c++) {
        size_t p = c;
        for (size_t r = c + 1; r < k; r++) if (fabs(a[r * k + c]) > fabs(a[p * k + c])) p = r;
        for (size_t j = 0; j < k; j++) { double t = a[c * k + j]; a[c * k + j] = a[p * k + j]; a[p * k + j] = t; }
        { double t = b[c]; b[c] = b[p]; b[p] = t; }
        for (size_t r = c + 1; r < k; r++) {
            double f = a[r * k + c] / a[c * k + c];
            for (size_t j = c; j < k; j++) a[r * k + j] -= f * a[c * k + j];
            b[r] -= f * b[c];
        }
    }
    for (size_t c = k; c-- > 0;) {
        for (size_t j = c + 1; j < k; j++) b[c] -= a[c * k + j] * b[j];
        b[c] /= a[c * k + c];
    }
}

enum { M = 203, D = 5, K = 3 };
static double X[M * D], Y[M], B[M];
static int64_t L[M];

static void make_data(void) {
    const double theta[D] = {0.5, -1.0, 2.0, 0.25, -0.75};
    for (size_t i = 0; i < M; i++) {
        double z = 0;
        for (size_t j = 0; j < D; j++) {
            X[i * D + j] = j == 0 ? 1.0 : uniform() * 2;
            z += X[i * D + j] * theta[j];
        }
        Y[i] = z + 0.1 * uniform();
        B[i] = uniform() * 3 < z ? 1.0 : 0.0;
        L[i] = (int64_t)((z > 0.5) + (z > -0.5));
    }
}

/* ---- least squares ---------------------------------------------------------------------- */

static void test_least_squares_value_and_gradient(void) {
    gd_data data = dense_data(X, Y, M, D);
    gd_objective *obj = NULL;
    CHECK_STATUS(gd_objective_create("least_squares", D, &data, NULL, 0, &obj), GD_OK);
    size_t count = 0, n = 0;
    CHECK_STATUS(gd_objective_sample_count(obj, &count), GD_OK);
    CHECK(count == M);
    CHECK_STATUS(gd_objective_dimension(obj, &n), GD_OK);
    CHECK(n == D);

    double theta[D], grad[D], loss = 0, expected = 0, expected_grad[D] = {0};
    for (size_t j = 0; j < D; j++) theta[j] = uniform();
    for (size_t i = 0; i < M; i++) {
        double r = -Y[i];
        for (size_t j = 0; j < D; j++) r += X[i * D + j] * theta[j];
        expected += r * r / (2.0 * M);
        for (size_t j = 0; j < D; j++) expected_grad[j] += r * X[i * D + j] / M;
    }
    CHECK_STATUS(gd_objective_evaluate(obj, theta, D, grad, &loss), GD_OK);
    CHECK_NEAR(loss, expected, 1e-12 * expected);
    for (size_t j = 0; j < D; j++) CHECK_NEAR(grad[j], expected_grad[j], 1e-12);
    CHECK(gradient_error(obj, theta, D) < 1e-6);
    gd_objective_free(obj);

    /* l2 adds (l2/2)||theta||^2 and l2 * theta. */
    gd_param l2 = {"l2", 0.3};
    CHECK_STATUS(gd_objective_create("least_squares", D, &data, &l2, 1, &obj), GD_OK);
    double loss_l2 = 0, grad_l2[D], norm2 = 0;
    for (size_t j = 0; j < D; j++) norm2 += theta[j] * theta[j];
    CHECK_STATUS(gd_objective_evaluate(obj, theta, D, grad_l2, &loss_l2), GD_OK);
    CHECK_NEAR(loss_l2, expected + 0.15 * norm2, 1e-12);
    for (size_t j = 0; j < D; j++) CHECK_NEAR(grad_l2[j], expected_grad[j] + 0.3 * theta[j], 1e-12);
    CHECK(gradient_error(obj, theta, D) < 1e-6);
    gd_objective_free(obj);
}

/* Full-batch Adam and mini-batch runs reach the normal equations' solution. */
static void test_least_squares_reaches_the_solution(void) {
    double xtx[D * D] = {0}, xty[D] = {0};
    for (size_t i = 0; i < M; i++)
        for (size_t j = 0; j < D; j++) {
            xty[j] += X[i * D + j] * Y[i];
            for (size_t k = 0; k < D; k++) xtx[j * D + k] += X[i * D + j] * X[i * D + k];
        }
    solve(xtx, xty, D);

    gd_data data = dense_data(X, Y, M, D);
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_objective_create("least_squares", D, &data, NULL, 0, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", D, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 0.3), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "momentum", 0.9), GD_OK);
    gd_options options;
    gd_options_init(&options);
    options.max_iterations = 20000;
    options.gradient_tolerance = 1e-12;
    gd_report report;
    memset(&report, 0, sizeof report);
    report.struct_size = sizeof report;
    double theta[D] = {0};
    CHECK_STATUS(gd_minimize(obj, opt, theta, D, &options, &report), GD_OK);
    CHECK(report.stop_reason == GD_STOP_GRADIENT_TOLERANCE);
    for (size_t j = 0; j < D; j++) CHECK_NEAR(theta[j], xty[j], 1e-8);

    /* Mini-batches of 16 (the last batch of an epoch is short) still decrease the loss. */
    double start[D] = {0}, loss0 = 0;
    CHECK_STATUS(gd_objective_evaluate(obj, start, D, NULL, &loss0), GD_OK);
    CHECK_STATUS(gd_optimizer_reset(opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 0.02), GD_OK);
    gd_options_init(&options);
    options.batch_size = 16;
    options.max_epochs = 40;
    options.max_iterations = 0;
    CHECK_STATUS(gd_minimize(obj, opt, start, D, &options, &report), GD_OK);
    CHECK(report.stop_reason == GD_STOP_MAX_EPOCHS);
    CHECK(report.loss < 0.01 * loss0);
    gd_optimizer_free(opt);
    gd_objective_free(obj);
}

/* A full pass over 20011 x 16 = 320176 values runs on two threads; it equals the sum written
 * out here, and the same call gives the same bits again. */
static void test_large_full_pass(void) {
    enum { BIG_M = 20011, BIG_D = 16 };
    double *x = malloc(sizeof(double) * BIG_M * BIG_D), *y = malloc(sizeof(double) * BIG_M);
    CHECK(x != NULL && y != NULL);
    if (x == NULL || y == NULL) {
        free(x);
        free(y);
        return;
    }
    for (size_t i = 0; i < (size_t)BIG_M * BIG_D; i++) x[i] = uniform();
    for (size_t i = 0; i < BIG_M; i++) y[i] = uniform();
    gd_data data = dense_data(x, y, BIG_M, BIG_D);
    gd_objective *obj = NULL;
    CHECK_STATUS(gd_objective_create("least_squares", BIG_D, &data, NULL, 0, &obj), GD_OK);
    double theta[BIG_D], grad[BIG_D], again[BIG_D], expected_grad[BIG_D] = {0};
    double loss = 0, loss_again = 0, expected = 0;
    for (size_t j = 0; j < BIG_D; j++) theta[j] = uniform();
    for (size_t i = 0; i < BIG_M; i++) {
        double r = -y[i];
        for (size_t j = 0; j < BIG_D; j++) r += x[i * BIG_D + j] * theta[j];
        expected += r * r / (2.0 * BIG_M);
        for (size_t j = 0; j < BIG_D; j++) expected_grad[j] += r * x[i * BIG_D + j] / BIG_M;
    }
    CHECK_STATUS(gd_objective_evaluate(obj, theta, BIG_D, grad, &loss), GD_OK);
    CHECK_STATUS(gd_objective_evaluate(obj, theta, BIG_D, again, &loss_again), GD_OK);
    CHECK_NEAR(loss, expected, 1e-12 * expected);
    CHECK(loss == loss_again && memcmp(grad, again, sizeof grad) == 0);
    for (size_t j = 0; j < BIG_D; j++) CHECK_NEAR(grad[j], expected_grad[j], 1e-12);
    gd_objective_free(obj);
    free(x);
    free(y);
}

/* ---- logistic and softmax ---------------------------------------------------------------- */

static void test_logistic(void) {
    gd_data data = dense_data(X, Y, M, D);
    data.y = B;
    gd_param l2 = {"l2", 0.01};
    gd_objective *obj = NULL;
    CHECK_STATUS(gd_objective_create("logistic", D, &data, &l2, 1, &obj), GD_OK);
    double theta[D];
    for (int trial = 0; trial < 3; trial++) {
        for (size_t j = 0; j < D; j++) theta[j] = uniform();
        CHECK(gradient_error(obj, theta, D) < 1e-6);
    }
    double zero[D] = {0}, loss = 0;
    CHECK_STATUS(gd_objective_evaluate(obj, zero, D, NULL, &loss), GD_OK);
    CHECK_NEAR(loss, log(2.0), 1e-15);
    gd_objective_free(obj);

    /* z = +-1000: exact and finite, no overflow. One row x = 1000, labels 0 and 1. */
    double big_x[2] = {1000, -1000}, labels[2] = {0, 0}, grad[1];
    gd_data big = dense_data(big_x, labels, 2, 1);
    CHECK_STATUS(gd_objective_create("logistic", 1, &big, NULL, 0, &obj), GD_OK);
    double one = 1.0;
    CHECK_STATUS(gd_objective_evaluate(obj, &one, 1, grad, &loss), GD_OK);
    CHECK_NEAR(loss, 500.0, 1e-12);        /* (1000 + log1p(e^-1000) + 0) / 2 */
    CHECK_NEAR(grad[0], 500.0, 1e-12);     /* (sigma(1000) * 1000 + sigma(-1000) * -1000) / 2 */
    gd_objective_free(obj);

    labels[1] = 2.0;
    CHECK_STATUS(gd_objective_create("logistic", 1, &big, NULL, 0, &obj), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("y[1]");
}

static void test_softmax(void) {
    gd_data data = dense_data(X, Y, M, D);
    data.y = NULL;
    data.labels = L;
    data.classes = K;
    gd_param l2 = {"l2", 0.05};
    gd_objective *obj = NULL;
    CHECK_STATUS(gd_objective_create("softmax", D, &data, NULL, 0, &obj), GD_E_DIMENSION_MISMATCH);
    CHECK_STATUS(gd_objective_create("softmax", D * K, &data, &l2, 1, &obj), GD_OK);
    double theta[D * K];
    for (size_t j = 0; j < D * K; j++) theta[j] = 2 * uniform();
    CHECK(gradient_error(obj, theta, D * K) < 1e-6);
    double zero[D * K] = {0}, loss = 0;
    CHECK_STATUS(gd_objective_evaluate(obj, zero, D * K, NULL, &loss), GD_OK);
    CHECK_NEAR(loss, log(3.0), 1e-14);
    /* Scores of 1e4 overflow a naive exp; log-sum-exp stays finite. */
    for (size_t j = 0; j < D * K; j++) theta[j] = 1e4 * uniform();
    CHECK_STATUS(gd_objective_evaluate(obj, theta, D * K, NULL, &loss), GD_OK);
    CHECK(isfinite(loss) && loss > 0);
    gd_objective_free(obj);

    int64_t saved = L[7];
    L[7] = K;
    CHECK_STATUS(gd_objective_create("softmax", D * K, &data, NULL, 0, &obj), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("labels[7]");
    L[7] = saved;
    data.labels = NULL;
    CHECK_STATUS(gd_objective_create("softmax", D * K, &data, NULL, 0, &obj), GD_E_NULL_ARGUMENT);
    CHECK_ERROR_MENTIONS("labels");
}

/* ---- test functions ---------------------------------------------------------------------- */

static void test_rosenbrock_and_quadratic(void) {
    gd_objective *obj = NULL;
    CHECK_STATUS(gd_objective_create("rosenbrock", 4, NULL, NULL, 0, &obj), GD_OK);
    double ones[4] = {1, 1, 1, 1}, grad[4], loss = -1;
    CHECK_STATUS(gd_objective_evaluate(obj, ones, 4, grad, &loss), GD_OK);
    CHECK(loss == 0 && grad[0] == 0 && grad[3] == 0);
    double x[4] = {-1.2, 1, 0.5, -0.3};
    CHECK_STATUS(gd_objective_evaluate(obj, x, 4, grad, &loss), GD_OK);
    CHECK_NEAR(loss, 100 * pow(1 - 1.44, 2) + pow(2.2, 2) + 100 * pow(0.5 - 1, 2) + 0 + 100 * pow(-0.3 - 0.25, 2) + 0.25, 1e-12);
    CHECK(gradient_error(obj, x, 4) < 1e-6);
    gd_objective_free(obj);
    CHECK_STATUS(gd_objective_create("rosenbrock", 1, NULL, NULL, 0, &obj), GD_E_INVALID_ARGUMENT);

    /* quadratic: 1/2 x^T A x - b^T x with SPD A reaches A^-1 b. */
    double A[9] = {4, 1, 0, 1, 3, 0.5, 0, 0.5, 2}, b[3] = {1, -2, 0.5}, sol[9], rhs[3];
    memcpy(sol, A, sizeof A);
    memcpy(rhs, b, sizeof b);
    solve(sol, rhs, 3);
    gd_data data = dense_data(A, b, 3, 3);
    CHECK_STATUS(gd_objective_create("quadratic", 3, &data, NULL, 0, &obj), GD_OK);
    double q[3] = {0.3, -0.2, 0.9};
    CHECK(gradient_error(obj, q, 3) < 1e-6);
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_optimizer_new("adam", 3, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 0.05), GD_OK);
    gd_options options;
    gd_options_init(&options);
    options.max_iterations = 20000;
    options.gradient_tolerance = 1e-11;
    CHECK_STATUS(gd_minimize(obj, opt, q, 3, &options, NULL), GD_OK);
    for (size_t j = 0; j < 3; j++) CHECK_NEAR(q[j], rhs[j], 1e-9);
    gd_optimizer_free(opt);
    gd_objective_free(obj);
}

/* ---- errors ------------------------------------------------------------------------------ */

static void test_create_errors(void) {
    gd_data data = dense_data(X, Y, M, D);
    gd_objective *obj = NULL;
    gd_param good = {"l2", 0.1}, unknown = {"l1", 0.1}, twice[2] = {{"l2", 0.1}, {"l2", 0.2}};
    gd_param negative = {"l2", -1}, nan_value = {"l2", NAN}, null_key = {NULL, 1};

    CHECK_STATUS(gd_objective_create(NULL, D, &data, NULL, 0, &obj), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_objective_create("least_squares", D, &data, NULL, 0, NULL), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_objective_create("least_square", D, &data, NULL, 0, &obj), GD_E_UNKNOWN_NAME);
    CHECK_ERROR_MENTIONS("least_square");
    CHECK_STATUS(gd_objective_create("least_squares", D, &data, &unknown, 1, &obj), GD_E_UNKNOWN_KEY);
    CHECK_ERROR_MENTIONS("l1");
    CHECK_STATUS(gd_objective_create("least_squares", D, &data, twice, 2, &obj), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_objective_create("least_squares", D, &data, &negative, 1, &obj), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("-1");
    CHECK_STATUS(gd_objective_create("least_squares", D, &data, &nan_value, 1, &obj), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_objective_create("least_squares", D, &data, &null_key, 1, &obj), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_objective_create("least_squares", D, &data, NULL, 1, &obj), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_objective_create("least_squares", D + 1, &data, &good, 1, &obj), GD_E_DIMENSION_MISMATCH);
    CHECK_ERROR_MENTIONS("column");
    CHECK_STATUS(gd_objective_create("least_squares", 0, &data, NULL, 0, &obj), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_objective_create("least_squares", D, NULL, NULL, 0, &obj), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_objective_create("rosenbrock", 3, NULL, &good, 1, &obj), GD_E_UNKNOWN_KEY);

    gd_data bad = data;
    bad.y = NULL;
    CHECK_STATUS(gd_objective_create("least_squares", D, &bad, NULL, 0, &obj), GD_E_NULL_ARGUMENT);
    CHECK_ERROR_MENTIONS("y");
    bad = data;
    bad.rows = 0;
    CHECK_STATUS(gd_objective_create("least_squares", D, &bad, NULL, 0, &obj), GD_E_INVALID_ARGUMENT);
    bad = data;
    bad.rows = SIZE_MAX / 2;
    CHECK_STATUS(gd_objective_create("least_squares", D, &bad, NULL, 0, &obj), GD_E_INVALID_ARGUMENT);
    bad = data;
    bad.rows = 1;
    bad.cols = (size_t)1 << 55; /* a lie no pointer check can see; its buffers cannot be allocated */
    CHECK_STATUS(gd_objective_create("least_squares", bad.cols, &bad, NULL, 0, &obj), GD_E_OUT_OF_MEMORY);
    bad = data;
    bad.struct_size = 0;
    CHECK_STATUS(gd_objective_create("least_squares", D, &bad, NULL, 0, &obj), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("gd_data_init");
    CHECK_STATUS(gd_data_init(NULL), GD_E_NULL_ARGUMENT);
    CHECK(obj == NULL);

    /* A batch with a bad index is rejected before any row is read. */
    CHECK_STATUS(gd_objective_create("least_squares", D, &data, NULL, 0, &obj), GD_OK);
    double theta[D] = {0};
    CHECK_STATUS(gd_objective_evaluate(obj, theta, D + 1, NULL, theta), GD_E_DIMENSION_MISMATCH);
    gd_objective_free(obj);
}

/* ---- registry ---------------------------------------------------------------------------- */

static void test_registry(void) {
    size_t count = 0;
    CHECK_STATUS(gd_registry_count(&count), GD_OK);
    CHECK(count >= 5);
    CHECK_STATUS(gd_registry_count(NULL), GD_E_NULL_ARGUMENT);
    const char *expected[5] = {"least_squares", "logistic", "softmax", "rosenbrock", "quadratic"};
    for (size_t i = 0; i < 5; i++) {
        gd_registry_info info;
        memset(&info, 0, sizeof info);
        info.struct_size = sizeof info;
        CHECK_STATUS(gd_registry_entry(i, &info), GD_OK);
        CHECK(strcmp(info.name, expected[i]) == 0);
        CHECK(strcmp(info.source, "built-in") == 0);
        CHECK(strlen(info.description) > 10);
    }
    gd_registry_info info;
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info;
    CHECK_STATUS(gd_registry_entry(3, &info), GD_OK);
    CHECK(info.param_count == 2 && strcmp(info.param_keys[1], "b") == 0 && info.param_defaults[1] == 100);
    CHECK(info.data_fields == 0 && info.sampled == 0);
    CHECK_STATUS(gd_registry_entry(2, &info), GD_OK);
    CHECK(info.data_fields == (GD_DATA_X | GD_DATA_LABELS) && info.sampled == 1);
    CHECK(info.param_count == 1 && strcmp(info.param_keys[0], "l2") == 0 && info.param_defaults[0] == 0);
    CHECK_STATUS(gd_registry_entry(count, &info), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_registry_entry(SIZE_MAX, &info), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_registry_entry(0, NULL), GD_E_NULL_ARGUMENT);
    info.struct_size = 8;
    CHECK_STATUS(gd_registry_entry(0, &info), GD_E_INVALID_ARGUMENT);
}

int main(void) {
    make_data();
    test_least_squares_value_and_gradient();
    test_least_squares_reaches_the_solution();
    test_large_full_pass();
    test_logistic();
    test_softmax();
    test_rosenbrock_and_quadratic();
    test_create_errors();
    test_registry();
    return check_summary("test_objectives");
}
