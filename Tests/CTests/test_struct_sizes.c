/* Callers compiled against the first release: gd_options and gd_report of the first release's
 * size still work (valgrind sees any access past them), and gd_options_init_sized.
 * Compiled with -std=c99 -pedantic -Werror. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_descent.h"
#include "check.h"
#include "fixtures.h"

static void test_first_release_structs(void) {
    bowl b = {.center = {1, 2, 3}};
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_objective_new(bowl_fn, &b, 3, &obj), GD_OK);
    opt = new_optimizer("sgd", 3, 0.5);
    /* Exactly as large as the first release's structs, so valgrind sees any access past them. */
    const size_t old_options = offsetof(gd_options, schedule);
    const size_t old_report = offsetof(gd_report, best_iteration);
    gd_options *options = malloc(old_options);
    gd_report *report = malloc(old_report);
    /* The exported gd_options_init (not the macro) fills only the first release's fields. */
    CHECK_STATUS((gd_options_init)(options), GD_OK);
    CHECK(options->struct_size == old_options && options->max_iterations == 10000);
    options->max_iterations = 3;
    memset(report, 0, old_report);
    report->struct_size = old_report;
    double x[3] = {0, 0, 0};
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, options, report), GD_OK);
    CHECK(report->iterations == 3 && report->stop_reason == GD_STOP_MAX_ITERATIONS);
    CHECK_NEAR(x[0], 0.875, 1e-15);
    free(options);
    free(report);
    /* gd_options_init_sized: too small is refused, larger than known is zero-filled. */
    gd_options full;
    CHECK_STATUS(gd_options_init_sized(&full, 8), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_options_init_sized(NULL, sizeof full), GD_E_NULL_ARGUMENT);
    struct { gd_options options; unsigned char later_fields[16]; } bigger;
    memset(&bigger, 0xAB, sizeof bigger);
    CHECK_STATUS(gd_options_init_sized(&bigger.options, sizeof bigger), GD_OK);
    CHECK(bigger.options.struct_size == sizeof bigger && bigger.options.keep_best == 0);
    CHECK(bigger.later_fields[15] == 0);
    gd_objective_free(obj);
    gd_optimizer_free(opt);
}

int main(void) {
    test_first_release_structs();
    return check_summary("test_struct_sizes");
}
