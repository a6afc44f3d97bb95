/* Run limits that must stop a run: max_epochs alone cannot stop a full-batch run (it counts
 * no epochs), so it is refused instead of looping for ever; with a run state max_iterations
 * and max_epochs are totals, and a call that begins with the total reached applies nothing.
 * An alarm turns a hang into a failure. Compiled with -std=c99 -pedantic -Werror. */
#define _POSIX_C_SOURCE 200112L
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gradient_descent.h"
#include "check.h"
#include "unit_bowl.h"

static int count_updates(void *user, const gd_progress_info *info) {
    (void)info;
    ++*(int *)user;
    return 0;
}

static void test_max_epochs_alone_cannot_stop_a_full_batch_run(void) {
    gd_objective *full = NULL, *sampled = NULL;
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_objective_new(unit_bowl, NULL, 2, &full), GD_OK);
    CHECK_STATUS(gd_objective_new_sampled(sampled_unit_bowl, NULL, 2, 6, &sampled), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 2, &opt), GD_OK);
    gd_options options;
    gd_options_init(&options);
    options.max_iterations = 0;
    options.max_epochs = 5;
    double x[2] = {0, 0};
    CHECK_STATUS(gd_minimize(full, opt, x, 2, &options, NULL), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("max_epochs");
    CHECK(x[0] == 0 && x[1] == 0);
    /* A sampled objective run full batch (batch_size 0) counts no epochs either. */
    CHECK_STATUS(gd_minimize(sampled, opt, x, 2, &options, NULL), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("full-batch");
    /* Sampled, max_epochs alone stops the run after five epochs of three batches. */
    options.batch_size = 2;
    gd_report report;
    report.struct_size = sizeof report;
    CHECK_STATUS(gd_minimize(sampled, opt, x, 2, &options, &report), GD_OK);
    CHECK(report.stop_reason == GD_STOP_MAX_EPOCHS);
    CHECK(report.epochs == 5 && report.iterations == 15);
    /* With another criterion, max_epochs on a full-batch run is accepted (and counts nothing). */
    options.batch_size = 0;
    options.max_iterations = 7;
    CHECK_STATUS(gd_minimize(full, opt, x, 2, &options, &report), GD_OK);
    CHECK(report.stop_reason == GD_STOP_MAX_ITERATIONS && report.iterations == 7);
    gd_optimizer_free(opt);
    gd_objective_free(sampled);
    gd_objective_free(full);
}

static void test_a_reached_total_applies_nothing(void) {
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    gd_run_state *state = NULL;
    CHECK_STATUS(gd_objective_new(unit_bowl, NULL, 2, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 2, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 0.001), GD_OK);
    CHECK_STATUS(gd_run_state_new(&state), GD_OK);
    int updates = 0;
    gd_options options;
    gd_options_init(&options);
    options.max_iterations = 300;
    options.run_state = state;
    options.progress = count_updates;
    options.progress_user = &updates;
    gd_report report;
    report.struct_size = sizeof report;
    double x[2] = {0, 0};
    CHECK_STATUS(gd_minimize(obj, opt, x, 2, &options, &report), GD_OK);
    CHECK(report.iterations == 300 && updates == 300);
    double after[2];
    memcpy(after, x, sizeof x);
    for (int call = 0; call < 2; call++) {
        CHECK_STATUS(gd_minimize(obj, opt, x, 2, &options, &report), GD_OK);
        CHECK(report.stop_reason == GD_STOP_MAX_ITERATIONS);
        CHECK(report.iterations == 300);
        CHECK(updates == 300);
        CHECK(memcmp(x, after, sizeof x) == 0);
    }
    /* A larger total continues from where the run is. */
    options.max_iterations = 310;
    CHECK_STATUS(gd_minimize(obj, opt, x, 2, &options, &report), GD_OK);
    CHECK(report.iterations == 310 && updates == 310);
    CHECK(x[0] > after[0]);

    /* Epochs: six samples in batches of two, two epochs in all. */
    gd_objective *sampled = NULL;
    CHECK_STATUS(gd_objective_new_sampled(sampled_unit_bowl, NULL, 2, 6, &sampled), GD_OK);
    CHECK_STATUS(gd_run_state_reset(state), GD_OK);
    options.max_iterations = 0;
    options.max_epochs = 2;
    options.batch_size = 2;
    updates = 0;
    CHECK_STATUS(gd_minimize(sampled, opt, x, 2, &options, &report), GD_OK);
    CHECK(report.epochs == 2 && report.iterations == 6 && updates == 6);
    memcpy(after, x, sizeof x);
    CHECK_STATUS(gd_minimize(sampled, opt, x, 2, &options, &report), GD_OK);
    CHECK(report.stop_reason == GD_STOP_MAX_EPOCHS);
    CHECK(report.epochs == 2 && report.iterations == 6 && updates == 6);
    CHECK(memcmp(x, after, sizeof x) == 0);
    gd_objective_free(sampled);
    gd_run_state_free(state);
    gd_optimizer_free(opt);
    gd_objective_free(obj);
}

int main(void) {
    alarm(120); /* a run that never stops fails the test instead of hanging it */
    test_max_epochs_alone_cannot_stop_a_full_batch_run();
    test_a_reached_total_applies_nothing();
    return check_summary("test_run_limits");
}
