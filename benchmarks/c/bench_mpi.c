/* Data-parallel runs under mpirun, for `make bench` (benchmarks/mpi_cases.py):
 *
 *   bench_mpi scaling ROWS COLS ITERATIONS SAMPLES one|two
 *       full-batch logistic regression (built-in) over ROWS x COLS rows split evenly across
 *       the processes, ITERATIONS Adam steps per sample; prints the time per step. "two": full
 *       passes, which the built-ins split over the calling thread and a second thread of
 *       their own; "one": each step is one batch of all rows in order (batch_size = ROWS,
 *       no shuffle), which they evaluate on the calling thread alone: the same sums of the
 *       same rows on one thread per process.
 *   bench_mpi reduce N REPETITIONS SAMPLES
 *       the reducer's sum of n + 5 doubles (what one evaluation of n parameters reduces);
 *       prints the time per sum.
 *
 * Rank 0 prints one JSON line per case: {"case", "impl", "unit", "samples": [...]}. Every row
 * is generated from its global index, so a shard holds the same rows whatever the count of
 * processes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_descent_mpi.h"

static int rank, size;

static void fail(const char *what) {
    fprintf(stderr, "bench_mpi rank %d: %s (%s)\n", rank, what, gd_last_error());
    MPI_Abort(MPI_COMM_WORLD, 2);
}

/* A value in [-1, 1) from a 64-bit index (splitmix64). */
static double value_at(uint64_t index) {
    uint64_t z = index + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (double)(z >> 11) / 4503599627370496.0 - 1.0;
}

static void print_samples(const char *case_name, const char *impl, const char *unit, const double *samples,
                          int count) {
    if (rank != 0) return;
    printf("{\"case\": \"%s\", \"impl\": \"%s\", \"unit\": \"%s\", \"samples\": [", case_name, impl, unit);
    for (int i = 0; i < count; i++) printf("%s%.6g", i ? ", " : "", samples[i]);
    printf("]}\n");
    fflush(stdout);
}

static void scaling(size_t rows, size_t cols, int iterations, int samples, int one_thread) {
    size_t mine = rows / (size_t)size + ((size_t)rank < rows % (size_t)size ? 1 : 0);
    size_t first = 0;
    for (int r = 0; r < rank; r++) first += rows / (size_t)size + ((size_t)r < rows % (size_t)size ? 1 : 0);
    double *X = malloc(mine * cols * sizeof *X), *y = malloc(mine * sizeof *y);
    if (!X || !y) fail("out of memory");
    for (size_t i = 0; i < mine; i++) {
        double z = 0.0;
        for (size_t j = 0; j < cols; j++) {
            X[i * cols + j] = value_at((first + i) * cols + j);
            z += X[i * cols + j] * (j % 3 == 0 ? 0.5 : -0.25);
        }
        y[i] = z + 0.3 * value_at(~(first + i)) > 0 ? 1.0 : 0.0;
    }
    gd_data data;
    gd_data_init(&data);
    data.x = X;
    data.y = y;
    data.rows = mine;
    data.cols = cols;
    gd_objective *objective = NULL;
    gd_reducer *reducer = NULL;
    if (gd_objective_create("logistic", cols, &data, NULL, 0, &objective) != GD_OK) fail("logistic");
    if (gd_mpi_reducer_new(MPI_COMM_WORLD, &reducer) != GD_OK) fail("reducer");
    double *theta = calloc(cols, sizeof *theta), *times = malloc((size_t)samples * sizeof *times);
    if (!theta || !times) fail("out of memory");
    for (int s = -1; s < samples; s++) { /* s = -1: a warm-up (the second thread starts) */
        gd_optimizer *optimizer = NULL;
        if (gd_optimizer_new("adam", cols, &optimizer) != GD_OK) fail("adam");
        memset(theta, 0, cols * sizeof *theta);
        gd_options options;
        gd_options_init(&options);
        options.max_iterations = (uint64_t)iterations;
        options.reducer = reducer;
        if (one_thread) {
            options.batch_size = rows;
            options.shuffle = 0;
        }
        MPI_Barrier(MPI_COMM_WORLD);
        double start = MPI_Wtime();
        if (gd_minimize(objective, optimizer, theta, cols, &options, NULL) != GD_OK) fail("gd_minimize");
        double seconds = MPI_Wtime() - start;
        MPI_Allreduce(MPI_IN_PLACE, &seconds, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
        if (s >= 0) times[s] = seconds / iterations * 1e3;
        gd_optimizer_free(optimizer);
    }
    char case_name[160], impl[80];
    snprintf(case_name, sizeof case_name, "logistic full batch, X %zux%zu, Adam step", rows, cols);
    snprintf(impl, sizeof impl, "%d process%s", size, size == 1 ? "" : "es");
    print_samples(case_name, impl, "ms/step", times, samples);
    gd_mpi_reducer_free(reducer);
    gd_objective_free(objective);
    free(theta);
    free(times);
    free(X);
    free(y);
}

static void reduce(size_t n, int repetitions, int samples) {
    gd_reducer *reducer = NULL;
    if (gd_mpi_reducer_new(MPI_COMM_WORLD, &reducer) != GD_OK) fail("reducer");
    size_t count = n + 5;
    double *buffer = malloc(count * sizeof *buffer), *times = malloc((size_t)samples * sizeof *times);
    if (!buffer || !times) fail("out of memory");
    for (int s = -1; s < samples; s++) {
        for (size_t i = 0; i < count; i++) buffer[i] = value_at(i + (size_t)rank);
        MPI_Barrier(MPI_COMM_WORLD);
        double start = MPI_Wtime();
        for (int r = 0; r < repetitions; r++)
            if (reducer->sum(buffer, count, reducer->user) != 0) fail("sum");
        double seconds = MPI_Wtime() - start;
        MPI_Allreduce(MPI_IN_PLACE, &seconds, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
        if (s >= 0) times[s] = seconds / repetitions * 1e6;
    }
    char case_name[120], impl[80];
    snprintf(case_name, sizeof case_name, "reduction of one evaluation, n = %.0e", (double)n);
    snprintf(impl, sizeof impl, "%d processes, fixed tree", size);
    print_samples(case_name, impl, "us/sum", times, samples);
    gd_mpi_reducer_free(reducer);
    free(buffer);
    free(times);
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (argc == 7 && strcmp(argv[1], "scaling") == 0) {
        scaling(strtoull(argv[2], NULL, 10), strtoull(argv[3], NULL, 10), atoi(argv[4]), atoi(argv[5]),
                strcmp(argv[6], "one") == 0);
    } else if (argc == 5 && strcmp(argv[1], "reduce") == 0) {
        reduce(strtoull(argv[2], NULL, 10), atoi(argv[3]), atoi(argv[4]));
    } else {
        if (rank == 0) fprintf(stderr, "usage: bench_mpi scaling ROWS COLS ITERATIONS SAMPLES one|two | reduce N REPETITIONS SAMPLES\n");
        MPI_Finalize();
        return 2;
    }
    MPI_Finalize();
    return 0;
}
