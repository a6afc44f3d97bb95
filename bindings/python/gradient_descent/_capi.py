"""ctypes mirror of include/gradient_descent.h, one binding per declaration, in its order.

Each binding sits under its C prototype. Two deliberate choices keep calls cheap:
  - data pointers (double *x, double *grad, const size_t *samples) are declared c_void_p,
    so Python passes and receives plain integer addresses: a typed ctypes pointer costs an
    object per call, `ndpointer` about 3 µs. The object layer checks dtype, shape and
    contiguity once and wraps buffers once per run.
  - handles are typed (POINTER(gd_optimizer), POINTER(gd_objective)), so an objective
    cannot be passed where an optimizer is expected.
Functions return the raw int status; `check(status)` raises the matching exception with
gd_last_error()'s message. The object layer (optimizers.py, minimize.py) calls them.
"""

from __future__ import annotations

from ctypes import (CFUNCTYPE, POINTER, PYFUNCTYPE, Structure, c_char_p, c_double, c_int,
                    c_int32, c_size_t, c_uint32, c_uint64, c_void_p, cast, sizeof)

from typing import Any

from ._header_tables import HEADER_VERSION, STATUS_TABLE, STOP_REASON_TABLE  # noqa: F401 - re-exported
from ._library import load
from .errors import error_for_status

lib, library_path = load()


def _bind(name: str, restype: Any, *argtypes: Any) -> Any:
    function = getattr(lib, name)
    function.restype = restype
    function.argtypes = list(argtypes)
    return function


# ---- Version --------------------------------------------------------------------------

# #define GD_VERSION_MAJOR / MINOR / PATCH / NUMBER: the header this binding mirrors.
GD_VERSION_MAJOR, GD_VERSION_MINOR, GD_VERSION_PATCH = HEADER_VERSION
GD_VERSION_NUMBER = GD_VERSION_MAJOR * 10000 + GD_VERSION_MINOR * 100 + GD_VERSION_PATCH

# const char *gd_version_string(void);
gd_version_string = _bind("gd_version_string", c_char_p)
# uint32_t gd_version_number(void);
gd_version_number = _bind("gd_version_number", c_uint32)

# ---- Status codes ---------------------------------------------------------------------

# GD_STATUS_TABLE(X) -> GD_OK = 0, GD_E_NULL_ARGUMENT = -1, ... (written out for type
# checkers; tests/test_header_tables.py checks them against the generated table)
GD_OK = 0
GD_E_NULL_ARGUMENT = -1
GD_E_INVALID_ARGUMENT = -2
GD_E_DIMENSION_MISMATCH = -3
GD_E_UNKNOWN_NAME = -4
GD_E_UNKNOWN_KEY = -5
GD_E_OUT_OF_MEMORY = -6
GD_E_CALLBACK = -7
GD_E_NON_FINITE = -8
GD_E_PLUGIN = -9
GD_E_BAD_STATE = -10
GD_E_FOREIGN = -11
GD_E_LINE_SEARCH = -12

# const char *gd_status_string(int status);
gd_status_string = _bind("gd_status_string", c_char_p, c_int)
# const char *gd_last_error(void);
gd_last_error = _bind("gd_last_error", c_char_p)


def last_error() -> str:
    """gd_last_error() as text."""
    text: bytes = gd_last_error()
    return text.decode("utf-8", "replace")


def check(status: int) -> None:
    """Raise the exception for a negative status, with the thread's gd_last_error()."""
    if status < 0:
        raise error_for_status(status, last_error())


# ---- Optimizers -----------------------------------------------------------------------

# typedef struct gd_optimizer gd_optimizer;
class gd_optimizer(Structure):
    pass


gd_optimizer_p = POINTER(gd_optimizer)

# int gd_optimizer_new(const char *name, size_t n, gd_optimizer **out);
gd_optimizer_new = _bind("gd_optimizer_new", c_int, c_char_p, c_size_t, POINTER(gd_optimizer_p))
# int gd_optimizer_set(gd_optimizer *opt, const char *key, double value);
gd_optimizer_set = _bind("gd_optimizer_set", c_int, gd_optimizer_p, c_char_p, c_double)
# int gd_optimizer_get(const gd_optimizer *opt, const char *key, double *value);
gd_optimizer_get = _bind("gd_optimizer_get", c_int, gd_optimizer_p, c_char_p, POINTER(c_double))
# int gd_optimizer_step(gd_optimizer *opt, double *x, const double *grad, size_t n);
gd_optimizer_step = _bind("gd_optimizer_step", c_int, gd_optimizer_p, c_void_p, c_void_p, c_size_t)
# int gd_optimizer_reset(gd_optimizer *opt);
gd_optimizer_reset = _bind("gd_optimizer_reset", c_int, gd_optimizer_p)
# void gd_optimizer_free(gd_optimizer *opt);
gd_optimizer_free = _bind("gd_optimizer_free", None, gd_optimizer_p)

# ---- Objectives -----------------------------------------------------------------------

# typedef struct gd_objective gd_objective;
class gd_objective(Structure):
    pass


gd_objective_p = POINTER(gd_objective)

# typedef int (*gd_objective_fn)(void *user, const double *x, double *grad, size_t n,
#                                double *loss);
gd_objective_fn = CFUNCTYPE(c_int, c_void_p, c_void_p, c_void_p, c_size_t, c_void_p)
# typedef int (*gd_sampled_fn)(void *user, const double *x, double *grad, size_t n,
#                              const size_t *samples, size_t count, double *loss);
gd_sampled_fn = CFUNCTYPE(c_int, c_void_p, c_void_p, c_void_p, c_size_t, c_void_p, c_size_t,
                          c_void_p)

# int gd_objective_new(gd_objective_fn fn, void *user, size_t n, gd_objective **out);
gd_objective_new = _bind("gd_objective_new", c_int, gd_objective_fn, c_void_p, c_size_t,
                         POINTER(gd_objective_p))
# int gd_objective_new_sampled(gd_sampled_fn fn, void *user, size_t n, size_t sample_count,
#                              gd_objective **out);
gd_objective_new_sampled = _bind("gd_objective_new_sampled", c_int, gd_sampled_fn, c_void_p,
                                 c_size_t, c_size_t, POINTER(gd_objective_p))
# int gd_objective_dimension(const gd_objective *obj, size_t *n);
gd_objective_dimension = _bind("gd_objective_dimension", c_int, gd_objective_p, POINTER(c_size_t))
# int gd_objective_sample_count(const gd_objective *obj, size_t *count);
gd_objective_sample_count = _bind("gd_objective_sample_count", c_int, gd_objective_p,
                                  POINTER(c_size_t))
# int gd_objective_evaluate(gd_objective *obj, const double *x, size_t n, double *grad,
#                           double *loss);
gd_objective_evaluate = _bind("gd_objective_evaluate", c_int, gd_objective_p, c_void_p, c_size_t,
                              c_void_p, POINTER(c_double))
# void gd_objective_free(gd_objective *obj);
gd_objective_free = _bind("gd_objective_free", None, gd_objective_p)

# ---- The run --------------------------------------------------------------------------

# GD_STOP_REASON_TABLE(X) -> GD_STOP_NONE = 0, GD_STOP_MAX_ITERATIONS = 1, ... (written out,
# checked like the statuses)
GD_STOP_NONE = 0
GD_STOP_MAX_ITERATIONS = 1
GD_STOP_MAX_EPOCHS = 2
GD_STOP_GRADIENT_TOLERANCE = 3
GD_STOP_LOSS_TOLERANCE = 4
GD_STOP_TARGET_LOSS = 5
GD_STOP_TIME_LIMIT = 6
GD_STOP_PROGRESS = 7
GD_STOP_CALLBACK_ERROR = 8
GD_STOP_NON_FINITE = 9
GD_STOP_LINE_SEARCH_FAILED = 10

# const char *gd_stop_reason_string(int reason);
gd_stop_reason_string = _bind("gd_stop_reason_string", c_char_p, c_int)


# typedef struct gd_progress_info { ... } gd_progress_info;
class gd_progress_info(Structure):
    _fields_ = [
        ("struct_size", c_size_t),
        ("iteration", c_uint64),
        ("epoch", c_uint64),
        ("loss", c_double),
        ("gradient_norm", c_double),
        ("lr", c_double),
        ("x", c_void_p),          # const double *x
        ("n", c_size_t),
    ]


# typedef int (*gd_progress_fn)(void *user, const gd_progress_info *info);
gd_progress_fn = CFUNCTYPE(c_int, c_void_p, c_void_p)


# typedef struct gd_options { ... } gd_options;
class gd_options(Structure):
    _fields_ = [
        ("struct_size", c_size_t),
        ("batch_size", c_size_t),
        ("max_iterations", c_uint64),
        ("max_epochs", c_uint64),
        ("gradient_tolerance", c_double),
        ("loss_tolerance", c_double),
        ("patience", c_uint64),
        ("target_loss", c_double),
        ("time_limit", c_double),
        ("seed", c_uint64),
        ("shuffle", c_int32),
        ("progress", gd_progress_fn),
        ("progress_user", c_void_p),
        # training controls (see the training controls section below)
        ("schedule", c_void_p),            # struct gd_schedule *
        ("schedule_per_epoch", c_int32),
        ("nonfinite_policy", c_int32),
        ("clip_norm", c_double),
        ("clip_value", c_double),
        ("max_consecutive_skips", c_uint64),
        ("keep_best", c_int32),
        ("run_state", c_void_p),           # struct gd_run_state *
        # bounds (appended; see the bounds, line searches and L-BFGS section)
        ("lower", c_void_p),               # const double *
        ("upper", c_void_p),               # const double *
        # norm clipping as torch's clip_grad_norm_
        ("clip_norm_type", c_double),
        ("clip_error_if_nonfinite", c_int32),
        # data-parallel runs (appended; see the data-parallel runs section)
        ("reducer", c_void_p),             # const struct gd_reducer *
    ]


# int gd_options_init_sized(gd_options *options, size_t struct_size);
gd_options_init_sized = _bind("gd_options_init_sized", c_int, POINTER(gd_options), c_size_t)


# int gd_options_init(gd_options *options);
# #define gd_options_init(options) gd_options_init_sized((options), sizeof(gd_options))
# (the exported symbol fills only the first release's fields; like C, go through the sized one)
def gd_options_init(options: Any) -> int:
    status: int = gd_options_init_sized(options, sizeof(gd_options))
    return status


# typedef struct gd_report { ... } gd_report;
class gd_report(Structure):
    _fields_ = [
        ("struct_size", c_size_t),
        ("stop_reason", c_int32),
        ("iterations", c_uint64),
        ("epochs", c_uint64),
        ("evaluations", c_uint64),
        ("loss", c_double),
        ("best_loss", c_double),
        ("gradient_norm", c_double),
        ("seconds", c_double),
        # training controls
        ("best_iteration", c_uint64),
        ("skipped_steps", c_uint64),
        ("clipped_steps", c_uint64),
        ("returned_best", c_int32),
        # bounds (appended)
        ("x0_projected", c_int32),
    ]


# int gd_minimize(gd_objective *obj, gd_optimizer *opt, double *x, size_t n,
#                 const gd_options *options, gd_report *report);
gd_minimize = _bind("gd_minimize", c_int, gd_objective_p, gd_optimizer_p, c_void_p, c_size_t,
                    POINTER(gd_options), POINTER(gd_report))
# The same function called without releasing the GIL (a PYFUNCTYPE prototype). ctypes
# releases the GIL around a foreign call and every callback takes it back, a lock hand-off
# per call of a Python objective; a run whose objective is Python re-enters Python every
# iteration anyway, so minimize keeps the GIL for it (see _minimize.py for when).
gd_minimize_holding_gil = PYFUNCTYPE(c_int, *gd_minimize.argtypes)(
    cast(gd_minimize, c_void_p).value or 0)


def version() -> str:
    """The loaded library's version string."""
    text: bytes = gd_version_string()
    return text.decode("ascii")



# ---- Built-in objectives, the objective registry, plugins and foreign functions -------
# The header's section of the same name, in its order; objectives.py and plugins.py are the
# object layer.

# #define GD_DATA_X / GD_DATA_Y / GD_DATA_LABELS
GD_DATA_X, GD_DATA_Y, GD_DATA_LABELS = 1, 2, 4


# typedef struct gd_data { ... } gd_data;
class gd_data(Structure):
    _fields_ = [
        ("struct_size", c_size_t),
        ("x", c_void_p),          # const double *x
        ("rows", c_size_t),
        ("cols", c_size_t),
        ("y", c_void_p),          # const double *y
        ("labels", c_void_p),     # const int64_t *labels
        ("classes", c_size_t),
    ]


# int gd_data_init(gd_data *data);
gd_data_init = _bind("gd_data_init", c_int, POINTER(gd_data))


# typedef struct gd_param { const char *key; double value; } gd_param;
class gd_param(Structure):
    _fields_ = [("key", c_char_p), ("value", c_double)]


# int gd_objective_create(const char *name, size_t n, const gd_data *data,
#                         const gd_param *params, size_t param_count, gd_objective **out);
gd_objective_create = _bind("gd_objective_create", c_int, c_char_p, c_size_t, POINTER(gd_data),
                            POINTER(gd_param), c_size_t, POINTER(gd_objective_p))


# typedef struct gd_registry_info { ... } gd_registry_info;
class gd_registry_info(Structure):
    _fields_ = [
        ("struct_size", c_size_t),
        ("name", c_char_p),
        ("description", c_char_p),
        ("source", c_char_p),
        ("data_fields", c_uint32),
        ("sampled", c_int32),
        ("param_count", c_size_t),
        ("param_keys", POINTER(c_char_p)),
        ("param_defaults", POINTER(c_double)),
    ]


# int gd_registry_count(size_t *count);
gd_registry_count = _bind("gd_registry_count", c_int, POINTER(c_size_t))
# int gd_registry_entry(size_t index, gd_registry_info *info);
gd_registry_entry = _bind("gd_registry_entry", c_int, c_size_t, POINTER(gd_registry_info))

# #define GD_PLUGIN_ABI_VERSION 1, GD_PLUGIN_ENTRY_SYMBOL "gd_plugin_entry_v1"
GD_PLUGIN_ABI_VERSION = 1
GD_PLUGIN_ENTRY_SYMBOL = "gd_plugin_entry_v1"

# typedef int (*gd_plugin_create_fn)(size_t n, const gd_data *data, const double *params,
#                                    void **instance, char *error, size_t error_size);
gd_plugin_create_fn = CFUNCTYPE(c_int, c_size_t, c_void_p, c_void_p, c_void_p, c_void_p, c_size_t)
# typedef void (*gd_plugin_destroy_fn)(void *instance);
gd_plugin_destroy_fn = CFUNCTYPE(None, c_void_p)


# typedef struct gd_plugin_param { const char *key; double default_value; } gd_plugin_param;
class gd_plugin_param(Structure):
    _fields_ = [("key", c_char_p), ("default_value", c_double)]


# typedef struct gd_plugin_objective { ... } gd_plugin_objective;
class gd_plugin_objective(Structure):
    _fields_ = [
        ("name", c_char_p),
        ("description", c_char_p),
        ("params", POINTER(gd_plugin_param)),
        ("param_count", c_size_t),
        ("data_fields", c_uint32),
        ("create", gd_plugin_create_fn),
        ("destroy", gd_plugin_destroy_fn),
        ("evaluate", gd_objective_fn),
        ("evaluate_sampled", gd_sampled_fn),
    ]


# typedef struct gd_plugin { ... } gd_plugin;
class gd_plugin(Structure):
    _fields_ = [
        ("abi_version", c_uint32),
        ("name", c_char_p),
        ("objectives", POINTER(gd_plugin_objective)),
        ("objective_count", c_size_t),
    ]


# typedef const gd_plugin *(*gd_plugin_entry_fn)(void);
gd_plugin_entry_fn = CFUNCTYPE(POINTER(gd_plugin))

# int gd_plugin_load(const char *path, size_t *added);
gd_plugin_load = _bind("gd_plugin_load", c_int, c_char_p, POINTER(c_size_t))
# int gd_objective_new_foreign(const char *library, const char *function, const char *gradient,
#                              size_t n, gd_objective **out);
gd_objective_new_foreign = _bind("gd_objective_new_foreign", c_int, c_char_p, c_char_p, c_char_p,
                                 c_size_t, POINTER(gd_objective_p))


# ---- Training controls: schedules, clipping, checkpoints, custom rules, gradient check -
# The header's section of the same name, in its order; schedules.py, checkpoints.py,
# custom_rules.py and gradcheck.py are the object layer.

# typedef struct gd_schedule gd_schedule;
class gd_schedule(Structure):
    pass


gd_schedule_p = POINTER(gd_schedule)

# typedef double (*gd_schedule_fn)(void *user, uint64_t iteration, uint64_t epoch, double lr,
#                                  double loss);
gd_schedule_fn = CFUNCTYPE(c_double, c_void_p, c_uint64, c_uint64, c_double, c_double)

# int gd_schedule_new(const char *name, gd_schedule **out);
gd_schedule_new = _bind("gd_schedule_new", c_int, c_char_p, POINTER(gd_schedule_p))
# int gd_schedule_new_callback(gd_schedule_fn fn, void *user, gd_schedule **out);
gd_schedule_new_callback = _bind("gd_schedule_new_callback", c_int, gd_schedule_fn, c_void_p,
                                 POINTER(gd_schedule_p))
# int gd_schedule_set(gd_schedule *s, const char *key, double value);
gd_schedule_set = _bind("gd_schedule_set", c_int, gd_schedule_p, c_char_p, c_double)
# int gd_schedule_get(const gd_schedule *s, const char *key, double *value);
gd_schedule_get = _bind("gd_schedule_get", c_int, gd_schedule_p, c_char_p, POINTER(c_double))
# int gd_schedule_start(gd_schedule *s, double base_lr, double *lr);
gd_schedule_start = _bind("gd_schedule_start", c_int, gd_schedule_p, c_double, POINTER(c_double))
# int gd_schedule_step(gd_schedule *s, double loss, double *lr);
gd_schedule_step = _bind("gd_schedule_step", c_int, gd_schedule_p, c_double, POINTER(c_double))
# int gd_schedule_lr(const gd_schedule *s, double *lr);
gd_schedule_lr = _bind("gd_schedule_lr", c_int, gd_schedule_p, POINTER(c_double))
# int gd_schedule_reset(gd_schedule *s);
gd_schedule_reset = _bind("gd_schedule_reset", c_int, gd_schedule_p)
# void gd_schedule_free(gd_schedule *s);
gd_schedule_free = _bind("gd_schedule_free", None, gd_schedule_p)

# int gd_clip_grad_norm(double *grad, size_t n, double max_norm, double *norm);
gd_clip_grad_norm = _bind("gd_clip_grad_norm", c_int, c_void_p, c_size_t, c_double,
                          POINTER(c_double))
# int gd_clip_grad_value(double *grad, size_t n, double clip_value);
gd_clip_grad_value = _bind("gd_clip_grad_value", c_int, c_void_p, c_size_t, c_double)

# int gd_clip_grad_norm_ex(double *grad, size_t n, double max_norm, double norm_type,
#                          int32_t error_if_nonfinite, double *total_norm);
gd_clip_grad_norm_ex = _bind("gd_clip_grad_norm_ex", c_int, c_void_p, c_size_t, c_double, c_double,
                             c_int32, POINTER(c_double))
# int gd_grad_norm(const double *grad, size_t n, double norm_type, double *norm);
gd_grad_norm = _bind("gd_grad_norm", c_int, c_void_p, c_size_t, c_double, POINTER(c_double))

# ---- PyTorch's other schedules: composites, stepping to an epoch, cycled momentum ----
# int gd_schedule_add(gd_schedule *parent, gd_schedule *child, uint64_t milestone);
gd_schedule_add = _bind("gd_schedule_add", c_int, gd_schedule_p, gd_schedule_p, c_uint64)
# int gd_schedule_step_to(gd_schedule *s, double epoch, double *lr);
gd_schedule_step_to = _bind("gd_schedule_step_to", c_int, gd_schedule_p, c_double, POINTER(c_double))
# int gd_schedule_momentum(const gd_schedule *s, double *momentum);
gd_schedule_momentum = _bind("gd_schedule_momentum", c_int, gd_schedule_p, POINTER(c_double))

# typedef enum gd_nonfinite_policy { GD_NONFINITE_FAIL = 0, GD_NONFINITE_SKIP = 1 } ...;
GD_NONFINITE_FAIL, GD_NONFINITE_SKIP = 0, 1

# int gd_optimizer_save(const gd_optimizer *opt, void *buf, size_t cap, size_t *size);
gd_optimizer_save = _bind("gd_optimizer_save", c_int, gd_optimizer_p, c_void_p, c_size_t,
                          POINTER(c_size_t))
# int gd_optimizer_load(gd_optimizer *opt, const void *buf, size_t size);
gd_optimizer_load = _bind("gd_optimizer_load", c_int, gd_optimizer_p, c_char_p, c_size_t)
# int gd_optimizer_new_from_state(const void *buf, size_t size, gd_optimizer **out);
gd_optimizer_new_from_state = _bind("gd_optimizer_new_from_state", c_int, c_char_p, c_size_t,
                                    POINTER(gd_optimizer_p))
# int gd_schedule_save(const gd_schedule *s, void *buf, size_t cap, size_t *size);
gd_schedule_save = _bind("gd_schedule_save", c_int, gd_schedule_p, c_void_p, c_size_t,
                         POINTER(c_size_t))
# int gd_schedule_load(gd_schedule *s, const void *buf, size_t size);
gd_schedule_load = _bind("gd_schedule_load", c_int, gd_schedule_p, c_char_p, c_size_t)


# typedef struct gd_run_state gd_run_state;
class gd_run_state(Structure):
    pass


gd_run_state_p = POINTER(gd_run_state)

# int gd_run_state_new(gd_run_state **out);
gd_run_state_new = _bind("gd_run_state_new", c_int, POINTER(gd_run_state_p))
# int gd_run_state_reset(gd_run_state *state);
gd_run_state_reset = _bind("gd_run_state_reset", c_int, gd_run_state_p)
# int gd_run_state_save(const gd_run_state *state, void *buf, size_t cap, size_t *size);
gd_run_state_save = _bind("gd_run_state_save", c_int, gd_run_state_p, c_void_p, c_size_t,
                          POINTER(c_size_t))
# int gd_run_state_load(gd_run_state *state, const void *buf, size_t size);
gd_run_state_load = _bind("gd_run_state_load", c_int, gd_run_state_p, c_char_p, c_size_t)
# void gd_run_state_free(gd_run_state *state);
gd_run_state_free = _bind("gd_run_state_free", None, gd_run_state_p)

# typedef int (*gd_update_fn)(void *user, double *x, const double *grad, size_t n, double lr,
#                             uint64_t step, double *state, size_t state_size);
gd_update_fn = CFUNCTYPE(c_int, c_void_p, c_void_p, c_void_p, c_size_t, c_double, c_uint64,
                         c_void_p, c_size_t)

# int gd_rule_register(const char *name, gd_update_fn fn, void *user, size_t state_size);
gd_rule_register = _bind("gd_rule_register", c_int, c_char_p, gd_update_fn, c_void_p, c_size_t)
# int gd_rule_unregister(const char *name);
gd_rule_unregister = _bind("gd_rule_unregister", c_int, c_char_p)
# int gd_optimizer_new_custom(gd_update_fn fn, void *user, size_t state_size, size_t n,
#                             gd_optimizer **out);
gd_optimizer_new_custom = _bind("gd_optimizer_new_custom", c_int, gd_update_fn, c_void_p,
                                c_size_t, c_size_t, POINTER(gd_optimizer_p))


# typedef struct gd_gradient_check { ... } gd_gradient_check;
class gd_gradient_check(Structure):
    _fields_ = [
        ("struct_size", c_size_t),
        ("worst_index", c_size_t),
        ("analytic", c_double),
        ("numeric", c_double),
        ("abs_error", c_double),
        ("rel_error", c_double),
        ("error", c_double),
        ("evaluations", c_uint64),
    ]


# int gd_check_gradient(gd_objective *obj, const double *x, size_t n, double step,
#                       gd_gradient_check *result);
gd_check_gradient = _bind("gd_check_gradient", c_int, gd_objective_p, c_void_p, c_size_t,
                          c_double, POINTER(gd_gradient_check))


# ---- Parameter groups: slices of x with their own hyper-parameters ---------------------

# int gd_optimizer_set_groups(gd_optimizer *opt, const size_t *starts, size_t count);
gd_optimizer_set_groups = _bind("gd_optimizer_set_groups", c_int, gd_optimizer_p,
                                POINTER(c_size_t), c_size_t)
# int gd_optimizer_get_groups(const gd_optimizer *opt, size_t *starts, size_t cap, size_t *count);
gd_optimizer_get_groups = _bind("gd_optimizer_get_groups", c_int, gd_optimizer_p,
                                POINTER(c_size_t), c_size_t, POINTER(c_size_t))
# int gd_optimizer_set_group(gd_optimizer *opt, size_t group, const char *key, double value);
gd_optimizer_set_group = _bind("gd_optimizer_set_group", c_int, gd_optimizer_p, c_size_t,
                               c_char_p, c_double)
# int gd_optimizer_get_group(const gd_optimizer *opt, size_t group, const char *key, double *value);
gd_optimizer_get_group = _bind("gd_optimizer_get_group", c_int, gd_optimizer_p, c_size_t,
                               c_char_p, POINTER(c_double))
# int gd_schedule_group_lr(const gd_schedule *s, size_t group, double *lr);
gd_schedule_group_lr = _bind("gd_schedule_group_lr", c_int, gd_schedule_p, c_size_t,
                             POINTER(c_double))
# int gd_schedule_group_count(const gd_schedule *s, size_t *count);
gd_schedule_group_count = _bind("gd_schedule_group_count", c_int, gd_schedule_p, POINTER(c_size_t))
# int gd_schedule_start_groups(gd_schedule *s, const double *base_lrs, size_t count, double *lrs);
gd_schedule_start_groups = _bind("gd_schedule_start_groups", c_int, gd_schedule_p, POINTER(c_double),
                                 c_size_t, POINTER(c_double))
# int gd_schedule_step_groups(gd_schedule *s, double loss, double *lrs, size_t count);
gd_schedule_step_groups = _bind("gd_schedule_step_groups", c_int, gd_schedule_p, c_double,
                                POINTER(c_double), c_size_t)

# ---- Progress printer: a ready-made progress callback for C programs -----------------
# minimize(progress=True) uses it when tqdm is not installed.

# typedef struct gd_progress_printer gd_progress_printer;
class gd_progress_printer(Structure):
    pass


gd_progress_printer_p = POINTER(gd_progress_printer)

# int gd_progress_printer_new(int32_t fd, uint64_t every, uint64_t total,
#                             gd_progress_printer **out);
gd_progress_printer_new = _bind("gd_progress_printer_new", c_int, c_int32, c_uint64, c_uint64,
                                POINTER(gd_progress_printer_p))
# int gd_progress_print(void *user, const gd_progress_info *info);
# A gd_progress_fn made from the library's own symbol: callable from Python, and storable in
# gd_options.progress as the C function itself (no Python runs when the library calls it).
gd_progress_print = gd_progress_fn(("gd_progress_print", lib))
# void gd_progress_printer_free(gd_progress_printer *printer);
gd_progress_printer_free = _bind("gd_progress_printer_free", None, gd_progress_printer_p)


# ---- Interrupting a run ---------------------------------------------------------------

# typedef struct gd_interrupt gd_interrupt;
class gd_interrupt(Structure):
    pass


gd_interrupt_p = POINTER(gd_interrupt)

# int gd_interrupt_new(gd_progress_fn next, void *next_user, gd_interrupt **out);
gd_interrupt_new = _bind("gd_interrupt_new", c_int, gd_progress_fn, c_void_p,
                         POINTER(gd_interrupt_p))
# void gd_interrupt_request(gd_interrupt *interrupt);
gd_interrupt_request = _bind("gd_interrupt_request", None, gd_interrupt_p)
# void gd_interrupt_clear(gd_interrupt *interrupt);
gd_interrupt_clear = _bind("gd_interrupt_clear", None, gd_interrupt_p)
# int32_t gd_interrupt_requested(const gd_interrupt *interrupt);
gd_interrupt_requested = _bind("gd_interrupt_requested", c_int32, gd_interrupt_p)
# int gd_interrupt_progress(void *user, const gd_progress_info *info);
# (a gd_progress_fn made from the library's symbol, for gd_options.progress: no Python runs)
gd_interrupt_progress = gd_progress_fn(("gd_interrupt_progress", lib))
# void gd_interrupt_free(gd_interrupt *interrupt);
gd_interrupt_free = _bind("gd_interrupt_free", None, gd_interrupt_p)


# ---- Objectives from a loss alone: finite differences ----------------------------------

# typedef int (*gd_loss_fn)(void *user, const double *x, size_t n, double *loss);
gd_loss_fn = CFUNCTYPE(c_int, c_void_p, c_void_p, c_size_t, c_void_p)
# int gd_objective_new_finite_difference(gd_loss_fn fn, void *user, size_t n, int32_t points,
#                                        gd_objective **out);
gd_objective_new_finite_difference = _bind("gd_objective_new_finite_difference", c_int,
                                           gd_loss_fn, c_void_p, c_size_t, c_int32,
                                           POINTER(gd_objective_p))

# ---- Library information --------------------------------------------------------------

# const char *gd_kernel_set(void);
gd_kernel_set = _bind("gd_kernel_set", c_char_p)

# ---- Data-parallel runs ---------------------------------------------------------------

# typedef int (*gd_reduce_fn)(double *buffer, size_t count, void *user);
gd_reduce_fn = CFUNCTYPE(c_int, c_void_p, c_size_t, c_void_p)


# typedef struct gd_reducer { ... } gd_reducer;
class gd_reducer(Structure):
    _fields_ = [
        ("struct_size", c_size_t),
        ("sum", gd_reduce_fn),
        ("user", c_void_p),
        ("process_count", c_uint64),
        ("rank", c_uint64),
    ]


# int gd_objective_new_empty_shard(size_t n, gd_objective **out);
gd_objective_new_empty_shard = _bind("gd_objective_new_empty_shard", c_int, c_size_t,
                                     POINTER(gd_objective_p))
