/// The iterations that evaluate the objective more than once: lbfgs with its Moré–Thuente
/// search, and a first-order rule with line_search = 1 (Armijo backtracking).
///
/// Every trial point is evaluated through the run's one evaluation point
/// (`evaluateObjective`) and counted in `evaluations`; an iteration is an accepted step.
/// Trial points write x (the caller's buffer) and the gradient buffer, as an ordinary
/// evaluation does; the start of the search and its gradient wait in the run's scratch.
/// A non-finite trial value is not a failure of the run: the search shrinks the step.
extension DescentRun {
    /// The largest step a Moré–Thuente search may take along a direction without bounds.
    static let unboundedStepMax = 1e20

    private enum SearchOutcome {
        /// x is the new iterate; its loss (gradient in the buffer, bookkeeping done).
        case accepted(loss: Double, step: Double)
        /// No acceptable step: x and the gradient are back at the start of the search.
        case failed(String)
        /// The objective failed; the run has failed.
        case stopped
    }

    // MARK: lbfgs

    mutating func runQuasiNewton() {
        guard let history = optimizer.quasiNewton else { return }
        var evaluation = evaluateFull()
        while true {
            let value: Double
            switch evaluation {
            case .failed: return
            case .skipped:
                evaluation = evaluateFull()
                continue
            case .finite(let finite): value = finite
            }
            if converged(loss: value) { return }
            if gradientNorm == 0 {
                // A stationary point (of the box, when bounded): no direction decreases f.
                stopReason = .gradientTolerance
                return
            }
            var outcome = quasiNewtonStep(history: history, loss: value)
            if case .failed = outcome, history.count > 0 {
                // Restart: forget the pairs, search along the steepest descent.
                history.clear()
                outcome = quasiNewtonStep(history: history, loss: value)
            }
            switch outcome {
            case .stopped: return
            case .failed(let message):
                stopLineSearch(message, atRoundingLevel: abs(lastSlope) <= 4 * Double.ulpOfOne * max(1, abs(value)))
                return
            case .accepted(let newLoss, let step):
                state.iterations.countOne()
                optimizer.state.stepCount.countOne()
                if afterIteration(loss: newLoss, gradientNorm: gradientNorm, learningRate: step) { return }
                evaluation = .finite(newLoss)
            }
        }
    }

    /// One lbfgs iteration from x with loss f0 and its gradient in the buffer.
    private mutating func quasiNewtonStep(history: LBFGSHistory, loss f0: Double) -> SearchOutcome {
        let n = x.count
        let h = optimizer.hyperparameters
        let lr = h[LBFGSRule.Key.lr]
        let maxEvaluations = Int(h[LBFGSRule.Key.maxLineSearchEvaluations])
        VectorKernels.copy(UnsafeBufferPointer(x), to: UnsafeMutableBufferPointer(start: searchStart, count: n))
        VectorKernels.copy(UnsafeBufferPointer(gradient), to: UnsafeMutableBufferPointer(start: searchGradient, count: n))

        // The direction: -H·g without bounds; in a box, L-BFGS-B's step (Cauchy point and
        // subspace minimization) to a feasible x̄, d = x̄ - x.
        let fresh = history.count == 0
        let firstIteration = optimizer.state.stepCount == 0
        var stepMax = DescentRun.unboundedStepMax
        if let bounds, let boxedStep {
            if !boxedStep.direction(x: xBase, gradient: gradientBase, bounds: bounds, history: history, into: direction) {
                history.clear()
                _ = boxedStep.direction(x: xBase, gradient: gradientBase, bounds: bounds, history: history, into: direction)
            }
            // As L-BFGS-B: the first search stays on the segment to x̄; later ones may go on
            // to the box's boundary.
            stepMax = firstIteration ? 1 : bounds.largestStep(from: xBase, along: direction, limit: stepMax)
        } else {
            history.direction(gradient: gradientBase, into: direction)
        }
        let slope = DenseVectors.dot(gradientBase, direction, n)
        lastSlope = slope
        if !(slope < 0) {
            return .failed(fresh
                ? "the steepest-descent direction does not decrease the loss (slope \(slope)) at iteration \(state.iterations)"
                : "the quasi-Newton direction is not one of descent (slope \(slope))")
        }
        let length = VectorKernels.norm(UnsafeBufferPointer(start: direction, count: n))
        // A fresh direction is tried at lr/||d|| (without bounds after every restart, as
        // libLBFGS and SciPy's unbounded runs; in a box on the first iteration, unless every
        // variable has two finite bounds: L-BFGS-B's rule); other steps at lr.
        let scaled = bounds == nil ? fresh : firstIteration && !(bounds?.isBoxed ?? false)
        let firstStep = min(scaled ? lr / length : lr, stepMax)

        let c1 = h[LBFGSRule.Key.c1], c2 = h[LBFGSRule.Key.c2]
        var search = MoreThuenteSearch(ftol: c1, gtol: c2, stepMax: stepMax)
        var next = search.start(value: f0, slope: slope, step: firstStep)
        var evaluations = 0
        var value = Double.nan
        var step = 0.0
        while true {
            switch next {
            case .evaluate(let trial):
                if evaluations == maxEvaluations {
                    return restoreSearchStart("no step met the strong Wolfe conditions in \(maxEvaluations) evaluations (max_line_search_evaluations) at iteration \(state.iterations)")
                }
                evaluations += 1
                step = trial
                DenseVectors.point(searchStart, step: trial, direction: direction, into: xBase, n)
                bounds?.project(xBase)
                guard let trialValue = evaluateObjective() else { return .stopped }
                if isFinite(loss: trialValue) {
                    value = trialValue
                    next = search.next(value: trialValue, slope: DenseVectors.dot(gradientBase, direction, n))
                } else {
                    // Past where the loss is finite: search again below half this step.
                    value = .nan
                    search = MoreThuenteSearch(ftol: c1, gtol: c2, stepMax: 0.5 * trial)
                    next = search.start(value: f0, slope: slope, step: 0.5 * trial)
                }
            case .converged:
                // At the loss's rounding level a Wolfe point may have the start's loss: it is
                // progress when its gradient is smaller (the run goes on towards a gradient
                // tolerance), and not otherwise (the run would cycle between points of equal
                // loss until max_iterations).
                if value < f0 || (value == f0 && reportedGradientNorm() < gradientNorm) {
                    return acceptSearchPoint(history: history, loss: value, step: step)
                }
                return restoreSearchStart("the line search's point lowers neither the loss (\(f0)) nor the gradient norm at iteration \(state.iterations)")
            case .warning(let warning):
                // Not a Wolfe point, but the best the search could find: taken when it
                // decreases the loss (as L-BFGS-B does), else the search failed.
                if value < f0 { return acceptSearchPoint(history: history, loss: value, step: step) }
                return restoreSearchStart("the line search stopped without a decrease (\(warning)) at iteration \(state.iterations)")
            case .invalid(let message):
                return restoreSearchStart("the line search could not start: \(message)")
            }
        }
    }

    private mutating func acceptSearchPoint(history: LBFGSHistory, loss value: Double, step: Double) -> SearchOutcome {
        accept(loss: value)
        history.add(x: xBase, previousX: searchStart, gradient: gradientBase, previousGradient: searchGradient)
        return .accepted(loss: value, step: step)
    }

    /// Puts x and the gradient back at the start of the search.
    private mutating func restoreSearchStart(_ message: String) -> SearchOutcome {
        let n = x.count
        VectorKernels.copy(UnsafeBufferPointer(start: searchStart, count: n), to: x)
        VectorKernels.copy(UnsafeBufferPointer(start: searchGradient, count: n), to: gradient)
        return .failed(message)
    }

    /// Ends the run at the start of the failed search with GD_STOP_LINE_SEARCH_FAILED.
    /// atRoundingLevel: the predicted decrease along the direction was below the loss's
    /// rounding, so x is a minimizer to working precision and the message says so.
    mutating func stopLineSearch(_ message: String, atRoundingLevel: Bool = false) {
        let advice = atRoundingLevel
            ? "The predicted decrease is below the rounding of the loss: x is a minimizer to working precision "
              + "(set gradient_tolerance or loss_tolerance to stop there). Otherwise a wrong gradient is the usual cause: "
              + "compare it with finite differences (gd_check_gradient; Python: gradient_descent.check_gradient)"
            : "Either x is a minimizer to the precision the loss is computed with (a small gradient_norm says so; "
              + "set gradient_tolerance or loss_tolerance to stop before), or the gradient is wrong, the usual cause "
              + "early in a run: compare it with finite differences (gd_check_gradient; Python: gradient_descent.check_gradient)"
        failure = GradientDescentError(.lineSearch, "\(message). \(advice)")
        stopReason = .lineSearchFailed
    }

    // MARK: first-order rules with line_search = 1

    /// The rule's step, then Armijo backtracking along it (ArmijoBacktracking). The gradient
    /// at x is in searchGradient (copied before clipping). True when a point was accepted.
    mutating func backtrack(loss f0: Double) -> Bool {
        let n = x.count
        VectorKernels.copy(UnsafeBufferPointer(x), to: UnsafeMutableBufferPointer(start: searchStart, count: n))
        do {
            try optimizer.update(xBase, gradient: gradientBase)
        } catch {
            fail(error)
            return false
        }
        bounds?.project(xBase)
        for i in 0..<n { direction[i] = xBase[i] - searchStart[i] }
        let slope = DenseVectors.dot(searchGradient, direction, n)
        let c1 = optimizer.lineSearchValue(.c1)
        let shrink = optimizer.lineSearchValue(.shrink)
        let maxEvaluations = Int(optimizer.lineSearchValue(.maxEvaluations))
        let decrease = c1 * min(slope, 0)
        var step = 1.0
        for trial in 0..<maxEvaluations {
            if trial > 0 {
                step *= shrink
                DenseVectors.point(searchStart, step: step, direction: direction, into: xBase, n)
            }
            guard let value = evaluateObjective() else { return false }
            if isFinite(loss: value) && value <= f0 + step * decrease {
                accept(loss: value)
                return true
            }
        }
        _ = restoreSearchStart("")
        stopLineSearch("no step of the rule's direction decreased the loss enough in \(maxEvaluations) evaluations "
                       + "(max_line_search_evaluations, c1 \(c1), shrink \(shrink)) at iteration \(state.iterations)")
        return false
    }
}
