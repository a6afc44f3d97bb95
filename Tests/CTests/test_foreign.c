/* Foreign functions bound through libffi by symbol name and a signature string: the three
 * supported forms (C value + gradient with int n, a gfortran subroutine with arguments
 * by reference, a combined function with size_t n last), a status-returning form, symbols
 * of the process, and malformed descriptions. Fixtures from build/test-fixtures. */
#include <dlfcn.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gradient_descent.h"
#include "check.h"

#define ROSEN "build/test-fixtures/rosen.so"
#define FORTRAN "build/test-fixtures/fg.so"

/* Rosenbrock at x, computed here, to compare the foreign results with. */
static double rosenbrock(const double *x, double *g, size_t n) {
    double f = 0;
    for (size_t i = 0; i < n; i++) g[i] = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        double t = x[i + 1] - x[i] * x[i], u = 1 - x[i];
        f += 100 * t * t + u * u;
        g[i] += -400 * x[i] * t - 2 * u;
        g[i + 1] += 200 * t;
    }
    return f;
}

/* The objective gives Rosenbrock's value and gradient at a few points, and Adam finds (1, 1, 1). */
static void check_rosenbrock(gd_objective *obj) {
    enum { N = 3 };
    const double points[2][N] = {{-1.2, 1.0, 0.5}, {0.3, -0.7, 2.0}};
    for (int p = 0; p < 2; p++) {
        double g[N], expected_g[N], loss = 0;
        double expected = rosenbrock(points[p], expected_g, N);
        CHECK_STATUS(gd_objective_evaluate(obj, points[p], N, g, &loss), GD_OK);
        CHECK_NEAR(loss, expected, 1e-12 * expected);
        for (int i = 0; i < N; i++) CHECK_NEAR(g[i], expected_g[i], 1e-10 * (1 + fabs(expected_g[i])));
        CHECK_STATUS(gd_objective_evaluate(obj, points[p], N, NULL, &loss), GD_OK);
        CHECK_NEAR(loss, expected, 1e-12 * expected);
    }
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_optimizer_new("adam", N, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 0.01), GD_OK);
    gd_options options;
    gd_options_init(&options);
    options.max_iterations = 50000;
    options.gradient_tolerance = 1e-8;
    double x[N] = {-1.2, 1.0, 0.5};
    CHECK_STATUS(gd_minimize(obj, opt, x, N, &options, NULL), GD_OK);
    for (int i = 0; i < N; i++) CHECK_NEAR(x[i], 1.0, 1e-5);
    gd_optimizer_free(opt);
}

static void test_value_and_gradient_functions(void) {
    gd_objective *obj = NULL;
    CHECK_STATUS(gd_objective_new_foreign(ROSEN, "double rosen(int n, const double *x)",
                                          "void rosen_grad(int n, const double *x, double *g)", 3, &obj), GD_OK);
    check_rosenbrock(obj);
    gd_objective_free(obj);
}

static void test_fortran_subroutine(void) {
    gd_objective *obj = NULL;
    CHECK_STATUS(gd_objective_new_foreign(FORTRAN, "void fg_(const int *n, const double *x, double *f, double *g)",
                                          NULL, 3, &obj), GD_OK);
    check_rosenbrock(obj);
    gd_objective_free(obj);
}

static void test_combined_function(void) {
    gd_objective *obj = NULL;
    CHECK_STATUS(gd_objective_new_foreign(ROSEN, "double fdf(const double *x, double *grad, size_t n)",
                                          NULL, 3, &obj), GD_OK);
    check_rosenbrock(obj);
    gd_objective_free(obj);
}

static void test_status_function_and_process_symbols(void) {
    /* A library loaded globally makes its symbols the process's: library NULL finds them. */
    void *handle = dlopen(ROSEN, RTLD_NOW | RTLD_GLOBAL);
    CHECK(handle != NULL);
    gd_objective *obj = NULL;
    CHECK_STATUS(gd_objective_new_foreign(NULL, "int checked(long n, const double *x, double *loss, double *g)",
                                          NULL, 3, &obj), GD_OK);
    check_rosenbrock(obj);
    double far[3] = {11, 0, 0}, loss = 0;
    CHECK_STATUS(gd_objective_evaluate(obj, far, 3, NULL, &loss), GD_E_CALLBACK);
    CHECK_ERROR_MENTIONS("checked returned 3");
    gd_objective_free(obj);
    if (handle) dlclose(handle);
}

static void expect_foreign_error(const char *library, const char *function, const char *gradient,
                                 const char *mentions, int line) {
    gd_objective *obj = NULL;
    int status = gd_objective_new_foreign(library, function, gradient, 3, &obj);
    check_count++;
    if (status != GD_E_FOREIGN || obj != NULL || strstr(gd_last_error(), mentions) == NULL) {
        check_failures++;
        fprintf(stderr, "test_foreign.c:%d: '%s' / '%s' gave %d, \"%s\"; expected GD_E_FOREIGN mentioning \"%s\"\n",
                line, function, gradient ? gradient : "NULL", status, gd_last_error(), mentions);
    }
    gd_objective_free(obj);
}
#define EXPECT_FOREIGN_ERROR(library, function, gradient, mentions) \
    expect_foreign_error(library, function, gradient, mentions, __LINE__)

static void test_malformed_descriptions(void) {
    const char *grad = "void rosen_grad(int n, const double *x, double *g)";
    EXPECT_FOREIGN_ERROR(ROSEN, "", grad, "empty");
    EXPECT_FOREIGN_ERROR(ROSEN, "double rosen(int n, const double *x", grad, "missing ')'");
    EXPECT_FOREIGN_ERROR(ROSEN, "double rosen int n, const double *x)", grad, "expected '('");
    EXPECT_FOREIGN_ERROR(ROSEN, "float rosen(int n, const double *x)", grad, "unknown return type 'float'");
    EXPECT_FOREIGN_ERROR(ROSEN, "double rosen(short n, const double *x)", grad, "unknown type 'short'");
    EXPECT_FOREIGN_ERROR(ROSEN, "double rosen(int n, const double *y)", grad, "unknown argument name 'y'");
    EXPECT_FOREIGN_ERROR(ROSEN, "double rosen(double n, const double *x)", grad, "n must be an integer");
    EXPECT_FOREIGN_ERROR(ROSEN, "double rosen(int n, double x)", grad, "x must be 'const double *x'");
    EXPECT_FOREIGN_ERROR(ROSEN, "double rosen(int n, const double **x)", grad, "levels of pointer");
    EXPECT_FOREIGN_ERROR(ROSEN, "double rosen(int n, int n, const double *x)", grad, "appears twice");
    EXPECT_FOREIGN_ERROR(ROSEN, "double rosen(int n)", grad, "no x argument");
    EXPECT_FOREIGN_ERROR(ROSEN, "double rosen(int n, const double *x);", grad, "unexpected character ';'");
    EXPECT_FOREIGN_ERROR(ROSEN, "double rosen(int n, const double *x) extra", grad, "after ')'");
    EXPECT_FOREIGN_ERROR(ROSEN, "void rosen(int n, const double *x)", grad, "gives no loss");
    EXPECT_FOREIGN_ERROR(ROSEN, "double rosen(int n, const double *x, double *f)", grad, "both returns double");
    EXPECT_FOREIGN_ERROR(ROSEN, "double rosen(int n, const double *x)", NULL, "no gradient function");
    EXPECT_FOREIGN_ERROR(ROSEN, "double fdf(const double *x, double *g, size_t n)", grad, "no gradient function may be given");
    EXPECT_FOREIGN_ERROR(ROSEN, "double rosen(int n, const double *x)", "void rosen_grad(int n, const double *x)", "no 'double *g'");
    EXPECT_FOREIGN_ERROR(ROSEN, "double rosen(int n, const double *x)", "double rosen_grad(int n, const double *x, double *g)", "must return void or int");
    EXPECT_FOREIGN_ERROR(ROSEN, "double fdf(const double *x, const double *g, size_t n)", NULL, "not const");
    EXPECT_FOREIGN_ERROR(ROSEN, "double rosenbrock(int n, const double *x)", grad, "symbol 'rosenbrock' not found");
    EXPECT_FOREIGN_ERROR(FORTRAN, "void fg(const int *n, const double *x, double *f, double *g)", NULL, "fg_");
    EXPECT_FOREIGN_ERROR("build/test-fixtures/missing.so", "double rosen(int n, const double *x)", grad, "no file");
    EXPECT_FOREIGN_ERROR("Tests/CTests/foreign/rosen.c", "double rosen(int n, const double *x)", grad, "not a loadable shared object");

    gd_objective *obj = NULL;
    CHECK_STATUS(gd_objective_new_foreign(ROSEN, NULL, grad, 3, &obj), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_objective_new_foreign(ROSEN, "double fdf(const double *x, double *g, size_t n)", NULL, 0, &obj),
                 GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_objective_new_foreign(ROSEN, "double rosen(int n, const double *x)", grad, (size_t)INT32_MAX + 1, &obj),
                 GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("32-bit");
    CHECK_STATUS(gd_objective_new_foreign(ROSEN, "double fdf(const double *x, double *g, size_t n)", NULL,
                                          (size_t)1 << 55, &obj), GD_E_OUT_OF_MEMORY);
    CHECK_STATUS(gd_objective_new_foreign(ROSEN, "double fdf(const double *x, double *g, size_t n)", NULL, 3, NULL),
                 GD_E_NULL_ARGUMENT);
}

int main(void) {
    test_value_and_gradient_functions();
    test_fortran_subroutine();
    test_combined_function();
    test_status_function_and_process_symbols();
    test_malformed_descriptions();
    return check_summary("test_foreign");
}
