/* What one solver run on one problem did: the record the drivers fill for Python. */
#ifndef MGH_RUN_RECORD_H
#define MGH_RUN_RECORD_H

#include <stdint.h>

typedef struct mgh_run_record {
    double f;                /* the objective at the returned x */
    double seconds;          /* wall clock of the solver call, set-up included */
    uint64_t evaluations;    /* calls to the objective (value and gradient together) */
    uint64_t iterations;     /* accepted steps */
    int32_t status;          /* the solver's return code */
    int32_t stop_reason;     /* the library's gd_stop_reason; -1 for other solvers */
    int32_t x0_projected;    /* the library's report field when it has one, else -1 */
    char message[600];       /* the stop reason or error, as text (cut to fit) */
} mgh_run_record;

#endif
