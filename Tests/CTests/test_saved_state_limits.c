/* Saved states a hostile user edited (with the checksum recomputed, so loading reaches the
 * field checks), and states at the edge of what the library reaches: every counter a blob
 * carries is range-checked on load, nothing that loads makes a later call trap, the reserved
 * header field must be 0, and every state the library reaches (an lr that overflowed
 * included) saves and loads back. Compiled with -std=c99 -pedantic -Werror. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "gradient_descent.h"
#include "check.h"
#include "state_blob.h"

/* ---- saving into a malloc'ed buffer ---- */

typedef int (*save_fn)(const void *handle, void *buf, size_t cap, size_t *size);

static int save_schedule(const void *h, void *buf, size_t cap, size_t *size) {
    return gd_schedule_save((const gd_schedule *)h, buf, cap, size);
}
static int save_optimizer(const void *h, void *buf, size_t cap, size_t *size) {
    return gd_optimizer_save((const gd_optimizer *)h, buf, cap, size);
}
static int save_run_state(const void *h, void *buf, size_t cap, size_t *size) {
    return gd_run_state_save((const gd_run_state *)h, buf, cap, size);
}

static unsigned char *saved(save_fn save, const void *handle, size_t *size) {
    *size = 0;
    CHECK_STATUS(save(handle, NULL, 0, size), GD_OK);
    unsigned char *blob = malloc(*size);
    CHECK(blob != NULL);
    CHECK_STATUS(save(handle, blob, *size, size), GD_OK);
    return blob;
}

/* ---- objectives ---- */

/* 1/2 |x|^2 over two parameters. */
static int bowl(void *user, const double *x, double *grad, size_t n, double *loss) {
    (void)user;
    double f = 0;
    for (size_t i = 0; i < n; i++) {
        f += 0.5 * x[i] * x[i];
        if (grad) grad[i] = x[i];
    }
    *loss = f;
    return 0;
}

/* The same, sampled over 8 samples (the loss does not depend on them). */
static int sampled_bowl(void *user, const double *x, double *grad, size_t n, const size_t *samples,
                        size_t count, double *loss) {
    (void)samples;
    (void)count;
    return bowl(user, x, grad, n, loss);
}

/* Constant loss 1 and a zero gradient: x never moves, whatever the lr. */
static int flat(void *user, const double *x, double *grad, size_t n, double *loss) {
    (void)user;
    (void)x;
    for (size_t i = 0; grad && i < n; i++) grad[i] = 0;
    *loss = 1;
    return 0;
}

/* ---- 1: the plateau schedule's counters ---- */

static gd_schedule *plateau_with_bad_steps(void) {
    gd_schedule *s = NULL;
    CHECK_STATUS(gd_schedule_new("plateau", &s), GD_OK);
    CHECK_STATUS(gd_schedule_set(s, "patience", 3), GD_OK);
    CHECK_STATUS(gd_schedule_start(s, 0.1, NULL), GD_OK);
    CHECK_STATUS(gd_schedule_step(s, 1.0, NULL), GD_OK); /* better than inf: best 1, 0 bad */
    CHECK_STATUS(gd_schedule_step(s, 1.0, NULL), GD_OK); /* 1 bad */
    CHECK_STATUS(gd_schedule_step(s, 1.0, NULL), GD_OK); /* 2 bad */
    return s;
}

/* The layout ends: u64 steps, f64 best, u64 bad steps, u64 cooldown left, then f64 momentum,
 * f64 T_cur, f64 T_i and a u32 child count (28 bytes). */
#define TAIL 28
#define BAD_STEPS_FROM_END (16 + TAIL)
#define COOLDOWN_FROM_END (8 + TAIL)
#define STEPS_FROM_END (32 + TAIL)

static void test_plateau_counters_out_of_range_do_not_load(void) {
    gd_schedule *s = plateau_with_bad_steps();
    size_t size;
    unsigned char *blob = saved(save_schedule, s, &size);
    CHECK(state_blob_load_u64(blob + size - BAD_STEPS_FROM_END) == 2);
    CHECK(state_blob_load_u64(blob + size - STEPS_FROM_END) == 3);

    const size_t fields[3] = {BAD_STEPS_FROM_END, COOLDOWN_FROM_END, STEPS_FROM_END};
    const char *names[3] = {"bad step count", "cooldown counter", "step count"};
    for (int f = 0; f < 3; f++) {
        unsigned char *edited = malloc(size);
        memcpy(edited, blob, size);
        state_blob_store_u64(edited + size - fields[f], UINT64_MAX);
        state_blob_fix_checksum(edited, size);
        gd_schedule *fresh = NULL;
        CHECK_STATUS(gd_schedule_new("plateau", &fresh), GD_OK);
        CHECK_STATUS(gd_schedule_load(fresh, edited, size), GD_E_BAD_STATE);
        CHECK_ERROR_MENTIONS(names[f]);
        /* Nothing changed: the schedule is still unstarted. */
        double lr = 0;
        CHECK_STATUS(gd_schedule_lr(fresh, &lr), GD_OK);
        CHECK(isnan(lr));
        gd_schedule_free(fresh);
        free(edited);
    }
    free(blob);
    gd_schedule_free(s);
}

/* The largest accepted counter loads, and the next bad step reduces the lr instead of trapping. */
static void test_plateau_counter_at_its_limit_steps_on(void) {
    gd_schedule *s = plateau_with_bad_steps();
    size_t size;
    unsigned char *blob = saved(save_schedule, s, &size);
    state_blob_store_u64(blob + size - BAD_STEPS_FROM_END, (uint64_t)1 << 62);
    state_blob_fix_checksum(blob, size);
    gd_schedule *loaded = NULL;
    CHECK_STATUS(gd_schedule_new("plateau", &loaded), GD_OK);
    CHECK_STATUS(gd_schedule_load(loaded, blob, size), GD_OK);
    double lr = 0;
    CHECK_STATUS(gd_schedule_step(loaded, 2.0, &lr), GD_OK);
    CHECK_NEAR(lr, 0.01, 1e-17);
    free(blob);
    gd_schedule_free(loaded);
    gd_schedule_free(s);
}

/* ---- 1, the whole class: every field of every kind of blob set to hostile values ---- */

/* Uses a handle that loaded an edited blob, then saves it and loads that back: an accepted
 * state must work and must round-trip. */
typedef void (*exercise_fn)(void *handle);

static void exercise_schedule(void *handle) {
    gd_schedule *s = handle;
    double lr;
    for (int i = 0; i < 3; i++) gd_schedule_step(s, i == 1 ? NAN : 1.0 / (i + 1), &lr);
    size_t size;
    unsigned char *blob = saved(save_schedule, s, &size);
    gd_schedule *again = NULL;
    CHECK_STATUS(gd_schedule_new("plateau", &again), GD_OK);
    CHECK_STATUS(gd_schedule_load(again, blob, size), GD_OK);
    gd_schedule_free(again);
    free(blob);
}

static void exercise_optimizer(void *handle) {
    gd_optimizer *opt = handle;
    double x[2] = {1, -1}, g[2] = {0.5, 0.25};
    CHECK_STATUS(gd_optimizer_step(opt, x, g, 2), GD_OK);
    size_t size;
    unsigned char *blob = saved(save_optimizer, opt, &size);
    gd_optimizer *again = NULL;
    CHECK_STATUS(gd_optimizer_new_from_state(blob, size, &again), GD_OK);
    gd_optimizer_free(again);
    free(blob);
}

static gd_objective *sampled_objective;

static void exercise_run_state(void *handle) {
    gd_run_state *state = handle;
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_optimizer_new("sgd", 2, &opt), GD_OK);
    gd_options options;
    gd_options_init(&options);
    options.batch_size = 3;
    options.max_iterations = 5;
    options.keep_best = 1;
    options.nonfinite_policy = GD_NONFINITE_SKIP;
    options.run_state = state;
    double x[2] = {1, 2};
    gd_report report;
    report.struct_size = sizeof report;
    int status = gd_minimize(sampled_objective, opt, x, 2, &options, &report);
    CHECK(status == GD_OK || status == GD_E_BAD_STATE || status == GD_E_NON_FINITE);
    size_t size;
    unsigned char *blob = saved(save_run_state, state, &size);
    gd_run_state *again = NULL;
    CHECK_STATUS(gd_run_state_new(&again), GD_OK);
    CHECK_STATUS(gd_run_state_load(again, blob, size), GD_OK);
    gd_run_state_free(again);
    free(blob);
    gd_optimizer_free(opt);
}

typedef struct blob_kind {
    const char *name;
    int (*make)(void **out);
    int (*load)(void *handle, const void *buf, size_t size);
    void (*free_handle)(void *handle);
    exercise_fn exercise;
} blob_kind;

static int make_plateau(void **out) { return gd_schedule_new("plateau", (gd_schedule **)out); }
static int load_schedule(void *h, const void *b, size_t n) { return gd_schedule_load(h, b, n); }
static void free_schedule(void *h) { gd_schedule_free(h); }
static int make_adam(void **out) { return gd_optimizer_new("adam", 2, (gd_optimizer **)out); }
static int load_optimizer(void *h, const void *b, size_t n) { return gd_optimizer_load(h, b, n); }
static void free_optimizer(void *h) { gd_optimizer_free(h); }
static int make_run_state(void **out) { return gd_run_state_new((gd_run_state **)out); }
static int load_run_state(void *h, const void *b, size_t n) { return gd_run_state_load(h, b, n); }
static void free_run_state(void *h) { gd_run_state_free(h); }

/* Writes each hostile value as a u64 at every offset of the body, fixes the checksum, loads,
 * and exercises whatever loads. Returns how many edited blobs loaded. */
static int sweep(const blob_kind *kind, const unsigned char *blob, size_t size) {
    const uint64_t values[] = {
        UINT64_MAX, (uint64_t)1 << 62, ((uint64_t)1 << 62) + 1, (uint64_t)1 << 63,
        0x7FF0000000000000u /* inf */, 0xFFF8000000000000u /* NaN */, 0, 1, 2,
    };
    int loaded = 0;
    unsigned char *edited = malloc(size);
    for (size_t offset = STATE_BLOB_HEADER_SIZE; offset + 8 <= size; offset++) {
        for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
            memcpy(edited, blob, size);
            state_blob_store_u64(edited + offset, values[v]);
            state_blob_fix_checksum(edited, size);
            void *handle = NULL;
            CHECK_STATUS(kind->make(&handle), GD_OK);
            int status = kind->load(handle, edited, size);
            if (status == GD_OK) {
                loaded++;
                kind->exercise(handle);
            } else {
                CHECK(status == GD_E_BAD_STATE);
            }
            kind->free_handle(handle);
        }
    }
    free(edited);
    return loaded;
}

static void test_edited_blobs_load_only_when_usable(void) {
    CHECK_STATUS(gd_objective_new_sampled(sampled_bowl, NULL, 2, 8, &sampled_objective), GD_OK);

    gd_schedule *s = plateau_with_bad_steps();
    CHECK_STATUS(gd_schedule_set(s, "cooldown", 2), GD_OK);
    size_t size;
    unsigned char *blob = saved(save_schedule, s, &size);
    const blob_kind schedule = {"schedule", make_plateau, load_schedule, free_schedule, exercise_schedule};
    int loaded = sweep(&schedule, blob, size);
    CHECK(loaded > 0);
    free(blob);
    gd_schedule_free(s);

    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_optimizer_new("adam", 2, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "amsgrad", 1), GD_OK);
    double x[2] = {1, 2}, g[2] = {0.1, -0.3};
    for (int i = 0; i < 3; i++) CHECK_STATUS(gd_optimizer_step(opt, x, g, 2), GD_OK);
    blob = saved(save_optimizer, opt, &size);
    const blob_kind optimizer = {"optimizer", make_adam, load_optimizer, free_optimizer, exercise_optimizer};
    loaded = sweep(&optimizer, blob, size);
    CHECK(loaded > 0);
    free(blob);
    gd_optimizer_free(opt);

    /* A sampled run stopped inside an epoch, with a best and a last iterate kept. */
    gd_run_state *state = NULL;
    CHECK_STATUS(gd_run_state_new(&state), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 2, &opt), GD_OK);
    gd_options options;
    gd_options_init(&options);
    options.batch_size = 3;
    options.max_iterations = 4;
    options.keep_best = 1;
    options.run_state = state;
    double start[2] = {1, 2};
    CHECK_STATUS(gd_minimize(sampled_objective, opt, start, 2, &options, NULL), GD_OK);
    blob = saved(save_run_state, state, &size);
    const blob_kind run_state = {"run state", make_run_state, load_run_state, free_run_state, exercise_run_state};
    loaded = sweep(&run_state, blob, size);
    CHECK(loaded > 0);
    free(blob);
    gd_optimizer_free(opt);
    gd_run_state_free(state);
    gd_objective_free(sampled_objective);
}

/* The blob of a fresh optimizer of `rule` over 3 parameters, and where its u64 dimension
 * is (the body starts with u32 length and the rule's name). */
static unsigned char *fresh_optimizer_blob(const char *rule, size_t *size, size_t *dimension_at) {
    gd_optimizer *opt = NULL;
    CHECK_STATUS(gd_optimizer_new(rule, 3, &opt), GD_OK);
    unsigned char *blob = saved(save_optimizer, opt, size);
    gd_optimizer_free(opt);
    *dimension_at = STATE_BLOB_HEADER_SIZE + 4 + strlen(rule);
    CHECK(state_blob_load_u64(blob + *dimension_at) == 3);
    return blob;
}

/* A short optimizer blob that claims a large dimension is refused before anything is
 * allocated for it (the buffers it claims are not in its bytes). */
static void test_a_large_claimed_dimension_is_refused_before_allocating(void) {
    size_t size, dimension_at;
    unsigned char *blob = fresh_optimizer_blob("adam", &size, &dimension_at);
    const uint64_t claims[] = {(uint64_t)1 << 28, (uint64_t)1 << 40, (uint64_t)1 << 56, 4};
    for (int i = 0; i < 4; i++) {
        state_blob_store_u64(blob + dimension_at, claims[i]);
        state_blob_fix_checksum(blob, size);
        gd_optimizer *loaded = NULL;
        CHECK_STATUS(gd_optimizer_new_from_state(blob, size, &loaded), GD_E_BAD_STATE);
        CHECK(loaded == NULL);
    }
    free(blob);
}

/* An lbfgs blob holds no buffer of the dimension's size (its history holds count pairs of
 * them, none in a fresh optimizer), so a short one may claim any dimension: loading it must
 * not allocate the history's 2 * history_size * n doubles, which a run allocates later. */
static void test_an_lbfgs_blob_claiming_a_large_dimension_allocates_nothing_for_it(void) {
    size_t size, dimension_at;
    unsigned char *blob = fresh_optimizer_blob("lbfgs", &size, &dimension_at);
    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    /* 2^28 parameters: a history of 10 pairs would be 40 GiB; 2^40 would be 160 TiB. */
    const uint64_t claims[] = {(uint64_t)1 << 28, (uint64_t)1 << 40};
    for (int i = 0; i < 2; i++) {
        state_blob_store_u64(blob + dimension_at, claims[i]);
        state_blob_fix_checksum(blob, size);
        gd_optimizer *loaded = NULL;
        CHECK_STATUS(gd_optimizer_new_from_state(blob, size, &loaded), GD_OK);
        double history_size = 0;
        CHECK_STATUS(gd_optimizer_get(loaded, "history_size", &history_size), GD_OK);
        CHECK(history_size == 10);
        gd_optimizer_free(loaded);
    }
    getrusage(RUSAGE_SELF, &after);
    CHECK(after.ru_maxrss - before.ru_maxrss < 64 * 1024); /* KiB */
    free(blob);
}

/* A run state that keeps a best iterate but never began a run is refused: its first run would
 * adopt another dimension than the kept iterate's, and its next blob would not load. */
static void test_a_best_iterate_without_a_run_is_refused(void) {
    gd_run_state *state = NULL;
    CHECK_STATUS(gd_run_state_new(&state), GD_OK);
    size_t size;
    unsigned char *blob = saved(save_run_state, state, &size);
    CHECK((state_blob_load_u64(blob + STATE_BLOB_HEADER_SIZE) & 1) == 0); /* not started */
    state_blob_store_u64(blob + STATE_BLOB_HEADER_SIZE, 8); /* "best iterate kept" */
    state_blob_fix_checksum(blob, size);
    gd_run_state *loaded = NULL;
    CHECK_STATUS(gd_run_state_new(&loaded), GD_OK);
    CHECK_STATUS(gd_run_state_load(loaded, blob, size), GD_E_BAD_STATE);
    CHECK_ERROR_MENTIONS("best iterate");
    gd_run_state_free(loaded);
    free(blob);
    gd_run_state_free(state);
}

/* ---- 4: every state the library reaches saves and loads back ---- */

static void check_schedule_round_trip(const gd_schedule *s, const char *name, double expected_lr) {
    size_t size;
    unsigned char *blob = saved(save_schedule, s, &size);
    gd_schedule *loaded = NULL;
    CHECK_STATUS(gd_schedule_new(name, &loaded), GD_OK);
    CHECK_STATUS(gd_schedule_load(loaded, blob, size), GD_OK);
    double lr = 0;
    CHECK_STATUS(gd_schedule_lr(loaded, &lr), GD_OK);
    CHECK(lr == expected_lr || (isnan(lr) && isnan(expected_lr)));
    gd_schedule_free(loaded);
    free(blob);
}

static void test_an_overflowing_lr_saturates_and_round_trips(void) {
    /* gamma = 1e300 is accepted; two steps overflow a double. */
    gd_schedule *s = NULL;
    CHECK_STATUS(gd_schedule_new("exponential", &s), GD_OK);
    CHECK_STATUS(gd_schedule_set(s, "gamma", 1e300), GD_OK);
    double lr = 0;
    CHECK_STATUS(gd_schedule_start(s, 0.5, &lr), GD_OK);
    CHECK(lr == 0.5);
    CHECK_STATUS(gd_schedule_step(s, 0, &lr), GD_OK);
    CHECK(lr == 0.5 * 1e300);
    CHECK_STATUS(gd_schedule_step(s, 0, &lr), GD_OK);
    CHECK(lr == DBL_MAX);
    check_schedule_round_trip(s, "exponential", DBL_MAX);
    gd_schedule_free(s);

    /* gamma = 2 from lr 0 stays 0 (0 * inf would be NaN). */
    CHECK_STATUS(gd_schedule_new("step", &s), GD_OK);
    CHECK_STATUS(gd_schedule_set(s, "step_size", 1), GD_OK);
    CHECK_STATUS(gd_schedule_set(s, "gamma", 2), GD_OK);
    CHECK_STATUS(gd_schedule_start(s, 0, &lr), GD_OK);
    for (int i = 0; i < 1100; i++) CHECK_STATUS(gd_schedule_step(s, 0, &lr), GD_OK);
    CHECK(lr == 0);
    check_schedule_round_trip(s, "step", 0);
    gd_schedule_free(s);

    /* gamma = 2 after 1,100 steps of a run: the optimizer takes the saturated lr, and its
     * state, the schedule's and the run's all load back. */
    gd_objective *obj = NULL;
    gd_optimizer *opt = NULL;
    gd_run_state *state = NULL;
    CHECK_STATUS(gd_objective_new(flat, NULL, 2, &obj), GD_OK);
    CHECK_STATUS(gd_optimizer_new("sgd", 2, &opt), GD_OK);
    CHECK_STATUS(gd_optimizer_set(opt, "lr", 1), GD_OK);
    CHECK_STATUS(gd_schedule_new("step", &s), GD_OK);
    CHECK_STATUS(gd_schedule_set(s, "step_size", 1), GD_OK);
    CHECK_STATUS(gd_schedule_set(s, "gamma", 2), GD_OK);
    CHECK_STATUS(gd_run_state_new(&state), GD_OK);
    gd_options options;
    gd_options_init(&options);
    options.max_iterations = 1100;
    options.schedule = s;
    options.run_state = state;
    double x[2] = {3, 4};
    CHECK_STATUS(gd_minimize(obj, opt, x, 2, &options, NULL), GD_OK);
    CHECK_STATUS(gd_schedule_lr(s, &lr), GD_OK);
    CHECK(lr == DBL_MAX);
    double opt_lr = 0;
    CHECK_STATUS(gd_optimizer_get(opt, "lr", &opt_lr), GD_OK);
    CHECK(opt_lr == DBL_MAX);
    check_schedule_round_trip(s, "step", DBL_MAX);
    size_t size;
    unsigned char *blob = saved(save_optimizer, opt, &size);
    gd_optimizer *loaded = NULL;
    CHECK_STATUS(gd_optimizer_new_from_state(blob, size, &loaded), GD_OK);
    CHECK_STATUS(gd_optimizer_get(loaded, "lr", &opt_lr), GD_OK);
    CHECK(opt_lr == DBL_MAX);
    gd_optimizer_free(loaded);
    free(blob);
    blob = saved(save_run_state, state, &size);
    gd_run_state *state_again = NULL;
    CHECK_STATUS(gd_run_state_new(&state_again), GD_OK);
    CHECK_STATUS(gd_run_state_load(state_again, blob, size), GD_OK);
    gd_run_state_free(state_again);
    free(blob);
    gd_run_state_free(state);
    gd_schedule_free(s);
    gd_optimizer_free(opt);
    gd_objective_free(obj);
}

/* A schedule whose required keys were never set saves (with their "unset" 0) and loads back;
 * it still cannot start. */
static void test_unset_required_keys_round_trip(void) {
    const char *names[] = {"step", "exponential", "cosine", "warmup_cosine"};
    for (int i = 0; i < 4; i++) {
        gd_schedule *s = NULL;
        CHECK_STATUS(gd_schedule_new(names[i], &s), GD_OK);
        check_schedule_round_trip(s, names[i], NAN);
        size_t size;
        unsigned char *blob = saved(save_schedule, s, &size);
        gd_schedule *loaded = NULL;
        CHECK_STATUS(gd_schedule_new(names[i], &loaded), GD_OK);
        CHECK_STATUS(gd_schedule_load(loaded, blob, size), GD_OK);
        CHECK_STATUS(gd_schedule_start(loaded, 0.1, NULL), GD_E_INVALID_ARGUMENT);
        gd_schedule_free(loaded);
        free(blob);
        gd_schedule_free(s);
    }
}

/* ---- 5: the reserved header field ---- */

static void test_reserved_header_bits_are_rejected(void) {
    gd_schedule *s = plateau_with_bad_steps();
    gd_optimizer *opt = NULL;
    gd_run_state *state = NULL;
    CHECK_STATUS(gd_optimizer_new("adam", 2, &opt), GD_OK);
    CHECK_STATUS(gd_run_state_new(&state), GD_OK);
    size_t sizes[3];
    unsigned char *blobs[3] = {saved(save_schedule, s, &sizes[0]), saved(save_optimizer, opt, &sizes[1]),
                               saved(save_run_state, state, &sizes[2])};
    int rejected = 0;
    for (int kind = 0; kind < 3; kind++) {
        CHECK(state_blob_load_u64(blobs[kind] + STATE_BLOB_RESERVED_OFFSET - 4) >> 32 == 0);
        for (int bit = 0; bit < 32; bit++) {
            unsigned char *blob = blobs[kind];
            blob[STATE_BLOB_RESERVED_OFFSET + bit / 8] ^= (unsigned char)(1u << (bit % 8));
            int status = kind == 0 ? gd_schedule_load(s, blob, sizes[kind])
                       : kind == 1 ? gd_optimizer_load(opt, blob, sizes[kind])
                                   : gd_run_state_load(state, blob, sizes[kind]);
            rejected += status == GD_E_BAD_STATE && strstr(gd_last_error(), "reserved") != NULL;
            blob[STATE_BLOB_RESERVED_OFFSET + bit / 8] ^= (unsigned char)(1u << (bit % 8));
        }
        /* Unedited, the blob loads. */
        int status = kind == 0 ? gd_schedule_load(s, blobs[kind], sizes[kind])
                   : kind == 1 ? gd_optimizer_load(opt, blobs[kind], sizes[kind])
                               : gd_run_state_load(state, blobs[kind], sizes[kind]);
        CHECK_STATUS(status, GD_OK);
        free(blobs[kind]);
    }
    CHECK(rejected == 3 * 32);
    gd_run_state_free(state);
    gd_optimizer_free(opt);
    gd_schedule_free(s);
}

int main(void) {
    test_plateau_counters_out_of_range_do_not_load();
    test_plateau_counter_at_its_limit_steps_on();
    test_edited_blobs_load_only_when_usable();
    test_a_large_claimed_dimension_is_refused_before_allocating();
    test_an_lbfgs_blob_claiming_a_large_dimension_allocates_nothing_for_it();
    test_a_best_iterate_without_a_run_is_refused();
    test_an_overflowing_lr_saturates_and_round_trips();
    test_unset_required_keys_round_trip();
    test_reserved_header_bits_are_rejected();
    return check_summary("test_saved_state_limits");
}
