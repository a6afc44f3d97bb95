/* No allocation inside the loop: the library's heap traffic during a run does not grow with
 * the number of iterations. This program defines malloc, calloc, realloc, free and the aligned
 * allocators itself, so every allocation the library (Swift runtime included) makes goes
 * through a counter before reaching glibc's allocator; each case then compares a 10-step
 * run with a 10,000-step run (equal counts: only the constant set-up allocates) and counts
 * 10,000 gd_optimizer_step calls (zero). Under valgrind, which replaces the allocator, the
 * counter sees nothing and the cases are skipped (run.sh also runs this program natively). */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_descent.h"
#include "check.h"
#include "fixtures.h"

/* ---- the counting allocator -------------------------------------------------------------- */

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void __libc_free(void *pointer);

static uint64_t allocations = 0;

static void count_allocation(void) { __atomic_fetch_add(&allocations, 1, __ATOMIC_RELAXED); }

void *malloc(size_t size) {
    count_allocation();
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    count_allocation();
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    count_allocation();
    return __libc_realloc(pointer, size);
}

void free(void *pointer) { __libc_free(pointer); }

void *memalign(size_t alignment, size_t size);
void *memalign(size_t alignment, size_t size) {
    count_allocation();
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size);
void *aligned_alloc(size_t alignment, size_t size) {
    count_allocation();
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **out, size_t alignment, size_t size);
int posix_memalign(void **out, size_t alignment, size_t size) {
    count_allocation();
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return ENOMEM;
    *out = pointer;
    return 0;
}

static uint64_t allocation_count(void) { return __atomic_load_n(&allocations, __ATOMIC_RELAXED); }

/* ---- objectives --------------------------------------------------------------------------- */

/* 2^15 rows of 8 columns: a full pass over all of them is big enough (2^18 row-elements) for
 * the built-in objectives to split it over two threads. The objective starts its second thread
 * on its first such pass and keeps it until freed: set-up, done in an uncounted first run. */
enum { ROWS = 32768, COLS = 8 };
static double features[ROWS * COLS], targets[ROWS];

/* The article's least squares over a batch of rows, as a sampled callback. */
static int batch_least_squares(void *user, const double *theta, double *grad, size_t n,
                               const size_t *samples, size_t count, double *loss) {
    (void)user;
    double sum = 0.0;
    if (grad) memset(grad, 0, n * sizeof(double));
    for (size_t s = 0; s < count; s++) {
        const double *row = features + samples[s] * COLS;
        double residual = -targets[samples[s]];
        for (size_t j = 0; j < n; j++) residual += row[j] * theta[j];
        sum += residual * residual;
        if (grad) for (size_t j = 0; j < n; j++) grad[j] += residual * row[j] / (double)count;
    }
    *loss = sum / (2.0 * (double)count);
    return 0;
}

static void make_data(void) {
    uint64_t state = 7;
    for (size_t i = 0; i < ROWS; i++) {
        double target = 0.0;
        for (size_t j = 0; j < COLS; j++) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            features[i * COLS + j] = (double)(state >> 11) * (2.0 / 9007199254740992.0) - 1.0;
            target += (double)(j + 1) * features[i * COLS + j];
        }
        targets[i] = target;
    }
}

static int quiet_progress(void *user, const gd_progress_info *info) {
    (void)info;
    ++*(uint64_t *)user;
    return 0;
}

/* ---- the cases ---------------------------------------------------------------------------- */

typedef struct run_case {
    const char *label;
    gd_objective *objective;
    const char *rule;
    size_t n;
    size_t batch_size;
    int controls;        /* schedule, clipping, keep_best and a progress callback */
    uint64_t iterations; /* of the long run; 10,000 unless a full pass is slow */
} run_case;

/* Allocations of one gd_minimize of `iterations` updates (set-up included). */
static uint64_t run_allocations(const run_case *c, uint64_t iterations, gd_schedule *schedule) {
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_optimizer_new(c->rule, c->n, &opt), GD_OK);
    if (opt == NULL) return 0;
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 1e-3), GD_OK);
    gd_options options;
    CHECK_STATUS(gd_options_init(&options), GD_OK);
    options.max_iterations = iterations;
    options.batch_size = c->batch_size;
    uint64_t progress_calls = 0;
    if (c->controls) {
        options.schedule = schedule;
        options.clip_norm = 10.0;
        options.keep_best = 1;
        options.progress = quiet_progress;
        options.progress_user = &progress_calls;
    }
    double x[COLS] = {-1.2, 1.0, 0, 0, 0, 0, 0, 0};
    gd_report report;
    memset(&report, 0, sizeof report);
    report.struct_size = sizeof report;

    uint64_t before = allocation_count();
    int status = gd_minimize(c->objective, opt, x, c->n, &options, &report);
    uint64_t used = allocation_count() - before;

    CHECK_STATUS(status, GD_OK);
    CHECK(report.iterations == iterations);
    CHECK(isfinite(report.loss));
    if (c->controls) CHECK(progress_calls == iterations);
    gd_optimizer_free(opt);
    return used;
}

static void test_runs_allocate_only_at_set_up(void) {
    gd_objective *full = NULL, *sampled = NULL, *built_in = NULL;
    CHECK_STATUS(gd_objective_new(rosenbrock, NULL, 2, &full), GD_OK);
    CHECK_STATUS(gd_objective_new_sampled(batch_least_squares, NULL, COLS, ROWS, &sampled), GD_OK);
    gd_data data = dense_data(features, targets, ROWS, COLS);
    CHECK_STATUS(gd_objective_create("least_squares", COLS, &data, NULL, 0, &built_in), GD_OK);
    gd_schedule *schedule = NULL;
    CHECK_STATUS(gd_schedule_new("cosine", &schedule), GD_OK);
    CHECK_STATUS(gd_schedule_set(schedule, "t_max", 10000), GD_OK);

    const char *rules[] = {"sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "radam",
                           "rprop", "asgd"};
    for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++) {
        run_case c = {rules[r], full, rules[r], 2, 0, 0, 10000};
        run_allocations(&c, 10, NULL); /* first use: one-time set-up (type metadata, once-tokens) */
        uint64_t short_run = run_allocations(&c, 10, NULL);
        uint64_t long_run = run_allocations(&c, 10000, NULL);
        if (long_run != short_run) {
            fprintf(stderr, "full batch, %s: %llu allocations in 10 iterations, %llu in 10,000\n", rules[r],
                    (unsigned long long)short_run, (unsigned long long)long_run);
        }
        CHECK(long_run == short_run);
    }

    const run_case cases[] = {
        {"C callback, full batch, adam + schedule, clipping, keep_best, progress", full, "adam", 2, 0, 1, 10000},
        {"sampled C callback, mini-batch 32, adam", sampled, "adam", COLS, 32, 0, 10000},
        {"sampled C callback, SGD (batch 1), sgd", sampled, "sgd", COLS, 1, 0, 10000},
        {"sampled C callback, mini-batch 32, adam + controls", sampled, "adam", COLS, 32, 1, 10000},
        {"built-in least_squares, mini-batch 32, adam", built_in, "adam", COLS, 32, 0, 10000},
        /* keep_best needs the full loss once per epoch: a two-thread pass every 1024 steps */
        {"built-in least_squares, mini-batch 32, adam + controls", built_in, "adam", COLS, 32, 1, 10000},
        {"built-in least_squares, full batch over 2^15 rows (two threads)", built_in, "adam", COLS, 0, 0, 1000},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        run_allocations(&cases[k], 10, schedule);
        uint64_t short_run = run_allocations(&cases[k], 10, schedule);
        uint64_t long_run = run_allocations(&cases[k], cases[k].iterations, schedule);
        printf("  %-68s %3llu allocations in 10 iterations, %4llu in %llu\n", cases[k].label,
               (unsigned long long)short_run, (unsigned long long)long_run,
               (unsigned long long)cases[k].iterations);
        CHECK(long_run == short_run);
    }
    gd_schedule_free(schedule);
    gd_objective_free(full);
    gd_objective_free(sampled);
    gd_objective_free(built_in);
}

/* A schedule of PyTorch's other kinds, set for runs of up to 10^6 steps. */
static gd_schedule *torch_schedule(const char *name) {
    gd_schedule *s = NULL;
    CHECK_STATUS(gd_schedule_new(name, &s), GD_OK);
    if (strcmp(name, "one_cycle") == 0) {
        CHECK_STATUS(gd_schedule_set(s, "max_lr", 1e-3), GD_OK);
        CHECK_STATUS(gd_schedule_set(s, "total_steps", 1e6), GD_OK);
        CHECK_STATUS(gd_schedule_set(s, "three_phase", 1), GD_OK);
    } else if (strcmp(name, "cyclic") == 0) {
        CHECK_STATUS(gd_schedule_set(s, "base_lr", 1e-4), GD_OK);
        CHECK_STATUS(gd_schedule_set(s, "max_lr", 1e-3), GD_OK);
        CHECK_STATUS(gd_schedule_set(s, "step_size_up", 100), GD_OK);
    } else if (strcmp(name, "warm_restarts") == 0) {
        CHECK_STATUS(gd_schedule_set(s, "t_0", 10), GD_OK);
        CHECK_STATUS(gd_schedule_set(s, "t_mult", 2), GD_OK);
    } else if (strcmp(name, "multistep") == 0) {
        CHECK_STATUS(gd_schedule_set(s, "milestone_1", 100), GD_OK);
    } else if (strcmp(name, "chained") == 0 || strcmp(name, "sequential") == 0) {
        gd_schedule *a = torch_schedule("cyclic"), *b = torch_schedule("warm_restarts");
        CHECK_STATUS(gd_schedule_add(s, a, 0), GD_OK);
        CHECK_STATUS(gd_schedule_add(s, b, strcmp(name, "chained") == 0 ? 0 : 5), GD_OK);
        gd_schedule_free(a);
        gd_schedule_free(b);
    }
    return s;
}

static void test_torch_schedules_allocate_only_at_set_up(void) {
    gd_objective *full = NULL;
    CHECK_STATUS(gd_objective_new(rosenbrock, NULL, 2, &full), GD_OK);
    const char *names[] = {"one_cycle", "cyclic", "warm_restarts", "multistep", "polynomial", "chained", "sequential"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        gd_schedule *schedule = torch_schedule(names[k]);
        run_case c = {names[k], full, "adam", 2, 0, 1, 10000};
        run_allocations(&c, 10, schedule);
        uint64_t short_run = run_allocations(&c, 10, schedule);
        uint64_t long_run = run_allocations(&c, 10000, schedule);
        printf("  adam + %-61s %3llu allocations in 10 iterations, %4llu in 10000\n", names[k],
               (unsigned long long)short_run, (unsigned long long)long_run);
        CHECK(long_run == short_run);
        gd_schedule_free(schedule);
    }
    gd_objective_free(full);
}

static void test_optimizer_steps_never_allocate(void) {
    const char *rules[] = {"sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "radam",
                           "rprop", "asgd"};
    enum { N = 1000 };
    static double x[N], grad[N];
    for (size_t i = 0; i < N; i++) {
        x[i] = 0.5;
        grad[i] = (double)i / N - 0.5;
    }
    for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++) {
        gd_optimizer *opt = NULL;
        CHECK_STATUS(gd_optimizer_new(rules[r], N, &opt), GD_OK);
        if (opt == NULL) continue;
        if (strcmp(rules[r], "sgd") == 0) CHECK_STATUS(gd_optimizer_set(opt, "momentum", 0.9), GD_OK);
        if (strcmp(rules[r], "adam") == 0) CHECK_STATUS(gd_optimizer_set(opt, "amsgrad", 1), GD_OK);
        if (strcmp(rules[r], "rmsprop") == 0) CHECK_STATUS(gd_optimizer_set(opt, "centered", 1), GD_OK);
        CHECK_STATUS(gd_optimizer_step(opt, x, grad, N), GD_OK); /* first use: lazy set-up may allocate */
        uint64_t before = allocation_count();
        for (int k = 0; k < 10000; k++) gd_optimizer_step(opt, x, grad, N);
        uint64_t used = allocation_count() - before;
        if (used != 0) fprintf(stderr, "%s: %llu allocations in 10,000 steps\n", rules[r], (unsigned long long)used);
        CHECK(used == 0);
        gd_optimizer_free(opt);
    }
}

/* Parameter groups: a grouped step allocates nothing, nor does a grouped run with a schedule
 * (each group's lr from the schedule) once it is set up. */
static void test_grouped_steps_and_runs_never_allocate(void) {
    enum { N = 1000 };
    static double x[N], grad[N];
    const size_t starts[4] = {0, 10, 500, 990};
    for (size_t i = 0; i < N; i++) {
        x[i] = 0.5;
        grad[i] = (double)i / N - 0.5;
    }
    const char *rules[] = {"sgd", "nadam", "asgd", "rprop"};
    for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++) {
        gd_optimizer *opt = NULL;
        CHECK_STATUS(gd_optimizer_new(rules[r], N, &opt), GD_OK);
        if (opt == NULL) continue;
        CHECK_STATUS(gd_optimizer_set_groups(opt, starts, 4), GD_OK);
        CHECK_STATUS(gd_optimizer_set_group(opt, 2, "lr", 0.01), GD_OK);
        CHECK_STATUS(gd_optimizer_step(opt, x, grad, N), GD_OK);
        uint64_t before = allocation_count();
        for (int k = 0; k < 10000; k++) gd_optimizer_step(opt, x, grad, N);
        uint64_t used = allocation_count() - before;
        if (used != 0) fprintf(stderr, "%s with groups: %llu allocations in 10,000 steps\n", rules[r], (unsigned long long)used);
        CHECK(used == 0);
        gd_optimizer_free(opt);
    }

    gd_objective *full = NULL;
    CHECK_STATUS(gd_objective_new(rosenbrock, NULL, 2, &full), GD_OK);
    uint64_t runs[3] = {0, 0, 0};
    const uint64_t iterations[3] = {10, 10, 10000};
    const size_t two_groups[2] = {0, 1};
    for (int k = 0; k < 3; k++) {
        gd_optimizer *opt = NULL;
        gd_schedule *schedule = NULL;
        CHECK_STATUS(gd_optimizer_new("adam", 2, &opt), GD_OK);
        CHECK_STATUS(gd_schedule_new("plateau", &schedule), GD_OK);
        if (opt == NULL || schedule == NULL) return;
        CHECK_STATUS(gd_optimizer_set_groups(opt, two_groups, 2), GD_OK);
        CHECK_STATUS(gd_optimizer_set_group(opt, 1, "lr", 1e-4), GD_OK);
        gd_options options;
        CHECK_STATUS(gd_options_init(&options), GD_OK);
        options.max_iterations = iterations[k];
        options.schedule = schedule;
        double start[2] = {-1.2, 1.0};
        gd_report report;
        memset(&report, 0, sizeof report);
        report.struct_size = sizeof report;
        uint64_t before = allocation_count();
        CHECK_STATUS(gd_minimize(full, opt, start, 2, &options, &report), GD_OK);
        runs[k] = allocation_count() - before;
        CHECK(report.iterations == iterations[k]);
        gd_schedule_free(schedule);
        gd_optimizer_free(opt);
    }
    printf("  %-68s %3llu allocations in 10 iterations, %4llu in 10000\n",
           "C callback, full batch, adam with 2 groups + plateau schedule",
           (unsigned long long)runs[1], (unsigned long long)runs[2]);
    CHECK(runs[1] == runs[2]);
    gd_objective_free(full);
}

/* ---- line searches and bounds ------------------------------------------------------------ */

enum { QN = 100 };

/* 1/2 sum d_i (x_i - 1)^2 with d_i from 1 to 1e6 (condition 1e6): no rule here reaches the
 * minimum to rounding within the runs below, so every run goes its full length. */
static int ill_conditioned(void *user, const double *x, double *grad, size_t n, double *loss) {
    (void)user;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        double d = pow(10.0, 6.0 * (double)i / (double)(n - 1)), r = x[i] - 1.0;
        sum += d * r * r;
        if (grad) grad[i] = d * r;
    }
    *loss = 0.5 * sum;
    return 0;
}

/* Allocations of one run of `iterations` accepted steps of `rule` (lbfgs, or a first-order
 * rule with line_search = 1), optionally in a box that holds half the variables. */
static uint64_t search_run_allocations(gd_objective *obj, const char *rule, int bounded, int controls,
                                       uint64_t iterations) {
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_optimizer_new(rule, QN, &opt), GD_OK);
    if (opt == NULL) return 0;
    if (strcmp(rule, "lbfgs") != 0) {
        CHECK_STATUS(gd_optimizer_set(opt, "lr", 1.0), GD_OK);
        CHECK_STATUS(gd_optimizer_set(opt, "line_search", 1), GD_OK);
        /* from lr = 1 along Adam's sign-like step, the curvature of 1e6 takes ~20 halvings */
        CHECK_STATUS(gd_optimizer_set(opt, "max_line_search_evaluations", 60), GD_OK);
    }
    static double lower[QN], upper[QN];
    for (size_t i = 0; i < QN; i++) {
        lower[i] = i % 2 ? 1.5 : -INFINITY;
        upper[i] = INFINITY;
    }
    gd_options options;
    CHECK_STATUS(gd_options_init(&options), GD_OK);
    options.max_iterations = iterations;
    if (bounded) {
        options.lower = lower;
        options.upper = upper;
    }
    uint64_t progress_calls = 0;
    if (controls) {
        options.keep_best = 1;
        options.progress = quiet_progress;
        options.progress_user = &progress_calls;
    }
    double x[QN];
    for (size_t i = 0; i < QN; i++) x[i] = -1.0 + 0.01 * (double)i;
    gd_report report;
    memset(&report, 0, sizeof report);
    report.struct_size = sizeof report;

    uint64_t before = allocation_count();
    int status = gd_minimize(obj, opt, x, QN, &options, &report);
    uint64_t used = allocation_count() - before;

    CHECK_STATUS(status, GD_OK);
    CHECK(report.iterations == iterations);
    CHECK(report.evaluations > iterations);
    if (controls) CHECK(progress_calls == iterations);
    gd_optimizer_free(opt);
    return used;
}

static void test_line_search_runs_allocate_only_at_set_up(void) {
    gd_objective *obj = NULL;
    CHECK_STATUS(gd_objective_new(ill_conditioned, NULL, QN, &obj), GD_OK);
    const struct { const char *rule; int bounded, controls; } cases[] = {
        {"lbfgs", 0, 0}, {"lbfgs", 1, 0}, {"lbfgs", 1, 1}, {"sgd", 0, 0}, {"adam", 1, 1},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        search_run_allocations(obj, cases[k].rule, cases[k].bounded, cases[k].controls, 10);
        uint64_t short_run = search_run_allocations(obj, cases[k].rule, cases[k].bounded, cases[k].controls, 10);
        uint64_t long_run = search_run_allocations(obj, cases[k].rule, cases[k].bounded, cases[k].controls, 200);
        printf("  %-6s%-10s%-10s %3llu allocations in 10 iterations, %4llu in 200\n", cases[k].rule,
               cases[k].bounded ? " bounded" : "", cases[k].controls ? " controls" : "",
               (unsigned long long)short_run, (unsigned long long)long_run);
        CHECK(long_run == short_run);
    }
    gd_objective_free(obj);
}

int main(void) {
    make_data();
    uint64_t before = allocation_count();
    gd_optimizer *probe = NULL;
    gd_optimizer_new("adam", 3, &probe);
    gd_optimizer_free(probe);
    if (allocation_count() == before) {
        printf("test_allocations: the allocator is not ours (valgrind?); skipped\n");
        return 0;
    }
    test_optimizer_steps_never_allocate();
    test_grouped_steps_and_runs_never_allocate();
    test_runs_allocate_only_at_set_up();
    test_line_search_runs_allocate_only_at_set_up();
    test_torch_schedules_allocate_only_at_set_up();
    return check_summary("test_allocations");
}
