/*
 * The seed article's linear regression (examples/linear_regression.c) as a data-parallel run:
 * every MPI process holds a contiguous share of the m = 1000 rows and evaluates the article's
 * loss over its own rows; libgradient_descent_mpi's reducer adds the processes' parts, so
 * every process takes the same steps. Rank 0 prints the fitted theta of batch gradient
 * descent and of mini-batch SGD; the digits printed are the same for any process count.
 *
 *     mpirun -n 4 build/mpi/linear_regression_mpi
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_descent_mpi.h"

enum { M = 1000, D = 4 };

static const double true_theta[D] = {4.0, 3.0, -2.0, 0.5};

/* The seed's data: the same deterministic rows on every process. A real program would read
 * only its own rows; generating all of them keeps the example self-contained. */
static double uniform(uint64_t *state) {
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*state >> 11) * (1.0 / 9007199254740992.0);
}

static void make_data(double *X, double *y) {
    uint64_t state = 42;
    for (size_t i = 0; i < M; i++) {
        double *row = X + i * D;
        row[0] = 1.0;
        double target = true_theta[0];
        for (size_t j = 1; j < D; j++) {
            row[j] = 2.0 * uniform(&state) - 1.0;
            target += true_theta[j] * row[j];
        }
        y[i] = target + 0.1 * (uniform(&state) - 0.5);
    }
}

/* This process's rows: the first M % P processes hold one more row than the others. */
typedef struct shard {
    const double *X, *y;
} shard;

/* The seed's loss and gradient, the mean over the batch's samples (indices into the shard). */
static int least_squares(void *user, const double *theta, double *grad, size_t n,
                         const size_t *samples, size_t count, double *loss) {
    const shard *data = user;
    double sum = 0.0;
    if (grad) for (size_t j = 0; j < n; j++) grad[j] = 0.0;
    for (size_t s = 0; s < count; s++) {
        const double *row = data->X + samples[s] * D;
        double residual = -data->y[samples[s]];
        for (size_t j = 0; j < n; j++) residual += row[j] * theta[j];
        sum += residual * residual;
        if (grad) for (size_t j = 0; j < n; j++) grad[j] += residual * row[j];
    }
    *loss = sum / (2.0 * (double)count);
    if (grad) for (size_t j = 0; j < n; j++) grad[j] /= (double)count;
    return 0;
}

static int fit(gd_objective *objective, const gd_reducer *reducer, const char *label,
               double lr, size_t batch_size, int rank) {
    gd_optimizer *optimizer = NULL;
    if (gd_optimizer_new("sgd", D, &optimizer) != GD_OK
        || gd_optimizer_set(optimizer, "lr", lr) != GD_OK) {
        fprintf(stderr, "rank %d: optimizer: %s\n", rank, gd_last_error());
        gd_optimizer_free(optimizer);
        return 1;
    }
    gd_options options;
    gd_options_init(&options);
    options.batch_size = batch_size;
    options.max_iterations = batch_size == 0 ? 5000 : 0;
    options.max_epochs = batch_size == 0 ? 0 : 100;
    options.gradient_tolerance = batch_size == 0 ? 1e-8 : 0.0;
    options.seed = 7;
    options.reducer = reducer;
    double theta[D] = {0.0, 0.0, 0.0, 0.0};
    gd_report report;
    memset(&report, 0, sizeof report);
    report.struct_size = sizeof report;
    int status = gd_minimize(objective, optimizer, theta, D, &options, &report);
    gd_optimizer_free(optimizer);
    if (status != GD_OK) {
        fprintf(stderr, "rank %d: %s: %s (%s)\n", rank, label, gd_status_string(status), gd_last_error());
        return 1;
    }
    if (rank == 0) {
        printf("%-24s theta = (%.9f, %.9f, %.9f, %.9f)  %llu iterations, loss %.9e\n", label,
               theta[0], theta[1], theta[2], theta[3], (unsigned long long)report.iterations,
               report.loss);
    }
    return 0;
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);

    static double X[M * D], y[M];
    make_data(X, y);
    size_t rows = M / (size_t)size + ((size_t)rank < M % (size_t)size ? 1 : 0);
    size_t first = 0;
    for (int r = 0; r < rank; r++) first += M / (size_t)size + ((size_t)r < M % (size_t)size ? 1 : 0);
    shard mine = {X + first * D, y + first};

    gd_reducer *reducer = NULL;
    gd_objective *objective = NULL;
    int status = gd_mpi_reducer_new(MPI_COMM_WORLD, &reducer);
    if (status == GD_OK) {
        status = rows > 0 ? gd_objective_new_sampled(least_squares, &mine, D, rows, &objective)
                          : gd_objective_new_empty_shard(D, &objective);
    }
    if (status != GD_OK) {
        fprintf(stderr, "rank %d: set-up failed: %s\n", rank, gd_last_error());
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    if (rank == 0) printf("linear regression, m = %d rows over %d process(es), true theta = (4, 3, -2, 0.5)\n", M, size);
    int failures = fit(objective, reducer, "batch gradient descent", 0.5, 0, rank)
                 + fit(objective, reducer, "mini-batch (32)", 0.1, 32, rank);

    gd_objective_free(objective);
    gd_mpi_reducer_free(reducer);
    MPI_Finalize();
    return failures == 0 ? 0 : 1;
}
