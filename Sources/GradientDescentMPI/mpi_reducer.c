/* A gd_reducer over MPI with a fixed order of additions (see gradient_descent_mpi.h). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_descent_mpi.h"

typedef struct mpi_reducer {
    gd_reducer reducer; /* first, so a gd_reducer * is a mpi_reducer * */
    MPI_Comm comm;
    int size;
    int rank;
    double *scratch;    /* a partner's partial sums, grown on the first sum of a larger buffer */
    size_t capacity;
} mpi_reducer;

enum { TAG = 7311 };
/* Messages are at most this many doubles (MPI counts are int). */
static const size_t chunk = (size_t)1 << 28;

static int ensure_scratch(mpi_reducer *r, size_t count) {
    if (count <= r->capacity) return 0;
    size_t want = count < chunk ? count : chunk;
    if (want <= r->capacity) return 0;
    double *grown = realloc(r->scratch, want * sizeof(double));
    if (!grown) return -1;
    r->scratch = grown;
    r->capacity = want;
    return 0;
}

/* Adds the buffers of all ranks along a binomial tree to rank 0, then broadcasts. */
static int tree_sum(double *buffer, size_t count, void *user) {
    mpi_reducer *r = user;
    if (count == 0 || r->size == 1) return 0;
    if (ensure_scratch(r, count) != 0) return -1;
    for (size_t start = 0; start < count; start += chunk) {
        size_t piece = count - start < chunk ? count - start : chunk;
        double *part = buffer + start;
        for (int mask = 1; mask < r->size; mask <<= 1) {
            if (r->rank & mask) {
                if (MPI_Send(part, (int)piece, MPI_DOUBLE, r->rank - mask, TAG, r->comm) != MPI_SUCCESS)
                    return -1;
                break;
            }
            if (r->rank + mask < r->size) {
                if (MPI_Recv(r->scratch, (int)piece, MPI_DOUBLE, r->rank + mask, TAG, r->comm,
                             MPI_STATUS_IGNORE) != MPI_SUCCESS)
                    return -1;
                for (size_t i = 0; i < piece; i++) part[i] += r->scratch[i];
            }
        }
        if (MPI_Bcast(part, (int)piece, MPI_DOUBLE, 0, r->comm) != MPI_SUCCESS) return -1;
    }
    return 0;
}

int gd_mpi_reducer_new(MPI_Comm comm, gd_reducer **out) {
    if (!out) return GD_E_NULL_ARGUMENT;
    *out = NULL;
    int initialized = 0, finalized = 0;
    MPI_Initialized(&initialized);
    MPI_Finalized(&finalized);
    if (!initialized || finalized) return GD_E_INVALID_ARGUMENT;
    if (comm == MPI_COMM_NULL) return GD_E_INVALID_ARGUMENT;
    mpi_reducer *r = calloc(1, sizeof *r);
    if (!r) return GD_E_OUT_OF_MEMORY;
    if (MPI_Comm_dup(comm, &r->comm) != MPI_SUCCESS) {
        free(r);
        return GD_E_INVALID_ARGUMENT;
    }
    MPI_Comm_size(r->comm, &r->size);
    MPI_Comm_rank(r->comm, &r->rank);
    r->reducer.struct_size = sizeof(gd_reducer);
    r->reducer.sum = tree_sum;
    r->reducer.user = r;
    r->reducer.process_count = (uint64_t)r->size;
    r->reducer.rank = (uint64_t)r->rank;
    *out = &r->reducer;
    return GD_OK;
}

int gd_mpi_reducer_new_fortran(MPI_Fint comm, gd_reducer **out) {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized) {
        if (out) *out = NULL;
        return out ? GD_E_INVALID_ARGUMENT : GD_E_NULL_ARGUMENT;
    }
    return gd_mpi_reducer_new(MPI_Comm_f2c(comm), out);
}

void gd_mpi_reducer_free(gd_reducer *reducer) {
    if (!reducer) return;
    mpi_reducer *r = (mpi_reducer *)reducer;
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Comm_free(&r->comm);
    free(r->scratch);
    free(r);
}
