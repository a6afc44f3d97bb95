/// L-BFGS (Nocedal 1980; Liu and Nocedal 1989) with the Moré–Thuente line search, as a rule
/// of the run loop: `minimize` drives it (`DescentRun.runQuasiNewton`), since a step needs
/// the objective several times. Its memory is the optimizer's `LBFGSHistory`.
///
/// Keys: lr, the first trial step of each search (1: the quasi-Newton step itself; on the
/// first iteration and after a restart the direction is -g and the trial step lr/||g||);
/// history_size, the pairs kept (m); c1 and c2, the Wolfe constants (0 < c1 < c2 < 1);
/// max_line_search_evaluations, the evaluations one search may take.
struct LBFGSRule: UpdateRule {
    enum Key: Int, CaseIterable {
        case lr, historySize, c1, c2, maxLineSearchEvaluations
    }

    static let name = "lbfgs"
    /// The largest history_size accepted. Memory is 2·m·n doubles, and a bounded step also
    /// factors m × m matrices (8m² doubles, O(m³) work) every iteration; the peers' users
    /// take m from 3 to 50.
    static let maximumHistorySize = 1000

    var name: String { LBFGSRule.name }

    var hyperparameters: [Hyperparameter] {
        Key.allCases.map { key in
            switch key {
            case .lr: Hyperparameter("lr", 1, .positive)
            case .historySize: Hyperparameter("history_size", 10, .positiveInteger)
            case .c1: Hyperparameter("c1", 1e-4, .openUnitInterval)
            case .c2: Hyperparameter("c2", 0.9, .openUnitInterval)
            case .maxLineSearchEvaluations: Hyperparameter("max_line_search_evaluations", 20, .positiveInteger)
            }
        }
    }

    var stateLayout: OptimizerState.Layout { OptimizerState.Layout(buffers: []) }

    func validate(_ h: Hyperparameters) throws(GradientDescentError) {
        if !(h[Key.c1] < h[Key.c2]) {
            throw GradientDescentError(.invalidArgument,
                "lbfgs needs c1 < c2 (sufficient decrease below curvature), got c1 \(h[Key.c1]) and c2 \(h[Key.c2])")
        }
        if h[Key.historySize] > Double(LBFGSRule.maximumHistorySize) {
            throw GradientDescentError(.invalidArgument,
                "history_size must be <= \(LBFGSRule.maximumHistorySize), got \(h[Key.historySize])")
        }
    }

    func update(_ x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>, count: Int,
                hyperparameters: Hyperparameters, state: OptimizerState) throws(GradientDescentError) {
        throw LBFGSRule.needsObjective
    }

    static var needsObjective: GradientDescentError {
        GradientDescentError(.invalidArgument,
            "lbfgs evaluates the objective several times per step (a line search): run it with gd_minimize; "
            + "gd_optimizer_step takes first-order rules only")
    }
}
