/// The line search of Moré and Thuente ("Line search algorithms with guaranteed sufficient
/// decrease", ACM TOMS 20(3), 1994), in the form of MINPACK-2's dcsrch: a step `stp > 0`
/// along a descent direction that satisfies the strong Wolfe conditions
///
///     φ(stp) <= φ(0) + ftol·stp·φ'(0)        (sufficient decrease)
///     |φ'(stp)| <= gtol·|φ'(0)|              (curvature)
///
/// for φ(stp) = f(x + stp·d). The search is a state machine driven by its caller, who owns
/// the evaluations: `start` takes φ(0), φ'(0) and the first trial step and returns the first
/// step to evaluate; `next` takes φ and φ' at the step it asked for and returns either the
/// next step to evaluate or a verdict. It allocates nothing and keeps no pointers.
///
/// The steps it asks for stay in [stepMin, stepMax]; inside a bracket, a trial step is the
/// safeguarded cubic or quadratic interpolation of `step(...)` below (dcstep), and the bracket
/// shrinks by at least a third every second trial.
struct MoreThuenteSearch {
    /// What the caller does next.
    enum Outcome: Equatable {
        /// Evaluate φ and φ' at this step and call `next`.
        case evaluate(Double)
        /// The last evaluated step satisfies both Wolfe conditions.
        case converged
        /// The search cannot make progress; the last evaluated step is the best it has (the
        /// caller decides whether to take it).
        case warning(Warning)
        /// The arguments of `start` were unusable (the direction is not one of descent, ...).
        case invalid(String)
    }

    enum Warning: Equatable, CustomStringConvertible {
        /// Inside a bracket, rounding makes every step look the same.
        case roundingErrors
        /// The bracket is shorter than xtol relative to its upper end.
        case intervalTooSmall
        /// The step reached stepMax and still decreases φ.
        case stepAtMaximum
        /// The step reached stepMin and still fails sufficient decrease.
        case stepAtMinimum

        var description: String {
            switch self {
            case .roundingErrors: "rounding errors prevent progress"
            case .intervalTooSmall: "the interval of uncertainty is below xtol"
            case .stepAtMaximum: "the step is at its largest value"
            case .stepAtMinimum: "the step is at its smallest value"
            }
        }
    }

    let ftol: Double
    let gtol: Double
    let xtol: Double
    let stepMin: Double
    let stepMax: Double

    private var bracketed = false
    private var stage = 1
    private var initialValue = 0.0
    private var initialSlope = 0.0
    private var slopeTest = 0.0
    private var width = 0.0
    private var previousWidth = 0.0
    // The end points of the interval: x with the lowest value so far, y the other one.
    private var stx = 0.0, fx = 0.0, gx = 0.0
    private var sty = 0.0, fy = 0.0, gy = 0.0
    private var intervalMin = 0.0
    private var intervalMax = 0.0
    /// The step the caller evaluates.
    private(set) var step = 0.0

    private static let extrapolateLower = 1.1
    private static let extrapolateUpper = 4.0

    /// ftol = c1 and gtol = c2 of the Wolfe conditions (0 < ftol, gtol; ftol < gtol for a
    /// guaranteed result); xtol is the relative width below which a bracket counts as a point
    /// (MINPACK-2 and L-BFGS-B use 0.1).
    init(ftol: Double, gtol: Double, xtol: Double = 0.1, stepMin: Double = 0, stepMax: Double) {
        self.ftol = ftol
        self.gtol = gtol
        self.xtol = xtol
        self.stepMin = stepMin
        self.stepMax = stepMax
    }

    /// Begins a search from φ(0) = value, φ'(0) = slope (< 0) with the first trial `step`.
    mutating func start(value: Double, slope: Double, step: Double) -> Outcome {
        if !(step >= stepMin) { return .invalid("the first step \(step) is below the smallest \(stepMin)") }
        if !(step <= stepMax) { return .invalid("the first step \(step) is above the largest \(stepMax)") }
        if !(slope < 0) { return .invalid("the direction is not a descent direction (slope \(slope))") }
        if !(ftol >= 0 && gtol >= 0 && xtol >= 0 && stepMin >= 0 && stepMax >= stepMin) {
            return .invalid("ftol, gtol, xtol and the step bounds must be >= 0")
        }
        bracketed = false
        stage = 1
        initialValue = value
        initialSlope = slope
        slopeTest = ftol * slope
        width = stepMax - stepMin
        previousWidth = width / 0.5
        stx = 0; fx = value; gx = slope
        sty = 0; fy = value; gy = slope
        intervalMin = 0
        intervalMax = step + MoreThuenteSearch.extrapolateUpper * step
        self.step = step
        return .evaluate(step)
    }

    /// Takes φ and φ' at `step` (finite) and returns what to do next.
    mutating func next(value f: Double, slope g: Double) -> Outcome {
        let stp = step
        let decreaseTest = initialValue + stp * slopeTest
        if stage == 1 && f <= decreaseTest && g >= 0 { stage = 2 }

        // Convergence first: it wins over a warning raised by the same step.
        if f <= decreaseTest && abs(g) <= gtol * (-initialSlope) { return .converged }
        if stp == stepMin && (f > decreaseTest || g >= slopeTest) { return .warning(.stepAtMinimum) }
        if stp == stepMax && f <= decreaseTest && g <= slopeTest { return .warning(.stepAtMaximum) }
        if bracketed && intervalMax - intervalMin <= xtol * intervalMax { return .warning(.intervalTooSmall) }
        if bracketed && (stp <= intervalMin || stp >= intervalMax) { return .warning(.roundingErrors) }

        var newStep = stp
        if stage == 1 && f <= fx && f > decreaseTest {
            // The modified function ψ(stp) = φ(stp) - φ(0) - ftol·stp·φ'(0) while no step
            // has both a sufficient decrease and a non-negative slope.
            var fxm = fx - stx * slopeTest, gxm = gx - slopeTest
            var fym = fy - sty * slopeTest, gym = gy - slopeTest
            let fm = f - stp * slopeTest, gm = g - slopeTest
            MoreThuenteSearch.step(&stx, &fxm, &gxm, &sty, &fym, &gym, &newStep, fm, gm,
                                   &bracketed, intervalMin, intervalMax)
            fx = fxm + stx * slopeTest
            fy = fym + sty * slopeTest
            gx = gxm + slopeTest
            gy = gym + slopeTest
        } else {
            MoreThuenteSearch.step(&stx, &fx, &gx, &sty, &fy, &gy, &newStep, f, g,
                                   &bracketed, intervalMin, intervalMax)
        }

        if bracketed {
            if abs(sty - stx) >= 0.66 * previousWidth { newStep = stx + 0.5 * (sty - stx) }
            previousWidth = width
            width = abs(sty - stx)
            intervalMin = min(stx, sty)
            intervalMax = max(stx, sty)
        } else {
            intervalMin = newStep + MoreThuenteSearch.extrapolateLower * (newStep - stx)
            intervalMax = newStep + MoreThuenteSearch.extrapolateUpper * (newStep - stx)
        }
        newStep = max(newStep, stepMin)
        newStep = min(newStep, stepMax)
        if bracketed && (newStep <= intervalMin || newStep >= intervalMax
                         || intervalMax - intervalMin <= xtol * intervalMax) {
            newStep = stx
        }
        step = newStep
        return .evaluate(newStep)
    }

    /// The end point with the lowest value so far, its value and slope.
    var best: (step: Double, value: Double, slope: Double) { (stx, fx, gx) }

    /// One safeguarded step (dcstep): updates the interval [stx, sty] from the trial
    /// (stp, fp, dp) and puts the next trial step in stp. bracketed is set once the interval
    /// holds a minimizer; without a bracket the step stays in [stpmin, stpmax].
    static func step(_ stx: inout Double, _ fx: inout Double, _ dx: inout Double,
                     _ sty: inout Double, _ fy: inout Double, _ dy: inout Double,
                     _ stp: inout Double, _ fp: Double, _ dp: Double,
                     _ bracketed: inout Bool, _ stpmin: Double, _ stpmax: Double) {
        let sgnd = dp * (dx / abs(dx))
        let stpf: Double
        if fp > fx {
            // A higher value: the minimizer is bracketed. Cubic or between cubic and quadratic.
            let theta = 3 * (fx - fp) / (stp - stx) + dx + dp
            let s = max(abs(theta), abs(dx), abs(dp))
            var gamma = s * ((theta / s) * (theta / s) - (dx / s) * (dp / s)).squareRoot()
            if stp < stx { gamma = -gamma }
            let p = (gamma - dx) + theta
            let q = ((gamma - dx) + gamma) + dp
            let r = p / q
            let stpc = stx + r * (stp - stx)
            let stpq = stx + ((dx / ((fx - fp) / (stp - stx) + dx)) / 2) * (stp - stx)
            stpf = abs(stpc - stx) < abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2
            bracketed = true
        } else if sgnd < 0 {
            // Slopes of opposite signs: bracketed. Cubic or secant, whichever is farther.
            let theta = 3 * (fx - fp) / (stp - stx) + dx + dp
            let s = max(abs(theta), abs(dx), abs(dp))
            var gamma = s * ((theta / s) * (theta / s) - (dx / s) * (dp / s)).squareRoot()
            if stp > stx { gamma = -gamma }
            let p = (gamma - dp) + theta
            let q = ((gamma - dp) + gamma) + dx
            let r = p / q
            let stpc = stp + r * (stx - stp)
            let stpq = stp + (dp / (dp - dx)) * (stx - stp)
            stpf = abs(stpc - stp) > abs(stpq - stp) ? stpc : stpq
            bracketed = true
        } else if abs(dp) < abs(dx) {
            // Same sign, the slope decreases in magnitude: the cubic only where it helps.
            let theta = 3 * (fx - fp) / (stp - stx) + dx + dp
            let s = max(abs(theta), abs(dx), abs(dp))
            var gamma = s * max(0, (theta / s) * (theta / s) - (dx / s) * (dp / s)).squareRoot()
            if stp > stx { gamma = -gamma }
            let p = (gamma - dp) + theta
            let q = (gamma + (dx - dp)) + gamma
            let r = p / q
            let stpc: Double
            if r < 0 && gamma != 0 {
                stpc = stp + r * (stx - stp)
            } else if stp > stx {
                stpc = stpmax
            } else {
                stpc = stpmin
            }
            let stpq = stp + (dp / (dp - dx)) * (stx - stp)
            if bracketed {
                var chosen = abs(stpc - stp) < abs(stpq - stp) ? stpc : stpq
                if stp > stx {
                    chosen = min(stp + 0.66 * (sty - stp), chosen)
                } else {
                    chosen = max(stp + 0.66 * (sty - stp), chosen)
                }
                stpf = chosen
            } else {
                let chosen = abs(stpc - stp) > abs(stpq - stp) ? stpc : stpq
                stpf = max(stpmin, min(stpmax, chosen))
            }
        } else {
            // Same sign, the slope does not decrease: the cubic through the far end, or a limit.
            if bracketed {
                let theta = 3 * (fp - fy) / (sty - stp) + dy + dp
                let s = max(abs(theta), abs(dy), abs(dp))
                var gamma = s * ((theta / s) * (theta / s) - (dy / s) * (dp / s)).squareRoot()
                if stp > sty { gamma = -gamma }
                let p = (gamma - dp) + theta
                let q = ((gamma - dp) + gamma) + dy
                let r = p / q
                stpf = stp + r * (sty - stp)
            } else if stp > stx {
                stpf = stpmax
            } else {
                stpf = stpmin
            }
        }

        if fp > fx {
            sty = stp; fy = fp; dy = dp
        } else {
            if sgnd < 0 {
                sty = stx; fy = fx; dy = dx
            }
            stx = stp; fx = fp; dx = dp
        }
        stp = stpf
    }
}
