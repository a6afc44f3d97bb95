/* libFuzzer target: sequences of ABI calls with arbitrary names, keys, values and sizes.
 * The input is a program: each operation byte picks a call, the bytes after it its
 * arguments. Handles live in a few slots per type; buffers are the harness's own (1024
 * doubles), and a size larger than a buffer is passed only to calls that must refuse it
 * before touching memory, which is what the header promises: nothing a caller passes
 * (NULL, sizes, names, keys, values, blobs) crashes or hangs the process. Every call must
 * return GD_OK or a status of the table, and a failure must leave a message. */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gradient_descent.h"
#include "fuzz_input.h"
#include "state_blob.h"

#define SLOTS 4
#define BUFFER 1024

static void check_status(int status, const char *call) {
    if (status > 0 || status < GD_E_FOREIGN || gd_status_string(status)[0] == 'u') {
        fprintf(stderr, "%s returned %d, not a status of the table\n", call, status);
        abort();
    }
    if (status != GD_OK && gd_last_error()[0] == '\0') {
        fprintf(stderr, "%s failed with %d and no message\n", call, status);
        abort();
    }
}
#define CALL(expr) check_status((expr), #expr)

/* ---- what the callbacks do, chosen by the input ---- */

static struct {
    uint8_t objective_mode;  /* 0 finite, 1 NaN loss, 2 abort, 3 NaN on odd calls */
    double schedule_value;   /* what a callback schedule returns */
    uint8_t rule_fails;      /* custom rules return non-zero */
    uint8_t progress_stop;   /* the progress callback stops the run at this iteration (0: never) */
    uint32_t calls;
} script;

static int objective(void *user, const double *x, double *grad, size_t n, double *loss) {
    (void)user;
    script.calls++;
    if (script.objective_mode == 2) return 1;
    double f = 0;
    for (size_t i = 0; i < n; i++) {
        f += 0.5 * x[i] * x[i];
        if (grad) grad[i] = x[i];
    }
    *loss = (script.objective_mode == 1 || (script.objective_mode == 3 && script.calls % 2)) ? 0.0 / 0.0 : f;
    return 0;
}

static int sampled_objective(void *user, const double *x, double *grad, size_t n, const size_t *samples,
                             size_t count, double *loss) {
    (void)samples;
    (void)count;
    return objective(user, x, grad, n, loss);
}

static double schedule_callback(void *user, uint64_t iteration, uint64_t epoch, double lr, double loss) {
    (void)user;
    (void)iteration;
    (void)epoch;
    (void)lr;
    (void)loss;
    return script.schedule_value;
}

static int rule(void *user, double *x, const double *grad, size_t n, double lr, uint64_t step, double *state,
                size_t state_size) {
    (void)user;
    (void)step;
    for (size_t i = 0; i < n; i++) {
        x[i] -= lr * grad[i];
        for (size_t j = 0; j < state_size; j++) state[j * n + i] += grad[i];
    }
    return script.rule_fails;
}

static int progress(void *user, const gd_progress_info *info) {
    if (user) gd_progress_print(user, info);
    return script.progress_stop != 0 && info->iteration >= script.progress_stop;
}

/* Functions bound through libffi with their real prototypes (exported by fuzz/exports.list). */
double fuzz_value(int n, const double *x);
void fuzz_gradient(int n, const double *x, double *g);
double fuzz_value(int n, const double *x) {
    double f = 0;
    for (int i = 0; i < n; i++) f += x[i] * x[i];
    return f;
}
void fuzz_gradient(int n, const double *x, double *g) {
    for (int i = 0; i < n; i++) g[i] = 2 * x[i];
}

/* ---- words the fuzzer can pick besides raw strings ---- */

static const char *const optimizer_names[] = {"sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta",
                                              "adamax", "nadam", "radam", "fuzz_rule", "custom", ""};
static const char *const optimizer_keys[] = {"lr", "momentum", "dampening", "nesterov", "weight_decay",
                                             "maximize", "beta1", "beta2", "eps", "amsgrad", "alpha",
                                             "centered", "lr_decay", "initial_accumulator_value", "rho",
                                             "momentum_decay", "betas", ""};
static const char *const schedule_names[] = {"constant", "step", "exponential", "cosine", "linear",
                                             "warmup_cosine", "plateau", "callback", ""};
static const char *const schedule_keys[] = {"factor", "total_iters", "step_size", "gamma", "t_max",
                                            "eta_min", "start_factor", "end_factor", "warmup_steps",
                                            "mode", "patience", "threshold", "threshold_mode",
                                            "cooldown", "min_lr", "eps", ""};
static const char *const objective_names[] = {"least_squares", "logistic", "softmax", "rosenbrock",
                                              "quadratic", "huber", ""};
static const char *const objective_keys[] = {"l2", "a", "b", "delta", ""};
static const char *const rule_names[] = {"fuzz_rule", "fuzz_rule_2", "adam", "x"};

#define WORDS(list) (list), (sizeof(list) / sizeof((list)[0]))

/* A size: mostly small, sometimes one of the values a hostile caller tries. */
static size_t fuzz_size(fuzz_input *in) {
    /* No size between a buffer and 2^61: the library would try to allocate it, as asked. */
    static const size_t hostile[] = {0, 1, BUFFER, BUFFER + 1, (size_t)1 << 61, (size_t)1 << 62,
                                     SIZE_MAX / 8 + 1, SIZE_MAX / 2 + 1, SIZE_MAX - 1, SIZE_MAX};
    uint8_t kind = fuzz_u8(in);
    if (kind < 200) return kind % 9;
    if (kind < 230) return fuzz_below(in, BUFFER + 1);
    return hostile[kind % (sizeof hostile / sizeof hostile[0])];
}

/* ---- the state of one program ---- */

typedef struct program {
    gd_optimizer *optimizers[SLOTS];
    gd_schedule *schedules[SLOTS];
    gd_run_state *states[SLOTS];
    gd_objective *objectives[SLOTS];
    gd_progress_printer *printer;
    unsigned char blob[8192];
    size_t blob_size;
    char registered[8][72];
    int registered_count;
} program;

static double x[BUFFER], g[BUFFER];
static double data_x[64], data_y[8];
static int64_t labels[8];
static int devnull = -1;

static gd_optimizer **optimizer_slot(program *p, fuzz_input *in) { return &p->optimizers[fuzz_below(in, SLOTS)]; }
static gd_schedule **schedule_slot(program *p, fuzz_input *in) { return &p->schedules[fuzz_below(in, SLOTS)]; }
static gd_run_state **state_slot(program *p, fuzz_input *in) { return &p->states[fuzz_below(in, SLOTS)]; }
static gd_objective **objective_slot(program *p, fuzz_input *in) { return &p->objectives[fuzz_below(in, SLOTS)]; }

/* A pointer the library gets: mostly the handle, sometimes NULL. */
#define MAYBE_NULL(in, pointer) (fuzz_u8(in) < 16 ? NULL : (pointer))

static void fill_buffers(fuzz_input *in) {
    double base = fuzz_double(in), step = fuzz_double(in);
    for (int i = 0; i < BUFFER; i++) {
        x[i] = base + step * (i % 7);
        g[i] = step - base * (i % 5);
    }
}

static void load_blob_into(program *p, fuzz_input *in) {
    /* Optionally edit one byte of the last blob and recompute its checksum. */
    if (p->blob_size > 0 && fuzz_u8(in) < 128) {
        size_t at = fuzz_below(in, p->blob_size);
        p->blob[at] ^= fuzz_u8(in);
        if (fuzz_u8(in) < 200) state_blob_fix_checksum(p->blob, p->blob_size);
    }
    size_t size = fuzz_u8(in) < 240 ? p->blob_size : fuzz_below(in, p->blob_size + 1);
    switch (fuzz_u8(in) % 4) {
    case 0: CALL(gd_optimizer_load(*optimizer_slot(p, in), p->blob, size)); break;
    case 1: CALL(gd_schedule_load(*schedule_slot(p, in), p->blob, size)); break;
    case 2: CALL(gd_run_state_load(*state_slot(p, in), p->blob, size)); break;
    default: {
        gd_optimizer **slot = optimizer_slot(p, in);
        gd_optimizer_free(*slot);
        *slot = NULL;
        CALL(gd_optimizer_new_from_state(p->blob, size, slot));
    }
    }
}

static void save_blob_from(program *p, fuzz_input *in) {
    size_t cap = fuzz_u8(in) < 200 ? sizeof p->blob : fuzz_below(in, sizeof p->blob);
    size_t size = 0;
    int status;
    switch (fuzz_u8(in) % 3) {
    case 0: status = gd_optimizer_save(*optimizer_slot(p, in), fuzz_u8(in) < 16 ? NULL : p->blob, cap, &size); break;
    case 1: status = gd_schedule_save(*schedule_slot(p, in), p->blob, cap, &size); break;
    default: status = gd_run_state_save(*state_slot(p, in), p->blob, cap, &size); break;
    }
    check_status(status, "save");
    if (status == GD_OK && size <= sizeof p->blob) p->blob_size = size;
}

static void create_objective(program *p, fuzz_input *in) {
    gd_objective **slot = objective_slot(p, in);
    gd_objective_free(*slot);
    *slot = NULL;
    char name[80], key[80];
    size_t n = fuzz_size(in);
    switch (fuzz_u8(in) % 4) {
    case 0: CALL(gd_objective_new(MAYBE_NULL(in, objective), NULL, n, slot)); return;
    case 1: CALL(gd_objective_new_sampled(MAYBE_NULL(in, sampled_objective), NULL, n, fuzz_size(in), slot)); return;
    case 2: {
        /* Only the real prototypes are kept (and so called); a raw signature could bind any
         * symbol of the process with a wrong one, so its objective is freed unused. */
        const int raw = fuzz_u8(in) >= 200;
        const char *signature = raw ? fuzz_string(in, name, sizeof name, NULL, 0)
                                    : "double fuzz_value(int n, const double *x)";
        const char *gradient = fuzz_u8(in) < 200 ? "void fuzz_gradient(int n, const double *x, double *g)" : NULL;
        CALL(gd_objective_new_foreign(fuzz_u8(in) < 240 ? NULL : "/dev/null", signature, gradient, n, slot));
        if (raw) {
            gd_objective_free(*slot);
            *slot = NULL;
        }
        return;
    }
    default: break;
    }
    gd_data data;
    CALL(gd_data_init(&data));
    data.rows = fuzz_below(in, 9);
    data.cols = fuzz_below(in, 9);
    data.classes = fuzz_below(in, 5);
    for (int i = 0; i < 64; i++) data_x[i] = fuzz_double(in);
    for (int i = 0; i < 8; i++) {
        data_y[i] = (double)(fuzz_u8(in) % 3) * 0.5;
        labels[i] = (int64_t)(int8_t)fuzz_u8(in) % 5;
    }
    data.x = MAYBE_NULL(in, data_x);
    data.y = MAYBE_NULL(in, data_y);
    data.labels = MAYBE_NULL(in, labels);
    if (fuzz_u8(in) < 8) data.struct_size = fuzz_below(in, sizeof data + 1);
    gd_param params[3];
    size_t param_count = fuzz_below(in, 4);
    char keys[3][80];
    for (size_t i = 0; i < param_count; i++) {
        params[i].key = fuzz_string(in, keys[i], sizeof keys[i], WORDS(objective_keys));
        params[i].value = fuzz_double(in);
    }
    (void)key;
    CALL(gd_objective_create(fuzz_string(in, name, sizeof name, WORDS(objective_names)), n,
                             fuzz_u8(in) < 16 ? NULL : &data, param_count ? params : NULL, param_count, slot));
}

static void minimize(program *p, fuzz_input *in) {
    gd_options options;
    CALL(gd_options_init(&options));
    options.batch_size = fuzz_u8(in) < 128 ? 0 : fuzz_size(in);
    options.max_iterations = 1 + fuzz_below(in, 40);
    options.max_epochs = fuzz_below(in, 3);
    options.gradient_tolerance = fuzz_u8(in) < 200 ? 0 : fuzz_double(in);
    options.loss_tolerance = fuzz_u8(in) < 200 ? 0 : fuzz_double(in);
    options.patience = fuzz_below(in, 3);
    options.target_loss = fuzz_u8(in) < 200 ? -1.0 / 0.0 : fuzz_double(in);
    options.seed = fuzz_u64(in);
    options.shuffle = (int32_t)fuzz_below(in, 3);
    options.progress = fuzz_u8(in) < 64 ? progress : NULL;
    options.progress_user = fuzz_u8(in) < 128 ? p->printer : NULL;
    options.schedule = fuzz_u8(in) < 128 ? *schedule_slot(p, in) : NULL;
    options.schedule_per_epoch = (int32_t)fuzz_below(in, 3);
    options.nonfinite_policy = (int32_t)fuzz_below(in, 3);
    options.clip_norm = fuzz_u8(in) < 200 ? 0 : fuzz_double(in);
    options.clip_value = fuzz_u8(in) < 200 ? 0 : fuzz_double(in);
    options.max_consecutive_skips = fuzz_below(in, 4);
    options.keep_best = (int32_t)fuzz_below(in, 3);
    options.run_state = fuzz_u8(in) < 128 ? *state_slot(p, in) : NULL;
    if (fuzz_u8(in) < 8) options.struct_size = fuzz_below(in, sizeof options + 1);
    gd_report report;
    report.struct_size = fuzz_u8(in) < 8 ? fuzz_below(in, sizeof report + 1) : sizeof report;
    size_t n = fuzz_size(in);
    if (n > BUFFER) return;
    CALL(gd_minimize(MAYBE_NULL(in, *objective_slot(p, in)), MAYBE_NULL(in, *optimizer_slot(p, in)),
                     MAYBE_NULL(in, x), n, fuzz_u8(in) < 16 ? NULL : &options, fuzz_u8(in) < 16 ? NULL : &report));
}

static void run(program *p, fuzz_input *in) {
    char name[80], key[80];
    uint8_t op = fuzz_u8(in);
    switch (op % 32) {
    case 0: {
        gd_optimizer **slot = optimizer_slot(p, in);
        gd_optimizer_free(*slot);
        *slot = NULL;
        size_t n = fuzz_size(in);
        CALL(gd_optimizer_new(fuzz_string(in, name, sizeof name, WORDS(optimizer_names)), n, slot));
        break;
    }
    case 1:
        CALL(gd_optimizer_set(MAYBE_NULL(in, *optimizer_slot(p, in)),
                              fuzz_string(in, key, sizeof key, WORDS(optimizer_keys)), fuzz_double(in)));
        break;
    case 2: {
        double value;
        CALL(gd_optimizer_get(*optimizer_slot(p, in), fuzz_string(in, key, sizeof key, WORDS(optimizer_keys)),
                              fuzz_u8(in) < 16 ? NULL : &value));
        break;
    }
    case 3: {
        size_t n = fuzz_size(in);
        if (n <= BUFFER) CALL(gd_optimizer_step(*optimizer_slot(p, in), MAYBE_NULL(in, x), MAYBE_NULL(in, g), n));
        break;
    }
    case 4: CALL(gd_optimizer_reset(*optimizer_slot(p, in))); break;
    case 5: {
        gd_optimizer **slot = optimizer_slot(p, in);
        gd_optimizer_free(*slot);
        *slot = NULL;
        size_t state_size = fuzz_u8(in) < 200 ? fuzz_below(in, 4) : fuzz_size(in);
        size_t n = fuzz_size(in);
        if (state_size > 4 && n > 0 && n < BUFFER) n = 0; /* keep state_size * n small */
        CALL(gd_optimizer_new_custom(MAYBE_NULL(in, rule), NULL, state_size, n, slot));
        break;
    }
    case 6: {
        if (p->registered_count >= 8) break;
        const char *rule_name = fuzz_string(in, name, sizeof name, WORDS(rule_names));
        size_t state_size = fuzz_u8(in) < 200 ? fuzz_below(in, 4) : fuzz_size(in);
        int status = gd_rule_register(rule_name, MAYBE_NULL(in, rule), NULL, state_size);
        check_status(status, "gd_rule_register");
        if (status == GD_OK && state_size > 4) {
            CALL(gd_rule_unregister(rule_name)); /* would allocate state_size * n doubles */
        } else if (status == GD_OK) {
            snprintf(p->registered[p->registered_count++], sizeof p->registered[0], "%s", rule_name);
        }
        break;
    }
    case 7: CALL(gd_rule_unregister(fuzz_string(in, name, sizeof name, WORDS(rule_names)))); break;
    case 8: {
        gd_schedule **slot = schedule_slot(p, in);
        gd_schedule_free(*slot);
        *slot = NULL;
        if (fuzz_u8(in) < 40) {
            script.schedule_value = fuzz_double(in);
            CALL(gd_schedule_new_callback(MAYBE_NULL(in, schedule_callback), NULL, slot));
        } else {
            CALL(gd_schedule_new(fuzz_string(in, name, sizeof name, WORDS(schedule_names)), slot));
        }
        break;
    }
    case 9:
        CALL(gd_schedule_set(MAYBE_NULL(in, *schedule_slot(p, in)),
                             fuzz_string(in, key, sizeof key, WORDS(schedule_keys)), fuzz_double(in)));
        break;
    case 10: {
        double value;
        CALL(gd_schedule_get(*schedule_slot(p, in), fuzz_string(in, key, sizeof key, WORDS(schedule_keys)), &value));
        break;
    }
    case 11: {
        double lr;
        CALL(gd_schedule_start(*schedule_slot(p, in), fuzz_double(in), fuzz_u8(in) < 16 ? NULL : &lr));
        break;
    }
    case 12: {
        double lr;
        gd_schedule *s = *schedule_slot(p, in);
        int steps = 1 + fuzz_below(in, 64);
        double loss = fuzz_double(in);
        for (int i = 0; i < steps; i++) CALL(gd_schedule_step(s, loss, &lr));
        break;
    }
    case 13: {
        double lr;
        CALL(gd_schedule_lr(*schedule_slot(p, in), &lr));
        CALL(gd_schedule_reset(fuzz_u8(in) < 128 ? NULL : *schedule_slot(p, in)));
        break;
    }
    case 14: {
        gd_run_state **slot = state_slot(p, in);
        gd_run_state_free(*slot);
        *slot = NULL;
        CALL(gd_run_state_new(slot));
        break;
    }
    case 15: CALL(gd_run_state_reset(*state_slot(p, in))); break;
    case 16: save_blob_from(p, in); break;
    case 17: load_blob_into(p, in); break;
    case 18: create_objective(p, in); break;
    case 19: {
        size_t n = fuzz_size(in);
        double loss;
        if (n <= BUFFER)
            CALL(gd_objective_evaluate(*objective_slot(p, in), MAYBE_NULL(in, x), n, MAYBE_NULL(in, g),
                                       fuzz_u8(in) < 16 ? NULL : &loss));
        break;
    }
    case 20: {
        size_t value;
        CALL(gd_objective_dimension(*objective_slot(p, in), &value));
        CALL(gd_objective_sample_count(*objective_slot(p, in), &value));
        break;
    }
    case 21: minimize(p, in); break;
    case 22: {
        gd_gradient_check result;
        result.struct_size = fuzz_u8(in) < 16 ? fuzz_below(in, sizeof result + 1) : sizeof result;
        size_t n = fuzz_size(in);
        if (n <= 64) CALL(gd_check_gradient(*objective_slot(p, in), x, n, fuzz_double(in), &result));
        break;
    }
    case 23: {
        size_t n = fuzz_size(in);
        double norm;
        if (n <= BUFFER) {
            CALL(gd_clip_grad_norm(MAYBE_NULL(in, g), n, fuzz_double(in), fuzz_u8(in) < 128 ? NULL : &norm));
            CALL(gd_clip_grad_value(MAYBE_NULL(in, g), n, fuzz_double(in)));
        }
        break;
    }
    case 24: {
        size_t count = 0;
        CALL(gd_registry_count(&count));
        gd_registry_info info;
        info.struct_size = fuzz_u8(in) < 16 ? fuzz_below(in, sizeof info + 1) : sizeof info;
        CALL(gd_registry_entry(fuzz_u8(in) < 200 ? fuzz_below(in, count + 2) : fuzz_size(in), &info));
        break;
    }
    case 25: {
        int status = (int)(int32_t)fuzz_u64(in);
        if (gd_status_string(status) == NULL || gd_stop_reason_string(status) == NULL) abort();
        if (gd_version_string() == NULL || gd_last_error() == NULL) abort();
        break;
    }
    case 26: {
        gd_options options;
        size_t size = fuzz_u8(in) < 128 ? sizeof options : fuzz_below(in, sizeof options + 1);
        CALL(gd_options_init_sized(MAYBE_NULL(in, &options), size));
        break;
    }
    case 27: {
        gd_progress_printer_free(p->printer);
        p->printer = NULL;
        int fds[] = {devnull, -1, 1000, devnull};
        CALL(gd_progress_printer_new(fds[fuzz_below(in, 4)], fuzz_size(in), fuzz_size(in),
                                     fuzz_u8(in) < 16 ? NULL : &p->printer));
        break;
    }
    case 28: {
        gd_progress_info info;
        memset(&info, 0, sizeof info);
        info.struct_size = sizeof info;
        info.iteration = fuzz_u64(in);
        info.epoch = fuzz_u64(in);
        info.loss = fuzz_double(in);
        info.gradient_norm = fuzz_double(in);
        info.lr = fuzz_double(in);
        info.x = x;
        info.n = fuzz_below(in, BUFFER + 1);
        if (gd_progress_print(p->printer, fuzz_u8(in) < 16 ? NULL : &info) != 0) abort();
        break;
    }
    case 29: {
        size_t added;
        const char *paths[] = {"/dev/null", "/", "/nonexistent/plugin.so", "", "fuzz"};
        CALL(gd_plugin_load(fuzz_u8(in) < 16 ? NULL : paths[fuzz_below(in, 5)], fuzz_u8(in) < 128 ? NULL : &added));
        break;
    }
    case 30:
        script.objective_mode = fuzz_u8(in) % 4;
        script.rule_fails = fuzz_u8(in) < 32;
        script.progress_stop = fuzz_u8(in) % 8;
        script.schedule_value = fuzz_double(in);
        break;
    default: fill_buffers(in); break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (devnull < 0) devnull = open("/dev/null", O_WRONLY);
    static program p;
    memset(&p, 0, sizeof p);
    memset(&script, 0, sizeof script);
    for (int i = 0; i < BUFFER; i++) x[i] = g[i] = 0.5;
    fuzz_input in = {data, size};
    for (int ops = 0; ops < 64 && !fuzz_empty(&in); ops++) run(&p, &in);
    for (int i = 0; i < SLOTS; i++) {
        gd_optimizer_free(p.optimizers[i]);
        gd_schedule_free(p.schedules[i]);
        gd_run_state_free(p.states[i]);
        gd_objective_free(p.objectives[i]);
    }
    gd_progress_printer_free(p.printer);
    for (int i = 0; i < p.registered_count; i++) gd_rule_unregister(p.registered[i]);
    return 0;
}
