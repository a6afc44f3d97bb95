/// The opt-in line search of the first-order rules: Armijo backtracking from the rule's step.
///
/// With line_search = 1 an iteration computes the rule's step d = x' - x (the rule's state
/// advances once, as without a search), then evaluates x + a·d for a = 1, shrink, shrink², ...
/// and takes the first point with
///
///     f(x + a·d) <= f(x) + c1·a·min(g·d, 0)
///
/// (sufficient decrease along a descent step; plain decrease when the rule's step is not one
/// of descent, as momentum steps may not be). After max_line_search_evaluations trials
/// without such a point the run stops at x with GD_STOP_LINE_SEARCH_FAILED.
enum ArmijoBacktracking {
    /// The keys every first-order rule gets, after its own.
    static let hyperparameters: [Hyperparameter] = [
        Hyperparameter("line_search", 0, .boolean),
        Hyperparameter("c1", 1e-4, .openUnitInterval),
        Hyperparameter("shrink", 0.5, .openUnitInterval),
        Hyperparameter("max_line_search_evaluations", 20, .positiveInteger),
    ]

    /// Offsets of the keys above from the first of them.
    enum Key: Int {
        case lineSearch, c1, shrink, maxEvaluations
    }
}
