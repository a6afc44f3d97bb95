/* PyTorch's other schedules and clipping norms through the C ABI: composites built with
 * gd_schedule_add, stepping to an epoch, cycled momentum reaching the optimizer in a run,
 * clip_grad_norm_'s norm types and error_if_nonfinite, saved composite states, and every
 * argument check. The values themselves are checked against PyTorch by the Python golden-file
 * tests; here the formulas are recomputed in C where they are short. Strict C99. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_descent.h"
#include "check.h"

static const double pi = 3.14159265358979323846;

static void test_sequential_and_chained(void) {
    gd_schedule *seq = NULL, *warm = NULL, *expo = NULL, *chain = NULL, *plateau = NULL;
    double lr = 0;
    CHECK_STATUS(gd_schedule_new("sequential", &seq), GD_OK);
    CHECK_STATUS(gd_schedule_new("linear", &warm), GD_OK);
    CHECK_STATUS(gd_schedule_set(warm, "start_factor", 0.1), GD_OK);
    CHECK_STATUS(gd_schedule_set(warm, "total_iters", 10), GD_OK);
    CHECK_STATUS(gd_schedule_new("exponential", &expo), GD_OK);
    CHECK_STATUS(gd_schedule_set(expo, "gamma", 0.9), GD_OK);
    CHECK_STATUS(gd_schedule_start(seq, 1.0, &lr), GD_E_INVALID_ARGUMENT); /* no child yet */
    CHECK_STATUS(gd_schedule_add(seq, warm, 3), GD_E_INVALID_ARGUMENT);    /* first at 0 */
    CHECK_STATUS(gd_schedule_add(seq, warm, 0), GD_OK);
    CHECK_STATUS(gd_schedule_add(seq, expo, 0), GD_E_INVALID_ARGUMENT);    /* must increase */
    CHECK_STATUS(gd_schedule_add(seq, expo, 10), GD_OK);
    CHECK_STATUS(gd_schedule_add(seq, seq, 20), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_schedule_new("plateau", &plateau), GD_OK);
    CHECK_STATUS(gd_schedule_add(seq, plateau, 20), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_schedule_add(warm, expo, 0), GD_E_INVALID_ARGUMENT);   /* not a composite */
    CHECK_STATUS(gd_schedule_add(NULL, expo, 0), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_schedule_add(seq, NULL, 0), GD_E_NULL_ARGUMENT);
    /* The parent holds copies: changing the original afterwards changes nothing. */
    CHECK_STATUS(gd_schedule_set(expo, "gamma", 0.5), GD_OK);
    CHECK_STATUS(gd_schedule_start(seq, 1.0, &lr), GD_OK);
    CHECK(lr == 0.1);
    for (uint64_t e = 1; e < 30; e++) {
        CHECK_STATUS(gd_schedule_step(seq, NAN, &lr), GD_OK);
        double expected = e < 10 ? 1.0 * (0.1 + (1.0 - 0.1) * (double)e / 10) : pow(0.9, (double)(e - 10));
        CHECK_NEAR(lr, expected, 1e-15);
    }
    CHECK_STATUS(gd_schedule_add(seq, expo, 40), GD_E_INVALID_ARGUMENT);   /* started */

    /* Saved mid-way, loaded into a twin of the same shape: the same next values. */
    size_t size = 0;
    CHECK_STATUS(gd_schedule_save(seq, NULL, 0, &size), GD_OK);
    unsigned char *blob = malloc(size);
    CHECK_STATUS(gd_schedule_save(seq, blob, size, &size), GD_OK);
    gd_schedule *twin = NULL, *other = NULL;
    CHECK_STATUS(gd_schedule_new("sequential", &twin), GD_OK);
    CHECK_STATUS(gd_schedule_load(twin, blob, size), GD_E_BAD_STATE);      /* no children */
    CHECK_STATUS(gd_schedule_add(twin, warm, 0), GD_OK);
    CHECK_STATUS(gd_schedule_add(twin, expo, 10), GD_OK);
    CHECK_STATUS(gd_schedule_load(twin, blob, size), GD_OK);
    CHECK_STATUS(gd_schedule_new("sequential", &other), GD_OK);
    CHECK_STATUS(gd_schedule_add(other, warm, 0), GD_OK);
    CHECK_STATUS(gd_schedule_add(other, expo, 11), GD_OK);
    CHECK_STATUS(gd_schedule_load(other, blob, size), GD_E_BAD_STATE);     /* another milestone */
    blob[size - 1] ^= 1;
    CHECK_STATUS(gd_schedule_load(twin, blob, size), GD_E_BAD_STATE);      /* checksum */
    free(blob);
    for (int i = 0; i < 5; i++) {
        double a = 0, b = 0;
        CHECK_STATUS(gd_schedule_step(seq, NAN, &a), GD_OK);
        CHECK_STATUS(gd_schedule_step(twin, NAN, &b), GD_OK);
        CHECK(a == b);
    }

    /* Chained: ConstantLR(0.1, 2) then ExponentialLR(0.9), torch's documented example. */
    gd_schedule *constant = NULL;
    CHECK_STATUS(gd_schedule_new("chained", &chain), GD_OK);
    CHECK_STATUS(gd_schedule_new("constant", &constant), GD_OK);
    CHECK_STATUS(gd_schedule_set(constant, "factor", 0.1), GD_OK);
    CHECK_STATUS(gd_schedule_set(constant, "total_iters", 2), GD_OK);
    CHECK_STATUS(gd_schedule_set(expo, "gamma", 0.9), GD_OK);
    CHECK_STATUS(gd_schedule_add(chain, constant, 0), GD_OK);
    CHECK_STATUS(gd_schedule_add(chain, expo, 1), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_schedule_add(chain, expo, 0), GD_OK);
    CHECK_STATUS(gd_schedule_add(chain, plateau, 0), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_schedule_start(chain, 1.0, &lr), GD_OK);
    CHECK_NEAR(lr, 0.1, 1e-16);
    CHECK_STATUS(gd_schedule_step(chain, NAN, &lr), GD_OK);
    CHECK_NEAR(lr, 0.09, 1e-16);
    CHECK_STATUS(gd_schedule_step(chain, NAN, &lr), GD_OK);
    CHECK_NEAR(lr, 0.81, 1e-15);
    CHECK_STATUS(gd_schedule_step(chain, NAN, &lr), GD_OK);
    CHECK_NEAR(lr, 0.729, 1e-15);

    gd_schedule_free(seq); gd_schedule_free(warm); gd_schedule_free(expo); gd_schedule_free(chain);
    gd_schedule_free(plateau); gd_schedule_free(twin); gd_schedule_free(other); gd_schedule_free(constant);
}

static void test_step_to_and_momentum(void) {
    gd_schedule *warm = NULL, *cyc = NULL, *step = NULL;
    double lr = 0, m = 0;
    CHECK_STATUS(gd_schedule_new("warm_restarts", &warm), GD_OK);
    CHECK_STATUS(gd_schedule_set(warm, "t_0", 4), GD_OK);
    CHECK_STATUS(gd_schedule_step_to(warm, 1.5, &lr), GD_E_INVALID_ARGUMENT); /* not started */
    CHECK_STATUS(gd_schedule_start(warm, 1.0, &lr), GD_OK);
    CHECK_STATUS(gd_schedule_step_to(warm, 5.5, &lr), GD_OK);                 /* T_cur = 1.5 */
    CHECK_NEAR(lr, (1 + cos(pi * 1.5 / 4)) / 2, 1e-15);
    CHECK_STATUS(gd_schedule_step_to(warm, -1, &lr), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_schedule_step_to(warm, NAN, &lr), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_schedule_momentum(warm, &m), GD_OK);
    CHECK(isnan(m));
    CHECK_STATUS(gd_schedule_new("step", &step), GD_OK);
    CHECK_STATUS(gd_schedule_set(step, "step_size", 2), GD_OK);
    CHECK_STATUS(gd_schedule_start(step, 1.0, &lr), GD_OK);
    CHECK_STATUS(gd_schedule_step_to(step, 4, &lr), GD_OK);
    CHECK(lr == 0.1 * 0.1);
    CHECK_STATUS(gd_schedule_step_to(step, 4.5, &lr), GD_E_INVALID_ARGUMENT);

    /* CyclicLR triangular, momentum cycling: lr up from base_lr, momentum down from max. */
    CHECK_STATUS(gd_schedule_new("cyclic", &cyc), GD_OK);
    CHECK_STATUS(gd_schedule_start(cyc, 1.0, &lr), GD_E_INVALID_ARGUMENT); /* base_lr, max_lr unset */
    CHECK_STATUS(gd_schedule_set(cyc, "base_lr", 0.01), GD_OK);
    CHECK_STATUS(gd_schedule_set(cyc, "max_lr", 0.1), GD_OK);
    CHECK_STATUS(gd_schedule_set(cyc, "step_size_up", 4), GD_OK);
    CHECK_STATUS(gd_schedule_set(cyc, "mode", 3), GD_OK);
    CHECK_STATUS(gd_schedule_start(cyc, 1.0, &lr), GD_E_INVALID_ARGUMENT); /* mode 3 */
    CHECK_STATUS(gd_schedule_set(cyc, "mode", 0), GD_OK);
    CHECK_STATUS(gd_schedule_start(cyc, 1.0, &lr), GD_OK);
    CHECK(lr == 0.01);
    CHECK_STATUS(gd_schedule_momentum(cyc, &m), GD_OK);
    CHECK(m == 0.9);
    CHECK_STATUS(gd_schedule_momentum(cyc, NULL), GD_E_NULL_ARGUMENT);

    /* In a run the optimizer's momentum follows: SGD's momentum after 2 updates is the
     * schedule's momentum for step 2. */
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_optimizer_new("sgd", 2, &opt), GD_OK);
    gd_objective *obj = NULL;
    static const double identity[4] = {1, 0, 0, 1};
    gd_data data;
    gd_data_init(&data);
    data.x = identity;
    data.rows = 2;
    data.cols = 2;
    CHECK_STATUS(gd_objective_create("quadratic", 2, &data, NULL, 0, &obj), GD_OK);
    double x[2] = {1, -1};
    gd_options options;
    gd_options_init(&options);
    options.max_iterations = 2;
    options.schedule = cyc;
    CHECK_STATUS(gd_schedule_reset(cyc), GD_OK);
    CHECK_STATUS(gd_minimize(obj, opt, x, 2, &options, NULL), GD_OK);
    double momentum = 0, expected = 0;
    CHECK_STATUS(gd_optimizer_get(opt, "momentum", &momentum), GD_OK);
    CHECK_STATUS(gd_schedule_momentum(cyc, &expected), GD_OK);
    CHECK(momentum == expected);
    CHECK_NEAR(momentum, 0.9 - (0.9 - 0.8) * 0.5, 1e-15);
    gd_optimizer *adagrad = NULL;
    CHECK_STATUS(gd_optimizer_new("adagrad", 2, &adagrad), GD_OK);
    CHECK_STATUS(gd_schedule_reset(cyc), GD_OK);
    CHECK_STATUS(gd_minimize(obj, adagrad, x, 2, &options, NULL), GD_E_INVALID_ARGUMENT);
    gd_optimizer_free(adagrad);
    gd_optimizer_free(opt);
    gd_objective_free(obj);
    gd_schedule_free(warm); gd_schedule_free(cyc); gd_schedule_free(step);
}

static void test_clip_norm_types(void) {
    double g[4] = {3, -4, 12, 0};
    double total = 0;
    CHECK_STATUS(gd_grad_norm(g, 4, 1.0, &total), GD_OK);
    CHECK(total == 19);
    CHECK_STATUS(gd_grad_norm(g, 4, INFINITY, &total), GD_OK);
    CHECK(total == 12);
    CHECK_STATUS(gd_grad_norm(g, 4, 2.0, &total), GD_OK);
    CHECK(total == 13);
    CHECK_STATUS(gd_grad_norm(g, 4, 3.0, &total), GD_OK);
    CHECK_NEAR(total, pow(27 + 64 + 1728, 1.0 / 3), 1e-13);
    CHECK_STATUS(gd_grad_norm(g, 4, 0.0, &total), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_grad_norm(g, 4, NAN, &total), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_grad_norm(NULL, 4, 2.0, &total), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_grad_norm(g, 4, 2.0, NULL), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_grad_norm(g, 0, 2.0, &total), GD_E_INVALID_ARGUMENT);

    CHECK_STATUS(gd_clip_grad_norm_ex(g, 4, 1.0, 1.0, 0, &total), GD_OK);
    CHECK(total == 19);
    CHECK_NEAR(g[2], 12 * (1.0 / (19 + 1e-6)), 1e-15);
    double h[2] = {1e200, 1.0};
    CHECK_STATUS(gd_clip_grad_norm_ex(h, 2, 1.0, 2.0, 1, &total), GD_E_NON_FINITE);
    CHECK(h[0] == 1e200 && isinf(total));
    CHECK_STATUS(gd_clip_grad_norm_ex(h, 2, 1.0, 2.0, 0, &total), GD_OK);   /* torch scales by 0 */
    CHECK(h[0] == 0 && h[1] == 0);
    CHECK_STATUS(gd_clip_grad_norm_ex(h, 2, -1.0, 2.0, 0, &total), GD_E_INVALID_ARGUMENT);
    CHECK_STATUS(gd_clip_grad_norm_ex(h, 2, 1.0, 2.0, 2, &total), GD_E_INVALID_ARGUMENT);
}

int main(void) {
    test_sequential_and_chained();
    test_step_to_and_momentum();
    test_clip_norm_types();
    return check_summary("test_torch_parity");
}
