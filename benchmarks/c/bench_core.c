/*
 * The C side of `make bench`: times the library through its C ABI and the C baselines
 * in the same process, and prints one JSON object per measurement (raw samples; the
 * harness, benchmarks/run.py, takes medians and ratios).
 *
 *   bench_core rules N SAMPLES       ns per element of one gd_optimizer_step, every rule,
 *                                    next to a plain C Adam loop (-O2) and a -march=native one
 *   bench_core groups N SAMPLES      ns per AdamW step of N elements in 1, 10 and 100 equal
 *                                    parameter groups: what a group costs on top of a step
 *   bench_core callback ITERS SAMPLES  ns per iteration of Rosenbrock (n = 2) with Adam:
 *                                    gd_minimize driving a C callback vs a hand-written
 *                                    C loop calling the same function pointer
 *   bench_core rows ROWS COLS BATCH SAMPLES  µs per step of reading BATCH random rows of a
 *                                    ROWS x COLS matrix: the memory floor of a mini-batch
 * Samples of the implementations compared in one case are interleaved (A B A B ...), so
 * that a busy moment of the machine weighs on both alike. The floor of a pass over X is
 * read_floor.c, run from Python on the library's own X.
 */
#define _POSIX_C_SOURCE 200112L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gradient_descent.h"

void adam_plain(double *x, const double *g, double *m, double *v, size_t n, double lr,
                double beta1, double beta2, double eps, double t);
void adam_native(double *x, const double *g, double *m, double *v, size_t n, double lr,
                 double beta1, double beta2, double eps, double t);
void adam_avx2(double *x, const double *g, double *m, double *v, size_t n, double lr,
               double beta1, double beta2, double eps, double t);

/* Wall clock by default; BENCH_CLOCK=cpu counts only this thread's CPU time, which a busy
 * machine (other processes on the same cores) disturbs much less. */
static clockid_t bench_clock = CLOCK_MONOTONIC;

static double now(void) {
    struct timespec ts;
    clock_gettime(bench_clock, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void die(int status, const char *what) {
    if (status != GD_OK) {
        fprintf(stderr, "bench_core: %s: %s (%s)\n", what, gd_status_string(status), gd_last_error());
        exit(1);
    }
}

static void print_samples(const char *bench_case, const char *impl, size_t n, const char *unit,
                          const double *samples, int count) {
    printf("{\"case\": \"%s\", \"impl\": \"%s\", \"n\": %zu, \"unit\": \"%s\", \"samples\": [",
           bench_case, impl, n, unit);
    for (int i = 0; i < count; i++) printf("%s%.6g", i ? ", " : "", samples[i]);
    printf("]}\n");
    fflush(stdout);
}

/* A deterministic gradient in [-1, 1): the values do not matter for the speed, as long as
 * nothing becomes subnormal or non-finite. */
static void fill(double *a, size_t n, unsigned seed) {
    unsigned long long s = 0x9E3779B97F4A7C15ULL ^ seed;
    for (size_t i = 0; i < n; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        a[i] = (double)(s >> 11) * (2.0 / 9007199254740992.0) - 1.0;
    }
}

static double *buffer(size_t n) {
    void *p = NULL;
    if (posix_memalign(&p, 64, n * sizeof(double)) != 0) {
        fprintf(stderr, "bench_core: out of memory\n");
        exit(1);
    }
    memset(p, 0, n * sizeof(double));
    return p;
}

/* ---- rules: one step, ns per element ----------------------------------------------------- */

typedef struct rule_config {
    const char *label;
    const char *rule;
    const char *keys[3];
    double values[3];
} rule_config;

static const rule_config configs[] = {
    {"adam", "adam", {NULL}, {0}},
    {"adam amsgrad", "adam", {"amsgrad"}, {1}},
    {"adam weight_decay", "adam", {"weight_decay"}, {0.01}},
    {"adamw", "adamw", {NULL}, {0}},
    {"sgd", "sgd", {NULL}, {0}},
    {"sgd momentum", "sgd", {"momentum"}, {0.9}},
    {"sgd nesterov", "sgd", {"momentum", "nesterov"}, {0.9, 1}},
    {"rmsprop", "rmsprop", {NULL}, {0}},
    {"rmsprop centered momentum", "rmsprop", {"centered", "momentum"}, {1, 0.9}},
    {"adagrad", "adagrad", {NULL}, {0}},
    {"adadelta", "adadelta", {NULL}, {0}},
    {"adamax", "adamax", {NULL}, {0}},
    {"nadam", "nadam", {NULL}, {0}},
    {"radam", "radam", {NULL}, {0}},
    {"rprop", "rprop", {NULL}, {0}},
    {"asgd", "asgd", {NULL}, {0}},
};

typedef void (*adam_fn)(double *, const double *, double *, double *, size_t, double, double,
                        double, double, double);

static void bench_rules(size_t n, int samples) {
    /* Enough steps per sample for ~2e7 elements, so timer noise is negligible. */
    int steps = (int)(20000000 / n);
    if (steps < 3) steps = 3;
    const size_t config_count = sizeof configs / sizeof configs[0];
    struct { const char *impl; adam_fn fn; } plain[] = {
        {"C gcc -O2", adam_plain},
        {"C gcc -O3 -march=native -fno-math-errno", adam_native},
        {"C AVX2 intrinsics (compute floor)", adam_avx2},
    };
    const size_t plain_count = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? 3 : 2;
    const size_t total = config_count + plain_count;

    double *g = buffer(n);
    fill(g, n, 1);
    double **x = calloc(total, sizeof(double *));
    double **m = calloc(plain_count, sizeof(double *)), **v = calloc(plain_count, sizeof(double *));
    gd_optimizer **opt = calloc(config_count, sizeof(gd_optimizer *));
    double *times = calloc(total * (size_t)samples, sizeof(double));
    double *t = calloc(plain_count, sizeof(double));

    for (size_t c = 0; c < total; c++) {
        x[c] = buffer(n);
        fill(x[c], n, 2);
    }
    for (size_t c = 0; c < config_count; c++) {
        const rule_config *config = &configs[c];
        die(gd_optimizer_new(config->rule, n, &opt[c]), config->label);
        for (int k = 0; k < 3 && config->keys[k]; k++) die(gd_optimizer_set(opt[c], config->keys[k], config->values[k]), config->keys[k]);
        for (int w = 0; w < 5; w++) die(gd_optimizer_step(opt[c], x[c], g, n), "warm-up");
    }
    for (size_t p = 0; p < plain_count; p++) {
        m[p] = buffer(n);
        v[p] = buffer(n);
        for (int w = 0; w < 5; w++) plain[p].fn(x[config_count + p], g, m[p], v[p], n, 1e-3, 0.9, 0.999, 1e-8, ++t[p]);
    }
    for (int s = 0; s < samples; s++) {
        for (size_t c = 0; c < config_count; c++) {
            double start = now();
            for (int k = 0; k < steps; k++) gd_optimizer_step(opt[c], x[c], g, n);
            times[c * (size_t)samples + (size_t)s] = (now() - start) * 1e9 / ((double)steps * (double)n);
        }
        for (size_t p = 0; p < plain_count; p++) {
            double *xp = x[config_count + p];
            double start = now();
            for (int k = 0; k < steps; k++) plain[p].fn(xp, g, m[p], v[p], n, 1e-3, 0.9, 0.999, 1e-8, ++t[p]);
            times[(config_count + p) * (size_t)samples + (size_t)s] = (now() - start) * 1e9 / ((double)steps * (double)n);
        }
    }
    for (size_t c = 0; c < config_count; c++) {
        print_samples(configs[c].label, "library", n, "ns/element", times + c * (size_t)samples, samples);
        gd_optimizer_free(opt[c]);
    }
    for (size_t p = 0; p < plain_count; p++) {
        print_samples("adam", plain[p].impl, n, "ns/element", times + (config_count + p) * (size_t)samples, samples);
        free(m[p]);
        free(v[p]);
    }
    for (size_t c = 0; c < total; c++) free(x[c]);
    free(x); free(m); free(v); free(opt); free(times); free(t); free(g);
}

/* ---- parameter groups: a grouped step vs the same step ungrouped ------------------------- */

static void bench_groups(size_t n, int samples) {
    const size_t group_counts[] = {1, 10, 100};
    enum { kinds = 3 };
    int steps = (int)(20000000 / n);
    if (steps < 3) steps = 3;
    if (n < 100) {
        fprintf(stderr, "bench_core: groups needs N >= 100\n");
        exit(1);
    }
    double *g = buffer(n);
    fill(g, n, 1);
    double *x[kinds];
    gd_optimizer *opt[kinds];
    double *times = calloc(kinds * (size_t)samples, sizeof(double));
    size_t *starts = calloc(100, sizeof(size_t));
    for (size_t k = 0; k < kinds; k++) {
        x[k] = buffer(n);
        fill(x[k], n, 2);
        die(gd_optimizer_new("adamw", n, &opt[k]), "groups");
        for (size_t i = 0; i < group_counts[k]; i++) starts[i] = i * (n / group_counts[k]);
        die(gd_optimizer_set_groups(opt[k], starts, group_counts[k]), "gd_optimizer_set_groups");
        for (int w = 0; w < 5; w++) die(gd_optimizer_step(opt[k], x[k], g, n), "warm-up");
    }
    /* The floor of a group's cost: a whole ungrouped step over one hundredth of x (the rule's
     * per-step scalar work, the call, the loop's set-up). */
    gd_optimizer *slice_opt = NULL;
    double *slice_times = calloc((size_t)samples, sizeof(double));
    die(gd_optimizer_new("adamw", n / 100, &slice_opt), "groups");
    for (int w = 0; w < 5; w++) die(gd_optimizer_step(slice_opt, x[0], g, n / 100), "warm-up");
    for (int s = 0; s < samples; s++) {
        for (size_t k = 0; k < kinds; k++) {
            double start = now();
            for (int i = 0; i < steps; i++) gd_optimizer_step(opt[k], x[k], g, n);
            times[k * (size_t)samples + (size_t)s] = (now() - start) * 1e9 / (double)steps;
        }
        double start = now();
        for (int i = 0; i < steps; i++) gd_optimizer_step(slice_opt, x[0], g, n / 100);
        slice_times[s] = (now() - start) * 1e9 / (double)steps;
    }
    print_samples("adamw step, parameter groups", "ungrouped step of n/100 elements", n, "ns/step",
                  slice_times, samples);
    gd_optimizer_free(slice_opt);
    free(slice_times);
    for (size_t k = 0; k < kinds; k++) {
        char impl[64];
        snprintf(impl, sizeof impl, "%zu groups", group_counts[k]);
        print_samples("adamw step, parameter groups", impl, n, "ns/step", times + k * (size_t)samples, samples);
        gd_optimizer_free(opt[k]);
        free(x[k]);
    }
    free(times);
    free(starts);
    free(g);
}

/* ---- a C callback driven by the library vs by a hand-written loop ------------------------ */

static int rosenbrock(void *user, const double *x, double *grad, size_t n, double *loss) {
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

/* Called through a volatile pointer: neither loop can inline it. */
static gd_objective_fn volatile objective_pointer = rosenbrock;

/* The same problem and rule as the library's run, as a C programmer writes the loop: call
 * the objective, apply PyTorch's Adam (adam_plain, pow for both bias corrections). */
static void hand_loop(uint64_t iterations, double final[2]) {
    double x[2] = {-1.2, 1.0}, grad[2], m[2] = {0, 0}, v[2] = {0, 0}, loss;
    gd_objective_fn fn = objective_pointer;
    for (uint64_t t = 1; t <= iterations; t++) {
        if (fn(NULL, x, grad, 2, &loss) != 0) break;
        adam_plain(x, grad, m, v, 2, 1e-3, 0.9, 0.999, 1e-8, (double)t);
    }
    final[0] = x[0];
    final[1] = x[1];
}

/* The hand loop with the library's update: what gd_minimize adds is the rest. */
static void step_loop(gd_optimizer *opt, uint64_t iterations) {
    double x[2] = {-1.2, 1.0}, grad[2], loss;
    gd_objective_fn fn = objective_pointer;
    gd_optimizer_reset(opt);
    for (uint64_t t = 1; t <= iterations; t++) {
        if (fn(NULL, x, grad, 2, &loss) != 0) break;
        gd_optimizer_step(opt, x, grad, 2);
    }
}

static void bench_callback(uint64_t iterations, int samples) {
    double *library_times = calloc((size_t)samples, sizeof(double));
    double *hand_times = calloc((size_t)samples, sizeof(double));
    double *step_times = calloc((size_t)samples, sizeof(double));
    double final_library[2] = {0, 0}, final_hand[2] = {0, 0};

    gd_objective *obj = NULL;
    die(gd_objective_new(objective_pointer, NULL, 2, &obj), "gd_objective_new");
    gd_optimizer *opt = NULL;
    die(gd_optimizer_new("adam", 2, &opt), "gd_optimizer_new");
    die(gd_optimizer_set(opt, "lr", 1e-3), "lr");
    gd_options options;
    die(gd_options_init(&options), "gd_options_init");
    options.max_iterations = iterations;
    for (int s = -1; s < samples; s++) {
        double x[2] = {-1.2, 1.0};
        gd_optimizer_reset(opt);
        gd_report report;
        memset(&report, 0, sizeof report);
        report.struct_size = sizeof report;
        double start = now();
        die(gd_minimize(obj, opt, x, 2, &options, &report), "gd_minimize");
        double elapsed = now() - start;
        if (s >= 0) library_times[s] = elapsed * 1e9 / (double)report.iterations;
        final_library[0] = x[0];
        final_library[1] = x[1];

        start = now();
        hand_loop(iterations, final_hand);
        elapsed = now() - start;
        if (s >= 0) hand_times[s] = elapsed * 1e9 / (double)iterations;

        start = now();
        step_loop(opt, iterations);
        elapsed = now() - start;
        if (s >= 0) step_times[s] = elapsed * 1e9 / (double)iterations;
    }
    print_samples("rosenbrock n=2 adam (C callback)", "library gd_minimize", 2, "ns/iteration", library_times, samples);
    print_samples("rosenbrock n=2 adam (C callback)", "C hand-written loop", 2, "ns/iteration", hand_times, samples);
    print_samples("rosenbrock n=2 adam (C callback)", "C loop calling the callback and gd_optimizer_step", 2,
                  "ns/iteration", step_times, samples);
    gd_optimizer_free(opt);
    gd_objective_free(obj);
    /* Same problem, same rule: both loops must end at the same point (to rounding). */
    if (fabs(final_library[0] - final_hand[0]) > 1e-9 || fabs(final_library[1] - final_hand[1]) > 1e-9) {
        fprintf(stderr, "bench_core: the library ended at (%.17g, %.17g), the hand loop at (%.17g, %.17g)\n",
                final_library[0], final_library[1], final_hand[0], final_hand[1]);
        exit(1);
    }
    free(library_times);
    free(hand_times);
    free(step_times);
}

/* ---- the memory floor of a mini-batch: random rows of a large matrix ------------------------ */

/* Reads `batch` random rows of a rows x cols matrix per step (all their cache lines prefetched
 * first, then summed), as a mini-batch evaluation must: microseconds per step. */
static void bench_rows(size_t rows, size_t cols, size_t batch, int samples) {
    double *a = buffer(rows * cols);
    fill(a, rows * cols, 4);
    size_t *index = calloc(batch, sizeof(size_t));
    double *times = calloc((size_t)samples, sizeof(double));
    unsigned long long state = 12345;
    volatile double sink = 0;
    const int steps = 5000;
    for (int s = -1; s < samples; s++) {
        double start = now();
        for (int k = 0; k < steps; k++) {
            for (size_t b = 0; b < batch; b++) {
                state = state * 6364136223846793005ULL + 1442695040888963407ULL;
                index[b] = (size_t)(state >> 33) % rows;
                const char *row = (const char *)(a + index[b] * cols);
                for (size_t offset = 0; offset < cols * sizeof(double); offset += 64) __builtin_prefetch(row + offset);
            }
            double sum = 0;
            for (size_t b = 0; b < batch; b++) {
                const double *row = a + index[b] * cols;
                for (size_t j = 0; j < cols; j++) sum += row[j];
            }
            sink += sum;
        }
        if (s >= 0) times[s] = (now() - start) * 1e6 / steps;
    }
    (void)sink;
    print_samples("random rows of X per mini-batch step", "C, prefetched reads", rows * cols, "µs/step", times, samples);
    free(times);
    free(index);
    free(a);
}

int main(int argc, char **argv) {
    const char *clock_name = getenv("BENCH_CLOCK");
    if (clock_name && strcmp(clock_name, "cpu") == 0) bench_clock = CLOCK_THREAD_CPUTIME_ID;
    if (argc == 4 && strcmp(argv[1], "groups") == 0) {
        bench_groups((size_t)strtoull(argv[2], NULL, 10), atoi(argv[3]));
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "rules") == 0) {
        bench_rules((size_t)strtoull(argv[2], NULL, 10), atoi(argv[3]));
    } else if (argc == 4 && strcmp(argv[1], "callback") == 0) {
        bench_callback(strtoull(argv[2], NULL, 10), atoi(argv[3]));
    } else if (argc == 6 && strcmp(argv[1], "rows") == 0) {
        bench_rows((size_t)strtoull(argv[2], NULL, 10), (size_t)strtoull(argv[3], NULL, 10),
                   (size_t)strtoull(argv[4], NULL, 10), atoi(argv[5]));
    } else {
        fprintf(stderr, "usage: bench_core rules N SAMPLES | groups N SAMPLES | callback ITERATIONS SAMPLES | rows ROWS COLS BATCH SAMPLES\n");
        return 2;
    }
    return 0;
}
