/* gradient_descent_mpi: a gd_reducer over an MPI communicator, for data-parallel runs.
 *
 * Build with mpicc and link -lgradient_descent_mpi -lgradient_descent. The core library has
 * no MPI dependency; this small library is the only part that links MPI.
 *
 *     gd_reducer *reducer;
 *     gd_mpi_reducer_new(MPI_COMM_WORLD, &reducer);
 *     options.reducer = reducer;        // every rank: its own rows, the same options
 *     gd_minimize(obj, opt, x, n, &options, &report);
 *     gd_mpi_reducer_free(reducer);
 *
 * The sum is deterministic: partial buffers are added along a fixed binomial tree towards
 * rank 0 (rank r adds the buffer of r + 2^k at level k), then broadcast, so the result has
 * the same bits on every rank and in every run with the same process count, whatever MPI's
 * own reduction order would be. The cost of one sum is about 2·ceil(log2 P) messages of the
 * buffer's size.
 *
 * Faults: the reducer uses a duplicate of the communicator with the communicator's error
 * handler (MPI_ERRORS_ARE_FATAL by default), so a rank that dies takes the job down instead
 * of leaving the others waiting; mpirun then exits non-zero. */
#ifndef GRADIENT_DESCENT_MPI_H
#define GRADIENT_DESCENT_MPI_H

#include <mpi.h>
#include "gradient_descent.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A reducer over comm (duplicated; the caller keeps comm). MPI must be initialized.
 * *out is valid until gd_mpi_reducer_free; its process_count and rank are comm's size and
 * rank. GD_E_NULL_ARGUMENT, GD_E_INVALID_ARGUMENT (MPI not initialized, comm invalid),
 * GD_E_OUT_OF_MEMORY. */
int gd_mpi_reducer_new(MPI_Comm comm, gd_reducer **out);

/* The same from a Fortran handle (MPI_Comm_c2f, mpi4py's comm.py2f()), for bindings that
 * cannot name MPI_Comm. */
int gd_mpi_reducer_new_fortran(MPI_Fint comm, gd_reducer **out);

/* Frees a reducer (NULL is a no-op) and its duplicate communicator. Call before
 * MPI_Finalize. */
void gd_mpi_reducer_free(gd_reducer *reducer);

#ifdef __cplusplus
}
#endif

#endif /* GRADIENT_DESCENT_MPI_H */
