"""gradient_descent: PyTorch's update rules and a gradient-descent loop run by a Swift core.

    import numpy as np
    import gradient_descent as gd

    def fun(x, grad):                       # fills grad in place, returns the loss
        r = A @ x - b
        grad[:] = A.T @ r / len(b)
        return 0.5 * (r @ r) / len(b)

    res = gd.minimize(fun, np.zeros(3), optimizer=gd.Adam(lr=0.05), gradient_tolerance=1e-8)
    res.x, res.fun, res.nit, res.success, res.message

See minimize() for the callback forms and options, and optimizers for the update rules.
"""

from ._version import __version__
from ._capi import library_path, version as library_version
from .errors import *  # noqa: F403 - the generated exception classes
from .errors import __all__ as _error_names
from ._minimize import minimize
from .optimizers import (ASGD, LBFGS, SGD, Adadelta, Adagrad, Adam, Adamax, AdamW, NAdam, Optimizer,
                         RAdam, RMSprop, Rprop)
from .result import OptimizeResult, ProgressInfo, StopReason
from . import objectives
from .plugins import load_plugin
from .schedules import (ChainedScheduler, ConstantLR, CosineAnnealingLR, CosineAnnealingWarmRestarts,
                        CyclicLR, ExponentialLR, LinearLR, MultiStepLR, OneCycleLR, PolynomialLR,
                        ReduceLROnPlateau, Schedule, SequentialLR, StepLR, WarmupCosine)
from .clipping import clip_grad_norm_, clip_grad_value_, clip_grads_with_norm_, get_total_norm
from .checkpoints import RunState
from .custom_rules import CustomOptimizer, register_rule, unregister_rule
from .gradcheck import GradientCheck, check_gradient

__all__ = [
    "__version__", "library_path", "library_version", "minimize",
    "Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam",
    "RAdam", "Rprop", "ASGD", "LBFGS", "OptimizeResult", "ProgressInfo", "StopReason", "objectives", "load_plugin",
    "Schedule", "ConstantLR", "StepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR",
    "WarmupCosine", "ReduceLROnPlateau", "MultiStepLR", "PolynomialLR",
    "CosineAnnealingWarmRestarts", "OneCycleLR", "CyclicLR", "SequentialLR", "ChainedScheduler",
    "clip_grad_norm_", "clip_grad_value_", "get_total_norm", "clip_grads_with_norm_", "RunState", "CustomOptimizer", "register_rule",
    "unregister_rule", "check_gradient", "GradientCheck",
    *_error_names,
]
