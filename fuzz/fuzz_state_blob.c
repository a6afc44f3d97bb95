/* libFuzzer target: loading saved states of all three kinds. The harness makes the header
 * right (on most inputs) and always recomputes the checksum, so the fuzzer's bytes reach the
 * field checks. A blob that loads must work (step, run) and must round-trip: saving the
 * loaded state, loading that and saving again gives the same bytes.
 *
 * Input: byte 0 chooses the kind (bits 0-1), whether the header is fixed up (bit 2, unless
 * set), the schedule name (bits 3-5); byte 1 the operations after a load; the rest is the blob. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_descent.h"
#include "state_blob.h"
#include "unit_bowl.h"

#define REQUIRE(cond)                                                                    \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "%s:%d: %s failed; last error: %s\n", __FILE__, __LINE__,   \
                    #cond, gd_last_error());                                             \
            abort();                                                                     \
        }                                                                                \
    } while (0)

static const char *const schedule_names[] = {"constant", "step",          "exponential", "cosine",
                                             "linear",   "warmup_cosine", "plateau",     "plateau"};

typedef int (*save_fn)(const void *handle, void *buf, size_t cap, size_t *size);

static int save_schedule(const void *h, void *b, size_t c, size_t *s) { return gd_schedule_save(h, b, c, s); }
static int save_optimizer(const void *h, void *b, size_t c, size_t *s) { return gd_optimizer_save(h, b, c, s); }
static int save_run_state(const void *h, void *b, size_t c, size_t *s) { return gd_run_state_save(h, b, c, s); }

static unsigned char *saved(save_fn save, const void *handle, size_t *size) {
    REQUIRE(save(handle, NULL, 0, size) == GD_OK);
    unsigned char *blob = malloc(*size);
    REQUIRE(blob != NULL);
    size_t written = 0;
    REQUIRE(save(handle, blob, *size, &written) == GD_OK && written == *size);
    return blob;
}

/* save -> load into a fresh handle -> save gives the same bytes. */
static void check_schedule_round_trip(const gd_schedule *s, const char *name) {
    size_t size, again_size;
    unsigned char *blob = saved(save_schedule, s, &size);
    gd_schedule *fresh = NULL;
    REQUIRE(gd_schedule_new(name, &fresh) == GD_OK);
    REQUIRE(gd_schedule_load(fresh, blob, size) == GD_OK);
    unsigned char *again = saved(save_schedule, fresh, &again_size);
    REQUIRE(again_size == size && memcmp(blob, again, size) == 0);
    free(again);
    free(blob);
    gd_schedule_free(fresh);
}

static void check_optimizer_round_trip(const gd_optimizer *opt) {
    size_t size, again_size;
    unsigned char *blob = saved(save_optimizer, opt, &size);
    gd_optimizer *fresh = NULL;
    REQUIRE(gd_optimizer_new_from_state(blob, size, &fresh) == GD_OK);
    unsigned char *again = saved(save_optimizer, fresh, &again_size);
    REQUIRE(again_size == size && memcmp(blob, again, size) == 0);
    free(again);
    free(blob);
    gd_optimizer_free(fresh);
}

static void check_run_state_round_trip(const gd_run_state *state) {
    size_t size, again_size;
    unsigned char *blob = saved(save_run_state, state, &size);
    gd_run_state *fresh = NULL;
    REQUIRE(gd_run_state_new(&fresh) == GD_OK);
    REQUIRE(gd_run_state_load(fresh, blob, size) == GD_OK);
    unsigned char *again = saved(save_run_state, fresh, &again_size);
    REQUIRE(again_size == size && memcmp(blob, again, size) == 0);
    free(again);
    free(blob);
    gd_run_state_free(fresh);
}

/* The u64 at body offset `at` of a blob, when the blob has it. */
static uint64_t body_u64(const unsigned char *blob, size_t size, size_t at) {
    size_t offset = STATE_BLOB_HEADER_SIZE + at;
    return offset + 8 <= size ? state_blob_load_u64(blob + offset) : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    const uint8_t choice = data[0], operations = data[1];
    const int kind = choice & 3;
    if (kind == 3) return 0;
    size_t blob_size = size - 2;
    unsigned char *blob = malloc(blob_size > 0 ? blob_size : 1);
    memcpy(blob, data + 2, blob_size);
    if (!(choice & 4) && blob_size >= STATE_BLOB_HEADER_SIZE) {
        memcpy(blob, "GDSTATE", 8);
        state_blob_store_u32(blob + 8, 1);
        state_blob_store_u32(blob + 12, (uint32_t)(kind == 0 ? 2 : kind == 1 ? 1 : 3));
        state_blob_store_u64(blob + 16, blob_size);
    }
    state_blob_fix_checksum(blob, blob_size);

    if (kind == 0) {
        const char *name = schedule_names[(choice >> 3) & 7];
        gd_schedule *s = NULL;
        REQUIRE(gd_schedule_new(name, &s) == GD_OK);
        int status = gd_schedule_load(s, blob, blob_size);
        REQUIRE(status == GD_OK || status == GD_E_BAD_STATE);
        if (status == GD_OK) {
            check_schedule_round_trip(s, name);
            double lr = 0;
            REQUIRE(gd_schedule_lr(s, &lr) == GD_OK);
            for (int i = 0; i < (operations & 7); i++) {
                double loss = (operations & 8) ? 1.0 / (i + 1) : (double)i;
                status = gd_schedule_step(s, loss, &lr);
                REQUIRE(status == GD_OK || status == GD_E_INVALID_ARGUMENT);
                REQUIRE(status != GD_OK || (lr >= 0 && lr <= 1.7976931348623157e308));
            }
            check_schedule_round_trip(s, name);
        }
        gd_schedule_free(s);
    } else if (kind == 1) {
        gd_optimizer *opt = NULL;
        int status = gd_optimizer_new_from_state(blob, blob_size, &opt);
        REQUIRE(status == GD_OK || status == GD_E_BAD_STATE || status == GD_E_UNKNOWN_NAME ||
                status == GD_E_OUT_OF_MEMORY);
        if (status == GD_OK) {
            check_optimizer_round_trip(opt);
            /* The dimension follows the rule name (u32 length and bytes) in the body. */
            size_t name_length = blob_size >= 36 ? (size_t)blob[32] | (size_t)blob[33] << 8 : 0;
            uint64_t n = body_u64(blob, blob_size, 4 + name_length);
            if (n > 0 && n <= 256) {
                double x[256], g[256];
                for (size_t i = 0; i < n; i++) {
                    x[i] = (double)i;
                    g[i] = (operations & 1) ? 1e300 : 0.25 * (double)i - 1;
                }
                for (int i = 0; i < ((operations >> 1) & 3); i++) {
                    status = gd_optimizer_step(opt, x, g, (size_t)n);
                    REQUIRE(status == GD_OK || status == GD_E_INVALID_ARGUMENT);
                }
                check_optimizer_round_trip(opt);
                /* A loaded lbfgs history drives a few iterations on the bowl, unbounded or
                 * in a box: hostile pairs may end the run with a status, never worse. */
                double history_size = 0;
                if (gd_optimizer_get(opt, "history_size", &history_size) == GD_OK) {
                    gd_objective *obj = NULL;
                    REQUIRE(gd_objective_new(unit_bowl, NULL, (size_t)n, &obj) == GD_OK);
                    gd_options options;
                    gd_options_init(&options);
                    options.max_iterations = 1 + ((operations >> 3) & 7);
                    double lower[256], upper[256];
                    if (operations & 0x40) {
                        for (size_t i = 0; i < n; i++) {
                            lower[i] = -0.5;
                            upper[i] = 0.75 + (double)i;
                        }
                        options.lower = lower;
                        options.upper = upper;
                    }
                    status = gd_minimize(obj, opt, x, (size_t)n, &options, NULL);
                    REQUIRE(status == GD_OK || status == GD_E_LINE_SEARCH || status == GD_E_NON_FINITE);
                    check_optimizer_round_trip(opt);
                    gd_objective_free(obj);
                }
            }
        }
        gd_optimizer_free(opt);
    } else {
        gd_run_state *state = NULL;
        REQUIRE(gd_run_state_new(&state) == GD_OK);
        int status = gd_run_state_load(state, blob, blob_size);
        REQUIRE(status == GD_OK || status == GD_E_BAD_STATE || status == GD_E_OUT_OF_MEMORY);
        if (status == GD_OK) {
            check_run_state_round_trip(state);
            /* Body: u64 flags, u64 dimension, u64 sample count. */
            uint64_t flags = body_u64(blob, blob_size, 0);
            uint64_t n = body_u64(blob, blob_size, 8), m = body_u64(blob, blob_size, 16);
            if (n == 0 || n > 64) n = 2;
            if (m > 64) m = 0;
            gd_objective *obj = NULL;
            if (m > 0) {
                REQUIRE(gd_objective_new_sampled(sampled_unit_bowl, NULL, (size_t)n, (size_t)m, &obj) == GD_OK);
            } else {
                REQUIRE(gd_objective_new(unit_bowl, NULL, (size_t)n, &obj) == GD_OK);
            }
            gd_optimizer *opt = NULL;
            REQUIRE(gd_optimizer_new((operations & 1) ? "adam" : "sgd", (size_t)n, &opt) == GD_OK);
            gd_options options;
            gd_options_init(&options);
            options.max_iterations = (operations >> 1) & 15;
            if (options.max_iterations == 0) options.max_iterations = 1;
            options.batch_size = m > 0 ? 1 + (size_t)((operations >> 5) % m) : 0;
            options.shuffle = (flags & 2) ? 1 : 0;
            options.keep_best = (operations >> 7) & 1;
            options.max_epochs = (operations >> 5) & 3;
            options.run_state = state;
            double x[64] = {0};
            gd_report report;
            report.struct_size = sizeof report;
            status = gd_minimize(obj, opt, x, (size_t)n, &options, &report);
            REQUIRE(status == GD_OK || status == GD_E_BAD_STATE || status == GD_E_NON_FINITE);
            check_run_state_round_trip(state);
            gd_optimizer_free(opt);
            gd_objective_free(obj);
        }
        gd_run_state_free(state);
    }
    free(blob);
    return 0;
}
