/* The gradient check through the built library: a correct gradient passes, a wrong one is
 * named by its component, arguments are checked. Compiled with -std=c99 -pedantic -Werror. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_descent.h"
#include "check.h"
#include "fixtures.h"

typedef struct wrong_gradient { int wrong_index; double factor; } wrong_gradient;

/* f(x) = sum_i (i + 1) x_i^2 + x_0 x_1 + exp(x_2), with one gradient component scaled. */
static int checked_fn(void *user, const double *x, double *grad, size_t n, double *loss) {
    const wrong_gradient *w = user;
    double f = 0;
    for (size_t i = 0; i < n; i++) f += (double)(i + 1) * x[i] * x[i];
    f += x[0] * x[1] + exp(x[2]);
    *loss = f;
    if (grad) {
        for (size_t i = 0; i < n; i++) grad[i] = 2 * (double)(i + 1) * x[i];
        grad[0] += x[1];
        grad[1] += x[0];
        grad[2] += exp(x[2]);
        if (w->wrong_index >= 0) grad[w->wrong_index] *= w->factor;
    }
    return 0;
}

static void test_gradient_check(void) {
    wrong_gradient right = {-1, 1}, wrong = {1, 1.01};
    gd_objective *good = NULL, *bad = NULL;
    CHECK_STATUS(gd_objective_new(checked_fn, &right, 4, &good), GD_OK);
    CHECK_STATUS(gd_objective_new(checked_fn, &wrong, 4, &bad), GD_OK);
    const double x[4] = {0.3, -1.2, 0.5, 2.0};
    gd_gradient_check result;
    memset(&result, 0, sizeof result);
    result.struct_size = sizeof result;
    CHECK_STATUS(gd_check_gradient(good, x, 4, 0, &result), GD_OK);
    CHECK(result.error < 1e-8 && result.rel_error < 1e-8);
    CHECK(result.evaluations == 9);
    CHECK(result.struct_size == sizeof result);
    CHECK_STATUS(gd_check_gradient(bad, x, 4, 0, &result), GD_OK);
    CHECK(result.worst_index == 1);
    /* grad[1] = 4 * -1.2 + 0.3 = -4.5, scaled by 1.01 */
    CHECK_NEAR(result.analytic, -4.5 * 1.01, 1e-12);
    CHECK_NEAR(result.numeric, -4.5, 1e-8);
    CHECK_NEAR(result.abs_error, 0.045, 1e-8);
    CHECK_NEAR(result.rel_error, 0.045 / 4.545, 1e-8);
    CHECK(result.error > 1e-3);
    /* An explicit step works too; bad arguments are reported. */
    CHECK_STATUS(gd_check_gradient(good, x, 4, 1e-4, &result), GD_OK);
    CHECK(result.error < 1e-6);
    CHECK_STATUS(gd_check_gradient(good, x, 3, 0, &result), GD_E_DIMENSION_MISMATCH);
    CHECK_STATUS(gd_check_gradient(good, NULL, 4, 0, &result), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_check_gradient(NULL, x, 4, 0, &result), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_check_gradient(good, x, 4, -1, &result), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_check_gradient(good, x, 4, 0, NULL), GD_E_NULL_ARGUMENT);
    result.struct_size = 8;
    CHECK_STATUS(gd_check_gradient(good, x, 4, 0, &result), GD_E_INVALID_ARGUMENT);
    const double far[4] = {0, 0, 1000, 0};
    result.struct_size = sizeof result;
    CHECK_STATUS(gd_check_gradient(good, far, 4, 0, &result), GD_E_NON_FINITE);
    gd_objective_free(good);
    gd_objective_free(bad);
}

int main(void) {
    test_gradient_check();
    return check_summary("test_gradient_check");
}
