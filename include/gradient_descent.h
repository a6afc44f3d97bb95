/*
 * gradient_descent.h: the C ABI of libgradient_descent.
 *
 * A gradient-descent optimizer core written in Swift. The caller supplies a loss and its
 * gradient (a callback, a built-in objective over borrowed data, or a plugin); the library
 * runs the descent loop with PyTorch's update rules (torch.optim, single-tensor path).
 *
 * Conventions, for every function below:
 *  - Every fallible function returns int: GD_OK (0) or a negative gd_status. On failure,
 *    gd_last_error() gives a detail message naming the argument and the value; outputs are
 *    left untouched unless the function says otherwise.
 *  - Constructors return a status and hand back the handle through an out-parameter.
 *    Handles are opaque; gd_*_free(NULL) is a no-op.
 *  - Nothing a caller passes can crash the process: NULL pointers, n = 0, mismatched
 *    dimensions, unknown names and keys, non-finite hyper-parameters are all reported.
 *    (A pointer that is non-NULL but points at too little memory cannot be detected.)
 *  - Sizes are size_t, counts uint64_t, flags int32_t holding 0 or 1. No variadic
 *    functions; no struct is passed by value.
 *  - Handles are not thread-safe: use one handle from one thread at a time. Distinct
 *    handles may be used from distinct threads concurrently.
 *
 * ABI promise: within one GD_VERSION_MAJOR, functions are only added, never changed or
 * removed, and structs that start with struct_size only grow at the end. Bindings check
 * gd_version_number() / 10000 against the major they were written for.
 */
#ifndef GRADIENT_DESCENT_H
#define GRADIENT_DESCENT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------ */
/* Version                                                                              */
/* ------------------------------------------------------------------------------------ */

#define GD_VERSION_MAJOR 0
#define GD_VERSION_MINOR 1
#define GD_VERSION_PATCH 0
/* MAJOR * 10000 + MINOR * 100 + PATCH, as gd_version_number() returns at run time. */
#define GD_VERSION_NUMBER (GD_VERSION_MAJOR * 10000 + GD_VERSION_MINOR * 100 + GD_VERSION_PATCH)

/* The library's version as "MAJOR.MINOR.PATCH"; static storage. */
const char *gd_version_string(void);
/* The library's version as MAJOR * 10000 + MINOR * 100 + PATCH. */
uint32_t gd_version_number(void);

/* ------------------------------------------------------------------------------------ */
/* Status codes                                                                         */
/* ------------------------------------------------------------------------------------ */

/* The one table of status codes: X(name, value, text). The enum below, gd_status_string()
 * and the Python exception classes are all generated from it. Codes are never reused. */
#define GD_STATUS_TABLE(X)                                                                  \
    X(GD_OK,                    0, "success")                                               \
    X(GD_E_NULL_ARGUMENT,      -1, "a required pointer argument is NULL")                   \
    X(GD_E_INVALID_ARGUMENT,   -2, "an argument is out of its valid range")                 \
    X(GD_E_DIMENSION_MISMATCH, -3, "dimensions of the arguments do not agree")              \
    X(GD_E_UNKNOWN_NAME,       -4, "no optimizer, objective or schedule has this name")    \
    X(GD_E_UNKNOWN_KEY,        -5, "the parameter key is not known to this object")         \
    X(GD_E_OUT_OF_MEMORY,      -6, "memory allocation failed")                              \
    X(GD_E_CALLBACK,           -7, "a callback returned non-zero and aborted the run")      \
    X(GD_E_NON_FINITE,         -8, "a loss, gradient or iterate is NaN or infinite")        \
    X(GD_E_PLUGIN,             -9, "a plugin could not be loaded or used")                  \
    X(GD_E_BAD_STATE,         -10, "a saved state blob is malformed or does not match")     \
    X(GD_E_FOREIGN,           -11, "a foreign function binding is malformed or failed")

#define GD_STATUS_ENUM_ENTRY_(name, value, text) name = value,
typedef enum gd_status { GD_STATUS_TABLE(GD_STATUS_ENUM_ENTRY_) } gd_status;
#undef GD_STATUS_ENUM_ENTRY_

/* Static text for a status code ("success", "an argument is out of its valid range", ...);
 * "unknown status" for a value not in the table. Never NULL. */
const char *gd_status_string(int status);

/* The detail message of the last failure on the calling thread, e.g.
 * "gd_optimizer_set: lr must be finite and >= 0, got -0.1". Empty string when the last
 * call on this thread succeeded. The pointer stays valid until the next gd_ call on the
 * same thread. Never NULL. */
const char *gd_last_error(void);

/* ------------------------------------------------------------------------------------ */
/* Optimizers: update rules with torch.optim semantics and defaults                     */
/* ------------------------------------------------------------------------------------ */

/* An update rule and its state (moments, step count) for n parameters. */
typedef struct gd_optimizer gd_optimizer;

/* Create an optimizer for n > 0 parameters. Names and their keys (PyTorch's argument
 * names and defaults; booleans are 0 or 1; betas is split into beta1 and beta2):
 *   "sgd"      lr=0.001 momentum=0 dampening=0 nesterov=0 weight_decay=0 maximize=0
 *   "adam"     lr=0.001 beta1=0.9 beta2=0.999 eps=1e-8 weight_decay=0 amsgrad=0 maximize=0
 *   "adamw"    as adam, weight_decay=0.01 (decoupled)
 *   "rmsprop"  lr=0.01 alpha=0.99 eps=1e-8 weight_decay=0 momentum=0 centered=0 maximize=0
 *   "adagrad"  lr=0.01 lr_decay=0 weight_decay=0 initial_accumulator_value=0 eps=1e-10 maximize=0
 *   "adadelta" lr=1.0 rho=0.9 eps=1e-6 weight_decay=0 maximize=0
 *   "adamax"   lr=0.002 beta1=0.9 beta2=0.999 eps=1e-8 weight_decay=0 maximize=0
 *   "nadam"    lr=0.002 beta1=0.9 beta2=0.999 eps=1e-8 weight_decay=0 momentum_decay=0.004 maximize=0
 *   "radam"    lr=0.001 beta1=0.9 beta2=0.999 eps=1e-8 weight_decay=0 maximize=0
 * Returns GD_E_NULL_ARGUMENT (name or out NULL), GD_E_UNKNOWN_NAME, GD_E_INVALID_ARGUMENT
 * (n = 0), GD_E_OUT_OF_MEMORY. The caller owns *out and frees it with gd_optimizer_free. */
int gd_optimizer_new(const char *name, size_t n, gd_optimizer **out);

/* Set a hyper-parameter by key. Values are checked at once: GD_E_UNKNOWN_KEY for a key the
 * rule does not have, GD_E_INVALID_ARGUMENT for a value out of range (non-finite, negative
 * lr/eps/weight_decay/momentum, beta outside [0, 1), a boolean other than 0 or 1).
 * Combinations PyTorch rejects (nesterov without momentum or with dampening) are checked
 * when the optimizer is next used, by gd_optimizer_step or gd_minimize. State is kept:
 * changing lr between steps is how a hand-written schedule works. */
int gd_optimizer_set(gd_optimizer *opt, const char *key, double value);

/* Read a hyper-parameter by key into *value. GD_E_UNKNOWN_KEY for an unknown key. */
int gd_optimizer_get(const gd_optimizer *opt, const char *key, double *value);

/* One update of x[0..n) in place from grad[0..n) (ask/tell, for callers that own the loop).
 * n must equal the optimizer's n (GD_E_DIMENSION_MISMATCH). x and grad must not overlap.
 * The update is applied whatever the values of grad; use gd_minimize for non-finite checks. */
int gd_optimizer_step(gd_optimizer *opt, double *x, const double *grad, size_t n);

/* Forget the state (moments, step count); hyper-parameters are kept. */
int gd_optimizer_reset(gd_optimizer *opt);

/* Free an optimizer; NULL is a no-op. */
void gd_optimizer_free(gd_optimizer *opt);

/* ------------------------------------------------------------------------------------ */
/* Objectives                                                                           */
/* ------------------------------------------------------------------------------------ */

/* A loss to minimize over n parameters. */
typedef struct gd_objective gd_objective;

/* Full batch. Write f(x) to *loss and, when grad != NULL, the gradient to grad[0..n).
 * Return 0, or non-zero to abort the run (gd_minimize then returns GD_E_CALLBACK).
 * During one gd_minimize call, x and grad point to the same buffers on every call, so a
 * binding can wrap them once. The callback must not keep x or grad after it returns. */
typedef int (*gd_objective_fn)(void *user, const double *x, double *grad, size_t n, double *loss);

/* Sampled: f and its gradient averaged over the samples samples[0..count), each index
 * < sample_count. Same buffer and return rules as gd_objective_fn; the samples buffer is
 * also the same for a whole run. */
typedef int (*gd_sampled_fn)(void *user, const double *x, double *grad, size_t n,
                             const size_t *samples, size_t count, double *loss);

/* Wrap a full-batch callback. user is passed back unchanged and is not owned. */
int gd_objective_new(gd_objective_fn fn, void *user, size_t n, gd_objective **out);

/* Wrap a sampled callback over sample_count > 0 samples. */
int gd_objective_new_sampled(gd_sampled_fn fn, void *user, size_t n, size_t sample_count,
                             gd_objective **out);

/* Number of parameters of an objective. */
int gd_objective_dimension(const gd_objective *obj, size_t *n);

/* Number of samples (0 for a full-batch-only objective). */
int gd_objective_sample_count(const gd_objective *obj, size_t *count);

/* Evaluate once at x: loss into *loss, gradient into grad when grad != NULL. A sampled
 * objective is evaluated over all its samples. Statuses as in gd_minimize. */
int gd_objective_evaluate(gd_objective *obj, const double *x, size_t n, double *grad, double *loss);

/* Free an objective; NULL is a no-op. */
void gd_objective_free(gd_objective *obj);

/* ------------------------------------------------------------------------------------ */
/* The run                                                                              */
/* ------------------------------------------------------------------------------------ */

/* Why a run stopped: X(name, value, text). */
#define GD_STOP_REASON_TABLE(X)                                                             \
    X(GD_STOP_NONE,               0, "the run did not start")                               \
    X(GD_STOP_MAX_ITERATIONS,     1, "reached max_iterations")                              \
    X(GD_STOP_MAX_EPOCHS,         2, "reached max_epochs")                                  \
    X(GD_STOP_GRADIENT_TOLERANCE, 3, "gradient norm at or below gradient_tolerance")        \
    X(GD_STOP_LOSS_TOLERANCE,     4, "loss change at or below loss_tolerance for patience checks") \
    X(GD_STOP_TARGET_LOSS,        5, "loss at or below target_loss")                        \
    X(GD_STOP_TIME_LIMIT,         6, "reached time_limit")                                  \
    X(GD_STOP_PROGRESS,           7, "the progress callback asked to stop")                 \
    X(GD_STOP_CALLBACK_ERROR,     8, "the objective callback returned non-zero")            \
    X(GD_STOP_NON_FINITE,         9, "a non-finite loss or gradient was met")

#define GD_STOP_REASON_ENUM_ENTRY_(name, value, text) name = value,
typedef enum gd_stop_reason { GD_STOP_REASON_TABLE(GD_STOP_REASON_ENUM_ENTRY_) } gd_stop_reason;
#undef GD_STOP_REASON_ENUM_ENTRY_

/* Static text for a stop reason; "unknown stop reason" otherwise. Never NULL. */
const char *gd_stop_reason_string(int reason);

/* What the progress callback sees after every iteration. x is the iterate after the update
 * (read only, valid during the call). In mini-batch runs loss and gradient_norm are the
 * batch's, measured before the update. */
typedef struct gd_progress_info {
    size_t struct_size;
    uint64_t iteration;      /* updates applied so far, >= 1 */
    uint64_t epoch;          /* completed passes over the samples (0 in full-batch runs) */
    double loss;
    double gradient_norm;    /* L2 norm of the gradient used by the update */
    double lr;               /* learning rate used by the update */
    const double *x;
    size_t n;
} gd_progress_info;

/* Return 0 to continue, non-zero to stop the run (stop reason GD_STOP_PROGRESS). */
typedef int (*gd_progress_fn)(void *user, const gd_progress_info *info);

/* Options of a run. Always fill with gd_options_init first, then change fields. Limits of
 * 0 disable that criterion. Criteria are checked in this order after each evaluation:
 * non-finite, gradient_tolerance, target_loss, loss_tolerance; after each update:
 * progress, max_iterations, time_limit; after each epoch: max_epochs.
 *
 * Full batch (batch_size 0): every iteration evaluates the objective at x and updates x.
 * Sampled (batch_size k >= 1, objective with samples): each epoch visits every sample once,
 * in an order shuffled by a xoshiro256** generator seeded from seed (bit-identical on every
 * machine), or in order 0..m-1 when shuffle is 0; consecutive runs of k indices are the
 * batches. When k does not divide m the last batch of an epoch is short: it is used, not
 * dropped, so every sample counts once per epoch. In sampled runs gradient_tolerance,
 * target_loss and loss_tolerance are checked at the end of each epoch on the full loss
 * (one extra evaluation over all samples, counted in evaluations); during the epoch they
 * would only see batch noise. */
typedef struct gd_options {
    size_t struct_size;        /* sizeof(gd_options), set by gd_options_init */
    size_t batch_size;         /* 0 = full batch (default); 1 = SGD; k = mini-batch */
    uint64_t max_iterations;   /* default 10000 */
    uint64_t max_epochs;       /* default 0 (no limit) */
    double gradient_tolerance; /* stop when ||grad||_2 <= this; default 0 (off) */
    double loss_tolerance;     /* stop when |f_prev - f| <= loss_tolerance * max(1, |f_prev|, |f|) */
    uint64_t patience;         /*   for this many consecutive checks; default 1 */
    double target_loss;        /* stop when f <= target_loss; default -INFINITY (off) */
    double time_limit;         /* seconds of wall clock; default 0 (off) */
    uint64_t seed;             /* default 0 */
    int32_t shuffle;           /* 1 (default) shuffles every epoch, 0 keeps order */
    gd_progress_fn progress;   /* called after every iteration; NULL (default) for none */
    void *progress_user;
} gd_options;

/* Fill *options with the defaults above. */
int gd_options_init(gd_options *options);

/* What a run did. */
typedef struct gd_report {
    size_t struct_size;        /* set by the caller to sizeof(gd_report) */
    int32_t stop_reason;       /* a gd_stop_reason */
    uint64_t iterations;       /* updates applied */
    uint64_t epochs;           /* completed epochs (0 in full-batch runs) */
    uint64_t evaluations;      /* calls to the objective */
    double loss;               /* objective at the returned x (over all samples) */
    double best_loss;          /* lowest full loss seen (batch losses do not count) */
    double gradient_norm;      /* ||grad||_2 at the returned x when known, else at the last evaluation */
    double seconds;            /* wall clock of the run */
} gd_report;

/* Minimize obj from x[0..n) in place with opt. options may be NULL for the defaults;
 * report may be NULL. opt's state carries over between calls (call gd_optimizer_reset to
 * start afresh). Returns GD_OK when the run stopped by one of its criteria (see
 * report->stop_reason), or a negative status: GD_E_NULL_ARGUMENT, GD_E_DIMENSION_MISMATCH
 * (n differs from the objective's or the optimizer's), GD_E_INVALID_ARGUMENT (bad option,
 * batch_size > sample count, batch_size on a full-batch objective, struct_size too small),
 * GD_E_CALLBACK (the objective returned non-zero), GD_E_NON_FINITE (a non-finite loss or
 * gradient). On any failure during the run x holds the last iterate whose loss and gradient
 * were finite, and the report is filled. */
int gd_minimize(gd_objective *obj, gd_optimizer *opt, double *x, size_t n,
                const gd_options *options, gd_report *report);

/* ------------------------------------------------------------------------------------ */
/* Built-in objectives, the objective registry, plugins and foreign functions           */
/* ------------------------------------------------------------------------------------ */

/* (section: objectives beyond callbacks) */

/* Three ways to plug a loss in besides a callback, all giving a gd_objective that
 * gd_minimize, gd_objective_evaluate and gd_objective_free take like any other:
 *   1. a built-in by name over borrowed data:  gd_objective_create("least_squares", ...);
 *   2. a plugin, a shared object that registers more names: gd_plugin_load(path, ...),
 *      then gd_objective_create("huber", ...) exactly like a built-in;
 *   3. a function already compiled in some shared library, bound by symbol name and a
 *      signature string through libffi: gd_objective_new_foreign(...).
 *
 * Lifetime rule for data: gd_objective_create never copies the data. X, y and labels are
 * read on every evaluation, so they must stay valid and unchanged until gd_objective_free.
 */

/* Which fields of gd_data an objective requires (gd_registry_info.data_fields). */
#define GD_DATA_X      1u /* x, rows, cols */
#define GD_DATA_Y      2u /* y */
#define GD_DATA_LABELS 4u /* labels, classes */

/* Borrowed data, row-major (C order), float64. Fill with gd_data_init first (zeroes and
 * struct_size), then set the fields an objective reads:
 *   least_squares  x (rows x cols), y (rows targets)                          n = cols
 *   logistic       x, y (rows labels in [0, 1], usually 0 or 1)               n = cols
 *   softmax        x, labels (rows class indices in [0, classes)), classes    n = cols * classes
 *   quadratic      x = A (n x n), y = b (n values, or NULL for b = 0)         n = rows = cols
 *   rosenbrock     none (data may be NULL)                                    n >= 2
 * A plugin's objective documents its own use of these fields. */
typedef struct gd_data {
    size_t struct_size;     /* sizeof(gd_data), set by gd_data_init */
    const double *x;        /* rows * cols values, row i at x + i * cols */
    size_t rows;            /* the samples of a sampled objective */
    size_t cols;
    const double *y;        /* rows values */
    const int64_t *labels;  /* rows class indices */
    size_t classes;
} gd_data;

/* Zero *data and set data->struct_size. */
int gd_data_init(gd_data *data);

/* A parameter by key, e.g. {"l2", 0.1}. Arrays of these are passed by pointer and count. */
typedef struct gd_param {
    const char *key;
    double value;
} gd_param;

/* Make the registered objective `name` (a built-in or a plugin's) over n parameters.
 * data may be NULL for objectives that read no data. params[0..param_count) set parameters
 * by key; the others keep their defaults (params may be NULL when param_count is 0).
 * Built-ins (losses are means over the rows; no intercept is added, append a column of ones):
 *   "least_squares"  J = 1/(2m) * ||X theta - y||^2 + (l2/2) * ||theta||^2,
 *                    grad = (1/m) * X^T (X theta - y) + l2 * theta.            keys: l2 = 0
 *   "logistic"       J = (1/m) * sum[log(1 + e^z_i) - y_i z_i] + (l2/2) ||theta||^2, z = X theta,
 *                    evaluated as max(z,0) + log1p(e^-|z|): finite at |z| = 1000.  keys: l2 = 0
 *   "softmax"        theta is a cols x classes row-major matrix (theta[j * classes + c]);
 *                    J = (1/m) * sum[logsumexp(s_i) - s_i,label_i] + (l2/2) ||theta||^2,
 *                    s_i = x_i^T theta, log-sum-exp with the largest score taken out. keys: l2 = 0
 *   "rosenbrock"     sum_{i<n-1} b (x_{i+1} - x_i^2)^2 + (a - x_i)^2.          keys: a = 1, b = 100
 *   "quadratic"      1/2 x^T A x - b^T x; gradient (A + A^T)/2 x - b.          keys: none
 * least_squares, logistic and softmax are sampled over the data's rows (any batch size in
 * gd_minimize); each batch is one pass over its rows. A full pass over many rows runs on
 * two threads and gives the same bits on every machine.
 * Returns GD_E_NULL_ARGUMENT (name, out, or a required data field NULL), GD_E_UNKNOWN_NAME,
 * GD_E_UNKNOWN_KEY, GD_E_INVALID_ARGUMENT (a parameter out of range or non-finite, a key
 * given twice, rows or cols 0, a label out of range, struct_size too small),
 * GD_E_DIMENSION_MISMATCH (n differs from what the data implies), GD_E_PLUGIN (a plugin's
 * create function failed; the message is the plugin's). The caller owns *out. */
int gd_objective_create(const char *name, size_t n, const gd_data *data,
                        const gd_param *params, size_t param_count, gd_objective **out);

/* ---- the registry ---- */

/* One registry entry. The strings and arrays belong to the library and stay valid for the
 * life of the process: entries are only appended, never removed (plugins are never unloaded). */
typedef struct gd_registry_info {
    size_t struct_size;              /* set by the caller to sizeof(gd_registry_info) */
    const char *name;
    const char *description;
    const char *source;              /* "built-in", or the absolute path of the plugin */
    uint32_t data_fields;            /* GD_DATA_* bits the objective requires */
    int32_t sampled;                 /* 1 when sampled over the data's rows, else 0 */
    size_t param_count;
    const char *const *param_keys;   /* param_count keys */
    const double *param_defaults;    /* param_count defaults */
} gd_registry_info;

/* Number of registered objectives: the built-ins first, then each plugin's in load order.
 * An index below the count stays valid and names the same entry for the life of the process. */
int gd_registry_count(size_t *count);

/* Fill *info with entry index. GD_E_INVALID_ARGUMENT for index >= count or a struct_size
 * smaller than this version's. Thread-safe, as is all of the registry. */
int gd_registry_entry(size_t index, gd_registry_info *info);

/* ---- plugins ---- */

/* A plugin is a shared object that exports
 *     "const gd_plugin *gd_plugin_entry_v1(void)"
 * (the name carries the plugin ABI's major version; GD_PLUGIN_ENTRY_SYMBOL). It returns a
 * descriptor with static storage. Include this header in the plugin; it links against
 * nothing. Example: examples/plugins/huber.c. */
#define GD_PLUGIN_ABI_VERSION 1
#define GD_PLUGIN_ENTRY_SYMBOL "gd_plugin_entry_v1"

/* Make an instance: n parameters, the caller's data (never NULL: all fields zero when the
 * caller gave none; fields listed in data_fields are present), params in the declared order
 * with defaults filled in. Store the instance in *instance (it becomes the user argument of
 * evaluate and evaluate_sampled). Return 0, or non-zero after writing a message of at most
 * error_size bytes, NUL included, to error: gd_objective_create then fails with GD_E_PLUGIN. */
typedef int (*gd_plugin_create_fn)(size_t n, const gd_data *data, const double *params,
                                   void **instance, char *error, size_t error_size);
/* Free an instance. */
typedef void (*gd_plugin_destroy_fn)(void *instance);

/* A parameter an objective accepts, with its default. */
typedef struct gd_plugin_param {
    const char *key;
    double default_value;
} gd_plugin_param;

/* One objective a plugin provides. At least one of evaluate and evaluate_sampled is set.
 * With evaluate_sampled the objective is sampled over data->rows samples (require GD_DATA_X
 * or make sure rows > 0); without evaluate, full evaluations call evaluate_sampled over all
 * rows. create and destroy may be NULL (the instance is then NULL). */
typedef struct gd_plugin_objective {
    const char *name;                   /* letters, digits, '_', '.', '-'; unique in the registry */
    const char *description;            /* may be NULL */
    const gd_plugin_param *params;      /* param_count entries, may be NULL when 0 */
    size_t param_count;
    uint32_t data_fields;               /* GD_DATA_* bits required, checked before create */
    gd_plugin_create_fn create;
    gd_plugin_destroy_fn destroy;
    gd_objective_fn evaluate;           /* full batch, user = instance */
    gd_sampled_fn evaluate_sampled;     /* mean over samples, user = instance */
} gd_plugin_objective;

/* What gd_plugin_entry_v1 returns. */
typedef struct gd_plugin {
    uint32_t abi_version;               /* GD_PLUGIN_ABI_VERSION; first, so any version can be read */
    const char *name;                   /* the plugin's name, for messages; may be NULL */
    const gd_plugin_objective *objectives;
    size_t objective_count;
} gd_plugin;

/* The type of gd_plugin_entry_v1. */
typedef const gd_plugin *(*gd_plugin_entry_fn)(void);

/* Load the plugin at path and register its objectives; *added (when added is not NULL)
 * receives how many. All or nothing: on any failure the registry is unchanged and the
 * shared object is closed again. Returns GD_E_NULL_ARGUMENT (path), GD_E_PLUGIN with a
 * message for: no file at path, not a loadable shared object, no gd_plugin_entry_v1 symbol,
 * an ABI version other than GD_PLUGIN_ABI_VERSION, a malformed descriptor, an objective name
 * already registered (by a built-in, another plugin, or this plugin loaded before) or given
 * twice. A loaded plugin stays loaded for the life of the process. */
int gd_plugin_load(const char *path, size_t *added);

/* ---- foreign functions through libffi ---- */

/* Bind existing compiled functions, with their own signatures, as an objective over n
 * parameters, without glue code. library is the path of a shared object, or NULL for the
 * symbols already loaded in the process (the program and its libraries). function is the
 * signature of the function giving the loss, or the loss and gradient together; gradient is
 * the signature of a separate gradient function, or NULL when function writes the gradient.
 *
 * Signature grammar (whitespace free; parameter names choose the role of each argument):
 *   signature := return symbol "(" [ param { "," param } ] ")"
 *   return    := "double" (the loss) | "void" | "int" (0 = success, else abort: GD_E_CALLBACK)
 *   param     := [ "const" ] type [ "*" ] role
 *   type      := "int" | "int32_t" | "int64_t" | "long" | "size_t" | "double"
 *   role      := "n"   the dimension: an integer type, by value, or by pointer ("const int *n",
 *                      Fortran's default by-reference passing)
 *              | "x"   the point: "const double *x" (const is optional)
 *              | "g" or "grad"  the gradient, written: "double *g"
 *              | "f" or "loss"  the loss, written: "double *f"
 * Each role appears at most once; x is required; the loss comes from a double return or
 * an f argument (function only), never both; the gradient from a g argument of function or
 * of gradient, never both. The symbol is the name in the library, e.g. gfortran's "fg_" for
 * subroutine fg. Examples:
 *   function = "double rosen(int n, const double *x)",
 *   gradient = "void rosen_grad(int n, const double *x, double *g)"
 *   function = "void fg_(const int *n, const double *x, double *f, double *g)", gradient = NULL
 *   function = "double fdf(const double *x, double *g, size_t n)", gradient = NULL
 * Returns GD_E_NULL_ARGUMENT (function, out), GD_E_INVALID_ARGUMENT (n = 0, or n too large
 * for a 32-bit n), GD_E_FOREIGN with a message for a malformed signature, an unknown type or
 * role, a library that does not load, a symbol not found, a missing gradient. The library stays
 * open until the objective is freed. The functions are called on the thread of gd_minimize. */
int gd_objective_new_foreign(const char *library, const char *function, const char *gradient,
                             size_t n, gd_objective **out);

/* ------------------------------------------------------------------------------------ */
/* Training controls: schedules, clipping, checkpoints, custom rules, gradient check    */
/* ------------------------------------------------------------------------------------ */

/* (section: training controls) */

#ifdef __cplusplus
}
#endif

#endif /* GRADIENT_DESCENT_H */
