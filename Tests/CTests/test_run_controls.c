/* Run controls through the built library: the non-finite policies (stop, skip) and the best
 * iterate (keep_best). Compiled with -std=c99 -pedantic -Werror. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_descent.h"
#include "check.h"
#include "fixtures.h"

static void test_nonfinite_policies(void) {
    bowl clean = {.center = {1, 2, 3}};
    bowl faulty = {.center = {1, 2, 3}, .nan_from = 4, .nan_until = 4}; /* the 4th evaluation returns NaN */
    gd_objective *clean_obj = NULL, *faulty_obj = NULL;
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_objective_new(bowl_fn, &clean, 3, &clean_obj), GD_OK);
    CHECK_STATUS(gd_objective_new(bowl_fn, &faulty, 3, &faulty_obj), GD_OK);
    opt = new_optimizer("adam", 3, 0.1);
    gd_options options;
    gd_options_init(&options);
    options.max_iterations = 8;

    double a[3] = {0, 0, 0}, b[3] = {0, 0, 0};
    gd_report ra = fresh_report(), rb = fresh_report();
    CHECK_STATUS(gd_minimize(clean_obj, opt, a, 3, &options, &ra), GD_OK);
    /* fail (default): stops at the 4th evaluation, x is the 3rd iterate's predecessor... */
    CHECK_STATUS(gd_optimizer_reset(opt), GD_OK);
    CHECK_STATUS(gd_minimize(faulty_obj, opt, b, 3, &options, &rb), GD_E_NON_FINITE);
    CHECK(rb.stop_reason == GD_STOP_NON_FINITE && rb.iterations == 3 && rb.skipped_steps == 0);
    /* skip: the rejected evaluation changes nothing; the run is the clean one, bit for bit,
     * with one more evaluation. */
    faulty.calls = 0;
    double c[3] = {0, 0, 0};
    options.nonfinite_policy = GD_NONFINITE_SKIP;
    CHECK_STATUS(gd_optimizer_reset(opt), GD_OK);
    rb = fresh_report();
    CHECK_STATUS(gd_minimize(faulty_obj, opt, c, 3, &options, &rb), GD_OK);
    CHECK(rb.stop_reason == GD_STOP_MAX_ITERATIONS && rb.iterations == 8);
    CHECK(rb.skipped_steps == 1 && rb.evaluations == ra.evaluations + 1);
    CHECK(memcmp(a, c, sizeof a) == 0);
    CHECK(rb.loss == ra.loss);
    /* Too many in a row: evaluations 3..9 are NaN, the limit is 4. */
    faulty.calls = 0;
    faulty.nan_from = 3;
    faulty.nan_until = 9;
    options.max_consecutive_skips = 4;
    double d[3] = {0, 0, 0};
    CHECK_STATUS(gd_optimizer_reset(opt), GD_OK);
    rb = fresh_report();
    CHECK_STATUS(gd_minimize(faulty_obj, opt, d, 3, &options, &rb), GD_E_NON_FINITE);
    CHECK(rb.stop_reason == GD_STOP_NON_FINITE && rb.skipped_steps == 4 && rb.iterations == 2);
    CHECK_ERROR_MENTIONS("max_consecutive_skips");
    options.max_consecutive_skips = 0;
    CHECK_STATUS(gd_minimize(faulty_obj, opt, d, 3, &options, &rb), GD_E_INVALID_ARGUMENT);
    options.max_consecutive_skips = 10;
    options.nonfinite_policy = 7;
    CHECK_STATUS(gd_minimize(faulty_obj, opt, d, 3, &options, &rb), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("nonfinite_policy");
    gd_objective_free(clean_obj);
    gd_objective_free(faulty_obj);
    gd_optimizer_free(opt);

    /* Mini-batch: a NaN gradient in one batch skips that batch only. */
    data_fit fit;
    memset(&fit, 0, sizeof fit);
    fit.nan_call = 5;
    gd_objective *obj = NULL;
    CHECK_STATUS(gd_objective_new_sampled(data_fn, &fit, 3, FIT_ROWS, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 3, &opt), GD_OK);
    gd_options_init(&options);
    options.batch_size = 2;
    options.max_iterations = 0;
    options.max_epochs = 2;
    options.nonfinite_policy = GD_NONFINITE_SKIP;
    double e[3] = {0, 0, 0};
    rb = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, e, 3, &options, &rb), GD_OK);
    CHECK(rb.stop_reason == GD_STOP_MAX_EPOCHS && rb.epochs == 2);
    CHECK(rb.iterations == 9 && rb.skipped_steps == 1);
    gd_objective_free(obj);
    gd_optimizer_free(opt);
}

static void test_best_iterate(void) {
    /* SGD at lr 2.1 on the bowl diverges (|1 - lr| > 1): every iterate is worse than x0. */
    bowl b = {.center = {1, 2, 3}};
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_objective_new(bowl_fn, &b, 3, &obj), GD_OK);
    opt = new_optimizer("sgd", 3, 2.1);
    gd_options options;
    gd_options_init(&options);
    options.max_iterations = 5;
    double x[3] = {0, 0, 0};
    gd_report r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, &options, &r), GD_OK);
    CHECK(r.returned_best == 0 && r.best_loss == 7.0 && r.best_iteration == 0);
    CHECK(x[0] != 0 && r.loss > 7.0);
    double y[3] = {0, 0, 0};
    options.keep_best = 1;
    r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, y, 3, &options, &r), GD_OK);
    CHECK(r.returned_best == 1 && y[0] == 0 && y[1] == 0 && y[2] == 0);
    CHECK(r.loss == 7.0 && r.best_loss == 7.0 && r.best_iteration == 0);
    CHECK_NEAR(r.gradient_norm, sqrt(14.0), 1e-15);
    /* A converging run keeps its last iterate, which is the best. */
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 0.5), GD_OK);
    double z[3] = {0, 0, 0};
    r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, z, 3, &options, &r), GD_OK);
    CHECK(r.returned_best == 0 && r.best_iteration == 5 && r.best_loss == r.loss);
    options.keep_best = 3;
    CHECK_STATUS(gd_minimize(obj, opt, z, 3, &options, &r), GD_E_INVALID_ARGUMENT);
    gd_objective_free(obj);
    gd_optimizer_free(opt);

    /* Mini-batch: the best of the epoch ends (full losses); report.loss is its full loss. */
    data_fit d;
    obj = new_fit_objective(&d);
    opt = new_optimizer("sgd", 3, 1.2);
    gd_options_init(&options);
    options.batch_size = 3;
    options.max_iterations = 0;
    options.max_epochs = 6;
    options.keep_best = 1;
    double w[3] = {0, 0, 0};
    r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, w, 3, &options, &r), GD_OK);
    CHECK(r.loss == r.best_loss);
    double full = 0;
    CHECK_STATUS(gd_objective_evaluate(obj, w, 3, NULL, &full), GD_OK);
    CHECK(full == r.loss);
    CHECK(r.best_iteration % 4 == 0); /* an epoch end: 4 batches per epoch */
    gd_objective_free(obj);
    gd_optimizer_free(opt);
}

int main(void) {
    test_nonfinite_policies();
    test_best_iterate();
    return check_summary("test_run_controls");
}
