/* The core C ABI, driven through the built library: every entry point, every status
 * it can return, and the run's stopping rules. Compiled with -std=c99 -pedantic -Werror. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_descent.h"
#include "check.h"
#include "fixtures.h"

/* ---- version and tables ---------------------------------------------------------------- */

static void test_version(void) {
    char expected[32];
    snprintf(expected, sizeof expected, "%d.%d.%d", GD_VERSION_MAJOR, GD_VERSION_MINOR, GD_VERSION_PATCH);
    CHECK(strcmp(gd_version_string(), expected) == 0);
    CHECK(gd_version_number() == GD_VERSION_NUMBER);
}

#define CHECK_STATUS_TEXT(name, value, text) CHECK(strcmp(gd_status_string(value), text) == 0);
#define CHECK_STOP_TEXT(name, value, text) CHECK(strcmp(gd_stop_reason_string(value), text) == 0);

static void test_tables_match_header(void) {
    GD_STATUS_TABLE(CHECK_STATUS_TEXT)
    GD_STOP_REASON_TABLE(CHECK_STOP_TEXT)
    CHECK(strcmp(gd_status_string(-999), "unknown status") == 0);
    CHECK(strcmp(gd_status_string(1), "unknown status") == 0);
    CHECK(strcmp(gd_stop_reason_string(99), "unknown stop reason") == 0);
}

/* ---- optimizers ------------------------------------------------------------------------ */

static void test_optimizer_arguments(void) {
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_optimizer_new(NULL, 3, &opt), GD_E_NULL_ARGUMENT);
    CHECK_ERROR_MENTIONS("name");
    CHECK_STATUS(gd_optimizer_new("adam", 3, NULL), GD_E_NULL_ARGUMENT);
    CHECK_ERROR_MENTIONS("out");
    CHECK_STATUS(gd_optimizer_new("adamm", 3, &opt), GD_E_UNKNOWN_NAME);
    CHECK_ERROR_MENTIONS("adamm");
    CHECK_STATUS(gd_optimizer_new("adam", 0, &opt), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("n must be > 0");
    CHECK_STATUS(gd_optimizer_new("adam", SIZE_MAX, &opt), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_optimizer_new("adam", SIZE_MAX / 16, &opt), GD_E_OUT_OF_MEMORY);
    /* 8 TiB of state per buffer: the allocation itself fails, and that is a status too. */
    CHECK_STATUS(gd_optimizer_new("adam", (size_t)1 << 40, &opt), GD_E_OUT_OF_MEMORY);
    CHECK_ERROR_MENTIONS("allocate");
    CHECK(opt == NULL);

    CHECK_STATUS(gd_optimizer_new("adam", 3, &opt), GD_OK);
    CHECK(strcmp(gd_last_error(), "") == 0);
    double value = 0;
    CHECK_STATUS(gd_optimizer_get(opt, "lr", &value), GD_OK);
    CHECK(value == 0.001);
    CHECK_STATUS(gd_optimizer_get(opt, "beta2", &value), GD_OK);
    CHECK(value == 0.999);
    CHECK_STATUS(gd_optimizer_get(opt, "eps", &value), GD_OK);
    CHECK(value == 1e-8);
    CHECK_STATUS(gd_optimizer_get(opt, "momentum", &value), GD_E_UNKNOWN_KEY);
    CHECK_ERROR_MENTIONS("momentum");
    CHECK_STATUS(gd_optimizer_get(opt, "lr", NULL), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_optimizer_get(NULL, "lr", &value), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_optimizer_get(opt, NULL, &value), GD_E_NULL_ARGUMENT);

    CHECK_STATUS(gd_optimizer_set(opt, "lr", -0.1), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("-0.1");
    CHECK_STATUS(gd_optimizer_set(opt, "lr", NAN), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_optimizer_set(opt, "beta1", 1.0), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_optimizer_set(opt, "amsgrad", 0.5), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_optimizer_set(opt, "nesterov", 1), GD_E_UNKNOWN_KEY);
    CHECK_STATUS(gd_optimizer_set(NULL, "lr", 0.1), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_optimizer_set(opt, NULL, 0.1), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_optimizer_get(opt, "lr", &value), GD_OK);
    CHECK(value == 0.001); /* a rejected value changes nothing */

    double x[3] = {1, 2, 3};
    const double g[3] = {0.1, -0.2, 0.3};
    CHECK_STATUS(gd_optimizer_step(opt, x, g, 2), GD_E_DIMENSION_MISMATCH);
    CHECK_STATUS(gd_optimizer_step(opt, NULL, g, 3), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_optimizer_step(opt, x, NULL, 3), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_optimizer_step(NULL, x, g, 3), GD_E_NULL_ARGUMENT);
    CHECK(x[0] == 1 && x[1] == 2 && x[2] == 3);
    CHECK_STATUS(gd_optimizer_reset(NULL), GD_E_NULL_ARGUMENT);
    gd_optimizer_free(opt);
    gd_optimizer_free(NULL);

    /* PyTorch rejects nesterov without momentum; here it is caught at the next use. */
    CHECK_STATUS(gd_optimizer_new("sgd", 3, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "nesterov", 1), GD_OK);
    CHECK_STATUS(gd_optimizer_step(opt, x, g, 3), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("nesterov");
    CHECK(x[0] == 1);
    CHECK_STATUS(gd_optimizer_set(opt, "momentum", 0.9), GD_OK);
    CHECK_STATUS(gd_optimizer_step(opt, x, g, 3), GD_OK);
    gd_optimizer_free(opt);
}

/* SGD with momentum and Adam against their formulas over 50 steps, from C. */
static void test_optimizer_step_formulas(void) {
    gd_optimizer *sgd = NULL, *adam = NULL;
    CHECK_STATUS(gd_optimizer_new("sgd", 2, &sgd), GD_OK);
    CHECK_STATUS(gd_optimizer_set(sgd, "lr", 0.1), GD_OK);
    CHECK_STATUS(gd_optimizer_set(sgd, "momentum", 0.9), GD_OK);
    CHECK_STATUS(gd_optimizer_set(sgd, "dampening", 0.5), GD_OK);
    CHECK_STATUS(gd_optimizer_new("adam", 2, &adam), GD_OK);
    CHECK_STATUS(gd_optimizer_set(adam, "lr", 0.01), GD_OK);

    double xs[2] = {1.0, -1.0}, xa[2] = {1.0, -1.0};
    double rs[2] = {1.0, -1.0}, ra[2] = {1.0, -1.0}, buf[2] = {0, 0}, m[2] = {0, 0}, v[2] = {0, 0};
    for (int t = 1; t <= 50; t++) {
        double g[2] = {sin(0.3 * t) + 0.5, cos(0.7 * t) - 0.2};
        CHECK_STATUS(gd_optimizer_step(sgd, xs, g, 2), GD_OK);
        CHECK_STATUS(gd_optimizer_step(adam, xa, g, 2), GD_OK);
        for (int i = 0; i < 2; i++) {
            buf[i] = t == 1 ? g[i] : 0.9 * buf[i] + (1 - 0.5) * g[i];
            rs[i] -= 0.1 * buf[i];
            m[i] = 0.9 * m[i] + (1 - 0.9) * g[i];
            v[i] = 0.999 * v[i] + (1 - 0.999) * g[i] * g[i];
            double bc1 = 1 - pow(0.9, t), bc2 = 1 - pow(0.999, t);
            ra[i] -= (0.01 / bc1) * m[i] / (sqrt(v[i]) / sqrt(bc2) + 1e-8);
        }
    }
    for (int i = 0; i < 2; i++) {
        CHECK_NEAR(xs[i], rs[i], 1e-12 * fabs(rs[i]));
        CHECK_NEAR(xa[i], ra[i], 1e-12 * fabs(ra[i]));
    }
    /* reset forgets the momentum buffer: the next step is a plain first step again. */
    double before = xs[0];
    double g[2] = {1.0, 1.0};
    CHECK_STATUS(gd_optimizer_reset(sgd), GD_OK);
    CHECK_STATUS(gd_optimizer_step(sgd, xs, g, 2), GD_OK);
    CHECK_NEAR(xs[0], before - 0.1, 1e-15);
    gd_optimizer_free(sgd);
    gd_optimizer_free(adam);
}

/* ---- objectives ------------------------------------------------------------------------ */

static void test_objective_arguments(void) {
    bowl q = {.center = {1, 2, 3}};
    gd_objective *obj = NULL;
    CHECK_STATUS(gd_objective_new(NULL, &q, 3, &obj), GD_E_NULL_ARGUMENT);
    CHECK_ERROR_MENTIONS("fn");
    CHECK_STATUS(gd_objective_new(bowl_fn, &q, 0, &obj), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_objective_new(bowl_fn, &q, 3, NULL), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_objective_new(bowl_fn, &q, 3, &obj), GD_OK);
    size_t n = 0, m = 99;
    CHECK_STATUS(gd_objective_dimension(obj, &n), GD_OK);
    CHECK(n == 3);
    CHECK_STATUS(gd_objective_sample_count(obj, &m), GD_OK);
    CHECK(m == 0);
    CHECK_STATUS(gd_objective_dimension(NULL, &n), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_objective_dimension(obj, NULL), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_objective_sample_count(obj, NULL), GD_E_NULL_ARGUMENT);

    double x[3] = {0, 0, 0}, grad[3], loss = -1;
    CHECK_STATUS(gd_objective_evaluate(obj, x, 3, grad, &loss), GD_OK);
    CHECK(loss == 7.0);
    CHECK(grad[0] == -1 && grad[1] == -2 && grad[2] == -3);
    CHECK_STATUS(gd_objective_evaluate(obj, x, 3, NULL, &loss), GD_OK);
    CHECK_STATUS(gd_objective_evaluate(obj, x, 2, grad, &loss), GD_E_DIMENSION_MISMATCH);
    CHECK_STATUS(gd_objective_evaluate(obj, NULL, 3, grad, &loss), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_objective_evaluate(obj, x, 3, grad, NULL), GD_E_NULL_ARGUMENT);
    q.fail_at = q.calls + 1;
    CHECK_STATUS(gd_objective_evaluate(obj, x, 3, grad, &loss), GD_E_CALLBACK);
    CHECK_ERROR_MENTIONS("42");
    q.fail_at = 0;
    q.nan_from = q.nan_until = q.calls + 1;
    CHECK_STATUS(gd_objective_evaluate(obj, x, 3, grad, &loss), GD_E_NON_FINITE);
    gd_objective_free(obj);
    gd_objective_free(NULL);
}

/* ---- runs: full batch ------------------------------------------------------------------- */

static int stop_after_five(void *user, const gd_progress_info *info) {
    int *seen = user;
    *seen += 1;
    if (info->struct_size != sizeof(gd_progress_info) || info->n != 3 || info->x == NULL) return 2;
    return info->iteration >= 5 ? 1 : 0;
}

static void test_full_batch_runs(void) {
    bowl q = {.center = {1, 2, 3}};
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_objective_new(bowl_fn, &q, 3, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 3, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 0.5), GD_OK);

    gd_options options;
    CHECK_STATUS(gd_options_init(NULL), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_options_init(&options), GD_OK);
    CHECK(options.struct_size == sizeof options && options.max_iterations == 10000 && options.shuffle == 1);
    CHECK(options.batch_size == 0 && options.patience == 1 && isinf(options.target_loss) && options.target_loss < 0);

    /* Gradient tolerance: with lr 0.5 the error halves each step, so the count is exact. */
    double x[3] = {0, 0, 0};
    gd_report r = fresh_report();
    options.gradient_tolerance = 1e-6;
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, &options, &r), GD_OK);
    CHECK(r.stop_reason == GD_STOP_GRADIENT_TOLERANCE);
    CHECK(r.gradient_norm <= 1e-6);
    /* ||g_k|| = sqrt(14) / 2^k <= 1e-6 first at k = 22 */
    CHECK(r.iterations == 22);
    CHECK(r.evaluations == 23);
    CHECK_NEAR(x[0], 1, 1e-6);
    CHECK_NEAR(x[2], 3, 1e-6);
    CHECK_NEAR(r.loss, 0.5 * r.gradient_norm * r.gradient_norm, 1e-20);
    CHECK(r.best_loss == r.loss);
    CHECK(r.seconds >= 0);
    CHECK(q.buffers_changed == 0);

    /* max_iterations; report.loss is f at the returned x (one more evaluation). */
    double y[3] = {0, 0, 0};
    gd_options_init(&options);
    options.max_iterations = 3;
    r = fresh_report();
    CHECK_STATUS(gd_optimizer_reset(opt), GD_OK);
    CHECK_STATUS(gd_minimize(obj, opt, y, 3, &options, &r), GD_OK);
    CHECK(r.stop_reason == GD_STOP_MAX_ITERATIONS && r.iterations == 3 && r.evaluations == 4);
    CHECK_NEAR(y[0], 1 - 1.0 / 8, 1e-15);
    CHECK_NEAR(r.loss, 0.5 * (14.0 / 64), 1e-15);

    /* target_loss */
    double z[3] = {0, 0, 0};
    gd_options_init(&options);
    options.target_loss = 1e-3;
    r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, z, 3, &options, &r), GD_OK);
    CHECK(r.stop_reason == GD_STOP_TARGET_LOSS && r.loss <= 1e-3);
    /* 7 / 4^k <= 1e-3 first at k = 7 */
    CHECK(r.iterations == 7);

    /* loss_tolerance with patience: relative change 3/4 never falls below 0.5, so use an
     * absolute scale: once the loss < 1, |change| = 3/4 f <= tol when f <= tol * 4/3. */
    double w[3] = {0, 0, 0};
    gd_options_init(&options);
    options.loss_tolerance = 1e-4;
    options.patience = 3;
    r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, w, 3, &options, &r), GD_OK);
    CHECK(r.stop_reason == GD_STOP_LOSS_TOLERANCE);
    CHECK(r.loss <= 1e-4);

    /* progress callback stops the run */
    double u[3] = {0, 0, 0};
    int seen = 0;
    gd_options_init(&options);
    options.progress = stop_after_five;
    options.progress_user = &seen;
    r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, u, 3, &options, &r), GD_OK);
    CHECK(r.stop_reason == GD_STOP_PROGRESS && r.iterations == 5 && seen == 5);

    /* time limit: a tiny limit stops after the first update */
    double t[3] = {0, 0, 0};
    gd_options_init(&options);
    options.time_limit = 1e-9;
    r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, t, 3, &options, &r), GD_OK);
    CHECK(r.stop_reason == GD_STOP_TIME_LIMIT && r.iterations == 1);

    /* NULL options and NULL report are allowed */
    double s[3] = {0, 0, 0};
    CHECK_STATUS(gd_minimize(obj, opt, s, 3, NULL, NULL), GD_OK);
    CHECK_NEAR(s[1], 2, 1e-12);

    gd_objective_free(obj);
    gd_optimizer_free(opt);
}

static void test_run_failures(void) {
    bowl q = {.center = {1, 2, 3}};
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL, *small = NULL;
    CHECK_STATUS(gd_objective_new(bowl_fn, &q, 3, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 3, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 2, &small), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 0.5), GD_OK);
    gd_options options;
    gd_options_init(&options);
    gd_report r = fresh_report();
    double x[3] = {0, 0, 0};

    CHECK_STATUS(gd_minimize(NULL, opt, x, 3, &options, &r), GD_E_NULL_ARGUMENT);
    CHECK_ERROR_MENTIONS("obj");
    CHECK_STATUS(gd_minimize(obj, NULL, x, 3, &options, &r), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_minimize(obj, opt, NULL, 3, &options, &r), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_minimize(obj, opt, x, 2, &options, &r), GD_E_DIMENSION_MISMATCH);
    CHECK_STATUS(gd_minimize(obj, small, x, 3, &options, &r), GD_E_DIMENSION_MISMATCH);
    options.batch_size = 4;
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, &options, &r), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("batch_size");
    gd_options_init(&options);
    options.gradient_tolerance = -1;
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, &options, &r), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("gradient_tolerance");
    gd_options_init(&options);
    options.shuffle = 2;
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, &options, &r), GD_E_INVALID_ARGUMENT);
    gd_options_init(&options);
    options.patience = 0;
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, &options, &r), GD_E_INVALID_ARGUMENT);
    gd_options_init(&options);
    options.max_iterations = 0;
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, &options, &r), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("stopping criterion");
    gd_options_init(&options);
    options.struct_size = 8;
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, &options, &r), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("struct_size");
    gd_options_init(&options);
    r.struct_size = 4;
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, &options, &r), GD_E_INVALID_ARGUMENT);
    r = fresh_report();
    double bad[3] = {0, NAN, 0};
    CHECK_STATUS(gd_minimize(obj, opt, bad, 3, &options, &r), GD_E_NON_FINITE);
    CHECK(x[0] == 0 && x[1] == 0 && x[2] == 0);
    CHECK(q.calls == 0);

    /* The callback aborts on its 4th call: x is the 3rd iterate, the last one evaluated. */
    q.fail_at = 4;
    r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, &options, &r), GD_E_CALLBACK);
    CHECK(r.stop_reason == GD_STOP_CALLBACK_ERROR);
    CHECK(r.iterations == 3);
    CHECK_NEAR(x[0], 1 - 1.0 / 4, 1e-15);
    CHECK_ERROR_MENTIONS("42");

    /* A NaN loss on the 3rd call: x is restored to the 2nd iterate. */
    double y[3] = {0, 0, 0};
    q.calls = 0;
    q.fail_at = 0;
    q.nan_from = q.nan_until = 3;
    CHECK_STATUS(gd_optimizer_reset(opt), GD_OK);
    r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, y, 3, &options, &r), GD_E_NON_FINITE);
    CHECK(r.stop_reason == GD_STOP_NON_FINITE);
    CHECK_NEAR(y[0], 0.5, 1e-15);
    CHECK_NEAR(y[2], 1.5, 1e-15);
    CHECK_ERROR_MENTIONS("nan");

    gd_objective_free(obj);
    gd_optimizer_free(opt);
    gd_optimizer_free(small);
}

/* ---- runs: sampled (SGD, mini-batch) ----------------------------------------------------- */

enum { SAMPLES = 10 };

typedef struct sample_log {
    size_t counts[64];
    size_t visits[SAMPLES];
    size_t first_epoch_order[SAMPLES];
    size_t seen;
    size_t calls;
} sample_log;

/* f(x) = mean over samples s of 1/2 (x - s)^2 for a scalar x: the minimum is the mean, 4.5. */
static int sampled_fn(void *user, const double *x, double *grad, size_t n,
                      const size_t *samples, size_t count, double *loss) {
    sample_log *log = user;
    (void)n;
    if (count < SAMPLES) {
        if (log->calls < 64) log->counts[log->calls] = count;
        for (size_t i = 0; i < count; i++) {
            if (samples[i] >= SAMPLES) return 7;
            log->visits[samples[i]]++;
            if (log->seen < SAMPLES) log->first_epoch_order[log->seen++] = samples[i];
        }
        log->calls++;
    }
    double sum = 0, g = 0;
    for (size_t i = 0; i < count; i++) {
        double d = x[0] - (double)samples[i];
        sum += 0.5 * d * d;
        g += d;
    }
    *loss = sum / (double)count;
    if (grad) grad[0] = g / (double)count;
    return 0;
}

static void run_sampled(size_t batch, uint64_t seed, int shuffle, uint64_t epochs,
                        sample_log *log, double *x, gd_report *r) {
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_objective_new_sampled(sampled_fn, log, 1, SAMPLES, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 1, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 0.05), GD_OK);
    gd_options options;
    gd_options_init(&options);
    options.batch_size = batch;
    options.max_iterations = 0;
    options.max_epochs = epochs;
    options.seed = seed;
    options.shuffle = shuffle;
    *r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, x, 1, &options, r), GD_OK);
    gd_objective_free(obj);
    gd_optimizer_free(opt);
}

static void test_sampled_runs(void) {
    gd_objective *obj = NULL;
    sample_log log;
    CHECK_STATUS(gd_objective_new_sampled(sampled_fn, &log, 1, 0, &obj), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_objective_new_sampled(NULL, &log, 1, 10, &obj), GD_E_NULL_ARGUMENT);

    /* batch 4 over 10 samples: batches of 4, 4, 2, each sample once per epoch, in order. */
    memset(&log, 0, sizeof log);
    double x = 0;
    gd_report r;
    run_sampled(4, 0, 0, 3, &log, &x, &r);
    CHECK(r.stop_reason == GD_STOP_MAX_EPOCHS && r.epochs == 3 && r.iterations == 9);
    CHECK(log.counts[0] == 4 && log.counts[1] == 4 && log.counts[2] == 2 && log.counts[5] == 2);
    for (size_t s = 0; s < SAMPLES; s++) {
        CHECK(log.visits[s] == 3);
        CHECK(log.first_epoch_order[s] == s);
    }
    /* report.loss is the full loss at the returned x: mean of 1/2 (x - s)^2. */
    double full = 0;
    for (size_t s = 0; s < SAMPLES; s++) full += 0.5 * (x - (double)s) * (x - (double)s);
    CHECK_NEAR(r.loss, full / SAMPLES, 1e-12);

    /* shuffled: a permutation each epoch; same seed bit-identical, another seed differs. */
    sample_log a, b, c;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    memset(&c, 0, sizeof c);
    double xa = 0, xb = 0, xc = 0;
    gd_report ra, rb, rc;
    run_sampled(1, 123, 1, 40, &a, &xa, &ra);
    run_sampled(1, 123, 1, 40, &b, &xb, &rb);
    run_sampled(1, 124, 1, 40, &c, &xc, &rc);
    CHECK(memcmp(&xa, &xb, sizeof xa) == 0);
    CHECK(memcmp(a.first_epoch_order, b.first_epoch_order, sizeof a.first_epoch_order) == 0);
    CHECK(memcmp(a.first_epoch_order, c.first_epoch_order, sizeof a.first_epoch_order) != 0);
    int is_identity = 1;
    for (size_t s = 0; s < SAMPLES; s++) {
        CHECK(a.visits[s] == 40);
        if (a.first_epoch_order[s] != s) is_identity = 0;
    }
    CHECK(!is_identity);
    CHECK(ra.iterations == 400);
    CHECK_NEAR(xa, 4.5, 0.3);

    /* A sample count too large to index is an error, not a crash. */
    gd_objective *huge = NULL;
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_objective_new_sampled(sampled_fn, &log, 1, (size_t)1 << 50, &huge), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 1, &opt), GD_OK);
    gd_options options;
    gd_options_init(&options);
    options.batch_size = 1;
    CHECK_STATUS(gd_minimize(huge, opt, &x, 1, &options, NULL), GD_E_OUT_OF_MEMORY);
    CHECK_ERROR_MENTIONS("allocate");
    double loss = 0;
    CHECK_STATUS(gd_objective_evaluate(huge, &x, 1, NULL, &loss), GD_E_OUT_OF_MEMORY);
    gd_objective_free(huge);
    gd_optimizer_free(opt);
}

int main(void) {
    test_version();
    test_tables_match_header();
    test_optimizer_arguments();
    test_optimizer_step_formulas();
    test_objective_arguments();
    test_full_batch_runs();
    test_run_failures();
    test_sampled_runs();
    return check_summary("test_core_api");
}
