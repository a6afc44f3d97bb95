/* A rank that dies mid-run (SIGKILL from its progress callback at iteration 200) must not
 * leave the others waiting: run.sh asserts that mpirun exits non-zero within 30 s. */
#include <signal.h>
#include <stdio.h>

#include "gradient_descent_mpi.h"

enum { ROWS = 1000, COLS = 4 };
static double X[ROWS * COLS], Y[ROWS];
static int rank;

static int die_at_200(void *user, const gd_progress_info *info) {
    (void)user;
    if (rank == 1 && info->iteration == 200) raise(SIGKILL);
    return 0;
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    for (int i = 0; i < ROWS * COLS; i++) X[i] = (double)((i * 7919) % 101) / 101.0;
    for (int i = 0; i < ROWS; i++) Y[i] = (double)(i % 13) / 13.0;
    size_t rows = ROWS / (size_t)size, first = rows * (size_t)rank;
    gd_data data;
    gd_data_init(&data);
    data.x = X + first * COLS;
    data.y = Y + first;
    data.rows = rows;
    data.cols = COLS;
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    gd_reducer *reducer = NULL;
    if (gd_objective_create("least_squares", COLS, &data, NULL, 0, &obj) != GD_OK
        || gd_optimizer_new("sgd", COLS, &opt) != GD_OK
        || gd_mpi_reducer_new(MPI_COMM_WORLD, &reducer) != GD_OK) {
        fprintf(stderr, "set-up failed: %s\n", gd_last_error());
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    double x[COLS] = {0};
    gd_options options;
    gd_options_init(&options);
    options.batch_size = 1;
    options.max_iterations = 2000000000ULL; /* far beyond 30 s: only the death can end it */
    options.reducer = reducer;
    options.progress = die_at_200;
    int status = gd_minimize(obj, opt, x, COLS, &options, NULL);
    printf("rank %d returned %d (the run should not have ended)\n", rank, status);
    gd_mpi_reducer_free(reducer);
    gd_optimizer_free(opt);
    gd_objective_free(obj);
    MPI_Finalize();
    return 0;
}
