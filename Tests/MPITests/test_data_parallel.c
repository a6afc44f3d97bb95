/* Data-parallel runs under mpirun: every rank runs the single-process reference over all
 * rows itself, then the sharded run over its rows, and checks the sharded iterates against
 * the reference (1e-12 relative), against a rerun (bit-identical) and against rank 0's
 * (bit-identical), for least squares, logistic regression, a sampled callback and a
 * full-batch callback, full batch and mini-batch, even and uneven shards (one rank with no
 * rows), every update rule. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_descent_mpi.h"

enum { ROWS = 103, COLS = 5 };
static double X[ROWS * COLS], Y[ROWS], LABELS[ROWS];
static int rank, size, failures, checks;

#define CHECK(cond, ...)                                                      \
    do {                                                                      \
        checks++;                                                             \
        if (!(cond)) {                                                        \
            failures++;                                                       \
            fprintf(stderr, "rank %d: %s:%d: ", rank, __FILE__, __LINE__);    \
            fprintf(stderr, __VA_ARGS__);                                     \
            fprintf(stderr, " (%s)\n", gd_last_error());                      \
        }                                                                     \
    } while (0)

/* The same data on every rank (a fixed linear congruential stream). */
static void make_data(void) {
    unsigned long long s = 12345;
    for (int i = 0; i < ROWS * COLS; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        X[i] = (double)(s >> 11) / 9007199254740992.0 * 2 - 1;
    }
    for (int i = 0; i < ROWS; i++) {
        double t = 0.5;
        for (int j = 0; j < COLS; j++) t += (j + 1) * 0.3 * X[i * COLS + j];
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        Y[i] = t + 0.1 * ((double)(s >> 11) / 9007199254740992.0 - 0.5);
        LABELS[i] = t > 0.4 ? 1.0 : 0.0;
    }
}

/* A shard: rows [first, first + count). */
typedef struct { size_t first, count; } shard;

static shard shard_of(int r, int uneven) {
    /* uneven: rank 1 holds nothing, the rest split the rows unevenly (more to lower ranks) */
    size_t first = 0, count = 0;
    int holders = size;
    if (uneven && size > 1) holders = size - 1;
    size_t base = ROWS / holders, extra = ROWS % holders;
    int slot = 0;
    for (int k = 0; k <= r; k++) {
        if (uneven && size > 1 && k == 1) { if (k == r) count = 0; continue; }
        size_t c = base + ((size_t)slot < extra ? 1 : 0);
        if (k == r) count = c; else first += c;
        slot++;
    }
    shard s = {first, count};
    return s;
}

/* Least squares over rows, as a sampled callback: the mean of 0.5 (x·a - y)^2. */
typedef struct { const double *x, *y; size_t rows; } rows_data;

static double row_residual(const rows_data *d, const double *theta, size_t i) {
    double r = -d->y[i];
    for (int j = 0; j < COLS; j++) r += d->x[i * COLS + j] * theta[j];
    return r;
}

static int sampled_ls(void *user, const double *theta, double *grad, size_t n, const size_t *idx,
                      size_t count, double *loss) {
    const rows_data *d = user;
    double f = 0;
    if (grad) memset(grad, 0, n * sizeof *grad);
    for (size_t k = 0; k < count; k++) {
        double r = row_residual(d, theta, idx[k]);
        f += 0.5 * r * r;
        if (grad) for (size_t j = 0; j < n; j++) grad[j] += r * d->x[idx[k] * COLS + j];
    }
    *loss = f / (double)count;
    if (grad) for (size_t j = 0; j < n; j++) grad[j] /= (double)count;
    return 0;
}

/* A full-batch callback: the sum of 0.5 r^2 over its rows (the parts add up). */
static int full_sum_ls(void *user, const double *theta, double *grad, size_t n, double *loss) {
    const rows_data *d = user;
    double f = 0;
    if (grad) memset(grad, 0, n * sizeof *grad);
    for (size_t i = 0; i < d->rows; i++) {
        double r = row_residual(d, theta, i);
        f += 0.5 * r * r;
        if (grad) for (size_t j = 0; j < n; j++) grad[j] += r * d->x[i * COLS + j];
    }
    *loss = f;
    return 0;
}

enum kind { LEAST_SQUARES, LOGISTIC, SAMPLED_CALLBACK, FULL_CALLBACK };
static const char *kind_names[] = {"least_squares", "logistic", "sampled callback", "full-batch callback"};

/* An objective over rows [first, first + count) of the data (an empty shard for none). */
static gd_objective *make_objective(enum kind kind, shard s, rows_data *holder) {
    gd_objective *obj = NULL;
    holder->x = X + s.first * COLS;
    holder->y = (kind == LOGISTIC ? LABELS : Y) + s.first;
    holder->rows = s.count;
    if (s.count == 0 && kind != FULL_CALLBACK) {
        CHECK(gd_objective_new_empty_shard(COLS, &obj) == GD_OK, "empty shard");
        return obj;
    }
    if (kind == LEAST_SQUARES || kind == LOGISTIC) {
        gd_data data;
        gd_data_init(&data);
        data.x = holder->x;
        data.y = holder->y;
        data.rows = s.count;
        data.cols = COLS;
        gd_param l2 = {"l2", 0.01};
        CHECK(gd_objective_create(kind_names[kind], COLS, &data, &l2, 1, &obj) == GD_OK, "create");
    } else if (kind == SAMPLED_CALLBACK) {
        CHECK(gd_objective_new_sampled(sampled_ls, holder, COLS, s.count, &obj) == GD_OK, "sampled");
    } else {
        CHECK(gd_objective_new(full_sum_ls, holder, COLS, &obj) == GD_OK, "full");
    }
    return obj;
}

static gd_optimizer *make_optimizer(const char *rule) {
    gd_optimizer *opt = NULL;
    CHECK(gd_optimizer_new(rule, COLS, &opt) == GD_OK, "optimizer %s", rule);
    if (opt && strcmp(rule, "lbfgs") != 0 && strcmp(rule, "adadelta") != 0 && strcmp(rule, "rprop") != 0)
        gd_optimizer_set(opt, "lr", strcmp(rule, "sgd") == 0 || strcmp(rule, "asgd") == 0 ? 0.05 : 0.01);
    return opt;
}

/* One run from x = 0.1: sharded with the reducer, or over all rows without. */
static int run(enum kind kind, const char *rule, size_t batch, uint64_t steps, const gd_reducer *reducer,
               shard s, double *x, gd_report *report) {
    rows_data holder;
    gd_objective *obj = make_objective(kind, s, &holder);
    gd_optimizer *opt = make_optimizer(rule);
    for (int j = 0; j < COLS; j++) x[j] = 0.1;
    gd_options options;
    gd_options_init(&options);
    options.batch_size = batch;
    options.max_iterations = steps;
    options.seed = 42;
    options.reducer = reducer;
    report->struct_size = sizeof *report;
    int status = gd_minimize(obj, opt, x, COLS, &options, report);
    gd_optimizer_free(opt);
    gd_objective_free(obj);
    return status;
}

static double relative_difference(const double *a, const double *b) {
    double worst = 0, scale = 1;
    for (int j = 0; j < COLS; j++) scale = fmax(scale, fabs(b[j]));
    for (int j = 0; j < COLS; j++) worst = fmax(worst, fabs(a[j] - b[j]));
    return worst / scale;
}

static void check_case(const gd_reducer *reducer, enum kind kind, const char *rule, size_t batch,
                       uint64_t steps, int uneven, double tolerance) {
    double reference[COLS], sharded[COLS], rerun[COLS], root[COLS];
    gd_report report, again;
    shard all = {0, ROWS};
    shard mine = shard_of(rank, uneven);
    if (kind == FULL_CALLBACK && batch > 0) return;
    int status = run(kind, rule, batch, steps, NULL, all, reference, &report);
    CHECK(status == GD_OK, "%s %s batch %zu: reference status %d", kind_names[kind], rule, batch, status);
    status = run(kind, rule, batch, steps, reducer, mine, sharded, &report);
    CHECK(status == GD_OK, "%s %s batch %zu uneven %d: sharded status %d", kind_names[kind], rule, batch, uneven, status);
    status = run(kind, rule, batch, steps, reducer, mine, rerun, &again);
    CHECK(status == GD_OK, "rerun status %d", status);
    CHECK(memcmp(sharded, rerun, sizeof sharded) == 0, "%s %s batch %zu: rerun differs", kind_names[kind], rule, batch);
    CHECK(report.iterations == again.iterations && report.evaluations == again.evaluations,
          "rerun counters differ");
    double d = relative_difference(sharded, reference);
    CHECK(d <= tolerance, "%s %s batch %zu uneven %d: %.3g from one process (tolerance %.0e)",
          kind_names[kind], rule, batch, uneven, d, tolerance);
    memcpy(root, sharded, sizeof root);
    MPI_Bcast(root, COLS, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    CHECK(memcmp(root, sharded, sizeof root) == 0, "%s %s: rank %d's x differs from rank 0's", kind_names[kind], rule, rank);
}

static const char *rules[] = {"sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "adamax",
                              "nadam", "radam", "rprop", "asgd"};

/* A run state saved by one layout refuses another on every rank. */
static void check_layout_refusal(const gd_reducer *reducer) {
    if (size < 2) return;
    double x[COLS];
    rows_data holder;
    shard mine = shard_of(rank, 0);
    gd_objective *obj = make_objective(LEAST_SQUARES, mine, &holder);
    gd_optimizer *opt = make_optimizer("adam");
    gd_run_state *state = NULL;
    gd_run_state_new(&state);
    gd_options options;
    gd_options_init(&options);
    options.batch_size = 8;
    options.max_iterations = 20;
    options.reducer = reducer;
    options.run_state = state;
    for (int j = 0; j < COLS; j++) x[j] = 0.1;
    CHECK(gd_minimize(obj, opt, x, COLS, &options, NULL) == GD_OK, "first part");
    gd_objective_free(obj);
    /* The same process count with one row moved from rank 0 to rank 1. */
    shard moved = mine;
    if (rank == 0) moved.count -= 1;
    if (rank == 1) { moved.first -= 1; moved.count += 1; }
    obj = make_objective(LEAST_SQUARES, moved, &holder);
    options.max_iterations = 40;
    double before[COLS];
    memcpy(before, x, sizeof x);
    int status = gd_minimize(obj, opt, x, COLS, &options, NULL);
    CHECK(status == GD_E_BAD_STATE, "resume with another split: status %d, expected GD_E_BAD_STATE", status);
    CHECK(memcmp(before, x, sizeof x) == 0, "a refused resume changed x");
    gd_objective_free(obj);
    gd_optimizer_free(opt);
    gd_run_state_free(state);
}

/* The last rank's callback fails at its 15th call: every rank stops with GD_E_CALLBACK. */
static int calls;
static int failing_ls(void *user, const double *theta, double *grad, size_t n, const size_t *idx,
                      size_t count, double *loss) {
    if (rank == size - 1 && ++calls == 15) return 1;
    return sampled_ls(user, theta, grad, n, idx, count, loss);
}

static void check_failure_spreads(const gd_reducer *reducer) {
    double x[COLS];
    rows_data holder;
    shard mine = shard_of(rank, 0);
    holder.x = X + mine.first * COLS;
    holder.y = Y + mine.first;
    holder.rows = mine.count;
    gd_objective *obj = NULL;
    CHECK(gd_objective_new_sampled(failing_ls, &holder, COLS, mine.count, &obj) == GD_OK, "sampled");
    gd_optimizer *opt = make_optimizer("sgd");
    gd_options options;
    gd_options_init(&options);
    options.batch_size = 4;
    options.max_iterations = 1000;
    options.reducer = reducer;
    gd_report report = {sizeof report, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    for (int j = 0; j < COLS; j++) x[j] = 0.1;
    calls = 0;
    int status = gd_minimize(obj, opt, x, COLS, &options, &report);
    CHECK(status == GD_E_CALLBACK, "a failing rank: status %d, expected GD_E_CALLBACK", status);
    CHECK(report.iterations < 1000, "the run went on after a failure (%llu)", (unsigned long long)report.iterations);
    for (int j = 0; j < COLS; j++) CHECK(isfinite(x[j]), "x is finite after the failure");
    gd_optimizer_free(opt);
    gd_objective_free(obj);
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    make_data();
    gd_reducer *reducer = NULL;
    CHECK(gd_mpi_reducer_new(MPI_COMM_WORLD, &reducer) == GD_OK, "reducer");
    CHECK(reducer->process_count == (uint64_t)size && reducer->rank == (uint64_t)rank, "reducer's size and rank");

    /* 1000 steps of the seed's problem, full batch and mini-batch. */
    check_case(reducer, LEAST_SQUARES, "sgd", 0, 1000, 0, 1e-12);
    check_case(reducer, LEAST_SQUARES, "sgd", 10, 1000, 1, 1e-12);
    for (int kind = LEAST_SQUARES; kind <= FULL_CALLBACK; kind++) {
        for (int uneven = 0; uneven <= 1; uneven++) {
            check_case(reducer, kind, "adam", 0, 200, uneven, 1e-12);
            check_case(reducer, kind, "adam", 7, 200, uneven, 1e-12);
            check_case(reducer, kind, "lbfgs", 0, 8, uneven, 1e-10);
        }
    }
    for (size_t r = 0; r < sizeof rules / sizeof *rules; r++) {
        check_case(reducer, LOGISTIC, rules[r], 0, 100, 1, 1e-12);
        check_case(reducer, LEAST_SQUARES, rules[r], 9, 100, 1, 1e-12);
    }
    check_layout_refusal(reducer);
    check_failure_spreads(reducer);

    gd_mpi_reducer_free(reducer);
    int total_failures = 0;
    MPI_Allreduce(&failures, &total_failures, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    if (rank == 0) printf("data-parallel runs on %d process(es): %d checks per rank, %d failures\n", size, checks, total_failures);
    MPI_Finalize();
    return total_failures == 0 ? 0 : 1;
}
