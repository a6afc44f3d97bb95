"""`make demo`: the seed article's story, end to end, through the library's C ABI from Python.

1. The article's linear regression, J(θ) = 1/(2m)·Σ(x_i·θ − y_i)², on data with a known θ:
   its numpy code verbatim, then the library's built-in least squares fitted with every
   variant the article names (batch gradient descent, SGD, mini-batch, momentum, Nesterov,
   Adam, RMSprop, AdaGrad) and the other rules (AdamW, Adadelta, Adamax, NAdam, RAdam).
   One table: variant, iterations, epochs, final loss, distance to the true θ, time.
2. Logistic regression on scikit-learn's breast-cancer data (569 tumours, 30 features,
   shipped with the package, no download), compared with scikit-learn's own solver.
3. One picture: log-scale loss against epochs, one labelled line per variant, both panels.

Long runs show a progress bar on a terminal (minimize's progress=: tqdm's where installed,
else the library's text lines). Plotting and the data set are optional extras
(examples/requirements-demo.txt): without them the demo prints its tables and says what it
skipped.

    python examples/demo/demo.py [--output DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

import gradient_descent as gd
from gradient_descent.objectives import LeastSquares, Logistic
from seed_article import gradient_descent   # the article's numpy code, verbatim

TRUE_THETA = np.array([4.0, 3.0, -2.0, 0.5])


def make_data(m=1000, seed=42):
    """m samples, an intercept column and three features in [-1, 1), y = X·θ + noise."""
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(m), rng.uniform(-1, 1, (m, 3))])
    y = X @ TRUE_THETA + 0.1 * (rng.uniform(size=m) - 0.5)
    return X, y


# ---- progress and loss curves -----------------------------------------------------------------

class Recorder:
    """minimize's callback: the full loss once per epoch (per iteration in full-batch runs,
    where an iteration is an epoch)."""

    def __init__(self, objective, batch_size):
        self.objective = objective
        self.batch_size = batch_size
        # Full batch: the callback's loss (before each update) starts at x0; sampled runs
        # measure the full loss at x0 here and at each epoch's end.
        self.losses = [] if batch_size == 0 else [objective.loss(np.zeros(objective.n))]
        self.epoch = 0

    def __call__(self, info):
        if self.batch_size == 0:
            self.losses.append(info.loss)        # the loss before this update: epoch info.iteration - 1
        elif info.epoch > self.epoch:
            self.epoch = info.epoch
            self.losses.append(self.objective.loss(info.x))

    def close(self, final_loss):
        if self.batch_size == 0:
            self.losses.append(final_loss)


def run(objective, label, optimizer, batch_size=0, epochs=0, iterations=5000, tolerance=1e-8, seed=7):
    total = iterations if batch_size == 0 else epochs * -(-objective.sample_count // batch_size)
    recorder = Recorder(objective, batch_size)
    # A bar for long runs; disable=None: only on a terminal (not in `make demo | tee`, CI logs)
    progress = {"desc": f"   {label}", "leave": False, "disable": None} if total >= 20_000 else False
    start = time.perf_counter()
    result = gd.minimize(objective, np.zeros(objective.n), optimizer=optimizer,
                         batch_size=batch_size or None, max_epochs=epochs or None,
                         max_iterations=iterations if batch_size == 0 else 0,
                         gradient_tolerance=tolerance if batch_size == 0 else None,
                         seed=seed, callback=recorder, progress=progress)
    seconds = time.perf_counter() - start
    recorder.close(result.fun)
    return result, recorder.losses, seconds


# ---- 1. the article's linear regression, every variant --------------------------------------------

VARIANTS = [
    # label, optimizer, batch size (0: full batch), epochs of sampled runs
    ("batch gradient descent", lambda: gd.SGD(lr=0.5), 0, 0),
    ("SGD (batch 1)", lambda: gd.SGD(lr=0.01), 1, 30),
    ("mini-batch (32)", lambda: gd.SGD(lr=0.1), 32, 100),
    ("momentum 0.9", lambda: gd.SGD(lr=0.05, momentum=0.9), 0, 0),
    ("Nesterov 0.9", lambda: gd.SGD(lr=0.05, momentum=0.9, nesterov=True), 0, 0),
    ("Adam", lambda: gd.Adam(lr=0.05), 0, 0),
    ("RMSprop", lambda: gd.RMSprop(lr=0.01), 0, 0),
    ("AdaGrad", lambda: gd.Adagrad(lr=0.5), 0, 0),
    ("AdamW", lambda: gd.AdamW(lr=0.05), 0, 0),
    ("Adadelta", lambda: gd.Adadelta(lr=1.0), 0, 0),
    ("Adamax", lambda: gd.Adamax(lr=0.05), 0, 0),
    ("NAdam", lambda: gd.NAdam(lr=0.05), 0, 0),
    ("RAdam", lambda: gd.RAdam(lr=0.05), 0, 0),
]


def linear_regression():
    X, y = make_data()
    m = len(y)
    objective = LeastSquares(X, y)           # exactly the article's J, evaluated in the library
    best = np.linalg.lstsq(X, y, rcond=None)[0]
    floor = objective.loss(best)

    print(f"1. The article's linear regression: m = {m}, true θ = {tuple(TRUE_THETA.tolist())}, "
          f"least-squares optimum J(θ̂) = {floor:.6g}\n")
    start = time.perf_counter()
    article = gradient_descent(X, y, learning_rate=0.01, iterations=1000)
    article_seconds = time.perf_counter() - start
    same, _, same_seconds = run(objective, "article's settings", gd.SGD(lr=0.01), iterations=1000,
                                tolerance=0)
    print("   The article's numpy code (lr 0.01, 1000 iterations) and the library's batch gradient")
    print(f"   descent with the same settings agree to {np.max(np.abs(article - same.x)):.1e} "
          f"(|θ − θ_true| = {np.linalg.norm(article - TRUE_THETA):.3f} after 1000 iterations; "
          f"numpy {article_seconds * 1e3:.1f} ms, library {same_seconds * 1e3:.1f} ms)\n")

    header = f"   {'variant':<24} {'iterations':>10} {'epochs':>7} {'final loss':>12} {'|θ − θ_true|':>13} {'time':>9}"
    print(header)
    print("   " + "-" * (len(header) - 3))
    curves = {}
    failures = 0
    for label, make_optimizer, batch_size, epochs in VARIANTS:
        result, losses, seconds = run(objective, label, make_optimizer(), batch_size, epochs)
        distance = np.linalg.norm(result.x - TRUE_THETA)
        print(f"   {label:<24} {result.nit:>10} {result.epochs:>7} {result.fun:>12.6g} {distance:>13.3e} "
              f"{seconds * 1e3:>7.1f} ms")
        curves[label] = losses
        if not result.success or distance > 0.05:
            failures += 1
    print(f"\n   Every variant ends within {0.05} of the true θ; the noise (±0.05 on y) keeps "
          "any fit from reaching it exactly." if failures == 0 else f"\n   {failures} variant(s) did not converge")
    print("   Epochs are the library's count, as in the C table: passes of a sampled run; a "
          "full-batch run counts none\n   (each of its iterations is one pass). The C table "
          "draws its own data (the same θ and noise, another\n   generator), so its final "
          f"losses sit at its own optimum; both are the noise's floor, about "
          f"{0.1 ** 2 / 24:.2e}\n   (half the variance of noise uniform on ±0.05), not a "
          "difference between the two paths.")
    objective.close()
    return curves, floor, failures


# ---- 2. logistic regression on a real data set ------------------------------------------------------

def logistic_regression():
    try:
        from sklearn.datasets import load_breast_cancer
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
    except ImportError:
        print("\n2. Logistic regression: skipped (scikit-learn is not installed; "
              "pip install -r examples/requirements-demo.txt)")
        return None
    data = load_breast_cancer()
    X_train, X_test, y_train, y_test = train_test_split(
        data.data, data.target.astype(np.float64), test_size=0.25, stratify=data.target, random_state=0)
    scaler = StandardScaler().fit(X_train)

    def design(X):
        return np.column_stack([np.ones(len(X)), scaler.transform(X)])

    A_train, A_test = design(X_train), design(X_test)
    m = len(y_train)
    reference = LogisticRegression(C=1.0, max_iter=10_000).fit(scaler.transform(X_train), y_train)
    reference_accuracy = reference.score(scaler.transform(X_test), y_test)
    # scikit-learn minimizes C·Σ log-loss + ½‖w‖²: per sample, the mean log-loss + (1/(2Cm))‖w‖².
    objective = Logistic(A_train, y_train, l2=1.0 / (1.0 * m))

    print(f"\n2. Logistic regression, scikit-learn's breast-cancer data: {len(data.target)} tumours, "
          f"{data.data.shape[1]} features, {m} to train, {len(y_test)} to test")
    print(f"   {'variant':<34} {'iterations':>10} {'final loss':>11} {'test accuracy':>14} {'time':>9}")
    curves = {}
    runs = [("Adam, full batch", gd.Adam(lr=0.05), 0, 0),
            ("SGD momentum 0.9, full batch", gd.SGD(lr=0.1, momentum=0.9), 0, 0),
            ("Adam, mini-batch 16", gd.Adam(lr=0.01), 16, 200),
            ("SGD (batch 1)", gd.SGD(lr=0.01), 1, 100)]
    accuracies = {}
    for label, optimizer, batch_size, epochs in runs:
        result, losses, seconds = run(objective, label, optimizer, batch_size, epochs,
                                      iterations=3000, tolerance=1e-6)
        accuracy = np.mean(((A_test @ result.x) > 0) == (y_test == 1))
        accuracies[label] = accuracy
        curves[label] = losses
        print(f"   {label:<34} {result.nit:>10} {result.fun:>11.5f} {accuracy:>14.3f} {seconds * 1e3:>7.1f} ms")
    start = time.perf_counter()
    LogisticRegression(C=1.0, max_iter=10_000).fit(scaler.transform(X_train), y_train)
    sklearn_seconds = time.perf_counter() - start
    print(f"   {'scikit-learn LogisticRegression':<34} {reference.n_iter_[0]:>10} {'':>11} "
          f"{reference_accuracy:>14.3f} {sklearn_seconds * 1e3:>7.1f} ms  (lbfgs, same L2 penalty)")
    objective.close()
    return curves, accuracies, reference_accuracy


# ---- 3. the picture ----------------------------------------------------------------------------------

def plot(path: Path, linear, floor, logistic) -> bool:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("\n3. The picture: skipped (matplotlib is not installed; "
              "pip install -r examples/requirements-demo.txt)")
        return False
    panels = 2 if logistic else 1
    figure, axes = plt.subplots(1, panels, figsize=(7.5 * panels, 5.6), squeeze=False)
    ax = axes[0][0]
    colors = plt.cm.tab10(np.arange(10))
    for k, (label, losses) in enumerate(linear.items()):
        epochs = np.arange(len(losses))
        # The article's eight variants solid, the other rules dashed.
        ax.plot(epochs + 1, losses, label=label, color=colors[k % 10] if k < 8 else colors[(k - 8) * 2 % 10],
                linewidth=1.6, linestyle="-" if k < 8 else "--")
    ax.axhline(floor, color="black", linewidth=0.8, linestyle=":", label="least-squares optimum")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("epoch + 1 (passes over the 1000 samples; log scale)")
    ax.set_ylabel("loss J(θ) = 1/(2m)·Σ(x·θ − y)²  (log scale)")
    ax.set_title("The article's linear regression, every variant")
    ax.legend(fontsize=8, ncol=2)
    ax.grid(True, which="both", alpha=0.25)
    if logistic:
        curves, accuracies, reference = logistic
        ax = axes[0][1]
        for k, (label, losses) in enumerate(curves.items()):
            ax.plot(np.arange(len(losses)) + 1, losses,
                    label=f"{label} (test accuracy {accuracies[label]:.3f})", linewidth=1.6)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("epoch + 1 (log scale)")
        ax.set_ylabel("mean log-loss + L2 (log scale)")
        ax.set_title(f"Logistic regression, breast-cancer data\n"
                     f"scikit-learn's lbfgs: test accuracy {reference:.3f}")
        ax.legend(fontsize=8)
        ax.grid(True, which="both", alpha=0.25)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    print(f"\n3. Loss curves (log-scale loss against epochs, one line per variant): {path}")
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", default="build/demo", help="folder for the picture")
    arguments = parser.parse_args()
    print(f"gradient_descent {gd.__version__} (library {gd.library_version()}, {gd.library_path})\n")
    linear, floor, failures = linear_regression()
    logistic = logistic_regression()
    plot(Path(arguments.output) / "loss_curves.png", linear, floor, logistic)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
