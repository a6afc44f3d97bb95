/* Writes the fuzzers' seed corpus (fuzz/corpus/<target>/) from states the library saves and
 * from the header's examples: `make fuzz-seeds` runs it; the output is committed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_descent.h"
#include "unit_bowl.h"

static const char *corpus = "fuzz/corpus";

static void write_seed(const char *target, const char *name, const void *prefix, size_t prefix_size,
                       const void *bytes, size_t size) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s/%s", corpus, target, name);
    FILE *file = fopen(path, "wb");
    if (!file) {
        perror(path);
        exit(1);
    }
    fwrite(prefix, 1, prefix_size, file);
    fwrite(bytes, 1, size, file);
    fclose(file);
}

typedef int (*save_fn)(const void *handle, void *buf, size_t cap, size_t *size);
static int save_schedule(const void *h, void *b, size_t c, size_t *s) { return gd_schedule_save(h, b, c, s); }
static int save_optimizer(const void *h, void *b, size_t c, size_t *s) { return gd_optimizer_save(h, b, c, s); }
static int save_run_state(const void *h, void *b, size_t c, size_t *s) { return gd_run_state_save(h, b, c, s); }

/* A state blob seed: byte 0 the kind and schedule name, byte 1 the operations, then the blob. */
static void blob_seed(const char *name, uint8_t choice, uint8_t operations, save_fn save, const void *handle) {
    size_t size = 0;
    save(handle, NULL, 0, &size);
    unsigned char *blob = malloc(size);
    save(handle, blob, size, &size);
    const uint8_t prefix[2] = {choice, operations};
    write_seed("state_blob", name, prefix, 2, blob, size);
    free(blob);
}

int main(void) {
    /* Schedules: the harness's name table is constant, step, exponential, cosine, linear,
     * warmup_cosine, plateau. */
    const char *names[] = {"constant", "step", "exponential", "cosine", "linear", "warmup_cosine", "plateau"};
    for (uint8_t i = 0; i < 7; i++) {
        gd_schedule *s = NULL;
        gd_schedule_new(names[i], &s);
        gd_schedule_set(s, "step_size", 2);
        gd_schedule_set(s, "gamma", 0.5);
        gd_schedule_set(s, "t_max", 10);
        gd_schedule_set(s, "warmup_steps", 3);
        gd_schedule_set(s, "cooldown", 2);
        gd_schedule_set(s, "patience", 1);
        char seed[64];
        snprintf(seed, sizeof seed, "schedule-%s-fresh", names[i]);
        blob_seed(seed, (uint8_t)(i << 3), 0x2B, save_schedule, s);
        gd_schedule_start(s, 0.1, NULL);
        for (int k = 0; k < 4; k++) gd_schedule_step(s, k == 0 ? 1.0 : 2.0, NULL);
        snprintf(seed, sizeof seed, "schedule-%s-started", names[i]);
        blob_seed(seed, (uint8_t)(i << 3), 0x2B, save_schedule, s);
        gd_schedule_free(s);
    }
    const char *rules[] = {"sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "radam"};
    for (int i = 0; i < 9; i++) {
        gd_optimizer *opt = NULL;
        gd_optimizer_new(rules[i], 3, &opt);
        gd_optimizer_set(opt, "momentum", 0.9);
        gd_optimizer_set(opt, "amsgrad", 1);
        double x[3] = {1, 2, 3}, g[3] = {0.1, -0.2, 0.3};
        for (int k = 0; k < 2; k++) gd_optimizer_step(opt, x, g, 3);
        char seed[64];
        snprintf(seed, sizeof seed, "optimizer-%s", rules[i]);
        blob_seed(seed, 1, 0x2B, save_optimizer, opt);
        gd_optimizer_free(opt);
    }
    /* lbfgs with a history of pairs from a short run, in a box and without. */
    for (int boxed = 0; boxed < 2; boxed++) {
        gd_objective *obj = NULL;
        gd_objective_new(unit_bowl, NULL, 3, &obj);
        gd_optimizer *opt = NULL;
        gd_optimizer_new("lbfgs", 3, &opt);
        gd_optimizer_set(opt, "history_size", 4);
        gd_options options;
        gd_options_init(&options);
        options.max_iterations = 3;
        double x[3] = {-2, 0.5, 4}, lower[3] = {-3, -1, 0}, upper[3] = {0.5, 2, 2};
        if (boxed) {
            options.lower = lower;
            options.upper = upper;
        }
        gd_minimize(obj, opt, x, 3, &options, NULL);
        /* operations: one refused step, then a run of 6 iterations (in the harness's box when boxed) */
        blob_seed(boxed ? "optimizer-lbfgs-boxed" : "optimizer-lbfgs", 1, boxed ? 0x6A : 0x2A, save_optimizer, opt);
        gd_optimizer_free(opt);
        gd_objective_free(obj);
    }
    for (int sampled = 0; sampled < 2; sampled++) {
        gd_objective *obj = NULL;
        if (sampled) gd_objective_new_sampled(sampled_unit_bowl, NULL, 2, 5, &obj);
        else gd_objective_new(unit_bowl, NULL, 2, &obj);
        gd_optimizer *opt = NULL;
        gd_optimizer_new("sgd", 2, &opt);
        gd_run_state *state = NULL;
        gd_run_state_new(&state);
        gd_options options;
        gd_options_init(&options);
        options.max_iterations = 3;
        options.batch_size = sampled ? 2 : 0;
        options.keep_best = 1;
        options.run_state = state;
        double x[2] = {0, 0};
        gd_minimize(obj, opt, x, 2, &options, NULL);
        blob_seed(sampled ? "run-state-sampled" : "run-state-full-batch", 2, 0x2B, save_run_state, state);
        gd_run_state_free(state);
        gd_optimizer_free(opt);
        gd_objective_free(obj);
    }

    /* Foreign signatures: the header's examples and the harness's symbols. */
    const char *signatures[][2] = {
        {"double rosen(int n, const double *x)", "void rosen_grad(int n, const double *x, double *g)"},
        {"void fg_(const int *n, const double *x, double *f, double *g)", NULL},
        {"double fdf(const double *x, double *g, size_t n)", NULL},
        {"int fdf(const double *x, double *g, int64_t n, double *loss)", NULL},
    };
    for (int i = 0; i < 4; i++) {
        char text[256], seed[32];
        int length = snprintf(text, sizeof text, "%s%s%s", signatures[i][0], signatures[i][1] ? "\n" : "",
                              signatures[i][1] ? signatures[i][1] : "");
        const uint8_t prefix = (uint8_t)(3 | (signatures[i][1] ? 8 : 0));
        snprintf(seed, sizeof seed, "signature-%d", i);
        write_seed("foreign_signature", seed, &prefix, 1, text, (size_t)length);
    }

    /* Options and ABI sequences: a few byte patterns the fuzzers grow from. */
    unsigned char bytes[96];
    for (int pattern = 0; pattern < 3; pattern++) {
        for (size_t i = 0; i < sizeof bytes; i++) bytes[i] = (unsigned char)(pattern == 0 ? 0 : pattern == 1 ? i : 255 - i * 7);
        char seed[32];
        snprintf(seed, sizeof seed, "pattern-%d", pattern);
        write_seed("options", seed, "", 0, bytes, sizeof bytes);
    }
    /* create adam (op 0, slot 0, size 2, name 1), set lr (op 1), step (op 3), save (16),
     * load (17), a plateau schedule (8) started (11) and stepped (12), a rosenbrock (18),
     * and a run (21). */
    const unsigned char program[] = {
        0, 0, 2, 1,  1, 0, 0, 0, 1,  3, 0, 2, 20, 0, 20,  16, 0, 0, 0,  17, 200, 250, 0, 0,
        8, 0, 50, 6,  11, 0, 6, 0,  12, 0, 3, 8,  18, 0, 2, 3, 0, 0, 3, 0, 0, 0,
        21, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
    };
    write_seed("abi_sequence", "program-0", "", 0, program, sizeof program);
    write_seed("abi_sequence", "pattern-1", "", 0, bytes, sizeof bytes);
    return 0;
}
