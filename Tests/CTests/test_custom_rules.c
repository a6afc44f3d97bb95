/* Custom update rules through the built library: registration, a rule equal to the built-in
 * SGD with momentum, its saved state, and failing rules. Compiled with -std=c99 -pedantic -Werror. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_descent.h"
#include "check.h"
#include "fixtures.h"

typedef struct momentum_params {
    double momentum;
    int calls;
    int fail_at;
} momentum_params;

/* PyTorch's SGD with momentum (dampening 0): buf = g on the first step, else m * buf + g;
 * x = x + (-lr) * buf. state_size 1: the momentum buffer. */
static int momentum_rule(void *user, double *x, const double *grad, size_t n, double lr, uint64_t step,
                         double *state, size_t state_size) {
    momentum_params *p = user;
    p->calls++;
    if (p->fail_at && p->calls == p->fail_at) return 5;
    if (state_size != 1 || state == NULL) return 9;
    for (size_t i = 0; i < n; i++) {
        double b = step == 1 ? grad[i] : state[i] * p->momentum + 1.0 * grad[i];
        state[i] = b;
        x[i] = x[i] + (-lr) * b;
    }
    return 0;
}

/* Plain SGD, no state. */
static int plain_rule(void *user, double *x, const double *grad, size_t n, double lr, uint64_t step,
                      double *state, size_t state_size) {
    (void)user;
    (void)step;
    if (state != NULL || state_size != 0) return 9;
    for (size_t i = 0; i < n; i++) x[i] = x[i] + (-lr) * grad[i];
    return 0;
}

static int contains(const unsigned char *bytes, size_t size, const char *text) {
    size_t n = strlen(text);
    for (size_t i = 0; i + n <= size; i++) {
        if (memcmp(bytes + i, text, n) == 0) return 1;
    }
    return 0;
}

static void test_custom_rules(void) {
    momentum_params params = {0.9, 0, 0};
    CHECK_STATUS(gd_rule_register("my_momentum", momentum_rule, &params, 1), GD_OK);
    CHECK_STATUS(gd_rule_register("my_momentum", momentum_rule, &params, 1), GD_E_INVALID_ARGUMENT);
    CHECK_ERROR_MENTIONS("already registered");
    CHECK_STATUS(gd_rule_register("adam", momentum_rule, &params, 1), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_rule_register("", momentum_rule, &params, 1), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_rule_register("x", NULL, &params, 1), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_rule_register(NULL, momentum_rule, &params, 1), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_rule_register("huge", momentum_rule, &params, SIZE_MAX), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_rule_unregister("nothing"), GD_E_UNKNOWN_NAME);

    /* The registered rule drives a mini-batch run bit for bit like the built-in sgd. */
    data_fit d;
    memset(&d, 0, sizeof d);
    gd_objective *obj = NULL;
    CHECK_STATUS(gd_objective_new_sampled(data_fn, &d, 3, FIT_ROWS, &obj), GD_OK);
    gd_optimizer *custom = NULL, *builtin = NULL;
    CHECK_STATUS(gd_optimizer_new("my_momentum", 3, &custom), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 3, &builtin), GD_OK);
    CHECK_STATUS(gd_optimizer_set(builtin, "momentum", 0.9), GD_OK);
    double lr = 0;
    CHECK_STATUS(gd_optimizer_get(custom, "lr", &lr), GD_OK);
    CHECK(lr == 0.001);
    CHECK_STATUS(gd_optimizer_set(custom, "lr", 0.05), GD_OK);
    CHECK_STATUS(gd_optimizer_set(builtin, "lr", 0.05), GD_OK);
    CHECK_STATUS(gd_optimizer_set(custom, "momentum", 0.9), GD_E_UNKNOWN_KEY);
    gd_schedule *s1 = make_schedule("step", "step_size", 5, "gamma", 0.5, NULL, 0);
    gd_schedule *s2 = make_schedule("step", "step_size", 5, "gamma", 0.5, NULL, 0);
    gd_options options;
    gd_options_init(&options);
    options.batch_size = 4;
    options.max_iterations = 30;
    options.seed = 3;
    options.schedule = s1;
    double a[3] = {0, 0, 0}, b[3] = {0, 0, 0};
    gd_report r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, custom, a, 3, &options, &r), GD_OK);
    options.schedule = s2;
    CHECK_STATUS(gd_minimize(obj, builtin, b, 3, &options, &r), GD_OK);
    CHECK(memcmp(a, b, sizeof a) == 0);
    CHECK(params.calls == 30);

    /* Its state saves and loads; an optimizer from the blob finds the rule by name. */
    size_t size = 0;
    unsigned char *blob_bytes = save_optimizer(custom, &size);
    gd_optimizer *copy = NULL;
    CHECK_STATUS(gd_optimizer_new_from_state(blob_bytes, size, &copy), GD_OK);
    double g[3] = {0.1, 0.2, 0.3}, c[3];
    memcpy(c, a, sizeof a);
    CHECK_STATUS(gd_optimizer_step(custom, a, g, 3), GD_OK);
    CHECK_STATUS(gd_optimizer_step(copy, c, g, 3), GD_OK);
    CHECK(memcmp(a, c, sizeof a) == 0);
    /* After unregistering, existing optimizers keep working; new ones cannot be made. */
    CHECK_STATUS(gd_rule_unregister("my_momentum"), GD_OK);
    CHECK_STATUS(gd_optimizer_step(copy, c, g, 3), GD_OK);
    gd_optimizer *missing = NULL;
    CHECK_STATUS(gd_optimizer_new("my_momentum", 3, &missing), GD_E_UNKNOWN_NAME);
    CHECK_STATUS(gd_optimizer_new_from_state(blob_bytes, size, &missing), GD_E_UNKNOWN_NAME);
    free(blob_bytes);

    /* A failing rule: GD_E_CALLBACK from a step and from a run (x restored). */
    params.calls = 0;
    params.fail_at = 1;
    CHECK_STATUS(gd_optimizer_step(custom, a, g, 3), GD_E_CALLBACK);
    CHECK_ERROR_MENTIONS("update rule");
    params.calls = 0;
    params.fail_at = 3;
    double before[3];
    options.schedule = NULL;
    options.max_iterations = 10;
    r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, custom, a, 3, &options, &r), GD_E_CALLBACK);
    CHECK(r.stop_reason == GD_STOP_CALLBACK_ERROR && r.iterations == 2);
    memcpy(before, a, sizeof a);
    CHECK(isfinite(before[0]));

    /* Created directly: plain SGD equals the built-in bit for bit. */
    gd_optimizer *plain = NULL, *sgd = NULL;
    CHECK_STATUS(gd_optimizer_new_custom(NULL, NULL, 0, 3, &plain), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_optimizer_new_custom(plain_rule, NULL, 0, 0, &plain), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_optimizer_new_custom(plain_rule, NULL, 0, 3, &plain), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 3, &sgd), GD_OK);
    gd_optimizer_set(plain, "lr", 0.07);
    gd_optimizer_set(sgd, "lr", 0.07);
    gd_options_init(&options);
    options.max_iterations = 25;
    double p[3] = {1, 1, 1}, q[3] = {1, 1, 1};
    CHECK_STATUS(gd_minimize(obj, plain, p, 3, &options, &r), GD_OK);
    CHECK_STATUS(gd_minimize(obj, sgd, q, 3, &options, &r), GD_OK);
    CHECK(memcmp(p, q, sizeof p) == 0);
    size = 0;
    blob_bytes = save_optimizer(plain, &size);
    CHECK(contains(blob_bytes, size, "custom"));
    free(blob_bytes);

    gd_schedule_free(s1);
    gd_schedule_free(s2);
    gd_optimizer_free(plain);
    gd_optimizer_free(sgd);
    gd_optimizer_free(copy);
    gd_optimizer_free(custom);
    gd_optimizer_free(builtin);
    gd_objective_free(obj);
}

int main(void) {
    test_custom_rules();
    return check_summary("test_custom_rules");
}
