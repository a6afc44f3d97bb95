/* lbfgs, line searches and bounds through the C ABI: bad input is refused with a status and
 * a message and changes nothing; a wrong gradient ends in GD_E_LINE_SEARCH with a message
 * that points at gd_check_gradient; the history travels in the optimizer's blob (bit-
 * identical resume, range-checked loading); bounds hold and x0 outside them is reported. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_descent.h"
#include "check.h"

enum { N = 6 };

/* Extended Rosenbrock: sum over pairs of 100 (x_{2i+1} - x_{2i}^2)^2 + (1 - x_{2i})^2. */
static int rosenbrock(void *user, const double *x, double *grad, size_t n, double *loss) {
    (void)user;
    double sum = 0;
    for (size_t i = 0; i + 1 < n; i += 2) {
        double a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
        sum += 100 * a * a + b * b;
        if (grad) {
            grad[i] = -400 * x[i] * a - 2 * b;
            grad[i + 1] = 200 * a;
        }
    }
    *loss = sum;
    return 0;
}

/* The same loss with a gradient off by a factor in one entry (a typical slip). */
static int wrong_gradient(void *user, const double *x, double *grad, size_t n, double *loss) {
    int status = rosenbrock(user, x, grad, n, loss);
    if (grad) grad[0] = -3 * grad[0];
    return status;
}

static int sampled_loss(void *user, const double *x, double *grad, size_t n, const size_t *samples,
                        size_t count, double *loss) {
    (void)samples;
    (void)count;
    return rosenbrock(user, x, grad, n, loss);
}

static void start(double *x) {
    for (size_t i = 0; i < N; i++) x[i] = i % 2 ? 1.0 : -1.2;
}

static gd_report fresh_report(void) {
    gd_report report;
    memset(&report, 0, sizeof report);
    report.struct_size = sizeof report;
    return report;
}

static void test_lbfgs_solves_rosenbrock(void) {
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_objective_new(rosenbrock, NULL, N, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("lbfgs", N, &opt), GD_OK);
    gd_options options;
    gd_options_init(&options);
    options.gradient_tolerance = 1e-9;
    double x[N];
    start(x);
    gd_report report = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, x, N, &options, &report), GD_OK);
    CHECK(report.stop_reason == GD_STOP_GRADIENT_TOLERANCE);
    for (size_t i = 0; i < N; i++) CHECK_NEAR(x[i], 1.0, 1e-8);
    CHECK(report.iterations > 10 && report.iterations < 100);
    CHECK(report.evaluations >= report.iterations);
    CHECK(report.x0_projected == 0);
    gd_optimizer_free(opt);
    gd_objective_free(obj);
}

static void test_bad_input_changes_nothing(void) {
    gd_objective *obj = NULL, *sampled = NULL;
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_objective_new(rosenbrock, NULL, N, &obj), GD_OK);
    CHECK_STATUS(gd_objective_new_sampled(sampled_loss, NULL, N, 10, &sampled), GD_OK);
    CHECK_STATUS(gd_optimizer_new("lbfgs", N, &opt), GD_OK);

    /* history_size 0 (and other out-of-range keys): refused, the value kept */
    CHECK_STATUS(gd_optimizer_set(opt, "history_size", 0), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("history_size");
    CHECK_STATUS(gd_optimizer_set(opt, "history_size", 2.5), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_optimizer_set(opt, "history_size", 1e9), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_optimizer_set(opt, "c1", 1.0), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 0.0), GD_E_INVALID_ARGUMENT);
    double value = 0;
    CHECK_STATUS(gd_optimizer_get(opt, "history_size", &value), GD_OK);
    CHECK(value == 10);

    double x[N], before[N];
    start(x);
    memcpy(before, x, sizeof x);
    gd_options options;
    gd_options_init(&options);
    gd_report report = fresh_report();

    /* lbfgs on batches of a sampled objective */
    options.batch_size = 2;
    CHECK_STATUS(gd_minimize(sampled, opt, x, N, &options, &report), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("batch_size");
    CHECK(memcmp(x, before, sizeof x) == 0);
    CHECK(report.iterations == 0 && report.evaluations == 0);
    /* ... while batch_size 0 runs it over all the samples */
    options.batch_size = 0;
    options.max_iterations = 3;
    CHECK_STATUS(gd_minimize(sampled, opt, x, N, &options, &report), GD_OK);
    CHECK(report.iterations == 3);
    memcpy(x, before, sizeof x);
    CHECK_STATUS(gd_optimizer_reset(opt), GD_OK);

    /* NaN bounds, lower > upper, a box with no finite point */
    report = fresh_report();
    double lower[N], upper[N];
    for (size_t i = 0; i < N; i++) {
        lower[i] = -2;
        upper[i] = 2;
    }
    options.lower = lower;
    options.upper = upper;
    lower[3] = NAN;
    CHECK_STATUS(gd_minimize(obj, opt, x, N, &options, &report), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("bound 3");
    lower[3] = 3;
    CHECK_STATUS(gd_minimize(obj, opt, x, N, &options, &report), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("lower bound 3");
    lower[3] = INFINITY;
    upper[3] = INFINITY;
    CHECK_STATUS(gd_minimize(obj, opt, x, N, &options, &report), GD_E_INVALID_ARGUMENT);
    CHECK(memcmp(x, before, sizeof x) == 0);
    CHECK(report.iterations == 0 && report.evaluations == 0);
    options.lower = options.upper = NULL;

    /* schedules and clipping are not for lbfgs */
    gd_schedule *schedule = NULL;
    CHECK_STATUS(gd_schedule_new("exponential", &schedule), GD_OK);
    CHECK_STATUS(gd_schedule_set(schedule, "gamma", 0.9), GD_OK);
    options.schedule = schedule;
    CHECK_STATUS(gd_minimize(obj, opt, x, N, &options, &report), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("schedule");
    options.schedule = NULL;
    options.clip_norm = 1;
    CHECK_STATUS(gd_minimize(obj, opt, x, N, &options, &report), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("clipping");
    options.clip_norm = 0;
    CHECK(memcmp(x, before, sizeof x) == 0);

    /* c1 >= c2 is checked when the run starts */
    CHECK_STATUS(gd_optimizer_set(opt, "c1", 0.95), GD_OK);
    CHECK_STATUS(gd_minimize(obj, opt, x, N, &options, &report), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("c1 < c2");
    CHECK_STATUS(gd_optimizer_set(opt, "c1", 1e-4), GD_OK);

    /* no ask/tell step for lbfgs */
    double grad[N] = {0};
    CHECK_STATUS(gd_optimizer_step(opt, x, grad, N), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("gd_minimize");
    CHECK(memcmp(x, before, sizeof x) == 0);

    /* a first-order line search needs full batches too */
    gd_optimizer *sgd = NULL;
    CHECK_STATUS(gd_optimizer_new("sgd", N, &sgd), GD_OK);
    CHECK_STATUS(gd_optimizer_set(sgd, "line_search", 2), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_optimizer_set(sgd, "line_search", 1), GD_OK);
    options.batch_size = 1;
    CHECK_STATUS(gd_minimize(sampled, sgd, x, N, &options, &report), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("line_search");
    CHECK(memcmp(x, before, sizeof x) == 0);

    gd_optimizer_free(sgd);
    gd_schedule_free(schedule);
    gd_optimizer_free(opt);
    gd_objective_free(sampled);
    gd_objective_free(obj);
}

static void test_wrong_gradient_stops_the_line_search(void) {
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_objective_new(wrong_gradient, NULL, N, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("lbfgs", N, &opt), GD_OK);
    gd_options options;
    gd_options_init(&options);
    options.gradient_tolerance = 1e-9;
    double x[N];
    start(x);
    double start_loss = 0;
    CHECK_STATUS(rosenbrock(NULL, x, NULL, N, &start_loss), 0);
    gd_report report = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, x, N, &options, &report), GD_E_LINE_SEARCH);
    CHECK(report.stop_reason == GD_STOP_LINE_SEARCH_FAILED);
    CHECK_ERROR_MENTIONS("gd_check_gradient");
    CHECK(strcmp(gd_stop_reason_string(GD_STOP_LINE_SEARCH_FAILED), "a line search found no acceptable step") == 0);
    /* x is the last accepted iterate, and the report's loss is its loss */
    double loss = 0;
    CHECK_STATUS(rosenbrock(NULL, x, NULL, N, &loss), 0);
    CHECK(loss == report.loss);
    CHECK(loss <= start_loss);

    /* the same with the first-order search */
    gd_optimizer *sgd = NULL;
    CHECK_STATUS(gd_optimizer_new("sgd", N, &sgd), GD_OK);
    CHECK_STATUS(gd_optimizer_set(sgd, "lr", 1.0), GD_OK);
    CHECK_STATUS(gd_optimizer_set(sgd, "line_search", 1), GD_OK);
    start(x);
    CHECK_STATUS(gd_minimize(obj, sgd, x, N, &options, &report), GD_E_LINE_SEARCH);
    CHECK(report.stop_reason == GD_STOP_LINE_SEARCH_FAILED);
    CHECK_ERROR_MENTIONS("gd_check_gradient");
    gd_optimizer_free(sgd);
    gd_optimizer_free(opt);
    gd_objective_free(obj);
}

static void test_history_in_checkpoints(void) {
    gd_objective *obj = NULL;
    gd_optimizer *whole = NULL, *first = NULL, *second = NULL;
    gd_run_state *state = NULL, *resumed = NULL;
    CHECK_STATUS(gd_objective_new(rosenbrock, NULL, N, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("lbfgs", N, &whole), GD_OK);
    CHECK_STATUS(gd_optimizer_new("lbfgs", N, &first), GD_OK);
    CHECK_STATUS(gd_optimizer_set(whole, "history_size", 4), GD_OK);
    CHECK_STATUS(gd_optimizer_set(first, "history_size", 4), GD_OK);
    CHECK_STATUS(gd_run_state_new(&state), GD_OK);
    CHECK_STATUS(gd_run_state_new(&resumed), GD_OK);
    gd_options options;
    gd_options_init(&options);
    gd_report report = fresh_report();

    double uninterrupted[N], split[N];
    start(uninterrupted);
    start(split);
    options.max_iterations = 25;
    CHECK_STATUS(gd_minimize(obj, whole, uninterrupted, N, &options, &report), GD_OK);
    CHECK(report.iterations == 25);

    options.run_state = state;
    options.max_iterations = 11;
    CHECK_STATUS(gd_minimize(obj, first, split, N, &options, &report), GD_OK);
    size_t size = 0, run_size = 0;
    CHECK_STATUS(gd_optimizer_save(first, NULL, 0, &size), GD_OK);
    CHECK_STATUS(gd_run_state_save(state, NULL, 0, &run_size), GD_OK);
    unsigned char *blob = malloc(size), *run_blob = malloc(run_size);
    CHECK_STATUS(gd_optimizer_save(first, blob, size, &size), GD_OK);
    CHECK_STATUS(gd_run_state_save(state, run_blob, run_size, &run_size), GD_OK);
    /* the history is in the blob: 2 * 4 pairs of N doubles at least */
    CHECK(size > 2 * 4 * N * sizeof(double));

    CHECK_STATUS(gd_optimizer_new_from_state(blob, size, &second), GD_OK);
    CHECK_STATUS(gd_run_state_load(resumed, run_blob, run_size), GD_OK);
    double history_size = 0;
    CHECK_STATUS(gd_optimizer_get(second, "history_size", &history_size), GD_OK);
    CHECK(history_size == 4);
    options.run_state = resumed;
    options.max_iterations = 25;
    CHECK_STATUS(gd_minimize(obj, second, split, N, &options, &report), GD_OK);
    CHECK(report.iterations == 25);
    CHECK(memcmp(split, uninterrupted, sizeof split) == 0);

    /* loading range-checks the history: a negative rho, re-sealed with a valid checksum */
    const char *section = "lbfgs_history";
    size_t at = 0;
    for (size_t i = 32; i + strlen(section) < size; i++) {
        if (memcmp(blob + i, section, strlen(section)) == 0) {
            at = i;
            break;
        }
    }
    CHECK(at > 0);
    if (at > 0) {
        size_t rho = at + strlen(section) + 8 + 8 + 8; /* capacity, count, gamma */
        double negative = -1.0;
        memcpy(blob + rho, &negative, sizeof negative);
        uint32_t crc = check_crc32(blob + 32, size - 32);
        memcpy(blob + 24, &crc, sizeof crc);
        double before = 0, after = 0;
        CHECK_STATUS(gd_optimizer_get(second, "history_size", &before), GD_OK);
        CHECK_STATUS(gd_optimizer_load(second, blob, size), GD_E_BAD_STATE);
        CHECK_ERROR_MENTIONS("rho");
        CHECK_STATUS(gd_optimizer_get(second, "history_size", &after), GD_OK);
        CHECK(before == after);
    }
    free(blob);
    free(run_blob);
    gd_run_state_free(state);
    gd_run_state_free(resumed);
    gd_optimizer_free(whole);
    gd_optimizer_free(first);
    gd_optimizer_free(second);
    gd_objective_free(obj);
}

static void test_bounds_hold_for_every_rule(void) {
    gd_objective *obj = NULL;
    CHECK_STATUS(gd_objective_new(rosenbrock, NULL, N, &obj), GD_OK);
    double lower[N], upper[N];
    for (size_t i = 0; i < N; i++) {
        lower[i] = i % 2 ? 1.5 : -INFINITY; /* cuts off the minimizer (1, ..., 1) */
        upper[i] = i % 2 ? INFINITY : 0.5;
    }
    const char *rules[] = {"lbfgs", "sgd", "adam"};
    for (size_t r = 0; r < 3; r++) {
        gd_optimizer *opt = NULL;
        CHECK_STATUS(gd_optimizer_new(rules[r], N, &opt), GD_OK);
        if (strcmp(rules[r], "lbfgs") != 0) CHECK_STATUS(gd_optimizer_set(opt, "lr", 1e-3), GD_OK);
        gd_options options;
        gd_options_init(&options);
        options.lower = lower;
        options.upper = upper;
        options.max_iterations = 200;
        options.gradient_tolerance = 1e-9;
        double x[N];
        start(x); /* x[1] = 1 is below its lower bound 1.5: projected */
        gd_report report = fresh_report();
        CHECK_STATUS(gd_minimize(obj, opt, x, N, &options, &report), GD_OK);
        CHECK(report.x0_projected == 1);
        for (size_t i = 0; i < N; i++) CHECK(x[i] >= lower[i] && x[i] <= upper[i]);
        gd_optimizer_free(opt);
    }
    gd_objective_free(obj);
}

int main(void) {
    test_lbfgs_solves_rosenbrock();
    test_bad_input_changes_nothing();
    test_wrong_gradient_stops_the_line_search();
    test_history_in_checkpoints();
    test_bounds_hold_for_every_rule();
    return check_summary("test_lbfgs");
}
