/* Parameter groups through the C ABI: argument checks, per-group keys, a grouped step equal
 * to separate optimizers, schedules per group in gd_minimize, checkpoints with groups. */
#include <stdint.h>
#include <stdlib.h>

#include "gradient_descent.h"
#include "check.h"

#define N 6

static int bowl(void *user, const double *x, double *grad, size_t n, double *loss) {
    double sum = 0;
    (void)user;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - (double)i;
        sum += d * d;
        if (grad) grad[i] = d;
    }
    *loss = 0.5 * sum;
    return 0;
}

static void test_arguments(void) {
    gd_optimizer *opt = NULL;
    size_t good[2] = {0, 4};
    size_t bad_first[2] = {1, 4};
    size_t bad_order[3] = {0, 4, 4};
    size_t bad_end[2] = {0, N};
    size_t starts[4] = {99, 99, 99, 99};
    size_t count = 0;
    double value = 0;
    CHECK_STATUS(gd_optimizer_new("adamw", N, &opt), GD_OK);

    CHECK_STATUS(gd_optimizer_set_groups(NULL, good, 2), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_optimizer_set_groups(opt, NULL, 2), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_optimizer_set_groups(opt, good, 0), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_optimizer_set_groups(opt, good, (size_t)-1), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_optimizer_set_groups(opt, bad_first, 2), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("start at 0");
    CHECK_STATUS(gd_optimizer_set_groups(opt, bad_order, 3), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_optimizer_set_groups(opt, bad_end, 2), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_optimizer_get_groups(opt, starts, 4, &count), GD_OK);
    CHECK(count == 1 && starts[0] == 0);

    CHECK_STATUS(gd_optimizer_set_groups(opt, good, 2), GD_OK);
    CHECK_STATUS(gd_optimizer_get_groups(opt, NULL, 0, &count), GD_OK);
    CHECK(count == 2);
    CHECK_STATUS(gd_optimizer_get_groups(opt, NULL, 2, &count), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_optimizer_get_groups(opt, starts, 1, &count), GD_OK);
    CHECK(count == 2 && starts[0] == 0 && starts[1] == 99);
    CHECK_STATUS(gd_optimizer_get_groups(opt, starts, 4, &count), GD_OK);
    CHECK(starts[1] == 4);
    CHECK_STATUS(gd_optimizer_get_groups(opt, starts, 4, NULL), GD_E_NULL_ARGUMENT);

    CHECK_STATUS(gd_optimizer_set_group(opt, 1, "weight_decay", 0.0), GD_OK);
    CHECK_STATUS(gd_optimizer_set_group(opt, 2, "weight_decay", 0.0), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("group");
    CHECK_STATUS(gd_optimizer_set_group(opt, 1, "betas", 0.9), GD_E_UNKNOWN_KEY);
    CHECK_STATUS(gd_optimizer_set_group(opt, 1, "lr", -1.0), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_optimizer_set_group(opt, 1, NULL, 1.0), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_optimizer_get_group(opt, 1, "weight_decay", &value), GD_OK);
    CHECK(value == 0.0);
    CHECK_STATUS(gd_optimizer_get_group(opt, 0, "weight_decay", &value), GD_OK);
    CHECK(value == 0.01);
    CHECK_STATUS(gd_optimizer_get_group(opt, 5, "lr", &value), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_optimizer_get_group(opt, 0, "lr", NULL), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_optimizer_get_group(NULL, 0, "lr", &value), GD_E_NULL_ARGUMENT);

    /* gd_optimizer_set reaches every group. */
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 0.25), GD_OK);
    CHECK_STATUS(gd_optimizer_get_group(opt, 1, "lr", &value), GD_OK);
    CHECK(value == 0.25);
    gd_optimizer_free(opt);
}

/* A grouped step equals two optimizers stepping the two slices. */
static void test_grouped_step(void) {
    const char *rules[] = {"sgd", "adam", "nadam", "rprop", "asgd", "rmsprop"};
    for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++) {
        gd_optimizer *grouped = NULL, *left = NULL, *right = NULL;
        size_t starts[2] = {0, 2};
        double x[N] = {0.5, -1, 2, 0.25, -3, 1};
        double a[2] = {0.5, -1}, b[4] = {2, 0.25, -3, 1};
        double grad[N];
        CHECK_STATUS(gd_optimizer_new(rules[r], N, &grouped), GD_OK);
        CHECK_STATUS(gd_optimizer_new(rules[r], 2, &left), GD_OK);
        CHECK_STATUS(gd_optimizer_new(rules[r], 4, &right), GD_OK);
        CHECK_STATUS(gd_optimizer_set_groups(grouped, starts, 2), GD_OK);
        CHECK_STATUS(gd_optimizer_set_group(grouped, 0, "lr", 0.05), GD_OK);
        CHECK_STATUS(gd_optimizer_set_group(grouped, 1, "lr", 0.01), GD_OK);
        CHECK_STATUS(gd_optimizer_set(left, "lr", 0.05), GD_OK);
        CHECK_STATUS(gd_optimizer_set(right, "lr", 0.01), GD_OK);
        for (int t = 0; t < 50; t++) {
            for (size_t i = 0; i < N; i++) grad[i] = x[i] - (double)i + 0.3 * (double)((t * 7 + (int)i) % 5 - 2);
            CHECK_STATUS(gd_optimizer_step(grouped, x, grad, N), GD_OK);
            CHECK_STATUS(gd_optimizer_step(left, a, grad, 2), GD_OK);
            CHECK_STATUS(gd_optimizer_step(right, b, grad + 2, 4), GD_OK);
        }
        CHECK(memcmp(x, a, sizeof a) == 0);
        CHECK(memcmp(x + 2, b, sizeof b) == 0);
        CHECK(fabs(x[0] - 0.5) > 1e-3);
        gd_optimizer_free(grouped);
        gd_optimizer_free(left);
        gd_optimizer_free(right);
    }
}

/* gd_minimize drives each group's lr from its own base lr; checkpoints carry the groups. */
static void test_schedule_and_checkpoint(void) {
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL, *copy = NULL;
    gd_schedule *s = NULL;
    size_t starts[3] = {0, 1, 3};
    double x[N] = {0};
    double lr = 0, value = 0;
    size_t size = 0, count = 0;
    gd_options options;
    gd_report report;
    CHECK_STATUS(gd_objective_new(bowl, NULL, N, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", N, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set_groups(opt, starts, 3), GD_OK);
    CHECK_STATUS(gd_optimizer_set_group(opt, 0, "lr", 0.4), GD_OK);
    CHECK_STATUS(gd_optimizer_set_group(opt, 1, "lr", 0.2), GD_OK);
    CHECK_STATUS(gd_optimizer_set_group(opt, 2, "lr", 0.1), GD_OK);
    CHECK_STATUS(gd_schedule_new("step", &s), GD_OK);
    CHECK_STATUS(gd_schedule_set(s, "step_size", 2), GD_OK);
    CHECK_STATUS(gd_schedule_set(s, "gamma", 0.5), GD_OK);
    memset(&report, 0, sizeof report);
    report.struct_size = sizeof report;
    gd_options_init(&options);
    options.max_iterations = 4;
    options.schedule = s;
    CHECK_STATUS(gd_minimize(obj, opt, x, N, &options, &report), GD_OK);
    /* After 4 steps StepLR(2, 0.5) is at 0.25 of each base lr. */
    CHECK_STATUS(gd_schedule_group_lr(s, 2, &lr), GD_OK);
    CHECK(lr == 0.1 * 0.25);
    CHECK_STATUS(gd_schedule_group_lr(s, 3, &lr), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_schedule_group_count(s, &count), GD_OK);
    CHECK(count == 3);
    CHECK_STATUS(gd_schedule_group_count(s, NULL), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_schedule_group_count(NULL, &count), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_schedule_lr(s, &lr), GD_OK);
    CHECK(lr == 0.4 * 0.25);
    CHECK_STATUS(gd_optimizer_get_group(opt, 1, "lr", &value), GD_OK);
    CHECK(value == 0.2 * 0.25);
    /* x[0] moved with lr 0.4, 0.4, 0.2, 0.2 from 0 towards 0 (it stays), x[1] towards 1. */
    CHECK_NEAR(x[1], 1 - (1 - 0.2) * (1 - 0.2) * (1 - 0.1) * (1 - 0.1), 1e-15);

    /* A schedule started for 3 groups fails with an ungrouped optimizer until reset. */
    {
        gd_optimizer *plain = NULL;
        CHECK_STATUS(gd_optimizer_new("sgd", N, &plain), GD_OK);
        CHECK_STATUS(gd_minimize(obj, plain, x, N, &options, &report), GD_E_INVALID_ARGUMENT);
        CHECK_ERROR_MENTIONS("3 parameter groups");
        CHECK_STATUS(gd_schedule_reset(s), GD_OK);
        CHECK_STATUS(gd_schedule_group_count(s, &count), GD_OK);
        CHECK(count == 1);
        gd_optimizer_free(plain);
    }

    CHECK_STATUS(gd_optimizer_save(opt, NULL, 0, &size), GD_OK);
    {
        unsigned char *blob = malloc(size);
        CHECK_STATUS(gd_optimizer_save(opt, blob, size, &size), GD_OK);
        CHECK_STATUS(gd_optimizer_new_from_state(blob, size, &copy), GD_OK);
        CHECK_STATUS(gd_optimizer_get_groups(copy, starts, 3, &count), GD_OK);
        CHECK(count == 3 && starts[1] == 1 && starts[2] == 3);
        CHECK_STATUS(gd_optimizer_get_group(copy, 2, "lr", &value), GD_OK);
        CHECK(value == 0.1 * 0.25);
        /* A grouped blob does not load into an optimizer of another n. */
        {
            gd_optimizer *other = NULL;
            CHECK_STATUS(gd_optimizer_new("sgd", 2, &other), GD_OK);
            CHECK_STATUS(gd_optimizer_load(other, blob, size), GD_E_BAD_STATE);
            gd_optimizer_free(other);
        }
        free(blob);
    }
    gd_schedule_free(s);
    gd_optimizer_free(copy);
    gd_optimizer_free(opt);
    gd_objective_free(obj);
}

/* A progress callback that removes the optimizer's groups in the middle of a run. */
static int ungroup_at_third(void *user, const gd_progress_info *info) {
    static const size_t one[1] = {0};
    if (info->iteration == 3) gd_optimizer_set_groups((gd_optimizer *)user, one, 1);
    return 0;
}

static void test_groups_changed_during_a_run(void) {
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    gd_schedule *s = NULL;
    size_t starts[2] = {0, 3};
    double x[N] = {0};
    gd_options options;
    gd_report report;
    memset(&report, 0, sizeof report);
    report.struct_size = sizeof report;
    CHECK_STATUS(gd_objective_new(bowl, NULL, N, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("adam", N, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set_groups(opt, starts, 2), GD_OK);
    CHECK_STATUS(gd_schedule_new("exponential", &s), GD_OK);
    CHECK_STATUS(gd_schedule_set(s, "gamma", 0.9), GD_OK);
    gd_options_init(&options);
    options.max_iterations = 10;
    options.schedule = s;
    options.progress = ungroup_at_third;
    options.progress_user = opt;
    CHECK_STATUS(gd_minimize(obj, opt, x, N, &options, &report), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("changed during the run");
    gd_schedule_free(s);
    gd_optimizer_free(opt);
    gd_objective_free(obj);
}

/* A loop of one's own: gd_schedule_start_groups and gd_schedule_step_groups. */
static void test_schedule_by_hand(void) {
    gd_schedule *s = NULL;
    double bases[2] = {0.4, 0.1};
    double lrs[2] = {0, 0};
    double lr = 0;
    size_t count = 0;
    CHECK_STATUS(gd_schedule_new("exponential", &s), GD_OK);
    CHECK_STATUS(gd_schedule_set(s, "gamma", 0.5), GD_OK);
    CHECK_STATUS(gd_schedule_start_groups(s, bases, 0, lrs), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_schedule_start_groups(s, NULL, 2, lrs), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_schedule_step_groups(s, 1.0, lrs, 2), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_schedule_start_groups(s, bases, 2, lrs), GD_OK);
    CHECK(lrs[0] == 0.4 && lrs[1] == 0.1);
    CHECK_STATUS(gd_schedule_group_count(s, &count), GD_OK);
    CHECK(count == 2);
    CHECK_STATUS(gd_schedule_step_groups(s, 1.0, lrs, 3), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_schedule_step_groups(s, 1.0, lrs, 2), GD_OK);
    CHECK(lrs[0] == 0.2 && lrs[1] == 0.05);
    CHECK_STATUS(gd_schedule_step(s, 1.0, &lr), GD_OK);  /* steps every group too */
    CHECK(lr == 0.1);
    CHECK_STATUS(gd_schedule_group_lr(s, 1, &lr), GD_OK);
    CHECK(lr == 0.025);
    CHECK_STATUS(gd_schedule_step_groups(s, 1.0, NULL, 0), GD_OK);
    CHECK_STATUS(gd_schedule_group_lr(s, 1, &lr), GD_OK);
    CHECK(lr == 0.0125);
    gd_schedule_free(s);
}

int main(void) {
    test_schedule_by_hand();
    test_groups_changed_during_a_run();
    test_arguments();
    test_grouped_step();
    test_schedule_and_checkpoint();
    return check_summary("test_parameter_groups");
}
