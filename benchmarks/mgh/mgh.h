/* The Moré–Garbow–Hillstrom test table for unconstrained minimization.
 *
 * J. J. Moré, B. S. Garbow, K. E. Hillstrom, "Testing Unconstrained Optimization Software",
 * ACM Transactions on Mathematical Software 7(1), 17–41, 1981. Each of the paper's 35
 * functions is a sum of squares f(x) = sum_i r_i(x)^2 of m residuals in n variables; the
 * table holds 36 problems (Watson at n = 6 and n = 9), each with the paper's starting point
 * x0, the paper's minimum f* as printed, and a reference minimizer with its f to full
 * precision (see problems.c for where each comes from). Boxes for the bounded variant cut
 * the unconstrained minimizer off (see benchmarks/README.md).
 *
 * Plain C99, no dependencies but libm; every function is thread-safe (no state).
 * Problem indices run 0 .. mgh_problem_count() - 1. */
#ifndef MGH_H
#define MGH_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The largest m and n of the table: callers may size buffers with these. */
#define MGH_MAX_N 16
#define MGH_MAX_M 100

/* One problem of the table. Arrays have n entries. local_f lists other minima the paper
 * documents (NAN-terminated, up to 3): a run that ends at one of them stopped at a
 * documented stationary point. */
typedef struct mgh_problem {
    int number;              /* the paper's function number, 1..35 */
    const char *name;        /* e.g. "Rosenbrock" */
    int n, m;
    const double *x0;        /* the paper's starting point */
    double f_star_paper;     /* the minimum as the paper prints it (6 significant digits) */
    double f_star;           /* the same minimum at full precision: f(x_ref), or exact */
    const double *x_ref;     /* a minimizer where f = f_star */
    double local_f[4];       /* other documented minima (values), NAN-terminated */
    const char *note;        /* where x_ref and local_f come from */
    const double *x_box;     /* the minimizer the box cuts off: x_ref, or for problems where
                                x0 leads to a documented local minimum, that minimizer */
    int box_every;           /* 1: the box bounds every coordinate, 0: the even ones */
} mgh_problem;

/* The number of problems (36). */
int mgh_problem_count(void);

/* Problem k, or NULL when k is out of range. The struct and its arrays are static. */
const mgh_problem *mgh_problem_get(int k);

/* The box of problem k's bounded variant, into lower[0..n) and upper[0..n) (±INFINITY for
 * an unbounded side). On every even-indexed coordinate j (0-based; every coordinate when
 * box_every) where x_box differs from x0, the side towards x_box is bounded halfway between
 * them, so x0 is inside the box and x_box is cut off; the other coordinates are free.
 * Returns 0, or -1 for a bad k or a NULL array. */
int mgh_box(int k, double *lower, double *upper);

/* The residuals r[0..m) of problem k at x[0..n), and when jacobian is not NULL the
 * Jacobian, row-major m x n (jacobian[i*n + j] = d r_i / d x_j). Returns 0, or -1 when k is
 * out of range or x, r is NULL. */
int mgh_residuals(int k, const double *x, double *r, double *jacobian);

/* f(x) = sum r_i^2 and, when grad is not NULL, its gradient 2 J^T r. Returns 0, or -1 as
 * mgh_residuals. */
int mgh_evaluate(int k, const double *x, double *grad, double *f);

/* The same in the shape of gd_objective_fn and of libraries that take
 * (user, x, grad, n, loss): user points to an int holding the problem index. Returns 0, or
 * -1 when n differs from the problem's or an argument is NULL. Counts nothing. */
int mgh_objective(void *user, const double *x, double *grad, size_t n, double *loss);

#ifdef __cplusplus
}
#endif

#endif
