/* Objectives from a loss alone (header section "Objectives from a loss alone: finite
 * differences") and gd_kernel_set. The differences are checked bit for bit against the
 * header's formulas (SciPy's), against the analytic gradient, and in a run. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "gradient_descent.h"
#include "check.h"

typedef struct counter {
    unsigned long calls;
    unsigned long fail_at;   /* 0: never */
} counter;

/* f(x) = sum x_i^3 / 3 + x_0 x_1, gradient x_i^2 + (x_1, x_0, 0, ...). */
static double cubic(const double *x, size_t n) {
    double f = x[0] * x[1];
    for (size_t i = 0; i < n; i++) f += x[i] * x[i] * x[i] / 3.0;
    return f;
}

static int cubic_loss(void *user, const double *x, size_t n, double *loss) {
    counter *c = user;
    c->calls++;
    if (c->fail_at && c->calls == c->fail_at) return 5;
    *loss = cubic(x, n);
    return 0;
}

static double expected(const double *x0, size_t n, size_t i, int points) {
    double x[4];
    memcpy(x, x0, n * sizeof *x);
    double r = pow(DBL_EPSILON, points == 2 ? 0.5 : 1.0 / 3.0);
    double sign = x0[i] >= 0 || points == 3 ? 1.0 : -1.0;
    double h = r * sign * (fabs(x0[i]) > 1.0 ? fabs(x0[i]) : 1.0);
    x[i] = x0[i] + h;
    double forward = cubic(x, n);
    if (points == 2) return (forward - cubic(x0, n)) / ((x0[i] + h) - x0[i]);
    x[i] = x0[i] - h;
    return (forward - cubic(x, n)) / ((x0[i] + h) - (x0[i] - h));
}

static void test_gradients_follow_the_formulas_bit_for_bit(void) {
    const double x[4] = {0.5, -2.0, 0.0, 3.25};
    const double analytic[4] = {0.25 - 2.0, 4.0 + 0.5, 0.0, 3.25 * 3.25};
    for (int points = 2; points <= 3; points++) {
        counter c = {0, 0};
        gd_objective *obj = NULL;
        CHECK_STATUS(gd_objective_new_finite_difference(cubic_loss, &c, 4, points, &obj), GD_OK);
        double grad[4], loss = 0.0;
        CHECK_STATUS(gd_objective_evaluate(obj, x, 4, grad, &loss), GD_OK);
        CHECK(loss == cubic(x, 4));
        CHECK(c.calls == (points == 2 ? 5ul : 9ul));
        for (size_t i = 0; i < 4; i++) {
            CHECK(grad[i] == expected(x, 4, i, points));
            CHECK_NEAR(grad[i], analytic[i], points == 2 ? 1e-6 : 1e-9);
        }
        c.calls = 0;
        CHECK_STATUS(gd_objective_evaluate(obj, x, 4, NULL, &loss), GD_OK);
        CHECK(c.calls == 1);
        gd_objective_free(obj);
    }
}

static int bowl_loss(void *user, const double *x, size_t n, double *loss) {
    (void)user;
    double f = 0.0;
    for (size_t i = 0; i < n; i++) f += (x[i] - (double)i) * (x[i] - (double)i);
    *loss = f;
    return 0;
}

static void test_a_run_converges_on_differences_alone(void) {
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_objective_new_finite_difference(bowl_loss, NULL, 3, 3, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 3, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 0.1), GD_OK);
    gd_options options;
    CHECK_STATUS(gd_options_init(&options), GD_OK);
    options.gradient_tolerance = 1e-8;
    double x[3] = {5.0, -5.0, 1.0};
    gd_report report;
    report.struct_size = sizeof report;
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, &options, &report), GD_OK);
    CHECK(report.stop_reason == GD_STOP_GRADIENT_TOLERANCE);
    for (int i = 0; i < 3; i++) CHECK_NEAR(x[i], (double)i, 1e-8);
    gd_optimizer_free(opt);
    gd_objective_free(obj);
}

static void test_arguments_and_a_failing_loss(void) {
    gd_objective *obj = NULL;
    counter c = {0, 0};
    CHECK_STATUS(gd_objective_new_finite_difference(NULL, NULL, 2, 2, &obj), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_objective_new_finite_difference(cubic_loss, &c, 2, 2, NULL), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_objective_new_finite_difference(cubic_loss, &c, 0, 2, &obj), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_objective_new_finite_difference(cubic_loss, &c, 2, 1, &obj), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("points");
    CHECK_STATUS(gd_objective_new_finite_difference(cubic_loss, &c, 2, 4, &obj), GD_E_INVALID_ARGUMENT);
    CHECK(obj == NULL);
    c.fail_at = 3;
    CHECK_STATUS(gd_objective_new_finite_difference(cubic_loss, &c, 2, 3, &obj), GD_OK);
    double x[2] = {1.0, 2.0}, grad[2], loss;
    CHECK_STATUS(gd_objective_evaluate(obj, x, 2, grad, &loss), GD_E_CALLBACK);
    gd_objective_free(obj);
}

static void test_the_kernel_set_is_named(void) {
    const char *name = gd_kernel_set();
    CHECK(name != NULL);
    CHECK(strcmp(name, "haswell") == 0 || strcmp(name, "baseline") == 0);
}

int main(void) {
    test_gradients_follow_the_formulas_bit_for_bit();
    test_a_run_converges_on_differences_alone();
    test_arguments_and_a_failing_loss();
    test_the_kernel_set_is_named();
    return check_summary("test_finite_difference");
}
