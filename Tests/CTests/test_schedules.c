/* Learning-rate schedules through the built library: every closed form against PyTorch's
 * over 100 steps, argument checks, reduce-on-plateau against a scripted loss sequence, and
 * schedules inside runs (set before each update, fed per epoch, a callback schedule).
 * Compiled with -std=c99 -pedantic -Werror. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_descent.h"
#include "check.h"
#include "fixtures.h"

static const double pi = 3.14159265358979323846;

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

/* ---- what a run reports to its progress callback ------------------------------------ */

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
    bowl b = {.center = {1, 2, 3}};
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_objective_new(bowl_fn, &b, 3, &obj), GD_OK);
    opt = new_optimizer("sgd", 3, 0.4);
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
    obj = new_fit_objective(&d);
    opt = new_optimizer("sgd", 3, 0.1);
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
    CHECK_STATUS(gd_objective_new_sampled(data_fn, &d, 3, FIT_ROWS, &obj), GD_OK);
    opt = new_optimizer("adam", 3, 0.08);
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

int main(void) {
    test_schedule_closed_forms();
    test_schedule_arguments();
    test_plateau_scripted();
    test_schedule_in_runs();
    test_callback_schedule();
    return check_summary("test_schedules");
}
