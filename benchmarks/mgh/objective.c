/* f(x) = sum r_i(x)^2 and its gradient 2 J^T r, from a problem's residuals. */
#include "mgh.h"

#include <stddef.h>

int mgh_evaluate(int k, const double *x, double *grad, double *f) {
    const mgh_problem *p = mgh_problem_get(k);
    if (!p || !x || !f) return -1;
    double r[MGH_MAX_M];
    double jacobian[MGH_MAX_M * MGH_MAX_N];
    if (mgh_residuals(k, x, r, grad ? jacobian : NULL) != 0) return -1;
    double sum = 0;
    for (int i = 0; i < p->m; i++) sum += r[i] * r[i];
    *f = sum;
    if (grad) {
        for (int j = 0; j < p->n; j++) grad[j] = 0;
        for (int i = 0; i < p->m; i++) {
            const double *row = jacobian + (size_t)i * (size_t)p->n;
            double twice = 2 * r[i];
            for (int j = 0; j < p->n; j++) grad[j] += twice * row[j];
        }
    }
    return 0;
}

int mgh_objective(void *user, const double *x, double *grad, size_t n, double *loss) {
    if (!user) return -1;
    int k = *(const int *)user;
    const mgh_problem *p = mgh_problem_get(k);
    if (!p || (size_t)p->n != n) return -1;
    return mgh_evaluate(k, x, grad, loss);
}
