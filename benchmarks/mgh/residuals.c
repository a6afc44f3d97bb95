/* The 35 residual functions of Moré, Garbow and Hillstrom (1981), section 3, with their
 * Jacobians, written from the paper's formulas. Each has the shape
 *     void name(int n, int m, const double *x, double *r, double *J)
 * filling r[0..m) and, when J is not NULL, J[i*n + j] = d r_i / d x_j. Indices in the
 * comments are the paper's (1-based); the code is 0-based. The one known misprint is
 * followed as corrected: in the Gulf function, "y_i m i x_2" reads y_i - x_2. */
#include "mgh_residuals.h"

#include <math.h>
#include <string.h>

#define J_(i, j) J[(size_t)(i) * (size_t)n + (size_t)(j)]

static void clear(double *J, int n, int m) {
    if (J) memset(J, 0, sizeof(double) * (size_t)n * (size_t)m);
}

/* (1) Rosenbrock: r1 = 10(x2 - x1^2), r2 = 1 - x1. */
void mgh_rosenbrock(int n, int m, const double *x, double *r, double *J) {
    r[0] = 10 * (x[1] - x[0] * x[0]);
    r[1] = 1 - x[0];
    if (J) {
        clear(J, n, m);
        J_(0, 0) = -20 * x[0]; J_(0, 1) = 10;
        J_(1, 0) = -1;
    }
}

/* (2) Freudenstein and Roth. */
void mgh_freudenstein_roth(int n, int m, const double *x, double *r, double *J) {
    double a = x[1];
    r[0] = -13 + x[0] + ((5 - a) * a - 2) * a;
    r[1] = -29 + x[0] + ((a + 1) * a - 14) * a;
    if (J) {
        clear(J, n, m);
        J_(0, 0) = 1; J_(0, 1) = 10 * a - 3 * a * a - 2;
        J_(1, 0) = 1; J_(1, 1) = 3 * a * a + 2 * a - 14;
    }
}

/* (3) Powell badly scaled. */
void mgh_powell_badly_scaled(int n, int m, const double *x, double *r, double *J) {
    double e0 = exp(-x[0]), e1 = exp(-x[1]);
    r[0] = 1e4 * x[0] * x[1] - 1;
    r[1] = e0 + e1 - 1.0001;
    if (J) {
        clear(J, n, m);
        J_(0, 0) = 1e4 * x[1]; J_(0, 1) = 1e4 * x[0];
        J_(1, 0) = -e0;        J_(1, 1) = -e1;
    }
}

/* (4) Brown badly scaled. */
void mgh_brown_badly_scaled(int n, int m, const double *x, double *r, double *J) {
    r[0] = x[0] - 1e6;
    r[1] = x[1] - 2e-6;
    r[2] = x[0] * x[1] - 2;
    if (J) {
        clear(J, n, m);
        J_(0, 0) = 1;
        J_(1, 1) = 1;
        J_(2, 0) = x[1]; J_(2, 1) = x[0];
    }
}

/* (5) Beale: r_i = y_i - x1(1 - x2^i), y = (1.5, 2.25, 2.625). */
void mgh_beale(int n, int m, const double *x, double *r, double *J) {
    static const double y[3] = {1.5, 2.25, 2.625};
    double power = 1;                       /* x2^(i-1) */
    for (int i = 0; i < 3; i++) {
        double next = power * x[1];         /* x2^i */
        r[i] = y[i] - x[0] * (1 - next);
        if (J) {
            J_(i, 0) = -(1 - next);
            J_(i, 1) = x[0] * (i + 1) * power;
        }
        power = next;
    }
    (void)m;
}

/* (6) Jennrich and Sampson: r_i = 2 + 2i - (e^(i x1) + e^(i x2)). */
void mgh_jennrich_sampson(int n, int m, const double *x, double *r, double *J) {
    for (int i = 0; i < m; i++) {
        double t = i + 1, a = exp(t * x[0]), b = exp(t * x[1]);
        r[i] = 2 + 2 * t - (a + b);
        if (J) {
            J_(i, 0) = -t * a;
            J_(i, 1) = -t * b;
        }
    }
}

/* (7) Helical valley, with the paper's theta: arctan(x2/x1)/(2 pi), plus 0.5 when x1 < 0
 * (x1 = 0 is the limit from either side: 0.25 sign(x2)). */
void mgh_helical_valley(int n, int m, const double *x, double *r, double *J) {
    const double two_pi = 6.283185307179586476925286766559;
    double theta;
    if (x[0] > 0) theta = atan(x[1] / x[0]) / two_pi;
    else if (x[0] < 0) theta = atan(x[1] / x[0]) / two_pi + 0.5;
    else theta = x[1] >= 0 ? 0.25 : -0.25;
    double rho2 = x[0] * x[0] + x[1] * x[1], rho = sqrt(rho2);
    r[0] = 10 * (x[2] - 10 * theta);
    r[1] = 10 * (rho - 1);
    r[2] = x[2];
    if (J) {
        clear(J, n, m);
        double d = rho2 > 0 ? rho2 : 1;      /* the gradient of theta is undefined at 0 */
        J_(0, 0) = 100 * x[1] / (two_pi * d);
        J_(0, 1) = -100 * x[0] / (two_pi * d);
        J_(0, 2) = 10;
        J_(1, 0) = rho > 0 ? 10 * x[0] / rho : 0;
        J_(1, 1) = rho > 0 ? 10 * x[1] / rho : 0;
        J_(2, 2) = 1;
    }
}

/* (8) Bard: r_i = y_i - (x1 + u_i / (v_i x2 + w_i x3)), u = i, v = 16 - i, w = min(u, v). */
void mgh_bard(int n, int m, const double *x, double *r, double *J) {
    static const double y[15] = {0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39,
                                 0.37, 0.58, 0.73, 0.96, 1.34, 2.10, 4.39};
    for (int i = 0; i < m; i++) {
        double u = i + 1, v = 16 - u, w = u < v ? u : v;
        double d = v * x[1] + w * x[2];
        r[i] = y[i] - (x[0] + u / d);
        if (J) {
            J_(i, 0) = -1;
            J_(i, 1) = u * v / (d * d);
            J_(i, 2) = u * w / (d * d);
        }
    }
}

/* (9) Gaussian: r_i = x1 exp(-x2 (t_i - x3)^2 / 2) - y_i, t_i = (8 - i)/2. */
void mgh_gaussian(int n, int m, const double *x, double *r, double *J) {
    static const double y[15] = {0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521, 0.3989,
                                 0.3521, 0.2420, 0.1295, 0.0540, 0.0175, 0.0044, 0.0009};
    for (int i = 0; i < m; i++) {
        double t = (8.0 - (i + 1)) / 2, d = t - x[2], e = exp(-x[1] * d * d / 2);
        r[i] = x[0] * e - y[i];
        if (J) {
            J_(i, 0) = e;
            J_(i, 1) = -x[0] * e * d * d / 2;
            J_(i, 2) = x[0] * e * x[1] * d;
        }
    }
}

/* (10) Meyer: r_i = x1 exp(x2 / (t_i + x3)) - y_i, t_i = 45 + 5i. */
void mgh_meyer(int n, int m, const double *x, double *r, double *J) {
    static const double y[16] = {34780, 28610, 23650, 19630, 16370, 13720, 11540, 9744,
                                 8261, 7030, 6005, 5147, 4427, 3820, 3307, 2872};
    for (int i = 0; i < m; i++) {
        double t = 45 + 5.0 * (i + 1), d = t + x[2], e = exp(x[1] / d);
        r[i] = x[0] * e - y[i];
        if (J) {
            J_(i, 0) = e;
            J_(i, 1) = x[0] * e / d;
            J_(i, 2) = -x[0] * e * x[1] / (d * d);
        }
    }
}

/* (11) Gulf research and development: r_i = exp(-|y_i - x2|^x3 / x1) - t_i, t_i = i/100,
 * y_i = 25 + (-50 ln t_i)^(2/3). */
void mgh_gulf(int n, int m, const double *x, double *r, double *J) {
    for (int i = 0; i < m; i++) {
        double t = (i + 1) / 100.0;
        double y = 25 + pow(-50 * log(t), 2.0 / 3.0);
        double diff = y - x[1], a = fabs(diff);
        double p = a > 0 ? pow(a, x[2]) : 0;
        double e = exp(-p / x[0]);
        r[i] = e - t;
        if (J) {
            J_(i, 0) = e * p / (x[0] * x[0]);
            if (a > 0) {
                /* d|y - x2|/dx2 = -sign(y - x2) */
                double dp_dx2 = x[2] * p / a * (diff > 0 ? -1.0 : 1.0);
                J_(i, 1) = -e / x[0] * dp_dx2;
                J_(i, 2) = -e / x[0] * p * log(a);
            } else {
                J_(i, 1) = 0;
                J_(i, 2) = 0;
            }
        }
    }
}

/* (12) Box three-dimensional: r_i = e^(-t_i x1) - e^(-t_i x2) - x3 (e^(-t_i) - e^(-10 t_i)),
 * t_i = i/10. */
void mgh_box_3d(int n, int m, const double *x, double *r, double *J) {
    for (int i = 0; i < m; i++) {
        double t = 0.1 * (i + 1), a = exp(-t * x[0]), b = exp(-t * x[1]);
        double c = exp(-t) - exp(-10 * t);
        r[i] = a - b - x[2] * c;
        if (J) {
            J_(i, 0) = -t * a;
            J_(i, 1) = t * b;
            J_(i, 2) = -c;
        }
    }
}

/* (13) Powell singular. */
void mgh_powell_singular(int n, int m, const double *x, double *r, double *J) {
    const double s5 = sqrt(5.0), s10 = sqrt(10.0);
    double a = x[1] - 2 * x[2], b = x[0] - x[3];
    r[0] = x[0] + 10 * x[1];
    r[1] = s5 * (x[2] - x[3]);
    r[2] = a * a;
    r[3] = s10 * b * b;
    if (J) {
        clear(J, n, m);
        J_(0, 0) = 1; J_(0, 1) = 10;
        J_(1, 2) = s5; J_(1, 3) = -s5;
        J_(2, 1) = 2 * a; J_(2, 2) = -4 * a;
        J_(3, 0) = 2 * s10 * b; J_(3, 3) = -2 * s10 * b;
    }
}

/* (14) Wood. */
void mgh_wood(int n, int m, const double *x, double *r, double *J) {
    const double s90 = sqrt(90.0), s10 = sqrt(10.0);
    r[0] = 10 * (x[1] - x[0] * x[0]);
    r[1] = 1 - x[0];
    r[2] = s90 * (x[3] - x[2] * x[2]);
    r[3] = 1 - x[2];
    r[4] = s10 * (x[1] + x[3] - 2);
    r[5] = (x[1] - x[3]) / s10;
    if (J) {
        clear(J, n, m);
        J_(0, 0) = -20 * x[0]; J_(0, 1) = 10;
        J_(1, 0) = -1;
        J_(2, 2) = -2 * s90 * x[2]; J_(2, 3) = s90;
        J_(3, 2) = -1;
        J_(4, 1) = s10; J_(4, 3) = s10;
        J_(5, 1) = 1 / s10; J_(5, 3) = -1 / s10;
    }
}

/* (15) Kowalik and Osborne: r_i = y_i - x1 (u_i^2 + u_i x2) / (u_i^2 + u_i x3 + x4). */
void mgh_kowalik_osborne(int n, int m, const double *x, double *r, double *J) {
    static const double y[11] = {0.1957, 0.1947, 0.1735, 0.1600, 0.0844, 0.0627,
                                 0.0456, 0.0342, 0.0323, 0.0235, 0.0246};
    static const double u[11] = {4, 2, 1, 0.5, 0.25, 0.167, 0.125, 0.1, 0.0833, 0.0714, 0.0625};
    for (int i = 0; i < m; i++) {
        double num = u[i] * u[i] + u[i] * x[1], den = u[i] * u[i] + u[i] * x[2] + x[3];
        r[i] = y[i] - x[0] * num / den;
        if (J) {
            J_(i, 0) = -num / den;
            J_(i, 1) = -x[0] * u[i] / den;
            J_(i, 2) = x[0] * num * u[i] / (den * den);
            J_(i, 3) = x[0] * num / (den * den);
        }
    }
}

/* (16) Brown and Dennis: r_i = (x1 + t_i x2 - e^t_i)^2 + (x3 + x4 sin t_i - cos t_i)^2,
 * t_i = i/5. */
void mgh_brown_dennis(int n, int m, const double *x, double *r, double *J) {
    for (int i = 0; i < m; i++) {
        double t = (i + 1) / 5.0, s = sin(t);
        double a = x[0] + t * x[1] - exp(t), b = x[2] + x[3] * s - cos(t);
        r[i] = a * a + b * b;
        if (J) {
            J_(i, 0) = 2 * a;
            J_(i, 1) = 2 * a * t;
            J_(i, 2) = 2 * b;
            J_(i, 3) = 2 * b * s;
        }
    }
}

/* (17) Osborne 1: r_i = y_i - (x1 + x2 e^(-t_i x4) + x3 e^(-t_i x5)), t_i = 10(i - 1). */
void mgh_osborne1(int n, int m, const double *x, double *r, double *J) {
    static const double y[33] = {
        0.844, 0.908, 0.932, 0.936, 0.925, 0.908, 0.881, 0.850, 0.818, 0.784, 0.751,
        0.718, 0.685, 0.658, 0.628, 0.603, 0.580, 0.558, 0.538, 0.522, 0.506, 0.490,
        0.478, 0.467, 0.457, 0.448, 0.438, 0.431, 0.424, 0.420, 0.414, 0.411, 0.406};
    for (int i = 0; i < m; i++) {
        double t = 10.0 * i, a = exp(-t * x[3]), b = exp(-t * x[4]);
        r[i] = y[i] - (x[0] + x[1] * a + x[2] * b);
        if (J) {
            J_(i, 0) = -1;
            J_(i, 1) = -a;
            J_(i, 2) = -b;
            J_(i, 3) = x[1] * t * a;
            J_(i, 4) = x[2] * t * b;
        }
    }
}

/* (18) Biggs EXP6: r_i = x3 e^(-t_i x1) - x4 e^(-t_i x2) + x6 e^(-t_i x5) - y_i,
 * t_i = i/10, y_i = e^(-t_i) - 5 e^(-10 t_i) + 3 e^(-4 t_i). */
void mgh_biggs_exp6(int n, int m, const double *x, double *r, double *J) {
    for (int i = 0; i < m; i++) {
        double t = 0.1 * (i + 1);
        double y = exp(-t) - 5 * exp(-10 * t) + 3 * exp(-4 * t);
        double a = exp(-t * x[0]), b = exp(-t * x[1]), c = exp(-t * x[4]);
        r[i] = x[2] * a - x[3] * b + x[5] * c - y;
        if (J) {
            J_(i, 0) = -t * x[2] * a;
            J_(i, 1) = t * x[3] * b;
            J_(i, 2) = a;
            J_(i, 3) = -b;
            J_(i, 4) = -t * x[5] * c;
            J_(i, 5) = c;
        }
    }
}

/* (19) Osborne 2: r_i = y_i - (x1 e^(-t_i x5) + x2 e^(-(t_i - x9)^2 x6)
 * + x3 e^(-(t_i - x10)^2 x7) + x4 e^(-(t_i - x11)^2 x8)), t_i = (i - 1)/10. */
void mgh_osborne2(int n, int m, const double *x, double *r, double *J) {
    static const double y[65] = {
        1.366, 1.191, 1.112, 1.013, 0.991, 0.885, 0.831, 0.847, 0.786, 0.725, 0.746,
        0.679, 0.608, 0.655, 0.616, 0.606, 0.602, 0.626, 0.651, 0.724, 0.649, 0.649,
        0.694, 0.644, 0.624, 0.661, 0.612, 0.558, 0.533, 0.495, 0.500, 0.423, 0.395,
        0.375, 0.372, 0.391, 0.396, 0.405, 0.428, 0.429, 0.523, 0.562, 0.607, 0.653,
        0.672, 0.708, 0.633, 0.668, 0.645, 0.632, 0.591, 0.559, 0.597, 0.625, 0.739,
        0.710, 0.729, 0.720, 0.636, 0.581, 0.428, 0.292, 0.162, 0.098, 0.054};
    for (int i = 0; i < m; i++) {
        double t = i / 10.0;
        double e1 = exp(-t * x[4]);
        double d2 = t - x[8], d3 = t - x[9], d4 = t - x[10];
        double e2 = exp(-d2 * d2 * x[5]), e3 = exp(-d3 * d3 * x[6]), e4 = exp(-d4 * d4 * x[7]);
        r[i] = y[i] - (x[0] * e1 + x[1] * e2 + x[2] * e3 + x[3] * e4);
        if (J) {
            J_(i, 0) = -e1;
            J_(i, 1) = -e2;
            J_(i, 2) = -e3;
            J_(i, 3) = -e4;
            J_(i, 4) = x[0] * t * e1;
            J_(i, 5) = x[1] * d2 * d2 * e2;
            J_(i, 6) = x[2] * d3 * d3 * e3;
            J_(i, 7) = x[3] * d4 * d4 * e4;
            J_(i, 8) = -2 * x[1] * x[5] * d2 * e2;
            J_(i, 9) = -2 * x[2] * x[6] * d3 * e3;
            J_(i, 10) = -2 * x[3] * x[7] * d4 * e4;
        }
    }
}

/* (20) Watson: for t_i = i/29, 1 <= i <= 29,
 * r_i = sum_{j=2..n} (j-1) x_j t_i^(j-2) - (sum_{j=1..n} x_j t_i^(j-1))^2 - 1;
 * r_30 = x1, r_31 = x2 - x1^2 - 1. */
void mgh_watson(int n, int m, const double *x, double *r, double *J) {
    if (J) clear(J, n, m);
    for (int i = 0; i < 29; i++) {
        double t = (i + 1) / 29.0;
        double s1 = 0, s2 = 0, power = 1;   /* power = t^(j-1) for the 0-based j */
        for (int j = 0; j < n; j++) {
            if (j >= 1) s1 += j * x[j] * (power / t);
            s2 += x[j] * power;
            power *= t;
        }
        r[i] = s1 - s2 * s2 - 1;
        if (J) {
            power = 1;
            for (int j = 0; j < n; j++) {
                J_(i, j) = (j >= 1 ? j * power / t : 0) - 2 * s2 * power;
                power *= t;
            }
        }
    }
    r[29] = x[0];
    r[30] = x[1] - x[0] * x[0] - 1;
    if (J) {
        J_(29, 0) = 1;
        J_(30, 0) = -2 * x[0];
        J_(30, 1) = 1;
    }
}

/* (21) Extended Rosenbrock. */
void mgh_extended_rosenbrock(int n, int m, const double *x, double *r, double *J) {
    if (J) clear(J, n, m);
    for (int i = 0; i < n / 2; i++) {
        double a = x[2 * i], b = x[2 * i + 1];
        r[2 * i] = 10 * (b - a * a);
        r[2 * i + 1] = 1 - a;
        if (J) {
            J_(2 * i, 2 * i) = -20 * a;
            J_(2 * i, 2 * i + 1) = 10;
            J_(2 * i + 1, 2 * i) = -1;
        }
    }
}

/* (22) Extended Powell singular. */
void mgh_extended_powell(int n, int m, const double *x, double *r, double *J) {
    const double s5 = sqrt(5.0), s10 = sqrt(10.0);
    if (J) clear(J, n, m);
    for (int k = 0; k < n; k += 4) {
        double a = x[k + 1] - 2 * x[k + 2], b = x[k] - x[k + 3];
        r[k] = x[k] + 10 * x[k + 1];
        r[k + 1] = s5 * (x[k + 2] - x[k + 3]);
        r[k + 2] = a * a;
        r[k + 3] = s10 * b * b;
        if (J) {
            J_(k, k) = 1; J_(k, k + 1) = 10;
            J_(k + 1, k + 2) = s5; J_(k + 1, k + 3) = -s5;
            J_(k + 2, k + 1) = 2 * a; J_(k + 2, k + 2) = -4 * a;
            J_(k + 3, k) = 2 * s10 * b; J_(k + 3, k + 3) = -2 * s10 * b;
        }
    }
}

/* (23) Penalty I: r_i = sqrt(a)(x_i - 1), r_(n+1) = sum x_j^2 - 1/4, a = 1e-5. */
void mgh_penalty1(int n, int m, const double *x, double *r, double *J) {
    const double sa = sqrt(1e-5);
    if (J) clear(J, n, m);
    double sum = 0;
    for (int j = 0; j < n; j++) {
        r[j] = sa * (x[j] - 1);
        sum += x[j] * x[j];
        if (J) {
            J_(j, j) = sa;
            J_(n, j) = 2 * x[j];
        }
    }
    r[n] = sum - 0.25;
}

/* (24) Penalty II: r_1 = x1 - 0.2; r_i = sqrt(a)(e^(x_i/10) + e^(x_(i-1)/10) - y_i) for
 * 2 <= i <= n; r_i = sqrt(a)(e^(x_(i-n+1)/10) - e^(-1/10)) for n < i < 2n;
 * r_2n = sum_j (n - j + 1) x_j^2 - 1; a = 1e-5, y_i = e^(i/10) + e^((i-1)/10). */
void mgh_penalty2(int n, int m, const double *x, double *r, double *J) {
    const double sa = sqrt(1e-5), em = exp(-0.1);
    if (J) clear(J, n, m);
    r[0] = x[0] - 0.2;
    if (J) J_(0, 0) = 1;
    for (int i = 2; i <= n; i++) {           /* paper's i */
        double y = exp(i / 10.0) + exp((i - 1) / 10.0);
        double a = exp(x[i - 1] / 10), b = exp(x[i - 2] / 10);
        r[i - 1] = sa * (a + b - y);
        if (J) {
            J_(i - 1, i - 1) = sa * a / 10;
            J_(i - 1, i - 2) = sa * b / 10;
        }
    }
    for (int i = n + 1; i < 2 * n; i++) {
        double a = exp(x[i - n] / 10);
        r[i - 1] = sa * (a - em);
        if (J) J_(i - 1, i - n) = sa * a / 10;
    }
    double sum = 0;
    for (int j = 0; j < n; j++) {
        sum += (n - j) * x[j] * x[j];
        if (J) J_(2 * n - 1, j) = 2.0 * (n - j) * x[j];
    }
    r[2 * n - 1] = sum - 1;
}

/* (25) Variably dimensioned: r_i = x_i - 1, r_(n+1) = sum j(x_j - 1), r_(n+2) = r_(n+1)^2. */
void mgh_variably_dimensioned(int n, int m, const double *x, double *r, double *J) {
    if (J) clear(J, n, m);
    double s = 0;
    for (int j = 0; j < n; j++) {
        r[j] = x[j] - 1;
        s += (j + 1) * (x[j] - 1);
        if (J) J_(j, j) = 1;
    }
    r[n] = s;
    r[n + 1] = s * s;
    if (J) {
        for (int j = 0; j < n; j++) {
            J_(n, j) = j + 1;
            J_(n + 1, j) = 2 * s * (j + 1);
        }
    }
}

/* (26) Trigonometric: r_i = n - sum_j cos x_j + i(1 - cos x_i) - sin x_i. */
void mgh_trigonometric(int n, int m, const double *x, double *r, double *J) {
    double s = 0;
    for (int j = 0; j < n; j++) s += cos(x[j]);
    for (int i = 0; i < n; i++) {
        r[i] = n - s + (i + 1) * (1 - cos(x[i])) - sin(x[i]);
        if (J) {
            for (int j = 0; j < n; j++) J_(i, j) = sin(x[j]);
            J_(i, i) += (i + 1) * sin(x[i]) - cos(x[i]);
        }
    }
    (void)m;
}

/* (27) Brown almost-linear: r_i = x_i + sum_j x_j - (n + 1) for i < n, r_n = prod x_j - 1. */
void mgh_brown_almost_linear(int n, int m, const double *x, double *r, double *J) {
    double s = 0, p = 1;
    for (int j = 0; j < n; j++) {
        s += x[j];
        p *= x[j];
    }
    for (int i = 0; i < n - 1; i++) {
        r[i] = x[i] + s - (n + 1);
        if (J) {
            for (int j = 0; j < n; j++) J_(i, j) = 1;
            J_(i, i) = 2;
        }
    }
    r[n - 1] = p - 1;
    if (J) {
        for (int j = 0; j < n; j++) {
            double others = 1;                /* the product without x_j, exact at zeros */
            for (int k = 0; k < n; k++) if (k != j) others *= x[k];
            J_(n - 1, j) = others;
        }
    }
    (void)m;
}

/* (28) Discrete boundary value: r_i = 2x_i - x_(i-1) - x_(i+1) + h^2 (x_i + t_i + 1)^3 / 2,
 * h = 1/(n + 1), t_i = i h, x_0 = x_(n+1) = 0. */
void mgh_discrete_boundary_value(int n, int m, const double *x, double *r, double *J) {
    double h = 1.0 / (n + 1);
    if (J) clear(J, n, m);
    for (int i = 0; i < n; i++) {
        double t = (i + 1) * h, c = x[i] + t + 1;
        double left = i > 0 ? x[i - 1] : 0, right = i < n - 1 ? x[i + 1] : 0;
        r[i] = 2 * x[i] - left - right + h * h * c * c * c / 2;
        if (J) {
            J_(i, i) = 2 + 1.5 * h * h * c * c;
            if (i > 0) J_(i, i - 1) = -1;
            if (i < n - 1) J_(i, i + 1) = -1;
        }
    }
}

/* (29) Discrete integral equation: r_i = x_i + h [(1 - t_i) sum_{j<=i} t_j (x_j + t_j + 1)^3
 * + t_i sum_{j>i} (1 - t_j)(x_j + t_j + 1)^3] / 2. */
void mgh_discrete_integral_equation(int n, int m, const double *x, double *r, double *J) {
    double h = 1.0 / (n + 1);
    for (int i = 0; i < n; i++) {
        double ti = (i + 1) * h, lower = 0, upper = 0;
        for (int j = 0; j < n; j++) {
            double tj = (j + 1) * h, c = x[j] + tj + 1;
            if (j <= i) lower += tj * c * c * c;
            else upper += (1 - tj) * c * c * c;
            if (J) {
                double w = j <= i ? (1 - ti) * tj : ti * (1 - tj);
                J_(i, j) = h * w * 3 * c * c / 2 + (i == j ? 1 : 0);
            }
        }
        r[i] = x[i] + h * ((1 - ti) * lower + ti * upper) / 2;
    }
    (void)m;
}

/* (30) Broyden tridiagonal: r_i = (3 - 2x_i)x_i - x_(i-1) - 2x_(i+1) + 1. */
void mgh_broyden_tridiagonal(int n, int m, const double *x, double *r, double *J) {
    if (J) clear(J, n, m);
    for (int i = 0; i < n; i++) {
        double left = i > 0 ? x[i - 1] : 0, right = i < n - 1 ? x[i + 1] : 0;
        r[i] = (3 - 2 * x[i]) * x[i] - left - 2 * right + 1;
        if (J) {
            J_(i, i) = 3 - 4 * x[i];
            if (i > 0) J_(i, i - 1) = -1;
            if (i < n - 1) J_(i, i + 1) = -2;
        }
    }
}

/* (31) Broyden banded: r_i = x_i(2 + 5x_i^2) + 1 - sum_{j in J_i} x_j(1 + x_j),
 * J_i = {j != i : max(1, i - 5) <= j <= min(n, i + 1)}. */
void mgh_broyden_banded(int n, int m, const double *x, double *r, double *J) {
    if (J) clear(J, n, m);
    for (int i = 0; i < n; i++) {
        int lo = i - 5 > 0 ? i - 5 : 0, hi = i + 1 < n - 1 ? i + 1 : n - 1;
        double s = 0;
        for (int j = lo; j <= hi; j++) {
            if (j == i) continue;
            s += x[j] * (1 + x[j]);
            if (J) J_(i, j) = -(1 + 2 * x[j]);
        }
        r[i] = x[i] * (2 + 5 * x[i] * x[i]) + 1 - s;
        if (J) J_(i, i) = 2 + 15 * x[i] * x[i];
    }
    (void)m;
}

/* (32) Linear function, full rank: r_i = x_i - (2/m) sum x_j - 1 (i <= n),
 * r_i = -(2/m) sum x_j - 1 (i > n). */
void mgh_linear_full_rank(int n, int m, const double *x, double *r, double *J) {
    double s = 0;
    for (int j = 0; j < n; j++) s += x[j];
    for (int i = 0; i < m; i++) {
        r[i] = (i < n ? x[i] : 0) - 2.0 / m * s - 1;
        if (J) {
            for (int j = 0; j < n; j++) J_(i, j) = -2.0 / m + (i == j ? 1 : 0);
        }
    }
}

/* (33) Linear function, rank 1: r_i = i (sum_j j x_j) - 1. */
void mgh_linear_rank1(int n, int m, const double *x, double *r, double *J) {
    double s = 0;
    for (int j = 0; j < n; j++) s += (j + 1) * x[j];
    for (int i = 0; i < m; i++) {
        r[i] = (i + 1) * s - 1;
        if (J) {
            for (int j = 0; j < n; j++) J_(i, j) = (double)(i + 1) * (j + 1);
        }
    }
}

/* (34) Linear function, rank 1 with zero columns and rows: r_1 = r_m = -1,
 * r_i = (i - 1)(sum_{j=2..n-1} j x_j) - 1 otherwise. */
void mgh_linear_rank1_zero(int n, int m, const double *x, double *r, double *J) {
    double s = 0;
    for (int j = 1; j < n - 1; j++) s += (j + 1) * x[j];
    if (J) clear(J, n, m);
    r[0] = -1;
    r[m - 1] = -1;
    for (int i = 1; i < m - 1; i++) {
        r[i] = i * s - 1;
        if (J) {
            for (int j = 1; j < n - 1; j++) J_(i, j) = (double)i * (j + 1);
        }
    }
}

/* (35) Chebyquad: r_i = (1/n) sum_j T_i(x_j) - integral_0^1 T_i, with T_i the Chebyshev
 * polynomial shifted to [0, 1]; the integral is 0 for odd i and -1/(i^2 - 1) for even i. */
void mgh_chebyquad(int n, int m, const double *x, double *r, double *J) {
    for (int i = 0; i < m; i++) r[i] = 0;
    if (J) clear(J, n, m);
    for (int j = 0; j < n; j++) {
        double s = 2 * x[j] - 1;
        double t_prev = 1, t = s;             /* T_0, T_1 at s */
        double d_prev = 0, d = 2;             /* their derivatives in x */
        for (int i = 0; i < m; i++) {         /* T_(i+1) */
            r[i] += t / n;
            if (J) J_(i, j) = d / n;
            double t_next = 2 * s * t - t_prev;
            double d_next = 4 * t + 2 * s * d - d_prev;
            t_prev = t; t = t_next;
            d_prev = d; d = d_next;
        }
    }
    for (int i = 0; i < m; i++) {
        int k = i + 1;
        if (k % 2 == 0) r[i] += 1.0 / ((double)k * k - 1);
    }
}
