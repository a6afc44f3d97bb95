/* Training controls (issue 5) through the built library: schedules against PyTorch's closed
 * forms, reduce-on-plateau against a scripted loss sequence, clipping formulas, the
 * non-finite policies, the best iterate, saved states and bit-identical resume for every
 * rule in full-batch and mini-batch runs, custom update rules, the gradient check, and
 * structs of the first release's size. Compiled with -std=c99 -pedantic -Werror. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_descent.h"
#include "check.h"

static const double pi = 3.14159265358979323846;

static gd_report fresh_report(void) {
    gd_report r;
    memset(&r, 0, sizeof r);
    r.struct_size = sizeof r;
    return r;
}

/* Relative closeness for the schedule checks: |a - b| <= 1e-15 * |b|. */
#define CHECK_REL(a, b) CHECK_NEAR((a), (b), 1e-15 * fabs(b))

/* ---- schedules: closed forms over 100 steps -------------------------------------------- */

typedef double (*closed_form)(uint64_t e, double base);

static double constant_form(uint64_t e, double base) { return base * (0.5 + (e >= 10 ? 1.0 : 0.0) * (1 - 0.5)); }
static double step_form(uint64_t e, double base) { return base * pow(0.5, (double)(e / 7)); }
static double exponential_form(uint64_t e, double base) { return base * pow(0.95, (double)e); }
static double cosine_form(uint64_t e, double base) {
    return 0.001 + (base - 0.001) * (1 + cos(pi * (double)e / 50)) / 2;
}
static double linear_form(uint64_t e, double base) {
    return base * (0.25 + (1.0 - 0.25) * (double)(e < 20 ? e : 20) / 20);
}
static double warmup_cosine_form(uint64_t e, double base) {
    if (e < 10) return base * (0.1 + (1.0 - 0.1) * (double)e / 10);
    return 0.0 + (base - 0.0) * (1 + cos(pi * (double)(e - 10) / 90)) / 2;
}

static gd_schedule *make_schedule(const char *name, const char *k1, double v1, const char *k2, double v2,
                                  const char *k3, double v3) {
    gd_schedule *s = NULL;
    CHECK_STATUS(gd_schedule_new(name, &s), GD_OK);
    if (k1) CHECK_STATUS(gd_schedule_set(s, k1, v1), GD_OK);
    if (k2) CHECK_STATUS(gd_schedule_set(s, k2, v2), GD_OK);
    if (k3) CHECK_STATUS(gd_schedule_set(s, k3, v3), GD_OK);
    return s;
}

static void check_sequence(gd_schedule *s, closed_form form, const char *name) {
    double lr = -1;
    CHECK_STATUS(gd_schedule_start(s, 0.1, &lr), GD_OK);
    int mismatches = 0;
    for (uint64_t e = 0; e < 100; e++) {
        double expected = form(e, 0.1);
        if (!(fabs(lr - expected) <= 1e-15 * fabs(expected))) {
            if (mismatches++ < 3) fprintf(stderr, "%s: step %u lr %.17g, closed form %.17g\n", name, (unsigned)e, lr, expected);
        }
        double current = -1;
        CHECK_STATUS(gd_schedule_lr(s, &current), GD_OK);
        CHECK(current == lr);
        CHECK_STATUS(gd_schedule_step(s, 1.0, &lr), GD_OK);
    }
    CHECK(mismatches == 0);
    gd_schedule_free(s);
}

static void test_schedule_closed_forms(void) {
    check_sequence(make_schedule("constant", "factor", 0.5, "total_iters", 10, NULL, 0), constant_form, "constant");
    check_sequence(make_schedule("step", "step_size", 7, "gamma", 0.5, NULL, 0), step_form, "step");
    check_sequence(make_schedule("exponential", "gamma", 0.95, NULL, 0, NULL, 0), exponential_form, "exponential");
    check_sequence(make_schedule("cosine", "t_max", 50, "eta_min", 0.001, NULL, 0), cosine_form, "cosine");
    check_sequence(make_schedule("linear", "start_factor", 0.25, "total_iters", 20, NULL, 0), linear_form, "linear");
    check_sequence(make_schedule("warmup_cosine", "warmup_steps", 10, "start_factor", 0.1, "t_max", 90),
                   warmup_cosine_form, "warmup_cosine");

    /* Defaults as documented: constant keeps lr, linear starts at lr/3. */
    double lr = 0;
    gd_schedule *s = make_schedule("constant", NULL, 0, NULL, 0, NULL, 0);
    CHECK_STATUS(gd_schedule_start(s, 0.3, &lr), GD_OK);
    CHECK(lr == 0.3);
    CHECK_STATUS(gd_schedule_step(s, 0, &lr), GD_OK);
    CHECK(lr == 0.3);
    gd_schedule_free(s);
    s = make_schedule("linear", NULL, 0, NULL, 0, NULL, 0);
    CHECK_STATUS(gd_schedule_start(s, 0.3, &lr), GD_OK);
    CHECK(lr == 0.3 * (1.0 / 3));
    gd_schedule_free(s);
}

static void test_schedule_arguments(void) {
    gd_schedule *s = NULL;
    double value = 0, lr = 0;
    CHECK_STATUS(gd_schedule_new("cosin", &s), GD_E_UNKNOWN_NAME);
    CHECK_ERROR_MENTIONS("cosin");
    CHECK_STATUS(gd_schedule_new(NULL, &s), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_schedule_new("step", NULL), GD_E_NULL_ARGUMENT);
    CHECK(s == NULL);
    CHECK_STATUS(gd_schedule_new("step", &s), GD_OK);
    CHECK_STATUS(gd_schedule_get(s, "gamma", &value), GD_OK);
    CHECK(value == 0.1);
    CHECK_STATUS(gd_schedule_set(s, "t_max", 3), GD_E_UNKNOWN_KEY);
    CHECK_ERROR_MENTIONS("t_max");
    CHECK_STATUS(gd_schedule_set(s, "step_size", 2.5), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_schedule_set(s, "step_size", 0), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_schedule_set(s, "gamma", NAN), GD_E_INVALID_ARGUMENT);
    /* step_size has no default: starting without it is an error naming it. */
    CHECK_STATUS(gd_schedule_start(s, 0.1, &lr), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("step_size");
    CHECK_STATUS(gd_schedule_step(s, 1, &lr), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("start");
    CHECK_STATUS(gd_schedule_lr(s, &lr), GD_OK);
    CHECK(isnan(lr));
    CHECK_STATUS(gd_schedule_set(s, "step_size", 2), GD_OK);
    CHECK_STATUS(gd_schedule_start(s, -1, &lr), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_schedule_start(s, 0.1, NULL), GD_OK);
    CHECK_STATUS(gd_schedule_step(s, 1, NULL), GD_OK);
    CHECK_STATUS(gd_schedule_step(s, 1, &lr), GD_OK);
    CHECK(lr == 0.1 * pow(0.1, 1.0));
    CHECK_STATUS(gd_schedule_reset(s), GD_OK);
    CHECK_STATUS(gd_schedule_lr(s, &lr), GD_OK);
    CHECK(isnan(lr));
    CHECK_STATUS(gd_schedule_reset(NULL), GD_E_NULL_ARGUMENT);
    gd_schedule_free(s);
    gd_schedule_free(NULL);
    s = make_schedule("plateau", NULL, 0, NULL, 0, NULL, 0);
    CHECK_STATUS(gd_schedule_set(s, "factor", 1.0), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_schedule_set(s, "mode", 2), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_schedule_set(s, "patience", -1), GD_E_INVALID_ARGUMENT);
    gd_schedule_free(s);
    CHECK_STATUS(gd_schedule_new_callback(NULL, NULL, &s), GD_E_NULL_ARGUMENT);
}

/* ---- reduce-on-plateau ------------------------------------------------------------------ */

/* PyTorch's ReduceLROnPlateau.step, transcribed, for sequences whose answer is not by hand. */
typedef struct plateau_ref {
    int mode_max, abs_mode;
    double factor, threshold, min_lr, eps, lr, best;
    int patience, cooldown, bad, cooldown_counter;
} plateau_ref;

static int plateau_better(const plateau_ref *p, double a) {
    if (!p->mode_max && !p->abs_mode) return a < p->best * (1.0 - p->threshold);
    if (!p->mode_max && p->abs_mode) return a < p->best - p->threshold;
    if (p->mode_max && !p->abs_mode) return a > p->best * (p->threshold + 1.0);
    return a > p->best + p->threshold;
}

static void plateau_step(plateau_ref *p, double loss) {
    if (plateau_better(p, loss)) {
        p->best = loss;
        p->bad = 0;
    } else {
        p->bad++;
    }
    if (p->cooldown_counter > 0) {
        p->cooldown_counter--;
        p->bad = 0;
    }
    if (p->bad > p->patience) {
        double reduced = fmax(p->lr * p->factor, p->min_lr);
        if (p->lr - reduced > p->eps) p->lr = reduced;
        p->cooldown_counter = p->cooldown;
        p->bad = 0;
    }
}

static void test_plateau_scripted(void) {
    /* mode min, rel threshold 0.1, patience 2, factor 0.5, cooldown 1, min_lr 0.01.
     * Losses 10, 9, 8.5, 8.4, 8.3, 8.2 then 5 forever. By hand: 9 is not below 10 * 0.9;
     * 8.5 is (best 8.5); 8.4, 8.3, 8.2 are not below 7.65, so the third of them (step 6) is
     * the third bad step > patience: lr 0.5, cooldown 1. 5 is better (step 7); from then on
     * every fourth step (one of cooldown, three bad) halves lr: steps 10, 14, 18, 22, 26;
     * step 30 gives max(0.0078125, 0.01) = 0.01; step 34 would change lr by 0 <= eps. */
    gd_schedule *s = NULL;
    CHECK_STATUS(gd_schedule_new("plateau", &s), GD_OK);
    CHECK_STATUS(gd_schedule_set(s, "factor", 0.5), GD_OK);
    CHECK_STATUS(gd_schedule_set(s, "patience", 2), GD_OK);
    CHECK_STATUS(gd_schedule_set(s, "threshold", 0.1), GD_OK);
    CHECK_STATUS(gd_schedule_set(s, "cooldown", 1), GD_OK);
    CHECK_STATUS(gd_schedule_set(s, "min_lr", 0.01), GD_OK);
    double lr = 0;
    CHECK_STATUS(gd_schedule_start(s, 1.0, &lr), GD_OK);
    CHECK(lr == 1.0);
    const double head[6] = {10, 9, 8.5, 8.4, 8.3, 8.2};
    for (int step = 1; step <= 40; step++) {
        double loss = step <= 6 ? head[step - 1] : 5;
        CHECK_STATUS(gd_schedule_step(s, loss, &lr), GD_OK);
        double expected = step < 6 ? 1.0 : step < 10 ? 0.5 : step < 14 ? 0.25 : step < 18 ? 0.125
                        : step < 22 ? 0.0625 : step < 26 ? 0.03125 : step < 30 ? 0.015625 : 0.01;
        if (lr != expected) fprintf(stderr, "plateau step %d: lr %g, expected %g\n", step, lr, expected);
        CHECK(lr == expected);
    }
    gd_schedule_free(s);

    /* Every mode and threshold mode against the transcription, on a noisy sequence. */
    for (int mode_max = 0; mode_max <= 1; mode_max++) {
        for (int abs_mode = 0; abs_mode <= 1; abs_mode++) {
            plateau_ref ref = {mode_max, abs_mode, 0.3, 0.05, 1e-3, 1e-8, 0.2, mode_max ? -INFINITY : INFINITY, 3, 2, 0, 0};
            CHECK_STATUS(gd_schedule_new("plateau", &s), GD_OK);
            gd_schedule_set(s, "mode", mode_max);
            gd_schedule_set(s, "threshold_mode", abs_mode);
            gd_schedule_set(s, "factor", 0.3);
            gd_schedule_set(s, "threshold", 0.05);
            gd_schedule_set(s, "patience", 3);
            gd_schedule_set(s, "cooldown", 2);
            gd_schedule_set(s, "min_lr", 1e-3);
            CHECK_STATUS(gd_schedule_start(s, 0.2, &lr), GD_OK);
            int reductions = 0;
            for (int step = 1; step <= 100; step++) {
                double loss = 5.0 / (1 + 0.1 * step) + 0.3 * sin(1.7 * step);
                double before = ref.lr;
                plateau_step(&ref, loss);
                if (ref.lr != before) reductions++;
                CHECK_STATUS(gd_schedule_step(s, loss, &lr), GD_OK);
                CHECK(lr == ref.lr);
            }
            CHECK(reductions > 0);
            gd_schedule_free(s);
        }
    }
}

/* ---- objectives for runs ---------------------------------------------------------------- */

typedef struct bowl {
    double center[3];
    int calls;
    int nan_from;   /* non-finite loss on calls >= nan_from (0 = never) ... */
    int nan_until;  /* ... and <= nan_until */
} bowl;

/* f(x) = 1/2 sum (x_i - c_i)^2 */
static int bowl_fn(void *user, const double *x, double *grad, size_t n, double *loss) {
    bowl *b = user;
    b->calls++;
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

enum { M = 10, N3 = 3 };

typedef struct data_fit {
    int calls;
    int nan_call;          /* batch evaluation that returns a NaN gradient (0 = never) */
    double batch_losses[64];
    int batches;
} data_fit;

/* Least squares over M rows a_s = (1, s/10, s%3 - 1), b_s = sin(s): mean of 1/2 (a_s.x - b_s)^2 */
static int data_fn(void *user, const double *x, double *grad, size_t n, const size_t *samples,
                   size_t count, double *loss) {
    data_fit *d = user;
    d->calls++;
    double sum = 0, g[N3] = {0, 0, 0};
    for (size_t k = 0; k < count; k++) {
        size_t s = samples[k];
        double a[N3] = {1.0, (double)s / 10, (double)(s % 3) - 1};
        double r = a[0] * x[0] + a[1] * x[1] + a[2] * x[2] - sin((double)s);
        sum += 0.5 * r * r;
        for (size_t i = 0; i < n; i++) g[i] += r * a[i];
    }
    *loss = sum / (double)count;
    if (grad) {
        for (size_t i = 0; i < n; i++) grad[i] = g[i] / (double)count;
        if (d->nan_call && d->calls == d->nan_call) grad[1] = NAN;
    }
    if (count < M && d->batches < 64) d->batch_losses[d->batches++] = *loss;
    return 0;
}

typedef struct lr_log {
    double lr[64];
    double loss[64];
    uint64_t epoch[64];
    int count;
} lr_log;

static int record_lr(void *user, const gd_progress_info *info) {
    lr_log *log = user;
    if (log->count < 64) {
        log->lr[log->count] = info->lr;
        log->loss[log->count] = info->loss;
        log->epoch[log->count] = info->epoch;
        log->count++;
    }
    return 0;
}

/* ---- schedules in runs -------------------------------------------------------------- */

static void test_schedule_in_runs(void) {
    /* Full batch, step schedule per update: update k (0 first) uses 0.4 * 0.5^floor(k / 3),
     * so x follows x_{k+1} = x_k - lr_k (x_k - c) exactly. */
    bowl b = {{1, 2, 3}, 0, 0, 0};
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_objective_new(bowl_fn, &b, 3, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 3, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 0.4), GD_OK);
    gd_schedule *s = make_schedule("step", "step_size", 3, "gamma", 0.5, NULL, 0);
    gd_options options;
    gd_options_init(&options);
    CHECK(options.schedule == NULL && options.schedule_per_epoch == 0 && options.nonfinite_policy == GD_NONFINITE_FAIL);
    CHECK(options.clip_norm == 0 && options.clip_value == 0 && options.max_consecutive_skips == 10);
    CHECK(options.keep_best == 0 && options.run_state == NULL);
    lr_log log;
    memset(&log, 0, sizeof log);
    options.schedule = s;
    options.max_iterations = 10;
    options.progress = record_lr;
    options.progress_user = &log;
    double x[3] = {0, 0, 0}, ref[3] = {0, 0, 0};
    gd_report r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, &options, &r), GD_OK);
    CHECK(log.count == 10);
    for (int k = 0; k < 10; k++) {
        double lr = 0.4 * pow(0.5, (double)(k / 3));
        CHECK(log.lr[k] == lr);
        for (int i = 0; i < 3; i++) ref[i] = ref[i] - lr * (ref[i] - b.center[i]);
    }
    CHECK(memcmp(x, ref, sizeof x) == 0);
    /* The optimizer holds the lr of the next update, as a PyTorch param group does. */
    double lr = 0;
    CHECK_STATUS(gd_optimizer_get(opt, "lr", &lr), GD_OK);
    CHECK(lr == 0.4 * pow(0.5, 3));
    /* A second run continues the schedule (it is stateful, like PyTorch's schedulers). */
    log.count = 0;
    options.max_iterations = 2;
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, &options, &r), GD_OK);
    CHECK(log.lr[0] == 0.4 * pow(0.5, 3) && log.lr[1] == 0.4 * pow(0.5, 3));
    gd_schedule_free(s);

    /* A callback schedule sees the run's counters, the previous lr and the loss. */
    gd_objective_free(obj);
    gd_optimizer_free(opt);

    /* Mini-batch, exponential schedule per epoch: batches of 4 over 10 samples, 3 per epoch;
     * epoch j runs at 0.1 * 0.5^j. */
    data_fit d;
    memset(&d, 0, sizeof d);
    CHECK_STATUS(gd_objective_new_sampled(data_fn, &d, 3, M, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 3, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 0.1), GD_OK);
    s = make_schedule("exponential", "gamma", 0.5, NULL, 0, NULL, 0);
    gd_options_init(&options);
    options.batch_size = 4;
    options.max_iterations = 0;
    options.max_epochs = 4;
    options.schedule = s;
    options.schedule_per_epoch = 1;
    options.progress = record_lr;
    options.progress_user = &log;
    memset(&log, 0, sizeof log);
    double y[3] = {0, 0, 0};
    r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, y, 3, &options, &r), GD_OK);
    CHECK(r.iterations == 12 && r.epochs == 4);
    for (int k = 0; k < 12; k++) {
        CHECK(log.lr[k] == 0.1 * pow(0.5, (double)(k / 3)));
        CHECK(log.epoch[k] == (uint64_t)(k / 3));
    }
    options.schedule_per_epoch = 2;
    CHECK_STATUS(gd_minimize(obj, opt, y, 3, &options, &r), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("schedule_per_epoch");
    /* A schedule with a required key unset is refused before the run. */
    gd_schedule *unset = make_schedule("cosine", NULL, 0, NULL, 0, NULL, 0);
    gd_options_init(&options);
    options.schedule = unset;
    CHECK_STATUS(gd_minimize(obj, opt, y, 3, &options, &r), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("t_max");
    gd_schedule_free(unset);
    gd_schedule_free(s);
    gd_objective_free(obj);
    gd_optimizer_free(opt);
}

typedef struct callback_log {
    uint64_t iteration[64], epoch[64];
    double lr[64], loss[64];
    int count;
    int fail_at; /* return NaN on this call (0 = never) */
} callback_log;

static double halving_schedule(void *user, uint64_t iteration, uint64_t epoch, double lr, double loss) {
    callback_log *log = user;
    if (log->count < 64) {
        log->iteration[log->count] = iteration;
        log->epoch[log->count] = epoch;
        log->lr[log->count] = lr;
        log->loss[log->count] = loss;
    }
    log->count++;
    if (log->fail_at && log->count == log->fail_at) return NAN;
    return isnan(loss) ? lr : lr / 2;
}

static void test_callback_schedule(void) {
    /* Per epoch in a mini-batch run: the callback gets the mean of the epoch's batch losses. */
    data_fit d;
    memset(&d, 0, sizeof d);
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    gd_schedule *s = NULL;
    callback_log log;
    memset(&log, 0, sizeof log);
    CHECK_STATUS(gd_objective_new_sampled(data_fn, &d, 3, M, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("adam", 3, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 0.08), GD_OK);
    CHECK_STATUS(gd_schedule_new_callback(halving_schedule, &log, &s), GD_OK);
    gd_options options;
    gd_options_init(&options);
    options.batch_size = 5;
    options.max_iterations = 0;
    options.max_epochs = 3;
    options.schedule = s;
    options.schedule_per_epoch = 1;
    double x[3] = {0, 0, 0};
    gd_report r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, &options, &r), GD_OK);
    CHECK(log.count == 4); /* once at the start, once per epoch */
    CHECK(log.iteration[0] == 0 && log.epoch[0] == 0 && log.lr[0] == 0.08 && isnan(log.loss[0]));
    for (int e = 1; e <= 3; e++) {
        CHECK(log.iteration[e] == (uint64_t)(2 * e) && log.epoch[e] == (uint64_t)e);
        CHECK(log.lr[e] == 0.08 / pow(2, e - 1));
        double mean = (d.batch_losses[2 * e - 2] + d.batch_losses[2 * e - 1]) / 2;
        CHECK(log.loss[e] == mean);
    }
    /* A NaN lr from the callback aborts the run with GD_E_CALLBACK. */
    CHECK_STATUS(gd_schedule_reset(s), GD_OK);
    memset(&log, 0, sizeof log);
    log.fail_at = 2;
    r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, &options, &r), GD_E_CALLBACK);
    CHECK(r.stop_reason == GD_STOP_CALLBACK_ERROR);
    CHECK_ERROR_MENTIONS("schedule callback");
    gd_schedule_free(s);
    gd_objective_free(obj);
    gd_optimizer_free(opt);
}

/* ---- clipping ----------------------------------------------------------------------- */

static void test_clipping(void) {
    double g[2] = {3, 4}, norm = 0;
    CHECK_STATUS(gd_clip_grad_norm(g, 2, 1.0, &norm), GD_OK);
    double coef = 1.0 / (5.0 + 1e-6);
    CHECK(norm == 5.0);
    CHECK(g[0] == 3 * coef && g[1] == 4 * coef);
    double h[2] = {3, 4};
    CHECK_STATUS(gd_clip_grad_norm(h, 2, 10.0, NULL), GD_OK);
    CHECK(h[0] == 3 && h[1] == 4); /* coef >= 1: untouched */
    /* 5 / (5 + 1e-6) < 1: clip_grad_norm_ still scales a gradient at exactly max_norm. */
    CHECK_STATUS(gd_clip_grad_norm(h, 2, 5.0, NULL), GD_OK);
    CHECK(h[0] == 3 * (5.0 / (5.0 + 1e-6)));
    double v[3] = {-3, 0.5, 2};
    CHECK_STATUS(gd_clip_grad_value(v, 3, 1.0), GD_OK);
    CHECK(v[0] == -1 && v[1] == 0.5 && v[2] == 1);
    CHECK_STATUS(gd_clip_grad_norm(NULL, 2, 1, NULL), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_clip_grad_norm(g, 0, 1, NULL), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_clip_grad_norm(g, 2, 0, NULL), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_clip_grad_value(v, 3, -1), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_clip_grad_value(v, 3, INFINITY), GD_E_INVALID_ARGUMENT);

    /* In a run, with SGD at lr 1 one update moves x by exactly the clipped gradient. */
    bowl b = {{3, 4, 0}, 0, 0, 0};
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_objective_new(bowl_fn, &b, 3, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 3, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 1.0), GD_OK);
    gd_options options;
    gd_options_init(&options);
    options.max_iterations = 1;
    options.clip_norm = 1.0;
    double x[3] = {0, 0, 0};
    gd_report r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, &options, &r), GD_OK);
    CHECK(x[0] == 3 * coef && x[1] == 4 * coef && x[2] == 0);
    CHECK(r.clipped_steps == 1);
    /* Norm first, then values: (-3, -4) -> (-0.6, -0.8) (about) -> clamp 0.7 -> (-0.6, -0.7). */
    double y[3] = {0, 0, 0};
    options.clip_value = 0.7;
    r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, y, 3, &options, &r), GD_OK);
    CHECK(y[0] == 3 * coef && y[1] == 0.7);
    /* Values alone. */
    double z[3] = {0, 0, 0};
    options.clip_norm = 0;
    options.clip_value = 2.5;
    CHECK_STATUS(gd_minimize(obj, opt, z, 3, &options, &r), GD_OK);
    CHECK(z[0] == 2.5 && z[1] == 2.5 && z[2] == 0);
    /* A gradient inside both bounds is not counted. */
    double w[3] = {2.9, 3.9, 0};
    options.clip_norm = 1;
    options.clip_value = 1;
    r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, w, 3, &options, &r), GD_OK);
    CHECK(r.clipped_steps == 0);
    options.clip_norm = -1;
    CHECK_STATUS(gd_minimize(obj, opt, w, 3, &options, &r), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("clip_norm");
    options.clip_norm = 0;
    options.clip_value = NAN;
    CHECK_STATUS(gd_minimize(obj, opt, w, 3, &options, &r), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("clip_value");
    gd_objective_free(obj);
    gd_optimizer_free(opt);
}

/* ---- non-finite policies and best iterate ----------------------------------------------- */

static void test_nonfinite_policies(void) {
    bowl clean = {{1, 2, 3}, 0, 0, 0};
    bowl faulty = {{1, 2, 3}, 0, 4, 4}; /* the 4th evaluation returns NaN */
    gd_objective *clean_obj = NULL, *faulty_obj = NULL;
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_objective_new(bowl_fn, &clean, 3, &clean_obj), GD_OK);
    CHECK_STATUS(gd_objective_new(bowl_fn, &faulty, 3, &faulty_obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("adam", 3, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 0.1), GD_OK);
    gd_options options;
    gd_options_init(&options);
    options.max_iterations = 8;

    double a[3] = {0, 0, 0}, b[3] = {0, 0, 0};
    gd_report ra = fresh_report(), rb = fresh_report();
    CHECK_STATUS(gd_minimize(clean_obj, opt, a, 3, &options, &ra), GD_OK);
    /* fail (default): stops at the 4th evaluation, x is the 3rd iterate's predecessor... */
    CHECK_STATUS(gd_optimizer_reset(opt), GD_OK);
    CHECK_STATUS(gd_minimize(faulty_obj, opt, b, 3, &options, &rb), GD_E_NON_FINITE);
    CHECK(rb.stop_reason == GD_STOP_NON_FINITE && rb.iterations == 3 && rb.skipped_steps == 0);
    /* skip: the rejected evaluation changes nothing; the run is the clean one, bit for bit,
     * with one more evaluation. */
    faulty.calls = 0;
    double c[3] = {0, 0, 0};
    options.nonfinite_policy = GD_NONFINITE_SKIP;
    CHECK_STATUS(gd_optimizer_reset(opt), GD_OK);
    rb = fresh_report();
    CHECK_STATUS(gd_minimize(faulty_obj, opt, c, 3, &options, &rb), GD_OK);
    CHECK(rb.stop_reason == GD_STOP_MAX_ITERATIONS && rb.iterations == 8);
    CHECK(rb.skipped_steps == 1 && rb.evaluations == ra.evaluations + 1);
    CHECK(memcmp(a, c, sizeof a) == 0);
    CHECK(rb.loss == ra.loss);
    /* Too many in a row: evaluations 3..9 are NaN, the limit is 4. */
    faulty.calls = 0;
    faulty.nan_from = 3;
    faulty.nan_until = 9;
    options.max_consecutive_skips = 4;
    double d[3] = {0, 0, 0};
    CHECK_STATUS(gd_optimizer_reset(opt), GD_OK);
    rb = fresh_report();
    CHECK_STATUS(gd_minimize(faulty_obj, opt, d, 3, &options, &rb), GD_E_NON_FINITE);
    CHECK(rb.stop_reason == GD_STOP_NON_FINITE && rb.skipped_steps == 4 && rb.iterations == 2);
    CHECK_ERROR_MENTIONS("max_consecutive_skips");
    options.max_consecutive_skips = 0;
    CHECK_STATUS(gd_minimize(faulty_obj, opt, d, 3, &options, &rb), GD_E_INVALID_ARGUMENT);
    options.max_consecutive_skips = 10;
    options.nonfinite_policy = 7;
    CHECK_STATUS(gd_minimize(faulty_obj, opt, d, 3, &options, &rb), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("nonfinite_policy");
    gd_objective_free(clean_obj);
    gd_objective_free(faulty_obj);
    gd_optimizer_free(opt);

    /* Mini-batch: a NaN gradient in one batch skips that batch only. */
    data_fit fit;
    memset(&fit, 0, sizeof fit);
    fit.nan_call = 5;
    gd_objective *obj = NULL;
    CHECK_STATUS(gd_objective_new_sampled(data_fn, &fit, 3, M, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 3, &opt), GD_OK);
    gd_options_init(&options);
    options.batch_size = 2;
    options.max_iterations = 0;
    options.max_epochs = 2;
    options.nonfinite_policy = GD_NONFINITE_SKIP;
    double e[3] = {0, 0, 0};
    rb = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, e, 3, &options, &rb), GD_OK);
    CHECK(rb.stop_reason == GD_STOP_MAX_EPOCHS && rb.epochs == 2);
    CHECK(rb.iterations == 9 && rb.skipped_steps == 1);
    gd_objective_free(obj);
    gd_optimizer_free(opt);
}

static void test_best_iterate(void) {
    /* SGD at lr 2.1 on the bowl diverges (|1 - lr| > 1): every iterate is worse than x0. */
    bowl b = {{1, 2, 3}, 0, 0, 0};
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_objective_new(bowl_fn, &b, 3, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 3, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 2.1), GD_OK);
    gd_options options;
    gd_options_init(&options);
    options.max_iterations = 5;
    double x[3] = {0, 0, 0};
    gd_report r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, &options, &r), GD_OK);
    CHECK(r.returned_best == 0 && r.best_loss == 7.0 && r.best_iteration == 0);
    CHECK(x[0] != 0 && r.loss > 7.0);
    double y[3] = {0, 0, 0};
    options.keep_best = 1;
    r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, y, 3, &options, &r), GD_OK);
    CHECK(r.returned_best == 1 && y[0] == 0 && y[1] == 0 && y[2] == 0);
    CHECK(r.loss == 7.0 && r.best_loss == 7.0 && r.best_iteration == 0);
    CHECK_NEAR(r.gradient_norm, sqrt(14.0), 1e-15);
    /* A converging run keeps its last iterate, which is the best. */
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 0.5), GD_OK);
    double z[3] = {0, 0, 0};
    r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, z, 3, &options, &r), GD_OK);
    CHECK(r.returned_best == 0 && r.best_iteration == 5 && r.best_loss == r.loss);
    options.keep_best = 3;
    CHECK_STATUS(gd_minimize(obj, opt, z, 3, &options, &r), GD_E_INVALID_ARGUMENT);
    gd_objective_free(obj);
    gd_optimizer_free(opt);

    /* Mini-batch: the best of the epoch ends (full losses); report.loss is its full loss. */
    data_fit d;
    memset(&d, 0, sizeof d);
    CHECK_STATUS(gd_objective_new_sampled(data_fn, &d, 3, M, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 3, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 1.2), GD_OK);
    gd_options_init(&options);
    options.batch_size = 3;
    options.max_iterations = 0;
    options.max_epochs = 6;
    options.keep_best = 1;
    double w[3] = {0, 0, 0};
    r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, w, 3, &options, &r), GD_OK);
    CHECK(r.loss == r.best_loss);
    double full = 0;
    CHECK_STATUS(gd_objective_evaluate(obj, w, 3, NULL, &full), GD_OK);
    CHECK(full == r.loss);
    CHECK(r.best_iteration % 4 == 0); /* an epoch end: 4 batches per epoch */
    gd_objective_free(obj);
    gd_optimizer_free(opt);
}

/* ---- saved states ----------------------------------------------------------------------- */

static uint32_t crc32_ref(const unsigned char *p, size_t n) {
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++) crc = (crc & 1) ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
    }
    return crc ^ 0xFFFFFFFFu;
}

static uint64_t le64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

static unsigned char *save_optimizer(const gd_optimizer *opt, size_t *size) {
    CHECK_STATUS(gd_optimizer_save(opt, NULL, 0, size), GD_OK);
    unsigned char *blob = malloc(*size);
    CHECK_STATUS(gd_optimizer_save(opt, blob, *size, size), GD_OK);
    return blob;
}

static void test_optimizer_state_blob(void) {
    gd_optimizer *adam = NULL, *other = NULL;
    CHECK_STATUS(gd_optimizer_new("adam", 4, &adam), GD_OK);
    CHECK_STATUS(gd_optimizer_set(adam, "lr", 0.02), GD_OK);
    CHECK_STATUS(gd_optimizer_set(adam, "amsgrad", 1), GD_OK);
    double x[4] = {1, -2, 3, -4}, g[4];
    for (int t = 1; t <= 5; t++) {
        for (int i = 0; i < 4; i++) g[i] = sin(t + i);
        CHECK_STATUS(gd_optimizer_step(adam, x, g, 4), GD_OK);
    }
    size_t size = 0;
    unsigned char *blob = save_optimizer(adam, &size);
    /* The header: magic, version 1, kind 1, size, CRC-32 (zlib's) of the body. */
    CHECK(memcmp(blob, "GDSTATE\0", 8) == 0);
    CHECK(blob[8] == 1 && blob[9] == 0 && blob[12] == 1);
    CHECK(le64(blob + 16) == size);
    uint32_t crc = crc32_ref(blob + 32, size - 32);
    CHECK(blob[24] == (crc & 0xFF) && blob[27] == (crc >> 24));
    /* rule, dimension, step count, hyper-parameters, buffers: 3 buffers of 4 doubles at least */
    CHECK(size > 32 + 3 * 4 * 8);

    /* Two-call API. */
    size_t asked = 0;
    unsigned char small[16];
    CHECK_STATUS(gd_optimizer_save(adam, small, sizeof small, &asked), GD_E_INVALID_ARGUMENT);
    CHECK(asked == size);
    CHECK_ERROR_MENTIONS("cap");
    CHECK_STATUS(gd_optimizer_save(adam, NULL, 0, NULL), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_optimizer_save(NULL, NULL, 0, &asked), GD_E_NULL_ARGUMENT);

    /* A new optimizer from the blob continues exactly. */
    CHECK_STATUS(gd_optimizer_new_from_state(blob, size, &other), GD_OK);
    double lr = 0, ams = 0;
    CHECK_STATUS(gd_optimizer_get(other, "lr", &lr), GD_OK);
    CHECK_STATUS(gd_optimizer_get(other, "amsgrad", &ams), GD_OK);
    CHECK(lr == 0.02 && ams == 1);
    double y[4];
    memcpy(y, x, sizeof x);
    for (int t = 6; t <= 10; t++) {
        for (int i = 0; i < 4; i++) g[i] = sin(t + i);
        CHECK_STATUS(gd_optimizer_step(adam, x, g, 4), GD_OK);
        CHECK_STATUS(gd_optimizer_step(other, y, g, 4), GD_OK);
    }
    CHECK(memcmp(x, y, sizeof x) == 0);
    gd_optimizer_free(other);

    /* Every way a blob can be wrong is GD_E_BAD_STATE, and nothing changes. */
    unsigned char *bad = malloc(size);
    CHECK_STATUS(gd_optimizer_new("sgd", 4, &other), GD_OK);
    CHECK_STATUS(gd_optimizer_load(other, blob, size), GD_E_BAD_STATE);
    CHECK_ERROR_MENTIONS("adam");
    gd_optimizer_free(other);
    CHECK_STATUS(gd_optimizer_new("adam", 5, &other), GD_OK);
    CHECK_STATUS(gd_optimizer_load(other, blob, size), GD_E_BAD_STATE);
    CHECK_ERROR_MENTIONS("4 parameters");
    gd_optimizer_free(other);
    CHECK_STATUS(gd_optimizer_new("adam", 4, &other), GD_OK);
    memcpy(bad, blob, size);
    bad[8] = 2;
    CHECK_STATUS(gd_optimizer_load(other, bad, size), GD_E_BAD_STATE);
    CHECK_ERROR_MENTIONS("version 2");
    memcpy(bad, blob, size);
    bad[0] = 'X';
    CHECK_STATUS(gd_optimizer_load(other, bad, size), GD_E_BAD_STATE);
    CHECK_ERROR_MENTIONS("magic");
    CHECK_STATUS(gd_optimizer_load(other, blob, size - 1), GD_E_BAD_STATE);
    CHECK_ERROR_MENTIONS("truncated");
    CHECK_STATUS(gd_optimizer_load(other, blob, 10), GD_E_BAD_STATE);
    memcpy(bad, blob, size);
    bad[size - 3] ^= 0x10;
    CHECK_STATUS(gd_optimizer_load(other, bad, size), GD_E_BAD_STATE);
    CHECK_ERROR_MENTIONS("corrupted");
    memcpy(bad, blob, size);
    bad[12] = 3; /* a run state's kind */
    CHECK_STATUS(gd_optimizer_load(other, bad, size), GD_E_BAD_STATE);
    CHECK_STATUS(gd_optimizer_load(other, NULL, size), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_optimizer_get(other, "lr", &lr), GD_OK);
    CHECK(lr == 0.001); /* nothing loaded */
    CHECK_STATUS(gd_optimizer_load(other, blob, size), GD_OK);
    CHECK_STATUS(gd_optimizer_get(other, "lr", &lr), GD_OK);
    CHECK(lr == 0.02);
    CHECK_STATUS(gd_optimizer_new_from_state(bad, size, &other), GD_E_BAD_STATE);
    gd_optimizer_free(other);
    free(bad);
    free(blob);
    gd_optimizer_free(adam);
}

/* ---- bit-identical resume --------------------------------------------------------------- */

typedef struct rule_case {
    const char *rule;
    const char *k1; double v1;
    const char *k2; double v2;
    const char *k3; double v3;
} rule_case;

static const rule_case rule_cases[] = {
    {"sgd", "lr", 0.05, "momentum", 0.9, "nesterov", 1},
    {"adam", "lr", 0.05, "amsgrad", 1, "weight_decay", 0.01},
    {"adamw", "lr", 0.05, NULL, 0, NULL, 0},
    {"rmsprop", "lr", 0.01, "centered", 1, "momentum", 0.5},
    {"adagrad", "lr", 0.1, "lr_decay", 0.01, "initial_accumulator_value", 0.1},
    {"adadelta", "lr", 1.0, NULL, 0, NULL, 0},
    {"adamax", "lr", 0.05, NULL, 0, NULL, 0},
    {"nadam", "lr", 0.05, NULL, 0, NULL, 0},
    {"radam", "lr", 0.05, NULL, 0, NULL, 0},
};

static gd_optimizer *make_optimizer(const rule_case *c) {
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_optimizer_new(c->rule, 3, &opt), GD_OK);
    if (c->k1) CHECK_STATUS(gd_optimizer_set(opt, c->k1, c->v1), GD_OK);
    if (c->k2) CHECK_STATUS(gd_optimizer_set(opt, c->k2, c->v2), GD_OK);
    if (c->k3) CHECK_STATUS(gd_optimizer_set(opt, c->k3, c->v3), GD_OK);
    return opt;
}

static gd_schedule *make_run_schedule(int sampled) {
    return sampled ? make_schedule("plateau", "patience", 0, "factor", 0.7, "threshold", 0.2)
                   : make_schedule("warmup_cosine", "warmup_steps", 4, "t_max", 20, "eta_min", 1e-3);
}

static void set_run_options(gd_options *options, int sampled, gd_schedule *s, gd_run_state *state,
                            uint64_t iterations) {
    gd_options_init(options);
    options->max_iterations = iterations;
    options->schedule = s;
    options->run_state = state;
    options->clip_norm = 0.5;
    options->keep_best = 1; /* the first half may return its best x: the state keeps the last */
    if (sampled) {
        options->batch_size = 3;
        options->seed = 42;
        options->schedule_per_epoch = 1;
        options->loss_tolerance = 1e-12;
        options->patience = 100;
    }
}

typedef struct blob { unsigned char *bytes; size_t size; } blob;

static blob save_run_state(const gd_run_state *s) {
    blob b = {NULL, 0};
    CHECK_STATUS(gd_run_state_save(s, NULL, 0, &b.size), GD_OK);
    b.bytes = malloc(b.size);
    CHECK_STATUS(gd_run_state_save(s, b.bytes, b.size, &b.size), GD_OK);
    return b;
}

static blob save_schedule(const gd_schedule *s) {
    blob b = {NULL, 0};
    CHECK_STATUS(gd_schedule_save(s, NULL, 0, &b.size), GD_OK);
    b.bytes = malloc(b.size);
    CHECK_STATUS(gd_schedule_save(s, b.bytes, b.size, &b.size), GD_OK);
    return b;
}

/* Run 2N updates straight; run N, save everything, free it, load into new handles, run to
 * 2N: the iterates and the optimizers' states are bit-identical. */
static void check_resume(const rule_case *c, int sampled, uint64_t n_first) {
    data_fit d;
    memset(&d, 0, sizeof d);
    gd_objective *obj = NULL;
    CHECK_STATUS(gd_objective_new_sampled(data_fn, &d, 3, M, &obj), GD_OK);
    const uint64_t total = 2 * n_first;
    gd_options options;
    gd_report r = fresh_report();

    gd_optimizer *straight = make_optimizer(c);
    gd_schedule *straight_schedule = make_run_schedule(sampled);
    double a[3] = {0.5, -0.5, 0.25};
    set_run_options(&options, sampled, straight_schedule, NULL, total);
    CHECK_STATUS(gd_minimize(obj, straight, a, 3, &options, &r), GD_OK);
    CHECK(r.iterations == total);

    gd_optimizer *first = make_optimizer(c);
    gd_schedule *first_schedule = make_run_schedule(sampled);
    gd_run_state *first_state = NULL;
    CHECK_STATUS(gd_run_state_new(&first_state), GD_OK);
    double b[3] = {0.5, -0.5, 0.25};
    set_run_options(&options, sampled, first_schedule, first_state, n_first);
    CHECK_STATUS(gd_minimize(obj, first, b, 3, &options, &r), GD_OK);
    CHECK(r.iterations == n_first);
    size_t opt_size = 0;
    unsigned char *opt_blob = save_optimizer(first, &opt_size);
    blob state_blob = save_run_state(first_state);
    blob schedule_blob = save_schedule(first_schedule);
    double saved_x[3];
    memcpy(saved_x, b, sizeof b);
    gd_optimizer_free(first);
    gd_schedule_free(first_schedule);
    gd_run_state_free(first_state);

    gd_optimizer *second = NULL;
    gd_schedule *second_schedule = make_run_schedule(sampled);
    gd_run_state *second_state = NULL;
    CHECK_STATUS(gd_optimizer_new_from_state(opt_blob, opt_size, &second), GD_OK);
    CHECK_STATUS(gd_schedule_load(second_schedule, schedule_blob.bytes, schedule_blob.size), GD_OK);
    CHECK_STATUS(gd_run_state_new(&second_state), GD_OK);
    CHECK_STATUS(gd_run_state_load(second_state, state_blob.bytes, state_blob.size), GD_OK);
    double resumed[3];
    memcpy(resumed, saved_x, sizeof saved_x);
    set_run_options(&options, sampled, second_schedule, second_state, total);
    r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, second, resumed, 3, &options, &r), GD_OK);
    CHECK(r.iterations == total);
    int same = memcmp(a, resumed, sizeof a) == 0;
    if (!same) {
        fprintf(stderr, "resume %s %s N=%u: %.17g %.17g %.17g vs %.17g %.17g %.17g\n", c->rule,
                sampled ? "mini-batch" : "full batch", (unsigned)n_first, a[0], a[1], a[2],
                resumed[0], resumed[1], resumed[2]);
    }
    CHECK(same);
    /* (With keep_best both may return the same best x; the optimizers' states say the second
     * half did run.) */
    if (sampled) {
        /* Without the run state the sampler starts over from the seed: another trajectory. */
        gd_optimizer *forgetful = NULL;
        gd_schedule *forgetful_schedule = make_run_schedule(sampled);
        CHECK_STATUS(gd_optimizer_new_from_state(opt_blob, opt_size, &forgetful), GD_OK);
        CHECK_STATUS(gd_schedule_load(forgetful_schedule, schedule_blob.bytes, schedule_blob.size), GD_OK);
        double other[3];
        memcpy(other, saved_x, sizeof saved_x);
        set_run_options(&options, sampled, forgetful_schedule, NULL, n_first);
        CHECK_STATUS(gd_minimize(obj, forgetful, other, 3, &options, &r), GD_OK);
        CHECK(memcmp(a, other, sizeof a) != 0);
        gd_optimizer_free(forgetful);
        gd_schedule_free(forgetful_schedule);
    }
    size_t straight_size = 0, second_size = 0;
    unsigned char *straight_blob = save_optimizer(straight, &straight_size);
    unsigned char *second_blob = save_optimizer(second, &second_size);
    CHECK(straight_size == second_size && memcmp(straight_blob, second_blob, straight_size) == 0);
    CHECK(opt_size == straight_size && memcmp(opt_blob, straight_blob, opt_size) != 0);
    double lr_a = 0, lr_b = 0;
    CHECK_STATUS(gd_schedule_lr(straight_schedule, &lr_a), GD_OK);
    CHECK_STATUS(gd_schedule_lr(second_schedule, &lr_b), GD_OK);
    CHECK(lr_a == lr_b);

    free(straight_blob);
    free(second_blob);
    free(opt_blob);
    free(state_blob.bytes);
    free(schedule_blob.bytes);
    gd_optimizer_free(straight);
    gd_optimizer_free(second);
    gd_schedule_free(straight_schedule);
    gd_schedule_free(second_schedule);
    gd_run_state_free(second_state);
    gd_objective_free(obj);
}

static void test_resume_is_bit_identical(void) {
    for (size_t i = 0; i < sizeof rule_cases / sizeof rule_cases[0]; i++) {
        check_resume(&rule_cases[i], 0, 9);
        check_resume(&rule_cases[i], 1, 7); /* 4 batches per epoch: stops inside an epoch */
        check_resume(&rule_cases[i], 1, 8); /* stops on an epoch's last batch */
    }
}

static void test_run_state_errors(void) {
    bowl b = {{1, 2, 3}, 0, 0, 0};
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    gd_run_state *state = NULL;
    CHECK_STATUS(gd_run_state_new(NULL), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_run_state_new(&state), GD_OK);
    CHECK_STATUS(gd_objective_new(bowl_fn, &b, 3, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 3, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 0.5), GD_OK);
    gd_options options;
    gd_options_init(&options);
    options.max_iterations = 3;
    options.run_state = state;
    double x[3] = {0, 0, 0};
    gd_report r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, &options, &r), GD_OK);
    CHECK(r.iterations == 3);
    /* Counters are totals: max_iterations 5 means two more. */
    options.max_iterations = 5;
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, &options, &r), GD_OK);
    CHECK(r.iterations == 5);
    CHECK_NEAR(x[0], 1 - 1.0 / 32, 1e-15);
    /* A state of 3 parameters does not fit a run of 2. */
    bowl b2 = {{1, 2, 0}, 0, 0, 0};
    gd_objective *obj2 = NULL;
    gd_optimizer *opt2 = NULL;
    CHECK_STATUS(gd_objective_new(bowl_fn, &b2, 2, &obj2), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 2, &opt2), GD_OK);
    double y[2] = {0, 0};
    CHECK_STATUS(gd_minimize(obj2, opt2, y, 2, &options, &r), GD_E_BAD_STATE);
    CHECK_ERROR_MENTIONS("3 parameters");
    CHECK(y[0] == 0 && b2.calls == 0);
    /* Reset: fresh again. */
    CHECK_STATUS(gd_run_state_reset(state), GD_OK);
    options.max_iterations = 2;
    CHECK_STATUS(gd_minimize(obj2, opt2, y, 2, &options, &r), GD_OK);
    CHECK(r.iterations == 2);
    /* Blobs of other kinds, truncated, corrupted. */
    blob saved = save_run_state(state);
    CHECK(saved.bytes[12] == 3);
    CHECK_STATUS(gd_run_state_load(state, saved.bytes, saved.size - 8), GD_E_BAD_STATE);
    saved.bytes[40] ^= 1;
    CHECK_STATUS(gd_run_state_load(state, saved.bytes, saved.size), GD_E_BAD_STATE);
    CHECK_ERROR_MENTIONS("corrupted");
    size_t opt_size = 0;
    unsigned char *opt_blob = save_optimizer(opt, &opt_size);
    CHECK_STATUS(gd_run_state_load(state, opt_blob, opt_size), GD_E_BAD_STATE);
    CHECK_ERROR_MENTIONS("optimizer");
    gd_schedule *s = make_schedule("step", "step_size", 2, NULL, 0, NULL, 0);
    CHECK_STATUS(gd_schedule_load(s, opt_blob, opt_size), GD_E_BAD_STATE);
    blob schedule_blob = save_schedule(s);
    gd_schedule *other = make_schedule("exponential", "gamma", 0.5, NULL, 0, NULL, 0);
    CHECK_STATUS(gd_schedule_load(other, schedule_blob.bytes, schedule_blob.size), GD_E_BAD_STATE);
    CHECK_ERROR_MENTIONS("step");
    free(schedule_blob.bytes);
    gd_schedule_free(s);
    gd_schedule_free(other);
    free(opt_blob);
    free(saved.bytes);
    gd_run_state_free(state);
    gd_run_state_free(NULL);
    gd_objective_free(obj);
    gd_objective_free(obj2);
    gd_optimizer_free(opt);
    gd_optimizer_free(opt2);
}

/* ---- custom update rules ------------------------------------------------------------------ */

typedef struct momentum_params {
    double momentum;
    int calls;
    int fail_at;
} momentum_params;

/* PyTorch's SGD with momentum (dampening 0): buf = g on the first step, else m * buf + g;
 * x = x + (-lr) * buf. state_size 1: the momentum buffer. */
static int momentum_rule(void *user, double *x, const double *grad, size_t n, double lr, uint64_t step,
                         double *state, size_t state_size) {
    momentum_params *p = user;
    p->calls++;
    if (p->fail_at && p->calls == p->fail_at) return 5;
    if (state_size != 1 || state == NULL) return 9;
    for (size_t i = 0; i < n; i++) {
        double b = step == 1 ? grad[i] : state[i] * p->momentum + 1.0 * grad[i];
        state[i] = b;
        x[i] = x[i] + (-lr) * b;
    }
    return 0;
}

/* Plain SGD, no state. */
static int plain_rule(void *user, double *x, const double *grad, size_t n, double lr, uint64_t step,
                      double *state, size_t state_size) {
    (void)user;
    (void)step;
    if (state != NULL || state_size != 0) return 9;
    for (size_t i = 0; i < n; i++) x[i] = x[i] + (-lr) * grad[i];
    return 0;
}

static int contains(const unsigned char *bytes, size_t size, const char *text) {
    size_t n = strlen(text);
    for (size_t i = 0; i + n <= size; i++) {
        if (memcmp(bytes + i, text, n) == 0) return 1;
    }
    return 0;
}

static void test_custom_rules(void) {
    momentum_params params = {0.9, 0, 0};
    CHECK_STATUS(gd_rule_register("my_momentum", momentum_rule, &params, 1), GD_OK);
    CHECK_STATUS(gd_rule_register("my_momentum", momentum_rule, &params, 1), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("already registered");
    CHECK_STATUS(gd_rule_register("adam", momentum_rule, &params, 1), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_rule_register("", momentum_rule, &params, 1), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_rule_register("x", NULL, &params, 1), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_rule_register(NULL, momentum_rule, &params, 1), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_rule_register("huge", momentum_rule, &params, SIZE_MAX), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_rule_unregister("nothing"), GD_E_UNKNOWN_NAME);

    /* The registered rule drives a mini-batch run bit for bit like the built-in sgd. */
    data_fit d;
    memset(&d, 0, sizeof d);
    gd_objective *obj = NULL;
    CHECK_STATUS(gd_objective_new_sampled(data_fn, &d, 3, M, &obj), GD_OK);
    gd_optimizer *custom = NULL, *builtin = NULL;
    CHECK_STATUS(gd_optimizer_new("my_momentum", 3, &custom), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 3, &builtin), GD_OK);
    CHECK_STATUS(gd_optimizer_set(builtin, "momentum", 0.9), GD_OK);
    double lr = 0;
    CHECK_STATUS(gd_optimizer_get(custom, "lr", &lr), GD_OK);
    CHECK(lr == 0.001);
    CHECK_STATUS(gd_optimizer_set(custom, "lr", 0.05), GD_OK);
    CHECK_STATUS(gd_optimizer_set(builtin, "lr", 0.05), GD_OK);
    CHECK_STATUS(gd_optimizer_set(custom, "momentum", 0.9), GD_E_UNKNOWN_KEY);
    gd_schedule *s1 = make_schedule("step", "step_size", 5, "gamma", 0.5, NULL, 0);
    gd_schedule *s2 = make_schedule("step", "step_size", 5, "gamma", 0.5, NULL, 0);
    gd_options options;
    gd_options_init(&options);
    options.batch_size = 4;
    options.max_iterations = 30;
    options.seed = 3;
    options.schedule = s1;
    double a[3] = {0, 0, 0}, b[3] = {0, 0, 0};
    gd_report r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, custom, a, 3, &options, &r), GD_OK);
    options.schedule = s2;
    CHECK_STATUS(gd_minimize(obj, builtin, b, 3, &options, &r), GD_OK);
    CHECK(memcmp(a, b, sizeof a) == 0);
    CHECK(params.calls == 30);

    /* Its state saves and loads; an optimizer from the blob finds the rule by name. */
    size_t size = 0;
    unsigned char *blob_bytes = save_optimizer(custom, &size);
    gd_optimizer *copy = NULL;
    CHECK_STATUS(gd_optimizer_new_from_state(blob_bytes, size, &copy), GD_OK);
    double g[3] = {0.1, 0.2, 0.3}, c[3];
    memcpy(c, a, sizeof a);
    CHECK_STATUS(gd_optimizer_step(custom, a, g, 3), GD_OK);
    CHECK_STATUS(gd_optimizer_step(copy, c, g, 3), GD_OK);
    CHECK(memcmp(a, c, sizeof a) == 0);
    /* After unregistering, existing optimizers keep working; new ones cannot be made. */
    CHECK_STATUS(gd_rule_unregister("my_momentum"), GD_OK);
    CHECK_STATUS(gd_optimizer_step(copy, c, g, 3), GD_OK);
    gd_optimizer *missing = NULL;
    CHECK_STATUS(gd_optimizer_new("my_momentum", 3, &missing), GD_E_UNKNOWN_NAME);
    CHECK_STATUS(gd_optimizer_new_from_state(blob_bytes, size, &missing), GD_E_UNKNOWN_NAME);
    free(blob_bytes);

    /* A failing rule: GD_E_CALLBACK from a step and from a run (x restored). */
    params.calls = 0;
    params.fail_at = 1;
    CHECK_STATUS(gd_optimizer_step(custom, a, g, 3), GD_E_CALLBACK);
    CHECK_ERROR_MENTIONS("update rule");
    params.calls = 0;
    params.fail_at = 3;
    double before[3];
    options.schedule = NULL;
    options.max_iterations = 10;
    r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, custom, a, 3, &options, &r), GD_E_CALLBACK);
    CHECK(r.stop_reason == GD_STOP_CALLBACK_ERROR && r.iterations == 2);
    memcpy(before, a, sizeof a);
    CHECK(isfinite(before[0]));

    /* Created directly: plain SGD equals the built-in bit for bit. */
    gd_optimizer *plain = NULL, *sgd = NULL;
    CHECK_STATUS(gd_optimizer_new_custom(NULL, NULL, 0, 3, &plain), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_optimizer_new_custom(plain_rule, NULL, 0, 0, &plain), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_optimizer_new_custom(plain_rule, NULL, 0, 3, &plain), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 3, &sgd), GD_OK);
    gd_optimizer_set(plain, "lr", 0.07);
    gd_optimizer_set(sgd, "lr", 0.07);
    gd_options_init(&options);
    options.max_iterations = 25;
    double p[3] = {1, 1, 1}, q[3] = {1, 1, 1};
    CHECK_STATUS(gd_minimize(obj, plain, p, 3, &options, &r), GD_OK);
    CHECK_STATUS(gd_minimize(obj, sgd, q, 3, &options, &r), GD_OK);
    CHECK(memcmp(p, q, sizeof p) == 0);
    size = 0;
    blob_bytes = save_optimizer(plain, &size);
    CHECK(contains(blob_bytes, size, "custom"));
    free(blob_bytes);

    gd_schedule_free(s1);
    gd_schedule_free(s2);
    gd_optimizer_free(plain);
    gd_optimizer_free(sgd);
    gd_optimizer_free(copy);
    gd_optimizer_free(custom);
    gd_optimizer_free(builtin);
    gd_objective_free(obj);
}

/* ---- gradient check ------------------------------------------------------------------- */

typedef struct wrong_gradient { int wrong_index; double factor; } wrong_gradient;

/* f(x) = sum_i (i + 1) x_i^2 + x_0 x_1 + exp(x_2), with one gradient component scaled. */
static int checked_fn(void *user, const double *x, double *grad, size_t n, double *loss) {
    const wrong_gradient *w = user;
    double f = 0;
    for (size_t i = 0; i < n; i++) f += (double)(i + 1) * x[i] * x[i];
    f += x[0] * x[1] + exp(x[2]);
    *loss = f;
    if (grad) {
        for (size_t i = 0; i < n; i++) grad[i] = 2 * (double)(i + 1) * x[i];
        grad[0] += x[1];
        grad[1] += x[0];
        grad[2] += exp(x[2]);
        if (w->wrong_index >= 0) grad[w->wrong_index] *= w->factor;
    }
    return 0;
}

static void test_gradient_check(void) {
    wrong_gradient right = {-1, 1}, wrong = {1, 1.01};
    gd_objective *good = NULL, *bad = NULL;
    CHECK_STATUS(gd_objective_new(checked_fn, &right, 4, &good), GD_OK);
    CHECK_STATUS(gd_objective_new(checked_fn, &wrong, 4, &bad), GD_OK);
    const double x[4] = {0.3, -1.2, 0.5, 2.0};
    gd_gradient_check result;
    memset(&result, 0, sizeof result);
    result.struct_size = sizeof result;
    CHECK_STATUS(gd_check_gradient(good, x, 4, 0, &result), GD_OK);
    CHECK(result.error < 1e-8 && result.rel_error < 1e-8);
    CHECK(result.evaluations == 9);
    CHECK(result.struct_size == sizeof result);
    CHECK_STATUS(gd_check_gradient(bad, x, 4, 0, &result), GD_OK);
    CHECK(result.worst_index == 1);
    /* grad[1] = 4 * -1.2 + 0.3 = -4.5, scaled by 1.01 */
    CHECK_NEAR(result.analytic, -4.5 * 1.01, 1e-12);
    CHECK_NEAR(result.numeric, -4.5, 1e-8);
    CHECK_NEAR(result.abs_error, 0.045, 1e-8);
    CHECK_NEAR(result.rel_error, 0.045 / 4.545, 1e-8);
    CHECK(result.error > 1e-3);
    /* An explicit step works too; bad arguments are reported. */
    CHECK_STATUS(gd_check_gradient(good, x, 4, 1e-4, &result), GD_OK);
    CHECK(result.error < 1e-6);
    CHECK_STATUS(gd_check_gradient(good, x, 3, 0, &result), GD_E_DIMENSION_MISMATCH);
    CHECK_STATUS(gd_check_gradient(good, NULL, 4, 0, &result), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_check_gradient(NULL, x, 4, 0, &result), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_check_gradient(good, x, 4, -1, &result), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_check_gradient(good, x, 4, 0, NULL), GD_E_NULL_ARGUMENT);
    result.struct_size = 8;
    CHECK_STATUS(gd_check_gradient(good, x, 4, 0, &result), GD_E_INVALID_ARGUMENT);
    const double far[4] = {0, 0, 1000, 0};
    result.struct_size = sizeof result;
    CHECK_STATUS(gd_check_gradient(good, far, 4, 0, &result), GD_E_NON_FINITE);
    gd_objective_free(good);
    gd_objective_free(bad);
}

/* ---- structs of the first release's size ----------------------------------------------- */

static void test_first_release_structs(void) {
    bowl b = {{1, 2, 3}, 0, 0, 0};
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_objective_new(bowl_fn, &b, 3, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 3, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 0.5), GD_OK);
    /* Exactly as large as the first release's structs, so valgrind sees any access past them. */
    const size_t old_options = offsetof(gd_options, schedule);
    const size_t old_report = offsetof(gd_report, best_iteration);
    gd_options *options = malloc(old_options);
    gd_report *report = malloc(old_report);
    /* The exported gd_options_init (not the macro) fills only the first release's fields. */
    CHECK_STATUS((gd_options_init)(options), GD_OK);
    CHECK(options->struct_size == old_options && options->max_iterations == 10000);
    options->max_iterations = 3;
    memset(report, 0, old_report);
    report->struct_size = old_report;
    double x[3] = {0, 0, 0};
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, options, report), GD_OK);
    CHECK(report->iterations == 3 && report->stop_reason == GD_STOP_MAX_ITERATIONS);
    CHECK_NEAR(x[0], 0.875, 1e-15);
    free(options);
    free(report);
    /* gd_options_init_sized: too small is refused, larger than known is zero-filled. */
    gd_options full;
    CHECK_STATUS(gd_options_init_sized(&full, 8), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_options_init_sized(NULL, sizeof full), GD_E_NULL_ARGUMENT);
    struct { gd_options options; unsigned char later_fields[16]; } bigger;
    memset(&bigger, 0xAB, sizeof bigger);
    CHECK_STATUS(gd_options_init_sized(&bigger.options, sizeof bigger), GD_OK);
    CHECK(bigger.options.struct_size == sizeof bigger && bigger.options.keep_best == 0);
    CHECK(bigger.later_fields[15] == 0);
    gd_objective_free(obj);
    gd_optimizer_free(opt);
}

int main(void) {
    test_schedule_closed_forms();
    test_schedule_arguments();
    test_plateau_scripted();
    test_schedule_in_runs();
    test_callback_schedule();
    test_clipping();
    test_nonfinite_policies();
    test_best_iterate();
    test_optimizer_state_blob();
    test_resume_is_bit_identical();
    test_run_state_errors();
    test_custom_rules();
    test_gradient_check();
    test_first_release_structs();
    return check_summary("test_controls");
}
