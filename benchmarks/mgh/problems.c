/* The 36 problems of the table: the paper's functions with the dimensions chosen here
 * (the paper leaves m, and n for functions 20-35, to the user; these are the choices for
 * which it prints f*), its starting points and printed minima. x_ref and f_star come from
 * reference_minimizers.inc, written by refine_minimizers.py: the paper's exact minimizer
 * where it gives one (for the rank-1 linear functions, the point of the paper's minimizer
 * set nearest x0), else a minimizer refined from x0 by MINPACK's Levenberg–Marquardt
 * (SciPy's least_squares) whose f rounds to the printed f*. */
#include "mgh.h"
#include "mgh_residuals.h"

#include <math.h>

#include "reference_minimizers.inc"

/* Starting points (section 3 of the paper, item c of each function). */
static const double x0_rosenbrock[] = {-1.2, 1};
static const double x0_freudenstein[] = {0.5, -2};
static const double x0_powell_bs[] = {0, 1};
static const double x0_brown_bs[] = {1, 1};
static const double x0_beale[] = {1, 1};
static const double x0_jennrich[] = {0.3, 0.4};
static const double x0_helical[] = {-1, 0, 0};
static const double x0_bard[] = {1, 1, 1};
static const double x0_gaussian[] = {0.4, 1, 0};
static const double x0_meyer[] = {0.02, 4000, 250};
static const double x0_gulf[] = {5, 2.5, 0.15};
static const double x0_box[] = {0, 10, 20};
static const double x0_powell_s[] = {3, -1, 0, 1};
static const double x0_wood[] = {-3, -1, -3, -1};
static const double x0_kowalik[] = {0.25, 0.39, 0.415, 0.39};
static const double x0_brown_dennis[] = {25, 5, -5, -1};
static const double x0_osborne1[] = {0.5, 1.5, -1, 0.01, 0.02};
static const double x0_biggs[] = {1, 2, 1, 1, 1, 1};
static const double x0_osborne2[] = {1.3, 0.65, 0.65, 0.7, 0.6, 3, 5, 7, 2, 4.5, 5.5};
static const double x0_zero9[] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
static const double x0_ext_rosenbrock[] = {-1.2, 1, -1.2, 1, -1.2, 1, -1.2, 1, -1.2, 1};
static const double x0_ext_powell[] = {3, -1, 0, 1, 3, -1, 0, 1, 3, -1, 0, 1};
static const double x0_penalty1[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
static const double x0_half10[] = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
static const double x0_variably[] = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0};
static const double x0_trig[] = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
#define T11(j) ((j) / 11.0 * ((j) / 11.0 - 1))
static const double x0_discrete[] = {T11(1), T11(2), T11(3), T11(4), T11(5),
                                     T11(6), T11(7), T11(8), T11(9), T11(10)};
static const double x0_minus1[] = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
static const double x0_one[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
static const double x0_chebyquad[] = {1 / 9.0, 2 / 9.0, 3 / 9.0, 4 / 9.0, 5 / 9.0, 6 / 9.0,
                                      7 / 9.0, 8 / 9.0};

#define NONE {NAN}

typedef struct entry {
    mgh_problem problem;
    mgh_residual_fn residuals;
} entry;

static const entry table[] = {
    {{1, "Rosenbrock", 2, 2, x0_rosenbrock, 0, F_REF_1, X_REF_1, NONE,
      "x* = (1, 1)", X_REF_1, 0}, mgh_rosenbrock},
    {{2, "Freudenstein and Roth", 2, 2, x0_freudenstein, 0, F_REF_2, X_REF_2, {48.9842, NAN},
      "x* = (5, 4); local minimum 48.9842 at (11.41..., -0.8968...)", X_REF_2, 0}, mgh_freudenstein_roth},
    {{3, "Powell badly scaled", 2, 2, x0_powell_bs, 0, F_REF_3, X_REF_3, NONE,
      "x* = (1.098...e-5, 9.106...), refined", X_REF_3, 0}, mgh_powell_badly_scaled},
    {{4, "Brown badly scaled", 2, 3, x0_brown_bs, 0, F_REF_4, X_REF_4, NONE,
      "x* = (1e6, 2e-6)", X_REF_4, 0}, mgh_brown_badly_scaled},
    {{5, "Beale", 2, 3, x0_beale, 0, F_REF_5, X_REF_5, NONE,
      "x* = (3, 0.5)", X_REF_5, 0}, mgh_beale},
    {{6, "Jennrich and Sampson", 2, 10, x0_jennrich, 124.362, F_REF_6, X_REF_6, NONE,
      "m = 10; x* = (0.2578..., 0.2578...), refined", X_REF_6, 0}, mgh_jennrich_sampson},
    {{7, "Helical valley", 3, 3, x0_helical, 0, F_REF_7, X_REF_7, NONE,
      "x* = (1, 0, 0)", X_REF_7, 0}, mgh_helical_valley},
    {{8, "Bard", 3, 15, x0_bard, 8.21487e-3, F_REF_8, X_REF_8, {17.4286, NAN},
      "x* refined; 17.4286 at (0.8406..., -inf, -inf)", X_REF_8, 1}, mgh_bard},
    {{9, "Gaussian", 3, 15, x0_gaussian, 1.12793e-8, F_REF_9, X_REF_9, NONE,
      "x* refined", X_REF_9, 0}, mgh_gaussian},
    {{10, "Meyer", 3, 16, x0_meyer, 87.9458, F_REF_10, X_REF_10, NONE,
      "x* refined", X_REF_10, 0}, mgh_meyer},
    {{11, "Gulf research and development", 3, 99, x0_gulf, 0, F_REF_11, X_REF_11, NONE,
      "m = 99; x* = (50, 25, 1.5)", X_REF_11, 0}, mgh_gulf},
    {{12, "Box three-dimensional", 3, 10, x0_box, 0, F_REF_12, X_REF_12, NONE,
      "m = 10; x* = (1, 10, 1); f = 0 also at (10, 1, -1) and wherever x1 = x2, x3 = 0", X_REF_12, 0}, mgh_box_3d},
    {{13, "Powell singular", 4, 4, x0_powell_s, 0, F_REF_13, X_REF_13, NONE,
      "x* = 0", X_REF_13, 0}, mgh_powell_singular},
    {{14, "Wood", 4, 6, x0_wood, 0, F_REF_14, X_REF_14, NONE,
      "x* = (1, 1, 1, 1)", X_REF_14, 0}, mgh_wood},
    {{15, "Kowalik and Osborne", 4, 11, x0_kowalik, 3.07505e-4, F_REF_15, X_REF_15, {1.02734e-3, NAN},
      "x* refined; 1.02734e-3 at (+inf, -14.07..., -inf, -inf)", X_REF_15, 0}, mgh_kowalik_osborne},
    {{16, "Brown and Dennis", 4, 20, x0_brown_dennis, 85822.2, F_REF_16, X_REF_16, NONE,
      "m = 20; x* refined", X_REF_16, 0}, mgh_brown_dennis},
    {{17, "Osborne 1", 5, 33, x0_osborne1, 5.46489e-5, F_REF_17, X_REF_17, NONE,
      "x* refined", X_REF_17, 0}, mgh_osborne1},
    {{18, "Biggs EXP6", 6, 13, x0_biggs, 0, F_REF_18, X_REF_18, {5.65565e-3, NAN},
      "m = 13; x* = (1, 10, 1, 5, 4, 3); local minimum 5.65565e-3 (where x1 = x5, x3 = x6)", X_LOCAL_18, 1}, mgh_biggs_exp6},
    {{19, "Osborne 2", 11, 65, x0_osborne2, 4.01377e-2, F_REF_19, X_REF_19, NONE,
      "x* refined", X_REF_19, 0}, mgh_osborne2},
    {{20, "Watson", 6, 31, x0_zero9, 2.28767e-3, F_REF_20, X_REF_20, NONE,
      "n = 6; x* refined", X_REF_20, 0}, mgh_watson},
    {{20, "Watson", 9, 31, x0_zero9, 1.39976e-6, F_REF_21, X_REF_21, NONE,
      "n = 9; x* refined", X_REF_21, 0}, mgh_watson},
    {{21, "Extended Rosenbrock", 10, 10, x0_ext_rosenbrock, 0, F_REF_22, X_REF_22, NONE,
      "n = 10; x* = (1, ..., 1)", X_REF_22, 0}, mgh_extended_rosenbrock},
    {{22, "Extended Powell singular", 12, 12, x0_ext_powell, 0, F_REF_23, X_REF_23, NONE,
      "n = 12; x* = 0", X_REF_23, 0}, mgh_extended_powell},
    {{23, "Penalty I", 10, 11, x0_penalty1, 7.08765e-5, F_REF_24, X_REF_24, NONE,
      "n = 10; x* refined", X_REF_24, 0}, mgh_penalty1},
    {{24, "Penalty II", 10, 20, x0_half10, 2.93660e-4, F_REF_25, X_REF_25, NONE,
      "n = 10; x* refined", X_REF_25, 0}, mgh_penalty2},
    {{25, "Variably dimensioned", 10, 12, x0_variably, 0, F_REF_26, X_REF_26, NONE,
      "n = 10; x* = (1, ..., 1)", X_REF_26, 0}, mgh_variably_dimensioned},
    {{26, "Trigonometric", 10, 10, x0_trig, 0, F_REF_27, X_REF_27, {2.79506e-5, NAN},
      "n = 10; x* = 0 (f = 0; every x_j in 2 pi Z); not in the paper: the local minimum "
      "2.79506e-5 near (0.055, ..., 0.208, 0.164, 0.085, 0.091) that LM reaches from x0 "
      "(gradient 6e-10 there)", X_LOCAL_27, 0}, mgh_trigonometric},
    {{27, "Brown almost-linear", 10, 10, x0_half10, 0, F_REF_28, X_REF_28, {1, NAN},
      "n = 10; x* = (1, ..., 1) (alpha = 1); f = 1 at (0, ..., 0, n + 1)", X_REF_28, 0}, mgh_brown_almost_linear},
    {{28, "Discrete boundary value", 10, 10, x0_discrete, 0, F_REF_29, X_REF_29, NONE,
      "n = 10; x* refined (f = 0)", X_REF_29, 0}, mgh_discrete_boundary_value},
    {{29, "Discrete integral equation", 10, 10, x0_discrete, 0, F_REF_30, X_REF_30, NONE,
      "n = 10; x* refined (f = 0)", X_REF_30, 0}, mgh_discrete_integral_equation},
    {{30, "Broyden tridiagonal", 10, 10, x0_minus1, 0, F_REF_31, X_REF_31, NONE,
      "n = 10; x* refined (f = 0)", X_REF_31, 0}, mgh_broyden_tridiagonal},
    {{31, "Broyden banded", 10, 10, x0_minus1, 0, F_REF_32, X_REF_32, NONE,
      "n = 10; x* refined (f = 0)", X_REF_32, 0}, mgh_broyden_banded},
    {{32, "Linear function - full rank", 10, 20, x0_one, 10, F_REF_33, X_REF_33, NONE,
      "n = 10, m = 20; x* = (-1, ..., -1), f* = m - n", X_REF_33, 0}, mgh_linear_full_rank},
    {{33, "Linear function - rank 1", 10, 20, x0_one, 4.63415, F_REF_34, X_REF_34, NONE,
      "n = 10, m = 20; f* = m(m - 1)/(2(2m + 1)) wherever sum j x_j = 3/(2m + 1); x* the point of that set nearest x0",
      X_REF_34, 1}, mgh_linear_rank1},
    {{34, "Linear function - rank 1 with zero columns and rows", 10, 20, x0_one, 6.13514,
      F_REF_35, X_REF_35, NONE,
      "n = 10, m = 20; f* = (m^2 + 3m - 6)/(2(2m - 3)) wherever sum_{j=2..n-1} j x_j = 3/(2m - 3); "
      "x* the point of that set nearest x0", X_REF_35, 1}, mgh_linear_rank1_zero},
    {{35, "Chebyquad", 8, 8, x0_chebyquad, 3.51687e-3, F_REF_36, X_REF_36, NONE,
      "n = m = 8; x* refined", X_REF_36, 0}, mgh_chebyquad},
};

#define COUNT ((int)(sizeof table / sizeof table[0]))

int mgh_problem_count(void) { return COUNT; }

const mgh_problem *mgh_problem_get(int k) {
    return k >= 0 && k < COUNT ? &table[k].problem : NULL;
}

int mgh_residuals(int k, const double *x, double *r, double *jacobian) {
    if (k < 0 || k >= COUNT || !x || !r) return -1;
    const entry *e = &table[k];
    e->residuals(e->problem.n, e->problem.m, x, r, jacobian);
    return 0;
}

int mgh_box(int k, double *lower, double *upper) {
    if (k < 0 || k >= COUNT || !lower || !upper) return -1;
    const mgh_problem *p = &table[k].problem;
    int bounded = 0;
    for (int j = 0; j < p->n; j++) {
        lower[j] = -INFINITY;
        upper[j] = INFINITY;
        if ((j % 2 == 0 || p->box_every) && p->x_box[j] != p->x0[j]) {
            double middle = 0.5 * (p->x0[j] + p->x_box[j]);
            if (p->x_box[j] > p->x0[j]) upper[j] = middle;
            else lower[j] = middle;
            bounded++;
        }
    }
    /* No even coordinate moves: bound the first one that does. */
    for (int j = 0; j < p->n && !bounded; j++) {
        if (p->x_box[j] != p->x0[j]) {
            double middle = 0.5 * (p->x0[j] + p->x_box[j]);
            if (p->x_box[j] > p->x0[j]) upper[j] = middle;
            else lower[j] = middle;
            bounded++;
        }
    }
    return 0;
}
