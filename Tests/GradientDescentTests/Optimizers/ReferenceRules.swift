#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The torch.optim algorithms written again, independently of the library, straight from the
/// algorithm boxes of PyTorch's documentation: plain scalar loops over arrays, the formulas in
/// their textbook arrangement (m = beta1 m + (1 - beta1) g, x -= lr m_hat / (sqrt(v_hat) + eps),
/// products recomputed from scratch, ...). Where the box and torch's code differ, the code
/// wins and a comment says so. The library must agree with these to rounding.
protocol ReferenceRule {
    /// The hyper-parameters by key; a test may change them between steps (a schedule).
    var s: [String: Double] { get set }
    /// One update; t counts from 1.
    mutating func step(_ x: inout [Double], _ gradient: [Double], t: Int)
}

/// The first step of the torch algorithms: maximize negates the gradient, then the L2 term.
private func effectiveGradient(_ gradient: [Double], _ x: [Double], maximize: Bool,
                               weightDecay: Double) -> [Double] {
    var g = maximize ? gradient.map { -$0 } : gradient
    if weightDecay != 0 {
        for i in g.indices { g[i] += weightDecay * x[i] }
    }
    return g
}

func makeReferenceRule(_ rule: String, _ s: [String: Double], dimension n: Int) -> any ReferenceRule {
    switch rule {
    case "sgd": ReferenceSGD(s: s, n: n)
    case "adam": ReferenceAdam(s: s, n: n, decoupled: false)
    case "adamw": ReferenceAdam(s: s, n: n, decoupled: true)
    case "rmsprop": ReferenceRMSprop(s: s, n: n)
    case "adagrad": ReferenceAdagrad(s: s, n: n)
    case "adadelta": ReferenceAdadelta(s: s, n: n)
    case "adamax": ReferenceAdamax(s: s, n: n)
    case "nadam": ReferenceNAdam(s: s, n: n)
    case "radam": ReferenceRAdam(s: s, n: n)
    case "rprop": ReferenceRprop(s: s, n: n)
    case "asgd": ReferenceASGD(s: s, n: n)
    default: fatalError("no reference for \(rule)")
    }
}

struct ReferenceSGD: ReferenceRule {
    var s: [String: Double]
    var b: [Double]

    init(s: [String: Double], n: Int) {
        self.s = s
        b = Array(repeating: 0, count: n)
    }

    mutating func step(_ x: inout [Double], _ gradient: [Double], t: Int) {
        let lr = s["lr"]!, mu = s["momentum"]!, tau = s["dampening"]!
        var g = effectiveGradient(gradient, x, maximize: s["maximize"]! == 1, weightDecay: s["weight_decay"]!)
        if mu != 0 {
            for i in g.indices {
                b[i] = t > 1 ? mu * b[i] + (1 - tau) * g[i] : g[i]
                g[i] = s["nesterov"]! == 1 ? g[i] + mu * b[i] : b[i]
            }
        }
        for i in x.indices { x[i] -= lr * g[i] }
    }
}

struct ReferenceAdam: ReferenceRule {
    var s: [String: Double]
    let decoupled: Bool
    var m: [Double], v: [Double], vMax: [Double]

    init(s: [String: Double], n: Int, decoupled: Bool) {
        self.s = s
        self.decoupled = decoupled
        m = Array(repeating: 0, count: n)
        v = m
        vMax = m
    }

    mutating func step(_ x: inout [Double], _ gradient: [Double], t: Int) {
        let lr = s["lr"]!, b1 = s["beta1"]!, b2 = s["beta2"]!, eps = s["eps"]!, wd = s["weight_decay"]!
        let decoupled = decoupled || s["decoupled_weight_decay"] == 1
        let g = effectiveGradient(gradient, x, maximize: s["maximize"]! == 1, weightDecay: decoupled ? 0 : wd)
        if decoupled {
            for i in x.indices { x[i] *= 1 - lr * wd }
        }
        for i in x.indices {
            m[i] = b1 * m[i] + (1 - b1) * g[i]
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
            let mHat = m[i] / (1 - pow(b1, Double(t)))
            let vHat: Double
            if s["amsgrad"]! == 1 {
                // torch keeps the maximum of the raw v, then bias-corrects it.
                vMax[i] = max(vMax[i], v[i])
                vHat = vMax[i] / (1 - pow(b2, Double(t)))
            } else {
                vHat = v[i] / (1 - pow(b2, Double(t)))
            }
            x[i] -= lr * mHat / (sqrt(vHat) + eps)
        }
    }
}

struct ReferenceRMSprop: ReferenceRule {
    var s: [String: Double]
    var v: [Double], gAve: [Double], b: [Double]

    init(s: [String: Double], n: Int) {
        self.s = s
        v = Array(repeating: 0, count: n)
        gAve = v
        b = v
    }

    mutating func step(_ x: inout [Double], _ gradient: [Double], t: Int) {
        let lr = s["lr"]!, alpha = s["alpha"]!, eps = s["eps"]!, mu = s["momentum"]!
        let g = effectiveGradient(gradient, x, maximize: s["maximize"]! == 1, weightDecay: s["weight_decay"]!)
        for i in x.indices {
            v[i] = alpha * v[i] + (1 - alpha) * g[i] * g[i]
            var vTilde = v[i]
            if s["centered"]! == 1 {
                gAve[i] = alpha * gAve[i] + (1 - alpha) * g[i]
                vTilde -= gAve[i] * gAve[i]
            }
            if mu > 0 {
                b[i] = mu * b[i] + g[i] / (sqrt(vTilde) + eps)
                x[i] -= lr * b[i]
            } else {
                x[i] -= lr * g[i] / (sqrt(vTilde) + eps)
            }
        }
    }
}

struct ReferenceAdagrad: ReferenceRule {
    var s: [String: Double]
    var sum: [Double]

    init(s: [String: Double], n: Int) {
        self.s = s
        sum = Array(repeating: s["initial_accumulator_value"]!, count: n)
    }

    mutating func step(_ x: inout [Double], _ gradient: [Double], t: Int) {
        let lr = s["lr"]!, eta = s["lr_decay"]!, eps = s["eps"]!
        let g = effectiveGradient(gradient, x, maximize: s["maximize"]! == 1, weightDecay: s["weight_decay"]!)
        let gammaTilde = lr / (1 + Double(t - 1) * eta)
        for i in x.indices {
            sum[i] += g[i] * g[i]
            x[i] -= gammaTilde * g[i] / (sqrt(sum[i]) + eps)
        }
    }
}

struct ReferenceAdadelta: ReferenceRule {
    var s: [String: Double]
    var v: [Double], u: [Double]

    init(s: [String: Double], n: Int) {
        self.s = s
        v = Array(repeating: 0, count: n)
        u = v
    }

    mutating func step(_ x: inout [Double], _ gradient: [Double], t: Int) {
        let lr = s["lr"]!, rho = s["rho"]!, eps = s["eps"]!
        let g = effectiveGradient(gradient, x, maximize: s["maximize"]! == 1, weightDecay: s["weight_decay"]!)
        for i in x.indices {
            v[i] = v[i] * rho + g[i] * g[i] * (1 - rho)
            let dx = sqrt(u[i] + eps) / sqrt(v[i] + eps) * g[i]
            u[i] = u[i] * rho + dx * dx * (1 - rho)
            x[i] -= lr * dx
        }
    }
}

struct ReferenceAdamax: ReferenceRule {
    var s: [String: Double]
    var m: [Double], u: [Double]

    init(s: [String: Double], n: Int) {
        self.s = s
        m = Array(repeating: 0, count: n)
        u = m
    }

    mutating func step(_ x: inout [Double], _ gradient: [Double], t: Int) {
        let lr = s["lr"]!, b1 = s["beta1"]!, b2 = s["beta2"]!, eps = s["eps"]!
        let g = effectiveGradient(gradient, x, maximize: s["maximize"]! == 1, weightDecay: s["weight_decay"]!)
        for i in x.indices {
            m[i] = b1 * m[i] + (1 - b1) * g[i]
            u[i] = max(b2 * u[i], abs(g[i]) + eps)
            x[i] -= lr * m[i] / ((1 - pow(b1, Double(t))) * u[i])
        }
    }
}

struct ReferenceNAdam: ReferenceRule {
    var s: [String: Double]
    var m: [Double], v: [Double]

    init(s: [String: Double], n: Int) {
        self.s = s
        m = Array(repeating: 0, count: n)
        v = m
    }

    func mu(_ t: Int) -> Double {
        s["beta1"]! * (1 - 0.5 * pow(0.96, Double(t) * s["momentum_decay"]!))
    }

    mutating func step(_ x: inout [Double], _ gradient: [Double], t: Int) {
        let lr = s["lr"]!, b1 = s["beta1"]!, b2 = s["beta2"]!, eps = s["eps"]!, wd = s["weight_decay"]!
        let decoupled = s["decoupled_weight_decay"] == 1
        if decoupled {
            for i in x.indices { x[i] *= 1 - lr * wd }
        }
        let g = effectiveGradient(gradient, x, maximize: s["maximize"]! == 1, weightDecay: decoupled ? 0 : wd)
        let muT = mu(t), muNext = mu(t + 1)
        var product = 1.0  // prod_{i=1}^{t} mu_i, recomputed from scratch
        for i in 1...t { product *= mu(i) }
        for i in x.indices {
            m[i] = b1 * m[i] + (1 - b1) * g[i]
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
            let mHat = muNext * m[i] / (1 - product * muNext) + (1 - muT) * g[i] / (1 - product)
            let vHat = v[i] / (1 - pow(b2, Double(t)))
            x[i] -= lr * mHat / (sqrt(vHat) + eps)
        }
    }
}

struct ReferenceRAdam: ReferenceRule {
    var s: [String: Double]
    var m: [Double], v: [Double]

    init(s: [String: Double], n: Int) {
        self.s = s
        m = Array(repeating: 0, count: n)
        v = m
    }

    mutating func step(_ x: inout [Double], _ gradient: [Double], t: Int) {
        let lr = s["lr"]!, b1 = s["beta1"]!, b2 = s["beta2"]!, eps = s["eps"]!, wd = s["weight_decay"]!
        let decoupled = s["decoupled_weight_decay"] == 1
        if decoupled {
            for i in x.indices { x[i] *= 1 - lr * wd }
        }
        let g = effectiveGradient(gradient, x, maximize: s["maximize"]! == 1, weightDecay: decoupled ? 0 : wd)
        let tt = Double(t)
        let rhoInf = 2 / (1 - b2) - 1
        let rhoT = rhoInf - 2 * tt * pow(b2, tt) / (1 - pow(b2, tt))
        for i in x.indices {
            m[i] = b1 * m[i] + (1 - b1) * g[i]
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
            let mHat = m[i] / (1 - pow(b1, tt))
            if rhoT > 5 {
                let l = sqrt(1 - pow(b2, tt)) / (sqrt(v[i]) + eps)
                let r = sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT))
                x[i] -= lr * mHat * r * l
            } else {
                x[i] -= lr * mHat
            }
        }
    }
}

/// Rprop from PyTorch's algorithm box; the code clamps the step size on every branch (the box
/// only where it grows or shrinks), and the code wins.
struct ReferenceRprop: ReferenceRule {
    var s: [String: Double]
    var previous: [Double], size: [Double]

    init(s: [String: Double], n: Int) {
        self.s = s
        previous = Array(repeating: 0, count: n)
        size = previous
    }

    mutating func step(_ x: inout [Double], _ gradient: [Double], t: Int) {
        let low = s["step_size_min"]!, high = s["step_size_max"]!
        for i in x.indices {
            if t == 1 { size[i] = s["lr"]! }
            var g = s["maximize"]! == 1 ? -gradient[i] : gradient[i]
            if g * previous[i] > 0 {
                size[i] = size[i] * s["etaplus"]!
            } else if g * previous[i] < 0 {
                size[i] = size[i] * s["etaminus"]!
                g = 0
            }
            size[i] = min(max(size[i], low), high)
            if g > 0 { x[i] -= size[i] } else if g < 0 { x[i] += size[i] }
            previous[i] = g
        }
    }
}

/// ASGD from PyTorch's algorithm box: eta_t and mu_t as the code computes them at the end of
/// step t - 1 (eta_1 = lr, mu_1 = 1).
struct ReferenceASGD: ReferenceRule {
    var s: [String: Double]
    var average: [Double]
    var eta = Double.nan, mu = 1.0

    init(s: [String: Double], n: Int) {
        self.s = s
        average = Array(repeating: 0, count: n)
    }

    mutating func step(_ x: inout [Double], _ gradient: [Double], t: Int) {
        let lr = s["lr"]!, lambd = s["lambd"]!
        if t == 1 { eta = lr; mu = 1 }
        let g = effectiveGradient(gradient, x, maximize: s["maximize"]! == 1, weightDecay: s["weight_decay"]!)
        for i in x.indices {
            x[i] = x[i] * (1 - lambd * eta) - eta * g[i]
            average[i] = mu == 1 ? x[i] : average[i] + mu * (x[i] - average[i])
        }
        eta = lr / pow(1 + lambd * lr * Double(t), s["alpha"]!)
        mu = 1 / max(1, Double(t) - s["t0"]!)
    }
}
