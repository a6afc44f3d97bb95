/// L-BFGS with a Moré–Thuente strong-Wolfe line search (the rule "lbfgs"); in a run with
/// bounds, L-BFGS-B's method. Its steps need the objective, so it runs in `minimize` only.
public struct LBFGS: OptimizerConfiguration {
    /// The number of (s, y) pairs kept.
    public var historySize: Int
    /// The scale of every search's first trial step.
    public var lr: Double
    /// The sufficient-decrease constant of the Wolfe conditions.
    public var c1: Double
    /// The curvature constant of the Wolfe conditions (c1 < c2 < 1).
    public var c2: Double
    /// Evaluations one line search may take.
    public var maxLineSearchEvaluations: Int

    /// L-BFGS with the library's defaults.
    public init(historySize: Int = 10, lr: Double = 1, c1: Double = 1e-4, c2: Double = 0.9,
                maxLineSearchEvaluations: Int = 20) {
        self.historySize = historySize
        self.lr = lr
        self.c1 = c1
        self.c2 = c2
        self.maxLineSearchEvaluations = maxLineSearchEvaluations
    }

    /// "lbfgs".
    public var ruleName: String { "lbfgs" }

    /// The values under the C ABI's keys.
    public var hyperparameters: [(key: String, value: Double)] {
        [("lr", lr), ("history_size", Double(historySize)), ("c1", c1), ("c2", c2),
         ("max_line_search_evaluations", Double(maxLineSearchEvaluations))]
    }
}
