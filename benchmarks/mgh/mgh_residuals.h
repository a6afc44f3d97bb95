/* The 35 residual functions of the Moré–Garbow–Hillstrom table (residuals.c), in the
 * paper's order. Each fills r[0..m) and, when J is not NULL, the row-major m x n Jacobian. */
#ifndef MGH_RESIDUALS_H
#define MGH_RESIDUALS_H

typedef void (*mgh_residual_fn)(int n, int m, const double *x, double *r, double *J);

void mgh_rosenbrock(int n, int m, const double *x, double *r, double *J);
void mgh_freudenstein_roth(int n, int m, const double *x, double *r, double *J);
void mgh_powell_badly_scaled(int n, int m, const double *x, double *r, double *J);
void mgh_brown_badly_scaled(int n, int m, const double *x, double *r, double *J);
void mgh_beale(int n, int m, const double *x, double *r, double *J);
void mgh_jennrich_sampson(int n, int m, const double *x, double *r, double *J);
void mgh_helical_valley(int n, int m, const double *x, double *r, double *J);
void mgh_bard(int n, int m, const double *x, double *r, double *J);
void mgh_gaussian(int n, int m, const double *x, double *r, double *J);
void mgh_meyer(int n, int m, const double *x, double *r, double *J);
void mgh_gulf(int n, int m, const double *x, double *r, double *J);
void mgh_box_3d(int n, int m, const double *x, double *r, double *J);
void mgh_powell_singular(int n, int m, const double *x, double *r, double *J);
void mgh_wood(int n, int m, const double *x, double *r, double *J);
void mgh_kowalik_osborne(int n, int m, const double *x, double *r, double *J);
void mgh_brown_dennis(int n, int m, const double *x, double *r, double *J);
void mgh_osborne1(int n, int m, const double *x, double *r, double *J);
void mgh_biggs_exp6(int n, int m, const double *x, double *r, double *J);
void mgh_osborne2(int n, int m, const double *x, double *r, double *J);
void mgh_watson(int n, int m, const double *x, double *r, double *J);
void mgh_extended_rosenbrock(int n, int m, const double *x, double *r, double *J);
void mgh_extended_powell(int n, int m, const double *x, double *r, double *J);
void mgh_penalty1(int n, int m, const double *x, double *r, double *J);
void mgh_penalty2(int n, int m, const double *x, double *r, double *J);
void mgh_variably_dimensioned(int n, int m, const double *x, double *r, double *J);
void mgh_trigonometric(int n, int m, const double *x, double *r, double *J);
void mgh_brown_almost_linear(int n, int m, const double *x, double *r, double *J);
void mgh_discrete_boundary_value(int n, int m, const double *x, double *r, double *J);
void mgh_discrete_integral_equation(int n, int m, const double *x, double *r, double *J);
void mgh_broyden_tridiagonal(int n, int m, const double *x, double *r, double *J);
void mgh_broyden_banded(int n, int m, const double *x, double *r, double *J);
void mgh_linear_full_rank(int n, int m, const double *x, double *r, double *J);
void mgh_linear_rank1(int n, int m, const double *x, double *r, double *J);
void mgh_linear_rank1_zero(int n, int m, const double *x, double *r, double *J);
void mgh_chebyquad(int n, int m, const double *x, double *r, double *J);

#endif
