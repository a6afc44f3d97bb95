/* libFuzzer target: gd_options as a caller fills it (any struct_size, any field values),
 * given to gd_minimize over small objectives, and gd_options_init_sized with any size. The
 * harness keeps only what a caller is responsible for valid: the buffer holds struct_size
 * bytes, pointers are NULL or live handles. A run must end (the harness bounds every run
 * whose options would let it go on for ever, and checks that the library refuses those
 * with no stopping criterion at all), and return GD_OK or a documented status.
 *
 * Input: choices (struct size, objective, pointers), then the option fields' bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_descent.h"
#include "fuzz_input.h"

#define REQUIRE(cond)                                                                    \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "%s:%d: %s failed; last error: %s\n", __FILE__, __LINE__,   \
                    #cond, gd_last_error());                                             \
            abort();                                                                     \
        }                                                                                \
    } while (0)

/* 1/2 |x - 1|^2, non-finite on the evaluations the input chose. */
typedef struct objective_script {
    uint32_t nan_mask; /* evaluation k (mod 32) returns NaN when bit k is set */
    uint32_t calls;
} objective_script;

static int bowl(void *user, const double *x, double *grad, size_t n, double *loss) {
    objective_script *script = user;
    double f = 0;
    for (size_t i = 0; i < n; i++) {
        f += 0.5 * (x[i] - 1) * (x[i] - 1);
        if (grad) grad[i] = x[i] - 1;
    }
    *loss = (script->nan_mask >> (script->calls++ % 32)) & 1 ? 0.0 / 0.0 : f;
    return 0;
}

static int sampled_bowl(void *user, const double *x, double *grad, size_t n, const size_t *samples,
                        size_t count, double *loss) {
    (void)samples;
    (void)count;
    return bowl(user, x, grad, n, loss);
}

static int stop_after_100(void *user, const gd_progress_info *info) {
    (void)user;
    return info->iteration >= 100;
}

/* A few of the sizes a binding might pass: older, exact, newer, nonsense. */
static size_t struct_size_choice(fuzz_input *in) {
    const size_t first_release = offsetof(gd_options, schedule);
    const size_t sizes[] = {sizeof(gd_options), sizeof(gd_options), first_release, first_release - 8,
                            sizeof(gd_options) + 8, sizeof(gd_options) + 64, 0, 8};
    return sizes[fuzz_below(in, sizeof sizes / sizeof sizes[0])];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_input in = {data, size};
    const size_t struct_size = struct_size_choice(&in);
    const size_t capacity = struct_size > sizeof(gd_options) ? struct_size : sizeof(gd_options);
    unsigned char *buffer = malloc(capacity);
    memset(buffer, 0xA5, capacity);
    gd_options *options = (gd_options *)(void *)buffer;

    /* gd_options_init_sized with this size: refused below the first release, else every byte set. */
    int status = gd_options_init_sized(options, struct_size);
    REQUIRE(status == (struct_size >= offsetof(gd_options, schedule) ? GD_OK : GD_E_INVALID_ARGUMENT));
    if (status != GD_OK) {
        gd_options_init(options);
        options->struct_size = struct_size;
    }

    const int sampled = fuzz_u8(&in) & 1;
    const size_t n = 1 + fuzz_below(&in, 4), m = 1 + fuzz_below(&in, 12);
    objective_script script = {(uint32_t)fuzz_u64(&in), 0};
    if (fuzz_u8(&in) < 192) script.nan_mask = 0;

    /* Every field the caller sets, from the input (pointers excepted). */
    options->batch_size = fuzz_u8(&in) < 128 ? fuzz_below(&in, 16) : (size_t)fuzz_u64(&in);
    options->max_iterations = fuzz_u8(&in) < 200 ? fuzz_below(&in, 300) : fuzz_u64(&in);
    options->max_epochs = fuzz_u8(&in) < 200 ? fuzz_below(&in, 6) : fuzz_u64(&in);
    options->gradient_tolerance = fuzz_double(&in);
    options->loss_tolerance = fuzz_double(&in);
    options->patience = fuzz_u8(&in) < 200 ? fuzz_below(&in, 4) : fuzz_u64(&in);
    options->target_loss = fuzz_double(&in);
    options->time_limit = fuzz_double(&in);
    options->seed = fuzz_u64(&in);
    options->shuffle = (int32_t)(fuzz_u8(&in) < 200 ? fuzz_below(&in, 2) : (int32_t)fuzz_u64(&in));
    const int with_progress = fuzz_u8(&in) < 64;
    options->progress = with_progress ? stop_after_100 : NULL;
    options->progress_user = NULL;
    gd_schedule *schedule = NULL;
    gd_run_state *state = NULL;
    if (struct_size >= offsetof(gd_options, schedule) + sizeof(void *)) {
        uint8_t controls = fuzz_u8(&in);
        if (controls & 1) {
            const char *names[] = {"plateau", "cosine", "exponential", "step"};
            gd_schedule_new(names[(controls >> 1) & 3], &schedule);
            gd_schedule_set(schedule, "t_max", 10);
            gd_schedule_set(schedule, "gamma", fuzz_double(&in));
            gd_schedule_set(schedule, "step_size", 3);
        }
        options->schedule = schedule;
    }
    if (struct_size >= offsetof(gd_options, run_state) + sizeof(void *)) {
        options->schedule_per_epoch = (int32_t)fuzz_below(&in, 3);
        options->nonfinite_policy = (int32_t)fuzz_below(&in, 3);
        options->clip_norm = fuzz_double(&in);
        options->clip_value = fuzz_double(&in);
        options->max_consecutive_skips = fuzz_below(&in, 4);
        options->keep_best = (int32_t)fuzz_below(&in, 3);
        if (fuzz_u8(&in) & 1) gd_run_state_new(&state);
        options->run_state = state;
    }

    /* The library refuses a run with no criterion that can stop it; with one that may never
     * be met (a tolerance, a target), the harness bounds the run itself. */
    const int sampled_run = sampled && options->batch_size > 0;
    const int bounded = options->max_iterations > 0 || (sampled_run && options->max_epochs > 0) || with_progress;
    const int any_criterion = bounded || options->gradient_tolerance != 0 || options->loss_tolerance != 0 ||
                              options->target_loss != -1.0 / 0.0 || options->time_limit != 0;
    if (!bounded && any_criterion) options->max_iterations = 200;
    if (options->max_iterations > 300) options->max_iterations = 300;
    if (sampled_run && options->max_epochs > 5 && options->max_iterations == 0) options->max_epochs = 5;
    if (options->time_limit > 1) options->time_limit = 1;

    gd_objective *obj = NULL;
    if (sampled) {
        REQUIRE(gd_objective_new_sampled(sampled_bowl, &script, n, m, &obj) == GD_OK);
    } else {
        REQUIRE(gd_objective_new(bowl, &script, n, &obj) == GD_OK);
    }
    gd_optimizer *opt = NULL;
    REQUIRE(gd_optimizer_new("adam", n, &opt) == GD_OK);
    double x[4] = {0, 0.5, -0.5, 2};
    gd_report report;
    memset(&report, 0, sizeof report);
    report.struct_size = sizeof report;
    status = gd_minimize(obj, opt, x, n, options, &report);
    REQUIRE(status == GD_OK || status == GD_E_INVALID_ARGUMENT || status == GD_E_NON_FINITE ||
            status == GD_E_CALLBACK || status == GD_E_BAD_STATE);
    if (!any_criterion && options->struct_size >= offsetof(gd_options, schedule)) {
        REQUIRE(status == GD_E_INVALID_ARGUMENT); /* no criterion: refused, never a hang */
    }
    REQUIRE(report.iterations <= 300);

    gd_optimizer_free(opt);
    gd_objective_free(obj);
    gd_schedule_free(schedule);
    gd_run_state_free(state);
    free(buffer);
    return 0;
}
