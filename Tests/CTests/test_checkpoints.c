/* Saved states through the built library: the optimizer blob's documented layout and
 * checksum, bit-identical resume for every rule in full-batch and mini-batch runs, and the
 * run state's errors. Compiled with -std=c99 -pedantic -Werror. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_descent.h"
#include "check.h"
#include "fixtures.h"

/* ---- saved states ----------------------------------------------------------------------- */

static uint64_t le64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

static void test_optimizer_state_blob(void) {
    gd_optimizer *adam = NULL, *other = NULL;
    adam = new_optimizer("adam", 4, 0.02);
    CHECK_STATUS(gd_optimizer_set(adam, "amsgrad", 1), GD_OK);
    double x[4] = {1, -2, 3, -4}, g[4];
    for (int t = 1; t <= 5; t++) {
        for (int i = 0; i < 4; i++) g[i] = sin(t + i);
        CHECK_STATUS(gd_optimizer_step(adam, x, g, 4), GD_OK);
    }
    size_t size = 0;
    unsigned char *blob = save_optimizer(adam, &size);
    /* The header: magic, version 1, kind 1, size, CRC-32 (zlib's) of the body. */
    CHECK(memcmp(blob, "GDSTATE\0", 8) == 0);
    CHECK(blob[8] == 1 && blob[9] == 0 && blob[12] == 1);
    CHECK(le64(blob + 16) == size);
    uint32_t crc = check_crc32(blob + 32, size - 32);
    CHECK(blob[24] == (crc & 0xFF) && blob[27] == (crc >> 24));
    /* rule, dimension, step count, hyper-parameters, buffers: 3 buffers of 4 doubles at least */
    CHECK(size > 32 + 3 * 4 * 8);

    /* Two-call API. */
    size_t asked = 0;
    unsigned char small[16];
    CHECK_STATUS(gd_optimizer_save(adam, small, sizeof small, &asked), GD_E_INVALID_ARGUMENT);
    CHECK(asked == size);
    CHECK_ERROR_MENTIONS("cap");
    CHECK_STATUS(gd_optimizer_save(adam, NULL, 0, NULL), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_optimizer_save(NULL, NULL, 0, &asked), GD_E_NULL_ARGUMENT);

    /* A new optimizer from the blob continues exactly. */
    CHECK_STATUS(gd_optimizer_new_from_state(blob, size, &other), GD_OK);
    double lr = 0, ams = 0;
    CHECK_STATUS(gd_optimizer_get(other, "lr", &lr), GD_OK);
    CHECK_STATUS(gd_optimizer_get(other, "amsgrad", &ams), GD_OK);
    CHECK(lr == 0.02 && ams == 1);
    double y[4];
    memcpy(y, x, sizeof x);
    for (int t = 6; t <= 10; t++) {
        for (int i = 0; i < 4; i++) g[i] = sin(t + i);
        CHECK_STATUS(gd_optimizer_step(adam, x, g, 4), GD_OK);
        CHECK_STATUS(gd_optimizer_step(other, y, g, 4), GD_OK);
    }
    CHECK(memcmp(x, y, sizeof x) == 0);
    gd_optimizer_free(other);

    /* Every way a blob can be wrong is GD_E_BAD_STATE, and nothing changes. */
    unsigned char *bad = malloc(size);
    CHECK_STATUS(gd_optimizer_new("sgd", 4, &other), GD_OK);
    CHECK_STATUS(gd_optimizer_load(other, blob, size), GD_E_BAD_STATE);
    CHECK_ERROR_MENTIONS("adam");
    gd_optimizer_free(other);
    CHECK_STATUS(gd_optimizer_new("adam", 5, &other), GD_OK);
    CHECK_STATUS(gd_optimizer_load(other, blob, size), GD_E_BAD_STATE);
    CHECK_ERROR_MENTIONS("4 parameters");
    gd_optimizer_free(other);
    CHECK_STATUS(gd_optimizer_new("adam", 4, &other), GD_OK);
    memcpy(bad, blob, size);
    bad[8] = 2;
    CHECK_STATUS(gd_optimizer_load(other, bad, size), GD_E_BAD_STATE);
    CHECK_ERROR_MENTIONS("version 2");
    memcpy(bad, blob, size);
    bad[0] = 'X';
    CHECK_STATUS(gd_optimizer_load(other, bad, size), GD_E_BAD_STATE);
    CHECK_ERROR_MENTIONS("magic");
    CHECK_STATUS(gd_optimizer_load(other, blob, size - 1), GD_E_BAD_STATE);
    CHECK_ERROR_MENTIONS("truncated");
    CHECK_STATUS(gd_optimizer_load(other, blob, 10), GD_E_BAD_STATE);
    memcpy(bad, blob, size);
    bad[size - 3] ^= 0x10;
    CHECK_STATUS(gd_optimizer_load(other, bad, size), GD_E_BAD_STATE);
    CHECK_ERROR_MENTIONS("corrupted");
    memcpy(bad, blob, size);
    bad[12] = 3; /* a run state's kind */
    CHECK_STATUS(gd_optimizer_load(other, bad, size), GD_E_BAD_STATE);
    CHECK_STATUS(gd_optimizer_load(other, NULL, size), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_optimizer_get(other, "lr", &lr), GD_OK);
    CHECK(lr == 0.001); /* nothing loaded */
    CHECK_STATUS(gd_optimizer_load(other, blob, size), GD_OK);
    CHECK_STATUS(gd_optimizer_get(other, "lr", &lr), GD_OK);
    CHECK(lr == 0.02);
    CHECK_STATUS(gd_optimizer_new_from_state(bad, size, &other), GD_E_BAD_STATE);
    gd_optimizer_free(other);
    free(bad);
    free(blob);
    gd_optimizer_free(adam);
}

/* ---- bit-identical resume --------------------------------------------------------------- */

typedef struct rule_case {
    const char *rule;
    const char *k1; double v1;
    const char *k2; double v2;
    const char *k3; double v3;
} rule_case;

static const rule_case rule_cases[] = {
    {"sgd", "lr", 0.05, "momentum", 0.9, "nesterov", 1},
    {"adam", "lr", 0.05, "amsgrad", 1, "weight_decay", 0.01},
    {"adamw", "lr", 0.05, NULL, 0, NULL, 0},
    {"rmsprop", "lr", 0.01, "centered", 1, "momentum", 0.5},
    {"adagrad", "lr", 0.1, "lr_decay", 0.01, "initial_accumulator_value", 0.1},
    {"adadelta", "lr", 1.0, NULL, 0, NULL, 0},
    {"adamax", "lr", 0.05, NULL, 0, NULL, 0},
    {"nadam", "lr", 0.05, NULL, 0, NULL, 0},
    {"radam", "lr", 0.05, NULL, 0, NULL, 0},
};

static gd_optimizer *make_optimizer(const rule_case *c) {
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_optimizer_new(c->rule, 3, &opt), GD_OK);
    if (c->k1) CHECK_STATUS(gd_optimizer_set(opt, c->k1, c->v1), GD_OK);
    if (c->k2) CHECK_STATUS(gd_optimizer_set(opt, c->k2, c->v2), GD_OK);
    if (c->k3) CHECK_STATUS(gd_optimizer_set(opt, c->k3, c->v3), GD_OK);
    return opt;
}

static gd_schedule *make_run_schedule(int sampled) {
    return sampled ? make_schedule("plateau", "patience", 0, "factor", 0.7, "threshold", 0.2)
                   : make_schedule("warmup_cosine", "warmup_steps", 4, "t_max", 20, "eta_min", 1e-3);
}

static void set_run_options(gd_options *options, int sampled, gd_schedule *s, gd_run_state *state,
                            uint64_t iterations) {
    gd_options_init(options);
    options->max_iterations = iterations;
    options->schedule = s;
    options->run_state = state;
    options->clip_norm = 0.5;
    options->keep_best = 1; /* the first half may return its best x: the state keeps the last */
    if (sampled) {
        options->batch_size = 3;
        options->seed = 42;
        options->schedule_per_epoch = 1;
        options->loss_tolerance = 1e-12;
        options->patience = 100;
    }
}

typedef struct blob { unsigned char *bytes; size_t size; } blob;

static blob save_run_state(const gd_run_state *s) {
    blob b = {NULL, 0};
    CHECK_STATUS(gd_run_state_save(s, NULL, 0, &b.size), GD_OK);
    b.bytes = malloc(b.size);
    CHECK_STATUS(gd_run_state_save(s, b.bytes, b.size, &b.size), GD_OK);
    return b;
}

static blob save_schedule(const gd_schedule *s) {
    blob b = {NULL, 0};
    CHECK_STATUS(gd_schedule_save(s, NULL, 0, &b.size), GD_OK);
    b.bytes = malloc(b.size);
    CHECK_STATUS(gd_schedule_save(s, b.bytes, b.size, &b.size), GD_OK);
    return b;
}

/* Run 2N updates straight; run N, save everything, free it, load into new handles, run to
 * 2N: the iterates and the optimizers' states are bit-identical. */
static void check_resume(const rule_case *c, int sampled, uint64_t n_first) {
    data_fit d;
    memset(&d, 0, sizeof d);
    gd_objective *obj = NULL;
    CHECK_STATUS(gd_objective_new_sampled(data_fn, &d, 3, FIT_ROWS, &obj), GD_OK);
    const uint64_t total = 2 * n_first;
    gd_options options;
    gd_report r = fresh_report();

    gd_optimizer *straight = make_optimizer(c);
    gd_schedule *straight_schedule = make_run_schedule(sampled);
    double a[3] = {0.5, -0.5, 0.25};
    set_run_options(&options, sampled, straight_schedule, NULL, total);
    CHECK_STATUS(gd_minimize(obj, straight, a, 3, &options, &r), GD_OK);
    CHECK(r.iterations == total);

    gd_optimizer *first = make_optimizer(c);
    gd_schedule *first_schedule = make_run_schedule(sampled);
    gd_run_state *first_state = NULL;
    CHECK_STATUS(gd_run_state_new(&first_state), GD_OK);
    double b[3] = {0.5, -0.5, 0.25};
    set_run_options(&options, sampled, first_schedule, first_state, n_first);
    CHECK_STATUS(gd_minimize(obj, first, b, 3, &options, &r), GD_OK);
    CHECK(r.iterations == n_first);
    size_t opt_size = 0;
    unsigned char *opt_blob = save_optimizer(first, &opt_size);
    blob state_blob = save_run_state(first_state);
    blob schedule_blob = save_schedule(first_schedule);
    double saved_x[3];
    memcpy(saved_x, b, sizeof b);
    gd_optimizer_free(first);
    gd_schedule_free(first_schedule);
    gd_run_state_free(first_state);

    gd_optimizer *second = NULL;
    gd_schedule *second_schedule = make_run_schedule(sampled);
    gd_run_state *second_state = NULL;
    CHECK_STATUS(gd_optimizer_new_from_state(opt_blob, opt_size, &second), GD_OK);
    CHECK_STATUS(gd_schedule_load(second_schedule, schedule_blob.bytes, schedule_blob.size), GD_OK);
    CHECK_STATUS(gd_run_state_new(&second_state), GD_OK);
    CHECK_STATUS(gd_run_state_load(second_state, state_blob.bytes, state_blob.size), GD_OK);
    double resumed[3];
    memcpy(resumed, saved_x, sizeof saved_x);
    set_run_options(&options, sampled, second_schedule, second_state, total);
    r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, second, resumed, 3, &options, &r), GD_OK);
    CHECK(r.iterations == total);
    int same = memcmp(a, resumed, sizeof a) == 0;
    if (!same) {
        fprintf(stderr, "resume %s %s N=%u: %.17g %.17g %.17g vs %.17g %.17g %.17g\n", c->rule,
                sampled ? "mini-batch" : "full batch", (unsigned)n_first, a[0], a[1], a[2],
                resumed[0], resumed[1], resumed[2]);
    }
    CHECK(same);
    /* (With keep_best both may return the same best x; the optimizers' states say the second
     * half did run.) */
    if (sampled) {
        /* Without the run state the sampler starts over from the seed: another trajectory. */
        gd_optimizer *forgetful = NULL;
        gd_schedule *forgetful_schedule = make_run_schedule(sampled);
        CHECK_STATUS(gd_optimizer_new_from_state(opt_blob, opt_size, &forgetful), GD_OK);
        CHECK_STATUS(gd_schedule_load(forgetful_schedule, schedule_blob.bytes, schedule_blob.size), GD_OK);
        double other[3];
        memcpy(other, saved_x, sizeof saved_x);
        set_run_options(&options, sampled, forgetful_schedule, NULL, n_first);
        CHECK_STATUS(gd_minimize(obj, forgetful, other, 3, &options, &r), GD_OK);
        CHECK(memcmp(a, other, sizeof a) != 0);
        gd_optimizer_free(forgetful);
        gd_schedule_free(forgetful_schedule);
    }
    size_t straight_size = 0, second_size = 0;
    unsigned char *straight_blob = save_optimizer(straight, &straight_size);
    unsigned char *second_blob = save_optimizer(second, &second_size);
    CHECK(straight_size == second_size && memcmp(straight_blob, second_blob, straight_size) == 0);
    CHECK(opt_size == straight_size && memcmp(opt_blob, straight_blob, opt_size) != 0);
    double lr_a = 0, lr_b = 0;
    CHECK_STATUS(gd_schedule_lr(straight_schedule, &lr_a), GD_OK);
    CHECK_STATUS(gd_schedule_lr(second_schedule, &lr_b), GD_OK);
    CHECK(lr_a == lr_b);

    free(straight_blob);
    free(second_blob);
    free(opt_blob);
    free(state_blob.bytes);
    free(schedule_blob.bytes);
    gd_optimizer_free(straight);
    gd_optimizer_free(second);
    gd_schedule_free(straight_schedule);
    gd_schedule_free(second_schedule);
    gd_run_state_free(second_state);
    gd_objective_free(obj);
}

static void test_resume_is_bit_identical(void) {
    for (size_t i = 0; i < sizeof rule_cases / sizeof rule_cases[0]; i++) {
        check_resume(&rule_cases[i], 0, 9);
        check_resume(&rule_cases[i], 1, 7); /* 4 batches per epoch: stops inside an epoch */
        check_resume(&rule_cases[i], 1, 8); /* stops on an epoch's last batch */
    }
}

static void test_run_state_errors(void) {
    bowl b = {.center = {1, 2, 3}};
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    gd_run_state *state = NULL;
    CHECK_STATUS(gd_run_state_new(NULL), GD_E_NULL_ARGUMENT);
    CHECK_STATUS(gd_run_state_new(&state), GD_OK);
    CHECK_STATUS(gd_objective_new(bowl_fn, &b, 3, &obj), GD_OK);
    opt = new_optimizer("sgd", 3, 0.5);
    gd_options options;
    gd_options_init(&options);
    options.max_iterations = 3;
    options.run_state = state;
    double x[3] = {0, 0, 0};
    gd_report r = fresh_report();
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, &options, &r), GD_OK);
    CHECK(r.iterations == 3);
    /* Counters are totals: max_iterations 5 means two more. */
    options.max_iterations = 5;
    CHECK_STATUS(gd_minimize(obj, opt, x, 3, &options, &r), GD_OK);
    CHECK(r.iterations == 5);
    CHECK_NEAR(x[0], 1 - 1.0 / 32, 1e-15);
    /* A state of 3 parameters does not fit a run of 2. */
    bowl b2 = {.center = {1, 2, 0}};
    gd_objective *obj2 = NULL;
    gd_optimizer *opt2 = NULL;
    CHECK_STATUS(gd_objective_new(bowl_fn, &b2, 2, &obj2), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 2, &opt2), GD_OK);
    double y[2] = {0, 0};
    CHECK_STATUS(gd_minimize(obj2, opt2, y, 2, &options, &r), GD_E_BAD_STATE);
    CHECK_ERROR_MENTIONS("3 parameters");
    CHECK(y[0] == 0 && b2.calls == 0);
    /* Reset: fresh again. */
    CHECK_STATUS(gd_run_state_reset(state), GD_OK);
    options.max_iterations = 2;
    CHECK_STATUS(gd_minimize(obj2, opt2, y, 2, &options, &r), GD_OK);
    CHECK(r.iterations == 2);
    /* Blobs of other kinds, truncated, corrupted. */
    blob saved = save_run_state(state);
    CHECK(saved.bytes[12] == 3);
    CHECK_STATUS(gd_run_state_load(state, saved.bytes, saved.size - 8), GD_E_BAD_STATE);
    saved.bytes[40] ^= 1;
    CHECK_STATUS(gd_run_state_load(state, saved.bytes, saved.size), GD_E_BAD_STATE);
    CHECK_ERROR_MENTIONS("corrupted");
    size_t opt_size = 0;
    unsigned char *opt_blob = save_optimizer(opt, &opt_size);
    CHECK_STATUS(gd_run_state_load(state, opt_blob, opt_size), GD_E_BAD_STATE);
    CHECK_ERROR_MENTIONS("optimizer");
    gd_schedule *s = make_schedule("step", "step_size", 2, NULL, 0, NULL, 0);
    CHECK_STATUS(gd_schedule_load(s, opt_blob, opt_size), GD_E_BAD_STATE);
    blob schedule_blob = save_schedule(s);
    gd_schedule *other = make_schedule("exponential", "gamma", 0.5, NULL, 0, NULL, 0);
    CHECK_STATUS(gd_schedule_load(other, schedule_blob.bytes, schedule_blob.size), GD_E_BAD_STATE);
    CHECK_ERROR_MENTIONS("step");
    free(schedule_blob.bytes);
    gd_schedule_free(s);
    gd_schedule_free(other);
    free(opt_blob);
    free(saved.bytes);
    gd_run_state_free(state);
    gd_run_state_free(NULL);
    gd_objective_free(obj);
    gd_objective_free(obj2);
    gd_optimizer_free(opt);
    gd_optimizer_free(opt2);
}

int main(void) {
    test_optimizer_state_blob();
    test_resume_is_bit_identical();
    test_run_state_errors();
    return check_summary("test_checkpoints");
}
