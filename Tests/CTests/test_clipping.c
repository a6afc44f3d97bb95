/* Gradient clipping through the built library: clip_grad_norm_ and clip_grad_value_
 * formulas, and a run that clips before each update. Compiled with -std=c99 -pedantic -Werror. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_descent.h"
#include "check.h"
#include "fixtures.h"

static void test_clipping(void) {
    double g[2] = {3, 4}, norm = 0;
    CHECK_STATUS(gd_clip_grad_norm(g, 2, 1.0, &norm), GD_OK);
    double coef = 1.0 / (5.0 + 1e-6);
    CHECK(norm == 5.0);
    CHECK(g[0] == 3 * coef && g[1] == 4 * coef);
    double h[2] = {3, 4};
    CHECK_STATUS(gd_clip_grad_norm(h, 2, 10.0, NULL), GD_OK);
    CHECK(h[0] == 3 && h[1] == 4); /* coef >= 1: untouched */
    /* 5 / (5 + 1e-6) < 1: clip_grad_norm_ still scales a gradient at exactly max_norm. */
    CHECK_STATUS(gd_clip_grad_norm(h, 2, 5.0, NULL), GD_OK);
    CHECK(h[0] == 3 * (5.0 / (5.0 + 1e-6)));
    double v[3] = {-3, 0.5, 2};
    CHECK_STATUS(gd_clip_grad_value(v, 3, 1.0), GD_OK);
    CHECK(v[0] == -1 && v[1] == 0.5 && v[2] == 1);
    CHECK_STATUS(gd_clip_grad_norm(NULL, 2, 1, NULL), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_clip_grad_norm(g, 0, 1, NULL), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_clip_grad_norm(g, 2, 0, NULL), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_clip_grad_value(v, 3, -1), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_clip_grad_value(v, 3, INFINITY), GD_E_INVALID_ARGUMENT);

    /* In a run, with SGD at lr 1 one update moves x by exactly the clipped gradient. */
    bowl b = {.center = {3, 4, 0}};
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_objective_new(bowl_fn, &b, 3, &obj), GD_OK);
    opt = new_optimizer("sgd", 3, 1.0);
    gd_options options;
    gd_options_init(&options);
    options.max_iterations = 1;
    options.clip_norm = 1.0;
    double x[3] = {0, 0, 0};
    gd_report r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, &options, &r), GD_OK);
    CHECK(x[0] == 3 * coef && x[1] == 4 * coef && x[2] == 0);
    CHECK(r.clipped_steps == 1);
    /* Norm first, then values: (-3, -4) -> (-0.6, -0.8) (about) -> clamp 0.7 -> (-0.6, -0.7). */
    double y[3] = {0, 0, 0};
    options.clip_value = 0.7;
    r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, y, 3, &options, &r), GD_OK);
    CHECK(y[0] == 3 * coef && y[1] == 0.7);
    /* Values alone. */
    double z[3] = {0, 0, 0};
    options.clip_norm = 0;
    options.clip_value = 2.5;
    CHECK_STATUS(gd_minimize(obj, opt, z, 3, &options, &r), GD_OK);
    CHECK(z[0] == 2.5 && z[1] == 2.5 && z[2] == 0);
    /* A gradient inside both bounds is not counted. */
    double w[3] = {2.9, 3.9, 0};
    options.clip_norm = 1;
    options.clip_value = 1;
    r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, w, 3, &options, &r), GD_OK);
    CHECK(r.clipped_steps == 0);
    options.clip_norm = -1;
    CHECK_STATUS(gd_minimize(obj, opt, w, 3, &options, &r), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("clip_norm");
    options.clip_norm = 0;
    options.clip_value = NAN;
    CHECK_STATUS(gd_minimize(obj, opt, w, 3, &options, &r), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("clip_value");
    gd_objective_free(obj);
    gd_optimizer_free(opt);
}

int main(void) {
    test_clipping();
    return check_summary("test_clipping");
}
