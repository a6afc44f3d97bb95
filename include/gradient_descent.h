/*
 * gradient_descent.h: the C ABI of libgradient_descent.
 *
 * A gradient-descent optimizer core written in Swift. The caller supplies a loss and its
 * gradient (a callback, a built-in objective over borrowed data, or a plugin); the library
 * runs the descent loop with PyTorch's update rules (torch.optim, single-tensor path).
 *
 * Parity with PyTorch means: the same algorithms, defaults, options and argument checks as
 * torch.optim, torch.optim.lr_scheduler and torch.nn.utils.clip_grad_*; iterates equal to
 * torch's to rounding, not to the bit. Fed the same float64 gradients for 300 steps they stay
 * within 3e-15 of max(1, |x|_inf) for every rule and option (SGD's worst case; most rules stay
 * within 3e-16), checked against golden files written by real torch 2.13 on every test run
 * (README, "Parity with PyTorch", lists each rule). Bits differ because torch's AVX2 CPU kernels
 * fuse multiply-adds in add/addcmul/lerp, its vectorised float64 sqrt is not always correctly
 * rounded, and its own AVX2 and plain code paths differ from each other by the same amount;
 * NAdam keeps mu_product in torch's default dtype (float32 unless set to float64; the golden
 * files set float64). Schedules equal torch's closed forms bit for bit.
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
 * gd_version_number() / 10000 against the major they were written for. The shared
 * library's SONAME carries the major (libgradient_descent.so.0); `make install` installs it as
 * libgradient_descent.so.MAJOR.MINOR.PATCH with pkg-config and CMake files, and these three
 * macros are the one place the version is written.
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
    X(GD_E_FOREIGN,           -11, "a foreign function binding is malformed or failed")   \
    X(GD_E_LINE_SEARCH,       -12, "a line search found no acceptable step")

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
 *              decoupled_weight_decay=0 (1: weight decay as AdamW's)
 *   "adamw"    as adam, weight_decay=0.01 (decoupled; no decoupled_weight_decay key)
 *   "rmsprop"  lr=0.01 alpha=0.99 eps=1e-8 weight_decay=0 momentum=0 centered=0 maximize=0
 *   "adagrad"  lr=0.01 lr_decay=0 weight_decay=0 initial_accumulator_value=0 eps=1e-10 maximize=0
 *   "adadelta" lr=1.0 rho=0.9 eps=1e-6 weight_decay=0 maximize=0
 *   "adamax"   lr=0.002 beta1=0.9 beta2=0.999 eps=1e-8 weight_decay=0 maximize=0
 *   "nadam"    lr=0.002 beta1=0.9 beta2=0.999 eps=1e-8 weight_decay=0 momentum_decay=0.004 maximize=0
 *              decoupled_weight_decay=0
 *   "radam"    lr=0.001 beta1=0.9 beta2=0.999 eps=1e-8 weight_decay=0 maximize=0
 *              decoupled_weight_decay=0
 *   "rprop"    lr=0.01 etaminus=0.5 etaplus=1.2 step_size_min=1e-6 step_size_max=50 maximize=0
 *              (etas split into etaminus in (0, 1) and etaplus > 1, step_sizes into
 *              step_size_min and step_size_max, each >= 0; lr is the initial step size, read
 *              only by the first step after creation or reset, as PyTorch's Rprop reads it)
 *   "asgd"     lr=0.01 lambd=1e-4 alpha=0.75 t0=1e6 weight_decay=0 maximize=0
 *              (state: the average "ax" and the scalars "eta" and "mu")
 * decoupled_weight_decay (adam, nadam, radam; PyTorch's flag): 1 shrinks x by
 * (1 - lr * weight_decay) before the update instead of adding weight_decay * x to the gradient.
 *   "lbfgs"    lr=1 history_size=10 c1=1e-4 c2=0.9 max_line_search_evaluations=20 (gd_minimize
 *              only; see "Bounds, line searches and L-BFGS")
 * Every rule but lbfgs also has line_search=0 c1=1e-4 shrink=0.5 max_line_search_evaluations=20
 * (the opt-in Armijo search of gd_minimize, same section).
 * Returns GD_E_NULL_ARGUMENT (name or out NULL), GD_E_UNKNOWN_NAME, GD_E_INVALID_ARGUMENT
 * (n = 0), GD_E_OUT_OF_MEMORY. The caller owns *out and frees it with gd_optimizer_free. */
int gd_optimizer_new(const char *name, size_t n, gd_optimizer **out);

/* Set a hyper-parameter by key. Values are checked at once: GD_E_UNKNOWN_KEY for a key the
 * rule does not have, GD_E_INVALID_ARGUMENT for a value out of range (non-finite, negative
 * lr/eps/weight_decay/momentum, beta outside [0, 1), a boolean other than 0 or 1).
 * Combinations PyTorch rejects (nesterov without momentum or with dampening) are checked
 * when the optimizer is next used, by gd_optimizer_step or gd_minimize. State is kept:
 * changing lr between steps is how a hand-written schedule works. With parameter groups the
 * value goes to every group (gd_optimizer_set_group sets one). */
int gd_optimizer_set(gd_optimizer *opt, const char *key, double value);

/* Read a hyper-parameter by key into *value (group 0's with parameter groups).
 * GD_E_UNKNOWN_KEY for an unknown key. */
int gd_optimizer_get(const gd_optimizer *opt, const char *key, double *value);

/* One update of x[0..n) in place from grad[0..n) (ask/tell, for callers that own the loop).
 * n must equal the optimizer's n (GD_E_DIMENSION_MISMATCH). x and grad must not overlap.
 * The update is applied whatever the values of grad; use gd_minimize for non-finite checks.
 * lbfgs takes no step here (GD_E_INVALID_ARGUMENT): its steps need the objective. */
int gd_optimizer_step(gd_optimizer *opt, double *x, const double *grad, size_t n);

/* Forget the state (moments, step count); hyper-parameters are kept. */
int gd_optimizer_reset(gd_optimizer *opt);

/* Free an optimizer; NULL is a no-op. Not while a call is using it: freeing it from a
 * callback of gd_optimizer_step or gd_minimize (a custom rule, a schedule, a progress
 * function) is a use after free. */
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

/* Free an objective; NULL is a no-op. Not from a callback of a call that is using it. */
void gd_objective_free(gd_objective *obj);

/* ------------------------------------------------------------------------------------ */
/* The run                                                                              */
/* ------------------------------------------------------------------------------------ */

/* Why a run stopped: X(name, value, text). The enum below and gd_stop_reason_string() are
 * generated from it. */
#define GD_STOP_REASON_TABLE(X)                                                             \
    X(GD_STOP_NONE,               0, "the run did not start")                               \
    X(GD_STOP_MAX_ITERATIONS,     1, "reached max_iterations")                              \
    X(GD_STOP_MAX_EPOCHS,         2, "reached max_epochs")                                  \
    X(GD_STOP_GRADIENT_TOLERANCE, 3, "gradient norm at or below gradient_tolerance")        \
    X(GD_STOP_LOSS_TOLERANCE,     4, "loss change at or below loss_tolerance for patience checks") \
    X(GD_STOP_TARGET_LOSS,        5, "loss at or below target_loss")                        \
    X(GD_STOP_TIME_LIMIT,         6, "reached time_limit")                                  \
    X(GD_STOP_PROGRESS,           7, "the progress callback asked to stop")                 \
    X(GD_STOP_CALLBACK_ERROR,     8, "a callback (objective, schedule or rule) failed")     \
    X(GD_STOP_NON_FINITE,         9, "a non-finite loss or gradient was met")               \
    X(GD_STOP_LINE_SEARCH_FAILED, 10, "a line search found no acceptable step")

#define GD_STOP_REASON_ENUM_ENTRY_(name, value, text) name = value,
typedef enum gd_stop_reason { GD_STOP_REASON_TABLE(GD_STOP_REASON_ENUM_ENTRY_) } gd_stop_reason;
#undef GD_STOP_REASON_ENUM_ENTRY_

/* Static text for a stop reason; "unknown stop reason" otherwise. Never NULL. */
const char *gd_stop_reason_string(int reason);

/* What the progress callback sees after every iteration. x is the iterate after the update
 * (read only, valid during the call). In mini-batch runs loss and gradient_norm are the
 * batch's, measured before the update. gradient_norm is measured before clipping (what
 * PyTorch's clip_grad_norm_ returns); lr is the one the update used, after the schedule. */
typedef struct gd_progress_info {
    size_t struct_size;
    uint64_t iteration;      /* updates applied so far, >= 1 */
    uint64_t epoch;          /* completed passes over the samples (0 in full-batch runs) */
    double loss;
    double gradient_norm;    /* L2 norm of the gradient behind the update, before clipping */
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
 * would only see batch noise.
 *
 * The fields after progress_user are the training controls (schedule, clipping, non-finite
 * policy, best iterate, resumable run state), documented in that section below. They are
 * read only when struct_size covers them, so a struct from an older header keeps working
 * with the defaults for the fields it does not have. */
typedef struct gd_options {
    size_t struct_size;        /* sizeof(gd_options), set by gd_options_init */
    size_t batch_size;         /* 0 = full batch (default); 1 = SGD; k = mini-batch */
    uint64_t max_iterations;   /* default 10000 */
    uint64_t max_epochs;       /* default 0 (no limit); sampled runs only: a full-batch run
                                  counts no epochs, so one with no other criterion is refused */
    double gradient_tolerance; /* stop when ||grad||_2 <= this; default 0 (off) */
    double loss_tolerance;     /* stop when |f_prev - f| <= loss_tolerance * max(1, |f_prev|, |f|) */
    uint64_t patience;         /*   for this many consecutive checks; default 1 */
    double target_loss;        /* stop when f <= target_loss; default -INFINITY (off) */
    double time_limit;         /* seconds of wall clock; default 0 (off) */
    uint64_t seed;             /* default 0 */
    int32_t shuffle;           /* 1 (default) shuffles every epoch, 0 keeps order */
    gd_progress_fn progress;   /* called after every iteration; NULL (default) for none */
    void *progress_user;
    /* Training controls (see "Training controls" below): read only when struct_size covers them. */
    struct gd_schedule *schedule;   /* sets the lr before every update; NULL (default): none */
    int32_t schedule_per_epoch;     /* 0 (default): step the schedule after every update;
                                       1: after every epoch (same as 0 in full-batch runs) */
    int32_t nonfinite_policy;       /* GD_NONFINITE_FAIL (default) or GD_NONFINITE_SKIP */
    double clip_norm;               /* clip the gradient's L2 norm to this; 0 (default): off */
    double clip_value;              /* clamp gradient entries to [-v, v]; 0 (default): off */
    uint64_t max_consecutive_skips; /* GD_NONFINITE_SKIP fails after this many in a row; default 10 */
    int32_t keep_best;              /* 1: return the best iterate, not the last; default 0 */
    struct gd_run_state *run_state; /* continue from it and record the run in it; NULL (default) */
    /* Bounds (see "Bounds, line searches and L-BFGS"); appended, read when covered. */
    const double *lower;            /* n lower bounds (-INFINITY: none); NULL (default): none */
    const double *upper;            /* n upper bounds (+INFINITY: none); NULL (default): none */
    /* Norm clipping as torch's clip_grad_norm_ (see "Gradient clipping"): read only when covered. */
    double clip_norm_type;            /* p of the norm clip_norm bounds: > 0, or INFINITY; default 2 */
    int32_t clip_error_if_nonfinite;  /* 1: a non-finite total norm fails the run with
                                         GD_E_NON_FINITE instead of scaling by it; default 0 */
    /* Data-parallel runs (see "Data-parallel runs" below). */
    const struct gd_reducer *reducer; /* combines every evaluation across processes; NULL (default): one process */
} gd_options;

/* Fill the first struct_size bytes of *options (every byte: padding between fields and bytes
 * past the fields this library knows are zero) with the defaults above and set
 * options->struct_size = struct_size, which must be at least the size of the first release
 * of gd_options, else GD_E_INVALID_ARGUMENT. Bindings call this with the size of
 * their own copy of the struct; C programs call it through gd_options_init. */
int gd_options_init_sized(gd_options *options, size_t struct_size);

/* Fill *options with the defaults above (padding zeroed). The macro below makes this
 * gd_options_init_sized(options, sizeof(gd_options)) with the size of the header the program
 * was compiled with. The exported function of this name fills only the fields of the first
 * release, so that programs compiled before the struct grew never see it written past its
 * end. */
int gd_options_init(gd_options *options);
#define gd_options_init(options) gd_options_init_sized((options), sizeof(gd_options))

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
    /* Training controls: written only when struct_size covers them. */
    uint64_t best_iteration;   /* updates applied before the iterate of best_loss (0: the start) */
    uint64_t skipped_steps;    /* evaluations rejected as non-finite by GD_NONFINITE_SKIP */
    uint64_t clipped_steps;    /* updates whose gradient clipping changed */
    int32_t returned_best;     /* 1 when x is the best iterate (keep_best), 0 when the last */
    /* Bounds; appended, written only when struct_size covers it. */
    int32_t x0_projected;      /* 1 when the starting x was outside the bounds and was projected */
} gd_report;

/* Minimize obj from x[0..n) in place with opt. options may be NULL for the defaults;
 * report may be NULL. opt's state carries over between calls (call gd_optimizer_reset to
 * start afresh). Returns GD_OK when the run stopped by one of its criteria (see
 * report->stop_reason), or a negative status: GD_E_NULL_ARGUMENT, GD_E_DIMENSION_MISMATCH
 * (n differs from the objective's or the optimizer's), GD_E_INVALID_ARGUMENT (bad option,
 * batch_size > sample count, batch_size on a full-batch objective, struct_size too small),
 * GD_E_CALLBACK (the objective returned non-zero), GD_E_NON_FINITE (a non-finite loss or
 * gradient), GD_E_BAD_STATE (options->run_state belongs to another kind of run). On any
 * failure during the run x holds the last iterate whose loss and gradient were finite (the
 * best iterate when keep_best is 1 and one is known), and the report is filled. A schedule
 * callback or custom update rule that fails stops the run like the objective's callback
 * (GD_E_CALLBACK, stop reason GD_STOP_CALLBACK_ERROR). */
int gd_minimize(gd_objective *obj, gd_optimizer *opt, double *x, size_t n,
                const gd_options *options, gd_report *report);

/* ---- Bounds, line searches and L-BFGS ------------------------------------------------ */

/* L-BFGS. gd_optimizer_new("lbfgs", n, &opt) makes a limited-memory BFGS optimizer (Nocedal;
 * Liu and Nocedal 1989) with a strong-Wolfe line search in the form of Moré and Thuente
 * (MINPACK-2's dcsrch), for deterministic full-batch objectives. Keys:
 *   "lbfgs"  lr=1 history_size=10 c1=1e-4 c2=0.9 max_line_search_evaluations=20
 * lr scales the first trial step of every search: the quasi-Newton step d = -H g is tried
 * at lr * d; on the first iteration (and after a restart) the direction is -g and the trial
 * step lr / ||g||. H is the two-loop recursion over the last history_size pairs (s, y) with
 * H0 = (s.y / y.y) I from the newest pair. A pair with s.y <= DBL_EPSILON * y.y is skipped.
 * c1 and c2 are the Wolfe constants, 0 < c1 < c2 < 1 (checked when the run starts;
 * GD_E_INVALID_ARGUMENT). history_size is 1 to 1000; setting it empties the history.
 * Memory: the optimizer keeps 2m doubles (m = history_size) and the pairs' 2m * n, which
 * the first gd_minimize allocates (GD_E_OUT_OF_MEMORY before the run when it cannot), or a
 * load for the pairs the state holds; a run adds 5n doubles, and with bounds 3n doubles,
 * n + m indices and 8m^2 + 12m doubles more: (2m + O(1)) * n in all. An iteration
 * allocates nothing after gd_minimize has set up.
 *
 * In a run, an iteration is one accepted step: report->iterations and the progress
 * callback count accepted steps, and every evaluation of a line search counts in
 * report->evaluations. progress.lr is the accepted step length along the direction, and
 * progress.loss and gradient_norm are those of the accepted iterate x (the search has
 * evaluated it), not of the iterate before, as for the first-order rules. The
 * criteria are checked on each accepted iterate, as for the other rules; a gradient (in a
 * box, projected gradient) of exactly zero stops the run with GD_STOP_GRADIENT_TOLERANCE
 * whatever gradient_tolerance is. A search that takes max_line_search_evaluations without
 * a strong-Wolfe point fails; a search ended by
 * one of dcsrch's warnings (rounding, a too small interval, the step at its limit) takes
 * its last point when it lowers the loss. A strong-Wolfe point with the start's loss (the
 * rounding level) is taken only when its gradient norm is smaller, so a run at a minimizer
 * to working precision ends instead of cycling. A failed search forgets the history and retries
 * along -g; when that fails too the run stops at the last accepted iterate with stop reason
 * GD_STOP_LINE_SEARCH_FAILED and status GD_E_LINE_SEARCH, the message naming the iteration
 * and suggesting gd_check_gradient (a wrong gradient is the usual cause). A trial point with
 * a non-finite loss or gradient is not a failure of the run: the search starts again below
 * half that step. lbfgs refuses (GD_E_INVALID_ARGUMENT) batch_size > 0 (a sampled objective
 * runs with batch_size 0, over all its samples), a schedule and clipping; gd_optimizer_step
 * refuses it (its steps need the objective). gd_optimizer_save records the history, so a
 * run resumed from saved optimizer and run states follows the same iterates bit for bit
 * (each call starts with one evaluation at x, which an uninterrupted run does not make: the
 * evaluation totals differ by one per call).
 *
 *     gd_optimizer_new("lbfgs", n, &opt);
 *     options.gradient_tolerance = 1e-8;
 *     status = gd_minimize(obj, opt, x, n, &options, &report);
 *     if (status == GD_E_LINE_SEARCH) fprintf(stderr, "%s\n", gd_last_error());
 *
 * Line search for the first-order rules. Every rule but lbfgs has the keys
 *   line_search=0 c1=1e-4 shrink=0.5 max_line_search_evaluations=20
 * With line_search = 1 an iteration computes the rule's step d = x' - x (the rule's state
 * advances once), then tries x + a d for a = 1, shrink, shrink^2, ... and takes the first
 * point with f(x + a d) <= f(x) + c1 a min(g.d, 0). With a large lr (e.g. 1) the search
 * finds the step length, so plain gradient descent needs no tuned lr. After
 * max_line_search_evaluations trials the run stops as for lbfgs (GD_E_LINE_SEARCH), x back
 * at the start of the search and the rule's state advanced by the rejected step. Needs a
 * full-batch run (batch_size 0). With clipping, the rule sees the clipped gradient and the
 * test the true one.
 *
 *     gd_optimizer_new("sgd", n, &opt);
 *     gd_optimizer_set(opt, "lr", 1.0);
 *     gd_optimizer_set(opt, "line_search", 1);
 *
 * Bounds. options->lower and options->upper (n doubles each, or NULL for no bound on that
 * side; -INFINITY and +INFINITY per entry mean no bound) confine x to the box
 * lower <= x <= upper. GD_E_INVALID_ARGUMENT for a NaN, lower > upper, lower = +INFINITY
 * or upper = -INFINITY (nothing changes then). A starting x outside the box is projected
 * into it and report->x0_projected is 1. First-order rules project x after every update
 * (and a line search searches along the projected step). Bounds with no finite entry
 * give exactly the unbounded run. lbfgs runs L-BFGS-B's method (Byrd, Lu, Nocedal and Zhu
 * 1995, with version 3.0's projected subspace step): the generalized Cauchy point of the
 * quadratic model along the projected-gradient path, the model's minimizer over the
 * variables free there (block elimination with Cholesky factors of k x k blocks; the
 * two-loop recursion when every variable is free), projected into the box (or truncated
 * when that is not a descent direction), and the Moré–Thuente search from x towards that
 * point (on the first iteration within the segment; the first trial step is 1/||d|| unless
 * every variable has two finite bounds). Checked against SciPy's L-BFGS-B: the same
 * minimizers to 1e-8 on the tests' problems. In a bounded run gradient_norm (criteria,
 * report, lbfgs's progress) is ||P(x - g) - x||_2, P the projection: zero at the box's
 * stationary points.
 *
 *     double lower[2] = {-INFINITY, 1.5}, upper[2] = {0.5, INFINITY};
 *     options.lower = lower;
 *     options.upper = upper;
 */

/* ------------------------------------------------------------------------------------ */
/* Built-in objectives, the objective registry, plugins and foreign functions           */
/* ------------------------------------------------------------------------------------ */

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
 * two threads and gives the same bits on every machine: from its first such pass until
 * gd_objective_free the objective keeps one extra thread (it spins briefly between passes,
 * then sleeps). After fork() the child computes such passes on the calling thread.
 * Returns GD_E_NULL_ARGUMENT (name, out, or a required data field NULL), GD_E_UNKNOWN_NAME,
 * GD_E_UNKNOWN_KEY, GD_E_INVALID_ARGUMENT (a parameter out of range or non-finite, a key
 * given twice, rows or cols 0, a label out of range, struct_size too small),
 * GD_E_DIMENSION_MISMATCH (n differs from what the data implies), GD_E_OUT_OF_MEMORY (the
 * objective's buffers, sized by n, cannot be allocated), GD_E_PLUGIN (a plugin's create
 * function failed; the message is the plugin's). The caller owns *out. */
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
 *     const gd_plugin *gd_plugin_entry_v1 taking no arguments
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

/* Load the plugin at path (a name with a '/' is a file; a bare name is searched for as
 * dlopen(3) searches, see gd_objective_new_foreign) and register its objectives; *added (when added is not NULL)
 * receives how many. All or nothing: on any failure the registry is unchanged and the
 * shared object is closed again. Returns GD_E_NULL_ARGUMENT (path), GD_E_PLUGIN with a
 * message for: no file at path, not a regular file (a FIFO, directory or device is refused
 * without being opened), not a loadable shared object, no gd_plugin_entry_v1 symbol,
 * an ABI version other than GD_PLUGIN_ABI_VERSION, a malformed descriptor, an objective name
 * already registered (by a built-in, another plugin, or this plugin loaded before) or given
 * twice. A loaded plugin stays loaded for the life of the process. */
int gd_plugin_load(const char *path, size_t *added);

/* ---- foreign functions through libffi ---- */

/* Bind existing compiled functions, with their own signatures, as an objective over n
 * parameters, without glue code. library is the path of a shared object (any name with a
 * '/', relative to the working directory or absolute); a bare file name ("librosen.so") is
 * searched for as dlopen(3) searches: the RPATH/RUNPATH of the program and of this library,
 * LD_LIBRARY_PATH, the ld.so cache (ldconfig), /lib and /usr/lib, and the GD_E_FOREIGN
 * message of a failed search lists those places; NULL binds the
 * symbols already loaded in the process (the program and its libraries). function is the
 * signature of the function giving the loss, or the loss and gradient together; gradient is
 * the signature of a separate gradient function, or NULL when function writes the gradient.
 *
 * Signature grammar (spaces between tokens optional; parameter names choose the role of each
 * argument; anything else, such as "double x*" or "double const *x", is refused):
 *   signature := return symbol "(" [ param { "," param } ] ")"
 *   return    := "double" (the loss) | "void" | "int" or "int32_t" (0 = success, else abort:
 *                GD_E_CALLBACK)
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
 * for a 32-bit n), GD_E_OUT_OF_MEMORY, GD_E_FOREIGN with a message for a malformed signature,
 * an unknown type or role, a library path that is not a regular file or does not load, a
 * symbol not found, a missing
 * gradient. The library stays open until the objective is freed. The functions are called
 * on the thread of gd_minimize. The signature must be the function's real prototype: a
 * shared object does not record prototypes, so a wrong one cannot be detected and is
 * undefined behaviour. */
int gd_objective_new_foreign(const char *library, const char *function, const char *gradient,
                             size_t n, gd_objective **out);

/* ------------------------------------------------------------------------------------ */
/* Training controls: schedules, clipping, checkpoints, custom rules, gradient check    */
/* ------------------------------------------------------------------------------------ */

/* Five controls a run takes through gd_options: schedule, clipping, non-finite policy, best
 * iterate, run state; and the pieces around them: saving and loading state (checkpoints),
 * update rules written by the caller, and a gradient check. Every stateful handle here
 * saves itself to a byte blob of one self-describing format (see "Saved states"). */

/* ---- Learning-rate schedules ------------------------------------------------------- */

/* A learning-rate schedule with PyTorch's semantics (torch.optim.lr_scheduler, closed
 * forms). A run with options->schedule sets the optimizer's lr from it before the first
 * update and after every step of the schedule; the lr the update used is what
 * gd_progress_info.lr shows. A schedule steps after every update, or after every epoch when
 * options->schedule_per_epoch is 1; in full-batch runs every update is an epoch.
 *
 * A schedule is stateful, like a PyTorch scheduler object: on its first use it takes the
 * optimizer's lr as its base lr (PyTorch's initial_lr) and starts at step e = 0; then it
 * carries on across gd_minimize calls until gd_schedule_reset. Step e uses, with lr the
 * base lr:
 *   "constant"       lr * (factor + (e >= total_iters) * (1 - factor))          ConstantLR
 *                    factor=1 total_iters=0 (defaults keep lr; PyTorch's are 1/3 and 5)
 *   "step"           lr * gamma^floor(e / step_size)                            StepLR
 *                    step_size (required, whole >= 1) gamma=0.1
 *   "exponential"    lr * gamma^e                                               ExponentialLR
 *                    gamma (required, > 0; 0 is refused when set)
 *   "cosine"         eta_min + (lr - eta_min) * (1 + cos(pi * e / t_max)) / 2   CosineAnnealingLR
 *                    t_max (required, whole >= 1) eta_min=0; past t_max the closed form
 *                    rises again, as PyTorch's does: set t_max to the run's length
 *   "linear"         lr * (start_factor + (end_factor - start_factor)           LinearLR
 *                           * min(e, total_iters) / total_iters)
 *                    start_factor=1/3 in (0, 1], end_factor=1 in [0, 1], total_iters=5
 *   "warmup_cosine"  e < warmup_steps: "linear" with end_factor 1 over warmup_steps;
 *                    then "cosine" of e - warmup_steps over t_max steps. PyTorch's
 *                    SequentialLR([LinearLR, CosineAnnealingLR], milestones=[warmup_steps])
 *                    warmup_steps (required) start_factor=1/3 t_max (required) eta_min=0
 *   "plateau"        ReduceLROnPlateau, fed the loss of each step (the update's loss, or
 *                    with schedule_per_epoch the mean of the epoch's batch losses):
 *                    mode=0 (0 min, 1 max) factor=0.1 in [0, 1) patience=10 threshold=1e-4
 *                    threshold_mode=0 (0 rel, 1 abs) cooldown=0 min_lr=0 eps=1e-8.
 *                    better: loss < best*(1-threshold) (rel) or loss < best-threshold (abs)
 *                    (mode max: > best*(1+threshold), > best+threshold); after more than
 *                    patience steps without a better loss (not counting cooldown steps)
 *                    lr = max(lr*factor, min_lr) unless that changes lr by eps or less.
 * Keys are numbers; "required" keys have no default, and a run or gd_schedule_start with
 * one unset fails with GD_E_INVALID_ARGUMENT. Values are checked when set, as for
 * optimizers. Closed forms use PyTorch's operations in PyTorch's order (C's pow and cos),
 * so the lr of every step equals PyTorch's closed form (_get_closed_form_lr) bit for bit, and
 * the values of torch's recursive scheduler.step() to 1e-14 relative, with one exception:
 * an lr of "step" or "exponential" beyond the largest double (gamma > 1 over many steps,
 * where PyTorch's becomes inf) saturates at DBL_MAX (0 when the base lr is 0), so that every
 * lr is finite and every state saves and loads back. The rest of PyTorch's schedulers
 * (multistep, polynomial, warm_restarts, one_cycle, cyclic, sequential, chained) are in the
 * section "PyTorch's other schedules" below. */
typedef struct gd_schedule gd_schedule;

/* A schedule computed by the caller: return the lr of the next step. It is called once when
 * the schedule starts (lr = the base lr, loss = NaN) and after every step (lr = the lr that
 * step used, loss = its loss). In a run iteration and epoch are the updates applied and
 * epochs completed so far; from gd_schedule_start/step they are the step count and 0.
 * Returning NaN, an infinity or a negative value aborts the run (GD_E_CALLBACK). */
typedef double (*gd_schedule_fn)(void *user, uint64_t iteration, uint64_t epoch, double lr, double loss);

/* Create a schedule by name (list above): GD_E_NULL_ARGUMENT, GD_E_UNKNOWN_NAME,
 * GD_E_OUT_OF_MEMORY. The caller owns *out and frees it with gd_schedule_free. */
int gd_schedule_new(const char *name, gd_schedule **out);

/* Create a schedule from a callback; user is passed back unchanged and is not owned. Its
 * name is "callback" and it has no keys. */
int gd_schedule_new_callback(gd_schedule_fn fn, void *user, gd_schedule **out);

/* Set or read a key: GD_E_UNKNOWN_KEY, GD_E_INVALID_ARGUMENT as gd_optimizer_set. Progress
 * is kept; a new value applies from the next step. */
int gd_schedule_set(gd_schedule *s, const char *key, double value);
int gd_schedule_get(const gd_schedule *s, const char *key, double *value);

/* Start (or restart) at step 0 from base_lr (finite, >= 0) and write the lr of step 0 to
 * *lr (lr may be NULL). For callers that own their loop: gd_schedule_start, then for each
 * step use the lr, gd_optimizer_set(opt, "lr", lr), gd_optimizer_step, gd_schedule_step. */
int gd_schedule_start(gd_schedule *s, double base_lr, double *lr);

/* Take one step whose loss was loss (read by "plateau" and callbacks only) and write the lr
 * of the next step to *lr (lr may be NULL; with parameter groups every group steps and *lr
 * is group 0's). GD_E_INVALID_ARGUMENT before the schedule has
 * started; GD_E_CALLBACK when a callback schedule fails (nothing changes then). */
int gd_schedule_step(gd_schedule *s, double loss, double *lr);

/* The lr of the next step; NaN before the schedule has started. */
int gd_schedule_lr(const gd_schedule *s, double *lr);

/* Forget the progress: the next run starts the schedule again from the optimizer's lr. */
int gd_schedule_reset(gd_schedule *s);

/* Free a schedule; NULL is a no-op. A run must not be using it. */
void gd_schedule_free(gd_schedule *s);

/* ---- Gradient clipping -------------------------------------------------------------- */

/* A run clips each gradient before its update when options->clip_norm or clip_value is
 * > 0 (norm first, then values, when both are set), as PyTorch's
 *   torch.nn.utils.clip_grad_norm_(max_norm=clip_norm, norm_type=clip_norm_type,
 *                                  error_if_nonfinite=clip_error_if_nonfinite):
 *                                     coef = clip_norm / (||g||_p + 1e-6), g = g * min(coef, 1)
 *                                     (||g||_p equal to torch's to rounding: its sum runs in
 *                                     another order)
 *   torch.nn.utils.clip_grad_value_(clip_value):         g_i = min(max(g_i, -v), v)
 * report->clipped_steps counts the updates whose gradient changed. The same two operations,
 * for callers that own their loop: */

/* Clip grad[0..n) in place to L2 norm max_norm (> 0, finite) and write the norm before
 * clipping to *norm (may be NULL). A non-finite norm leaves grad unchanged. */
int gd_clip_grad_norm(double *grad, size_t n, double max_norm, double *norm);

/* Clamp grad[0..n) in place to [-clip_value, clip_value] (clip_value > 0, finite). */
int gd_clip_grad_value(double *grad, size_t n, double clip_value);

/* torch.nn.utils.clip_grad_norm_ on one tensor, with every argument: the total norm of
 * order norm_type (p > 0, or INFINITY for max |g_i|; for one tensor torch takes the norm of
 * the one-entry list of norms, which rounds once more for p other than 1, 2 and infinity),
 * then grad[0..n) *= min(max_norm / (total + 1e-6), 1), as torch does even when the total is
 * not finite (a NaN total makes grad NaN, an infinite one zeroes the finite entries). The
 * total norm is written to *total_norm (may be NULL). With error_if_nonfinite = 1 a NaN or
 * infinite total is GD_E_NON_FINITE instead, grad unchanged and *total_norm set. Returns
 * GD_E_NULL_ARGUMENT (grad NULL), GD_E_INVALID_ARGUMENT (n = 0, max_norm negative or not
 * finite, norm_type not > 0, error_if_nonfinite not 0 or 1). */
int gd_clip_grad_norm_ex(double *grad, size_t n, double max_norm, double norm_type,
                         int32_t error_if_nonfinite, double *total_norm);

/* The total norm gd_clip_grad_norm_ex would use, without clipping: torch's
 * clip_grad_norm_(...) return value, or torch.nn.utils.get_total_norm for one tensor.
 * GD_E_NULL_ARGUMENT (grad or norm NULL), GD_E_INVALID_ARGUMENT (n = 0, norm_type not > 0). */
int gd_grad_norm(const double *grad, size_t n, double norm_type, double *norm);

/* ---- Non-finite policy and best iterate ----------------------------------------------- */

/* options->nonfinite_policy: what a run does with an evaluation whose loss or gradient is
 * NaN or infinite.
 *   GD_NONFINITE_FAIL  stop with GD_E_NON_FINITE; x is the last iterate whose loss and
 *                      gradient were finite (the default).
 *   GD_NONFINITE_SKIP  reject the step: no update, x and the optimizer's state unchanged;
 *                      report->skipped_steps counts it and the run goes on (with the next
 *                      batch in sampled runs; in full-batch runs the same x is evaluated
 *                      again, which helps only a non-deterministic objective). After
 *                      options->max_consecutive_skips (>= 1) rejections in a row the run
 *                      fails as with GD_NONFINITE_FAIL. A non-finite full loss at the end
 *                      of an epoch skips that epoch's checks; one at the very end leaves
 *                      report->loss NaN.
 *
 * options->keep_best = 1: return the iterate with the lowest full loss seen instead of the
 * last one, with report->loss its loss and report->returned_best 1. Full-batch runs compare
 * every iterate; sampled runs compare the iterates at the ends of epochs (each has a full
 * evaluation, as for the tolerances) and the returned last one. report->best_loss and
 * report->best_iteration are filled in every run. */
typedef enum gd_nonfinite_policy {
    GD_NONFINITE_FAIL = 0,
    GD_NONFINITE_SKIP = 1
} gd_nonfinite_policy;

/* ---- Saved states (checkpoints) ------------------------------------------------------- */

/* Optimizers, schedules and run states save to byte blobs and load back. A blob is
 * self-describing and the same on every machine: a 32-byte header (the magic bytes
 * "GDSTATE\0", a u32 format version, now 1, a u32 kind: 1 optimizer, 2 schedule, 3 run state,
 * the u64 size of the whole blob, the u32 CRC-32 of the body as zlib computes it, a reserved
 * u32 that must be 0),
 * then the kind's fields: little-endian fixed-width integers, doubles as IEEE-754 bits,
 * strings and arrays preceded by their length (the full layout is in the README).
 *
 * Saving is a two-call API: *size always receives the blob's size; with buf NULL nothing
 * else happens; with cap >= *size the blob is written to buf; with cap < *size the call
 * fails with GD_E_INVALID_ARGUMENT and writes nothing. Loading checks everything before it
 * changes anything and fails with GD_E_BAD_STATE on: other magic, another format version or
 * kind, a reserved field other than 0, a size that differs from the header's (truncated), a
 * checksum that differs (corrupted), another rule, schedule or dimension, or a value out of
 * range: a hyper-parameter outside its range (or its default), a counter (steps, iterations,
 * epochs, evaluations, bad steps, ...) above 2^62, a flag other than 0 or 1, a sampler
 * position past the samples, an lr of a started schedule that is negative or not finite, a
 * dimension whose buffers the blob does not hold (checked before anything is allocated), a
 * best iterate kept by a run state no run has begun.
 * Counters saturate at 2^62 (centuries of steps), so every state the library reaches, a
 * loaded one included, saves a blob that loads back.
 *
 * Resuming a run bit for bit: the trajectory of a run depends on x, the optimizer's state
 * (moments, step count, hyper-parameters), the schedule's progress and the run's own state
 * (iteration and epoch counters, the sampler's position and PRNG state, the criteria's
 * memory, the best iterate). Give the run a gd_run_state, as options->run_state, and save all
 * four; to resume, create new handles, load the blobs, copy x back and call gd_minimize with
 * the same options: the iterates are bit-identical to an uninterrupted run's. With a run
 * state, max_iterations and max_epochs count the whole run (they are totals), and so do the
 * report's iterations, epochs, evaluations, skipped and clipped steps; seconds and
 * time_limit are per call. A call that begins with a total already reached applies no
 * update and returns GD_OK with stop reason GD_STOP_MAX_ITERATIONS or GD_STOP_MAX_EPOCHS
 * (the report's loss is then the objective at x). When a call with keep_best returned its best iterate, the run
 * state also keeps the last one, and the next call continues from it (not from the x it is
 * given), so that keep_best does not change the trajectory. */

/* Write opt's state (rule name, dimension, step count, hyper-parameters, moments). */
int gd_optimizer_save(const gd_optimizer *opt, void *buf, size_t cap, size_t *size);

/* Replace opt's hyper-parameters and state with a blob saved by an optimizer of the same
 * rule and dimension. */
int gd_optimizer_load(gd_optimizer *opt, const void *buf, size_t size);

/* Create an optimizer from a blob: rule (built-in, or a custom rule registered under the
 * saved name) and dimension come from it. GD_E_UNKNOWN_NAME when the rule is unknown. */
int gd_optimizer_new_from_state(const void *buf, size_t size, gd_optimizer **out);

/* Write or load a schedule's keys and progress (same name required to load). */
int gd_schedule_save(const gd_schedule *s, void *buf, size_t cap, size_t *size);
int gd_schedule_load(gd_schedule *s, const void *buf, size_t size);

/* Where a run is. A fresh run state starts a run from options->seed with counters at 0; a
 * used one continues (the seed is then ignored). gd_minimize fails with GD_E_BAD_STATE when
 * the state belongs to a run of another dimension, sample count, mode (full batch or
 * sampled) or shuffle setting. Resuming is exact after a run that stopped by one of its
 * criteria; after a failure it continues from the returned x. */
typedef struct gd_run_state gd_run_state;

int gd_run_state_new(gd_run_state **out);
/* Back to fresh. */
int gd_run_state_reset(gd_run_state *state);
int gd_run_state_save(const gd_run_state *state, void *buf, size_t cap, size_t *size);
/* Replace state with a saved one; whether it fits a run is checked when the run begins. */
int gd_run_state_load(gd_run_state *state, const void *buf, size_t size);
/* Free a run state; NULL is a no-op. */
void gd_run_state_free(gd_run_state *state);

/* ---- Custom update rules ---------------------------------------------------------------- */

/* An update rule written by the caller: update x[0..n) in place from grad[0..n), with lr the
 * optimizer's "lr" (set by gd_optimizer_set or a schedule) and step the update's number
 * (1 on the first, as t in the published formulas). state holds state_size * n doubles that
 * the library keeps for the rule: zero when the optimizer is created or reset, saved and
 * loaded with it; laid out as state_size blocks of n (block j is state[j*n .. j*n + n)).
 * state is NULL when state_size is 0. Return 0, or non-zero to abort: gd_optimizer_step then
 * returns GD_E_CALLBACK (x and state as fn left them; the step counts), and a run stops with
 * GD_E_CALLBACK and restores its last finite iterate. x, grad and state must not be kept
 * after return. */
typedef int (*gd_update_fn)(void *user, double *x, const double *grad, size_t n, double lr,
                            uint64_t step, double *state, size_t state_size);

/* Register fn under name (1 to 64 bytes), so gd_optimizer_new(name, n, &opt) and
 * gd_optimizer_new_from_state create optimizers that run it, with the key "lr" (default
 * 0.001) and the line-search keys of every first-order rule. The registry is process-wide
 * and thread-safe; user is not owned and must stay valid while optimizers created from the
 * rule exist. GD_E_INVALID_ARGUMENT for a built-in
 * name, a name already registered, or state_size > 2^20. */
int gd_rule_register(const char *name, gd_update_fn fn, void *user, size_t state_size);

/* Remove a registered rule (GD_E_UNKNOWN_NAME when none has this name). Optimizers created
 * from it keep working. */
int gd_rule_unregister(const char *name);

/* Create an optimizer that runs fn directly, without a name in the registry (its rule name,
 * as gd_optimizer_save records it, is "custom"). */
int gd_optimizer_new_custom(gd_update_fn fn, void *user, size_t state_size, size_t n,
                            gd_optimizer **out);

/* ---- Gradient check --------------------------------------------------------------------- */

/* What gd_check_gradient found. Set struct_size to sizeof(gd_gradient_check) first. */
typedef struct gd_gradient_check {
    size_t struct_size;
    size_t worst_index;    /* the component with the largest error (below) */
    double analytic;       /* the objective's gradient at worst_index */
    double numeric;        /* the central difference at worst_index */
    double abs_error;      /* |analytic - numeric| */
    double rel_error;      /* |analytic - numeric| / max(|analytic|, |numeric|); 0 when both 0 */
    double error;          /* |analytic - numeric| / max(1, |analytic|, |numeric|): relative
                              for large components, absolute for small ones; below about 1e-6
                              for a correct gradient of a smooth loss */
    uint64_t evaluations;  /* 1 + 2n calls to the objective */
} gd_gradient_check;

/* Compare obj's gradient at x[0..n) with central differences
 * (f(x + h e_i) - f(x - h e_i)) / (2h), h = step * max(1, |x_i|), step 0 meaning the cube
 * root of machine epsilon (6.06e-6); sampled objectives are evaluated over all samples.
 * Statuses: GD_E_NULL_ARGUMENT, GD_E_DIMENSION_MISMATCH, GD_E_INVALID_ARGUMENT (step < 0 or
 * not finite, struct_size too small), GD_E_CALLBACK, GD_E_NON_FINITE. */
int gd_check_gradient(gd_objective *obj, const double *x, size_t n, double step,
                      gd_gradient_check *result);

/* ------------------------------------------------------------------------------------ */
/* PyTorch's other schedules: composites, stepping to an epoch, cycled momentum            */
/* ------------------------------------------------------------------------------------ */

/* Besides the schedules listed under "Learning-rate schedules", gd_schedule_new knows these
 * (PyTorch's classes; keys as numbers, "required" keys have no default):
 *   "multistep"      lr * gamma^(number of milestones <= e)                       MultiStepLR
 *                    milestone_1 (required) ... milestone_8 (whole, 0 = unused, any order,
 *                    a repeated milestone decays twice) gamma=0.1
 *   "polynomial"     lr * (1 - min(e, total_iters) / total_iters)^power           PolynomialLR
 *                    total_iters=5 power=1
 *   "warm_restarts"  eta_min + (lr - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2,
 *                    T_cur the steps since the last restart, T_i = t_0 * t_mult^restarts
 *                    t_0 (required, whole >= 1) t_mult=1 (whole >= 1) eta_min=0  CosineAnnealingWarmRestarts
 *   "one_cycle"      up from max_lr/div_factor to max_lr over pct_start * total_steps steps,
 *                    then down to max_lr/div_factor/final_div_factor (three_phase: up, down
 *                    to the initial lr, then to the minimum); anneal_strategy 0 cos, 1 linear.
 *                    Ignores the optimizer's lr, as PyTorch's does; stepping past
 *                    total_steps fails (GD_E_INVALID_ARGUMENT), as PyTorch raises.
 *                    max_lr, total_steps (required) pct_start=0.3 anneal_strategy=0
 *                    cycle_momentum=1 base_momentum=0.85 max_momentum=0.95 div_factor=25
 *                    final_div_factor=1e4 three_phase=0                            OneCycleLR
 *   "cyclic"         between base_lr and max_lr, step_size_up steps up and step_size_down
 *                    (0: the same) down; mode 0 triangular, 1 triangular2 (amplitude halved
 *                    each cycle), 2 exp_range (amplitude * gamma^e). Starts at base_lr.
 *                    base_lr, max_lr (required, > 0) step_size_up=2000 step_size_down=0 mode=0
 *                    gamma=1 cycle_momentum=1 base_momentum=0.8 max_momentum=0.9  CyclicLR
 *   "sequential"     children, each from its milestone to the next, restarted at step 0
 *                    from the base lr at its milestone                             SequentialLR
 *   "chained"        children all stepped every step, each applied to the lr the previous
 *                    left (PyTorch's chainable forms)                          ChainedScheduler
 * With cycle_momentum = 1, one_cycle and cyclic also set the momentum: a run sets the
 * optimizer's "beta1" (adam, adamw, adamax, nadam, radam) or "momentum" (sgd, rmsprop) before
 * every update, as PyTorch sets betas[0] or momentum; with a rule that has neither the run
 * fails with GD_E_INVALID_ARGUMENT (PyTorch's constructor raises). Values: one_cycle, cyclic,
 * warm_restarts and chained equal PyTorch's step() values (they have no closed form); the
 * others are PyTorch's closed forms. */

/* Append a copy of child (its name and keys now; later changes to child do not reach parent;
 * the caller still owns and frees child) to parent, a "sequential" or "chained" schedule,
 * before parent's first use. For sequential, milestone is the step at which child takes over:
 * 0 for the first child, then strictly increasing (PyTorch's milestones list). For chained,
 * milestone must be 0. Sequential holds any schedule but "plateau" and composites (PyTorch
 * rejects ReduceLROnPlateau and cannot restart a SequentialLR); chained holds constant, step,
 * exponential, cosine, linear, multistep, polynomial, warm_restarts, one_cycle and cyclic. At
 * most 64 children. Returns GD_E_NULL_ARGUMENT, GD_E_INVALID_ARGUMENT (parent not a
 * composite or started or full, child == parent, a child or milestone that does not fit).
 * A composite with no child fails its start with GD_E_INVALID_ARGUMENT. Saved states carry
 * the children's progress; loading requires the same children and milestones. */
int gd_schedule_add(gd_schedule *parent, gd_schedule *child, uint64_t milestone);

/* Jump to epoch as PyTorch's scheduler.step(epoch) does, and write the lr there to *lr (may
 * be NULL): the closed forms, one_cycle and cyclic at a whole epoch >= 0; warm_restarts at
 * any epoch >= 0, fractional ones included (its documented step(epoch + i / iters)). The
 * schedule must have started (gd_schedule_start). GD_E_INVALID_ARGUMENT for another
 * schedule, a fractional epoch where only whole ones apply, or a negative or non-finite
 * epoch; nothing changes then. */
int gd_schedule_step_to(gd_schedule *s, double epoch, double *lr);

/* The momentum (or beta1) for the next step of a schedule that cycles momentum (one_cycle,
 * cyclic, or a composite holding one, with cycle_momentum 1); NaN otherwise or before the
 * start. Callers with their own loop set it with gd_optimizer_set(opt, "momentum" or
 * "beta1", m) beside the lr. GD_E_NULL_ARGUMENT when s or momentum is NULL. */
int gd_schedule_momentum(const gd_schedule *s, double *momentum);

/* ------------------------------------------------------------------------------------ */
/* Parameter groups: slices of x with their own hyper-parameters                          */
/* ------------------------------------------------------------------------------------ */

/* Parameter groups are PyTorch's param_groups for one x: contiguous slices, each with its
 * own values of the rule's keys (no weight decay on biases, a layer with its own lr). Group g
 * covers x[starts[g] .. starts[g + 1]) and the last group runs to the end of x, so the groups
 * cover x without overlap. A step updates the groups in turn with their own values and their
 * own scalars (NAdam's mu_product, ASGD's eta and mu, SGD's momentum flag) and one shared step
 * count; it costs the ungrouped step plus one call per group. gd_optimizer_set sets a key in
 * every group and gd_optimizer_get reads group 0's; gd_optimizer_set_group and
 * gd_optimizer_get_group address one group. A schedule given to gd_minimize with a grouped
 * optimizer starts each group from its own lr (PyTorch's base_lrs) and sets every group's lr
 * at every step (gd_schedule_lr reads group 0's, gd_schedule_group_lr any group's); a
 * schedule started for another number of groups fails the run with GD_E_INVALID_ARGUMENT
 * until gd_schedule_reset. gd_optimizer_save records the groups (their starts, values and
 * scalars) and gd_optimizer_load restores them, checking the starts against n
 * (GD_E_BAD_STATE); an ungrouped optimizer's blob is unchanged. Custom rules take no groups. */

/* Declare count >= 1 groups by their first elements: starts[0] = 0, strictly increasing,
 * each < n (at most n groups, and at most 2^20). Every group takes group 0's current values
 * and scalars; the moments and the step count are kept. count = 1 (starts = {0}) removes the
 * groups. Returns GD_E_NULL_ARGUMENT (opt or starts NULL), GD_E_INVALID_ARGUMENT (count 0 or
 * too large, starts not as described, a custom rule); nothing changes on failure. starts is
 * read during the call only. */
int gd_optimizer_set_groups(gd_optimizer *opt, const size_t *starts, size_t count);

/* Write the first min(cap, groups) group starts to starts (which may be NULL when cap is 0)
 * and the number of groups to *count (1 without groups, starts = {0}). Returns
 * GD_E_NULL_ARGUMENT (opt or count NULL, or starts NULL with cap > 0). */
int gd_optimizer_get_groups(const gd_optimizer *opt, size_t *starts, size_t cap, size_t *count);

/* Set a key of one group, checked as gd_optimizer_set: GD_E_UNKNOWN_KEY,
 * GD_E_INVALID_ARGUMENT (value out of range, or group >= the number of groups),
 * GD_E_NULL_ARGUMENT. Combinations (nesterov) are checked per group when the optimizer is
 * next used, the message naming the group. */
int gd_optimizer_set_group(gd_optimizer *opt, size_t group, const char *key, double value);

/* Read a key of one group into *value: GD_E_UNKNOWN_KEY, GD_E_INVALID_ARGUMENT (group out
 * of range), GD_E_NULL_ARGUMENT. */
int gd_optimizer_get_group(const gd_optimizer *opt, size_t group, const char *key, double *value);

/* The lr a schedule gives group `group` for the next step (NaN before the schedule has
 * started); a schedule runs 1 group until a run with a grouped optimizer starts it.
 * GD_E_INVALID_ARGUMENT for a group out of range, GD_E_NULL_ARGUMENT. */
int gd_schedule_group_lr(const gd_schedule *s, size_t group, double *lr);

/* The number of groups a schedule runs (1 before a grouped run starts it, and after
 * gd_schedule_reset) into *count. GD_E_NULL_ARGUMENT for s or count NULL. */
int gd_schedule_group_count(const gd_schedule *s, size_t *count);

/* For callers that own their loop: start (or restart) s at step 0 for count >= 1 groups from
 * base_lrs[0..count) (each finite and >= 0) and write each group's lr of step 0 to
 * lrs[0..count) (lrs may be NULL). Then per step: set each group's lr
 * (gd_optimizer_set_group(opt, g, "lr", lrs[g])), gd_optimizer_step, gd_schedule_step_groups.
 * Returns GD_E_NULL_ARGUMENT (s or base_lrs NULL), GD_E_INVALID_ARGUMENT (count 0, a bad base
 * lr, a required key unset), GD_E_CALLBACK (a callback schedule failed; nothing changes). */
int gd_schedule_start_groups(gd_schedule *s, const double *base_lrs, size_t count, double *lrs);

/* One step of every group whose loss was loss, writing each group's lr of the next step to
 * lrs[0..count) when lrs is not NULL (count must then equal gd_schedule_group_count). A
 * callback schedule is called once per group. Returns GD_E_NULL_ARGUMENT,
 * GD_E_INVALID_ARGUMENT (not started, count differs), GD_E_CALLBACK (nothing changes). */
int gd_schedule_step_groups(gd_schedule *s, double loss, double *lrs, size_t count);

/* ------------------------------------------------------------------------------------ */
/* Progress printer: a ready-made progress callback for C programs                       */
/* ------------------------------------------------------------------------------------ */

/* Lines of text on a file descriptor while a run goes, for programs without a progress
 * display of their own:
 *
 *     gd_progress_printer *printer = NULL;
 *     gd_progress_printer_new(2, 0, options.max_iterations, &printer);   (2: standard error)
 *     options.progress = gd_progress_print;
 *     options.progress_user = printer;
 *     gd_minimize(obj, opt, x, n, &options, &report);
 *     gd_progress_printer_free(printer);
 *
 * prints lines such as
 *     gd: iteration 2000/10000 ( 20%)  epoch 3  loss 1.234568e-03  |grad| 4.560e-02  lr 1.000e-03  0.012 s
 * (the total and percentage when total > 0, the epoch once one has completed, the seconds
 * since the run's first iteration). Printing allocates nothing: each line is formatted into
 * a buffer made by gd_progress_printer_new and written with one write(2). */
typedef struct gd_progress_printer gd_progress_printer;

/* A printer writing to the open file descriptor fd (1: standard output, 2: standard error;
 * the caller keeps it open) at iteration 1, every `every` iterations and at iteration total.
 * every = 0 chooses total / 20 when total > 0 (about twenty lines a run), else 1000. total is
 * the iterations the caller expects, for the percentage; 0 when unknown. A printer serves one
 * run at a time and restarts its clock at iteration 1. Returns GD_E_NULL_ARGUMENT (out NULL)
 * or GD_E_INVALID_ARGUMENT (fd < 0). The caller owns *out and frees it with
 * gd_progress_printer_free after the runs that use it. */
int gd_progress_printer_new(int32_t fd, uint64_t every, uint64_t total, gd_progress_printer **out);

/* The printer's gd_progress_fn: user is a gd_progress_printer. Always returns 0 (printing
 * never stops a run; a failed write is ignored); does nothing when user or info is NULL.
 * SIGPIPE is blocked on the calling thread during the write, so a pipe or socket whose
 * reader has gone fails the write (ignored) instead of killing the process; a SIGPIPE the
 * program had pending stays pending. */
int gd_progress_print(void *user, const gd_progress_info *info);

/* Free a printer; NULL is a no-op. */
void gd_progress_printer_free(gd_progress_printer *printer);

/* ------------------------------------------------------------------------------------ */
/* Interrupting a run                                                                   */
/* ------------------------------------------------------------------------------------ */

/* A stop request that another thread (or a signal handler) raises while a run goes: the way
 * to make Ctrl-C stop a long gd_minimize promptly. Give the run
 *
 *     options.progress = gd_interrupt_progress;
 *     options.progress_user = interrupt;
 *
 * and call gd_interrupt_request(interrupt) from elsewhere: the run stops after the iteration
 * under way, with stop reason GD_STOP_PROGRESS and x the iterate after the last update (the
 * run's usual GD_OK return). The progress function the run would otherwise have had is
 * given to gd_interrupt_new as next and is called as before while no stop is requested. */
typedef struct gd_interrupt gd_interrupt;

/* A new interrupt, not requested, forwarding to next(next_user, info) (next may be NULL).
 * Returns GD_E_NULL_ARGUMENT (out) or GD_E_OUT_OF_MEMORY. The caller owns *out and frees it
 * with gd_interrupt_free after the runs that use it. */
int gd_interrupt_new(gd_progress_fn next, void *next_user, gd_interrupt **out);

/* Request a stop: one atomic store, so it may be called from any thread and from a signal
 * handler. It stays requested until gd_interrupt_clear. NULL is a no-op. */
void gd_interrupt_request(gd_interrupt *interrupt);

/* Withdraw the request, so the interrupt can serve another run. NULL is a no-op. */
void gd_interrupt_clear(gd_interrupt *interrupt);

/* 1 when a stop is requested, 0 otherwise (also for NULL). */
int32_t gd_interrupt_requested(const gd_interrupt *interrupt);

/* The interrupt's gd_progress_fn, user being a gd_interrupt: returns 1 (stop) when a stop is
 * requested, else what next returns (0 without next). Returns 0 when user is NULL. */
int gd_interrupt_progress(void *user, const gd_progress_info *info);

/* Free an interrupt; NULL is a no-op. Not while a run is using it. */
void gd_interrupt_free(gd_interrupt *interrupt);

/* ------------------------------------------------------------------------------------ */
/* Objectives from a loss alone: finite differences                                     */
/* ------------------------------------------------------------------------------------ */

/* A loss without a gradient: write f(x[0..n)) to *loss. Return 0, or non-zero to abort the
 * run (GD_E_CALLBACK). x is a buffer of the library's; do not keep it after return. */
typedef int (*gd_loss_fn)(void *user, const double *x, size_t n, double *loss);

/* Wrap a loss-only callback as a full-batch objective whose gradient the library estimates
 * by finite differences, as SciPy's minimize(jac="2-point" | "3-point") does without bounds
 * (scipy.optimize._numdiff.approx_derivative), with eps the float64 machine epsilon:
 *   points = 2  h_i = eps^(1/2) * s_i * max(1, |x_i|), s_i = 1 when x_i >= 0 else -1;
 *               g_i = (f(x + h_i e_i) - f(x)) / ((x_i + h_i) - x_i); n + 1 calls of fn
 *               per gradient;
 *   points = 3  h_i = eps^(1/3) * max(1, |x_i|);
 *               g_i = (f(x + h_i e_i) - f(x - h_i e_i)) / ((x_i + h_i) - (x_i - h_i));
 *               2n + 1 calls per gradient (the loss at x is the first).
 * An evaluation without a gradient calls fn once. user is passed back unchanged and is not
 * owned. Returns GD_E_NULL_ARGUMENT (fn, out), GD_E_INVALID_ARGUMENT (n = 0, points other
 * than 2 or 3), GD_E_OUT_OF_MEMORY (the buffer of n doubles for the shifted points). The
 * caller owns *out and frees it with gd_objective_free. */
int gd_objective_new_finite_difference(gd_loss_fn fn, void *user, size_t n, int32_t points,
                                       gd_objective **out);

/* ------------------------------------------------------------------------------------ */
/* Library information                                                                  */
/* ------------------------------------------------------------------------------------ */

/* The set of update loops this process runs, chosen once from the CPU: "haswell" (compiled
 * for x86-64-v3: AVX2 and FMA) or "baseline" (the x86-64 baseline). The environment variable
 * GRADIENT_DESCENT_KERNELS=baseline, read at the first update, forces the baseline set.
 * Static storage; never NULL. */
const char *gd_kernel_set(void);

/* ------------------------------------------------------------------------------------ */
/* Data-parallel runs                                                                    */
/* ------------------------------------------------------------------------------------ */

/* A run over data spread across processes: each process builds its objective over its own
 * rows, and every evaluation of the run (full, batch, line-search trial) is combined across
 * the processes before the criteria, clipping and the update see it, so every process takes
 * the same steps. The library talks to no other process itself: the caller's reducer does
 * (libgradient_descent_mpi and its header gradient_descent_mpi.h make one from an MPI
 * communicator), so this library links no transport.
 *
 * Layout: process r holds the global rows [offset(r), offset(r) + rows(r)) in rank order,
 * where rows(r) is its objective's sample count; the processes learn each other's counts
 * at the start of every run. A process that holds no rows passes an objective from
 * gd_objective_new_empty_shard. Mini-batch runs draw each global batch from one seeded
 * permutation of the global row count (the same on every process), and each process
 * evaluates the rows of the batch it holds, so the sequence of global batches is the
 * single-process one. Objectives over rows return means over the rows they evaluated;
 * the parts are weighted by their rows. Full-batch objectives without samples return their
 * shard's part of the total; the parts are added.
 *
 * Every process calls gd_minimize with the same options (batch size, seed, criteria) and an
 * optimizer of the same rule and settings; dimensions and batch sizes are checked across
 * processes. A check that fails on one process (an argument, a run state from another
 * layout) fails the call on every process. A failing objective on one process stops the run
 * on every process at the same evaluation (GD_E_CALLBACK; the others' message says how many
 * processes failed). A progress callback asking to stop, or a time limit reached, on any
 * process stops every process at the next evaluation. Other callbacks (schedules, custom
 * rules) must decide alike on every process. A run state records the layout; resuming it
 * with another process count, rank or split of the rows is GD_E_BAD_STATE. Reruns with the
 * same layout are bit-identical when the reducer adds in a fixed order; against one process
 * over all the rows the iterates differ by rounding only (the sums are split differently). */

/* Replaces buffer[0..count) by its elementwise sum over all processes, with the same bits on
 * every process and in every run; 0 on success, non-zero on failure (the run then fails
 * with GD_E_CALLBACK). Called by every process at the same points with the same count. */
typedef int (*gd_reduce_fn)(double *buffer, size_t count, void *user);

typedef struct gd_reducer {
    size_t struct_size;       /* sizeof(gd_reducer) */
    gd_reduce_fn sum;         /* required */
    void *user;               /* passed to sum */
    uint64_t process_count;   /* >= 1 */
    uint64_t rank;            /* this process, in [0, process_count) */
} gd_reducer;

/* An objective over no rows and n parameters, for a process of a data-parallel run whose
 * shard is empty: it contributes nothing to the run's evaluations. Evaluated outside such a
 * run it fails with GD_E_INVALID_ARGUMENT. Free with gd_objective_free.
 * GD_E_NULL_ARGUMENT, GD_E_INVALID_ARGUMENT (n = 0), GD_E_OUT_OF_MEMORY. */
int gd_objective_new_empty_shard(size_t n, gd_objective **out);

#ifdef __cplusplus
}
#endif

#endif /* GRADIENT_DESCENT_H */
