// The operands of each rule's step: buffers, per-step scalars and flags. The rule (in
// GradientDescent) computes them once per step; a kernel set (UpdateKernels) runs the loop.
// Compiled once: both kernel sets take the same structs.

/// The operands of one Adam / AdamW step: buffers, per-step scalars and flags.
/// The rule (GradientDescent's Adam) computes them; a kernel set runs the loop.
package struct AdamStep {
    package var x: UnsafeMutablePointer<Double>
    package var gradient: UnsafePointer<Double>
    package var expAvg: UnsafeMutablePointer<Double>
    package var expAvgSq: UnsafeMutablePointer<Double>
    package var maxExpAvgSq: UnsafeMutablePointer<Double>
    package var count: Int
    package var transform: GradientTransformKind
    package var weightDecay: Double
    package var decayFactor: Double         // 1 - lr * weight_decay (AdamW)
    package var firstMomentWeight: Double   // 1 - beta1, the lerp weight
    package var beta2: Double
    package var oneMinusBeta2: Double
    package var biasCorrection2Sqrt: Double
    package var eps: Double
    package var negativeStepSize: Double    // -(lr / bias_correction1)
    package var amsgrad: Bool
    package var decoupledDecay: Bool        // AdamW with weight_decay != 0

    package init(x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>,
                 expAvg: UnsafeMutablePointer<Double>, expAvgSq: UnsafeMutablePointer<Double>,
                 maxExpAvgSq: UnsafeMutablePointer<Double>, count: Int,
                 transform: GradientTransformKind, weightDecay: Double, decayFactor: Double,
                 firstMomentWeight: Double, beta2: Double, oneMinusBeta2: Double,
                 biasCorrection2Sqrt: Double, eps: Double, negativeStepSize: Double,
                 amsgrad: Bool, decoupledDecay: Bool) {
        self.x = x
        self.gradient = gradient
        self.expAvg = expAvg
        self.expAvgSq = expAvgSq
        self.maxExpAvgSq = maxExpAvgSq
        self.count = count
        self.transform = transform
        self.weightDecay = weightDecay
        self.decayFactor = decayFactor
        self.firstMomentWeight = firstMomentWeight
        self.beta2 = beta2
        self.oneMinusBeta2 = oneMinusBeta2
        self.biasCorrection2Sqrt = biasCorrection2Sqrt
        self.eps = eps
        self.negativeStepSize = negativeStepSize
        self.amsgrad = amsgrad
        self.decoupledDecay = decoupledDecay
    }
}

/// The operands of one SGD step (momentum, dampening, nesterov).
package struct SGDStep {
    package var x: UnsafeMutablePointer<Double>
    package var gradient: UnsafePointer<Double>
    package var buffer: UnsafeMutablePointer<Double>  // momentum_buffer
    package var count: Int
    package var transform: GradientTransformKind
    package var negativeLR: Double
    package var weightDecay: Double
    package var momentum: Double
    package var gradientWeight: Double  // 1 - dampening
    package var useMomentum: Bool
    package var started: Bool           // the momentum buffer holds a previous step
    package var nesterov: Bool

    package init(x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>,
                 buffer: UnsafeMutablePointer<Double>, count: Int, transform: GradientTransformKind,
                 negativeLR: Double, weightDecay: Double, momentum: Double, gradientWeight: Double,
                 useMomentum: Bool, started: Bool, nesterov: Bool) {
        self.x = x
        self.gradient = gradient
        self.buffer = buffer
        self.count = count
        self.transform = transform
        self.negativeLR = negativeLR
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.gradientWeight = gradientWeight
        self.useMomentum = useMomentum
        self.started = started
        self.nesterov = nesterov
    }
}

/// The operands of one RMSprop step (centered, momentum).
package struct RMSpropStep {
    package var x: UnsafeMutablePointer<Double>
    package var gradient: UnsafePointer<Double>
    package var squareAvg: UnsafeMutablePointer<Double>
    package var gradAvg: UnsafeMutablePointer<Double>
    package var momentumBuffer: UnsafeMutablePointer<Double>
    package var count: Int
    package var transform: GradientTransformKind
    package var weightDecay: Double
    package var alpha: Double
    package var oneMinusAlpha: Double
    package var gradAvgWeight: Double  // 1 - alpha, the lerp weight of grad_avg
    package var eps: Double
    package var momentum: Double
    package var negativeLR: Double
    package var centered: Bool

    package init(x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>,
                 squareAvg: UnsafeMutablePointer<Double>, gradAvg: UnsafeMutablePointer<Double>,
                 momentumBuffer: UnsafeMutablePointer<Double>, count: Int,
                 transform: GradientTransformKind, weightDecay: Double, alpha: Double,
                 oneMinusAlpha: Double, gradAvgWeight: Double, eps: Double, momentum: Double,
                 negativeLR: Double, centered: Bool) {
        self.x = x
        self.gradient = gradient
        self.squareAvg = squareAvg
        self.gradAvg = gradAvg
        self.momentumBuffer = momentumBuffer
        self.count = count
        self.transform = transform
        self.weightDecay = weightDecay
        self.alpha = alpha
        self.oneMinusAlpha = oneMinusAlpha
        self.gradAvgWeight = gradAvgWeight
        self.eps = eps
        self.momentum = momentum
        self.negativeLR = negativeLR
        self.centered = centered
    }
}

/// The operands of one Adagrad step (dense gradients).
package struct AdagradStep {
    package var x: UnsafeMutablePointer<Double>
    package var gradient: UnsafePointer<Double>
    package var sum: UnsafeMutablePointer<Double>
    package var count: Int
    package var transform: GradientTransformKind
    package var weightDecay: Double
    package var eps: Double
    package var negativeCLR: Double  // -lr / (1 + (t - 1) * lr_decay)

    package init(x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>,
                 sum: UnsafeMutablePointer<Double>, count: Int, transform: GradientTransformKind,
                 weightDecay: Double, eps: Double, negativeCLR: Double) {
        self.x = x
        self.gradient = gradient
        self.sum = sum
        self.count = count
        self.transform = transform
        self.weightDecay = weightDecay
        self.eps = eps
        self.negativeCLR = negativeCLR
    }
}

/// The operands of one Adadelta step.
package struct AdadeltaStep {
    package var x: UnsafeMutablePointer<Double>
    package var gradient: UnsafePointer<Double>
    package var squareAvg: UnsafeMutablePointer<Double>
    package var accDelta: UnsafeMutablePointer<Double>
    package var count: Int
    package var transform: GradientTransformKind
    package var weightDecay: Double
    package var rho: Double
    package var oneMinusRho: Double
    package var eps: Double
    package var negativeLR: Double

    package init(x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>,
                 squareAvg: UnsafeMutablePointer<Double>, accDelta: UnsafeMutablePointer<Double>,
                 count: Int, transform: GradientTransformKind, weightDecay: Double, rho: Double,
                 oneMinusRho: Double, eps: Double, negativeLR: Double) {
        self.x = x
        self.gradient = gradient
        self.squareAvg = squareAvg
        self.accDelta = accDelta
        self.count = count
        self.transform = transform
        self.weightDecay = weightDecay
        self.rho = rho
        self.oneMinusRho = oneMinusRho
        self.eps = eps
        self.negativeLR = negativeLR
    }
}

/// The operands of one Adamax step.
package struct AdamaxStep {
    package var x: UnsafeMutablePointer<Double>
    package var gradient: UnsafePointer<Double>
    package var expAvg: UnsafeMutablePointer<Double>
    package var expInf: UnsafeMutablePointer<Double>
    package var count: Int
    package var transform: GradientTransformKind
    package var weightDecay: Double
    package var firstMomentWeight: Double  // 1 - beta1
    package var beta2: Double
    package var eps: Double
    package var negativeCLR: Double        // -lr / (1 - beta1^t)

    package init(x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>,
                 expAvg: UnsafeMutablePointer<Double>, expInf: UnsafeMutablePointer<Double>,
                 count: Int, transform: GradientTransformKind, weightDecay: Double,
                 firstMomentWeight: Double, beta2: Double, eps: Double, negativeCLR: Double) {
        self.x = x
        self.gradient = gradient
        self.expAvg = expAvg
        self.expInf = expInf
        self.count = count
        self.transform = transform
        self.weightDecay = weightDecay
        self.firstMomentWeight = firstMomentWeight
        self.beta2 = beta2
        self.eps = eps
        self.negativeCLR = negativeCLR
    }
}

/// The operands of one NAdam step.
package struct NAdamStep {
    package var x: UnsafeMutablePointer<Double>
    package var gradient: UnsafePointer<Double>
    package var expAvg: UnsafeMutablePointer<Double>
    package var expAvgSq: UnsafeMutablePointer<Double>
    package var count: Int
    package var transform: GradientTransformKind
    package var weightDecay: Double
    package var decayFactor: Double          // 1 - lr * weight_decay when decoupled, else 1
    package var firstMomentWeight: Double    // 1 - beta1
    package var beta2: Double
    package var oneMinusBeta2: Double
    package var biasCorrection2: Double
    package var eps: Double
    package var gradientCoefficient: Double  // -lr * (1 - mu_t) / (1 - mu_product)
    package var momentCoefficient: Double    // -lr * mu_{t+1} / (1 - mu_product * mu_{t+1})

    package init(x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>,
                 expAvg: UnsafeMutablePointer<Double>, expAvgSq: UnsafeMutablePointer<Double>,
                 count: Int, transform: GradientTransformKind, weightDecay: Double, decayFactor: Double,
                 firstMomentWeight: Double, beta2: Double, oneMinusBeta2: Double,
                 biasCorrection2: Double, eps: Double, gradientCoefficient: Double,
                 momentCoefficient: Double) {
        self.x = x
        self.gradient = gradient
        self.expAvg = expAvg
        self.expAvgSq = expAvgSq
        self.count = count
        self.transform = transform
        self.weightDecay = weightDecay
        self.decayFactor = decayFactor
        self.firstMomentWeight = firstMomentWeight
        self.beta2 = beta2
        self.oneMinusBeta2 = oneMinusBeta2
        self.biasCorrection2 = biasCorrection2
        self.eps = eps
        self.gradientCoefficient = gradientCoefficient
        self.momentCoefficient = momentCoefficient
    }
}

/// The operands of one RAdam step.
package struct RAdamStep {
    package var x: UnsafeMutablePointer<Double>
    package var gradient: UnsafePointer<Double>
    package var expAvg: UnsafeMutablePointer<Double>
    package var expAvgSq: UnsafeMutablePointer<Double>
    package var count: Int
    package var transform: GradientTransformKind
    package var weightDecay: Double
    package var decayFactor: Double          // 1 - lr * weight_decay when decoupled, else 1
    package var firstMomentWeight: Double  // 1 - beta1
    package var beta2: Double
    package var oneMinusBeta2: Double
    package var biasCorrection1: Double
    package var biasCorrection2Sqrt: Double
    package var lr: Double
    package var eps: Double
    package var rect: Double
    package var rectified: Bool            // rho_t > 5

    package init(x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>,
                 expAvg: UnsafeMutablePointer<Double>, expAvgSq: UnsafeMutablePointer<Double>,
                 count: Int, transform: GradientTransformKind, weightDecay: Double, decayFactor: Double,
                 firstMomentWeight: Double, beta2: Double, oneMinusBeta2: Double,
                 biasCorrection1: Double, biasCorrection2Sqrt: Double, lr: Double, eps: Double,
                 rect: Double, rectified: Bool) {
        self.x = x
        self.gradient = gradient
        self.expAvg = expAvg
        self.expAvgSq = expAvgSq
        self.count = count
        self.transform = transform
        self.weightDecay = weightDecay
        self.decayFactor = decayFactor
        self.firstMomentWeight = firstMomentWeight
        self.beta2 = beta2
        self.oneMinusBeta2 = oneMinusBeta2
        self.biasCorrection1 = biasCorrection1
        self.biasCorrection2Sqrt = biasCorrection2Sqrt
        self.lr = lr
        self.eps = eps
        self.rect = rect
        self.rectified = rectified
    }
}

/// The operands of one Rprop step.
package struct RpropStep {
    package var x: UnsafeMutablePointer<Double>
    package var gradient: UnsafePointer<Double>
    package var previous: UnsafeMutablePointer<Double>  // prev: the last step's (zeroed) gradient
    package var stepSize: UnsafeMutablePointer<Double>  // step_size: per-element step lengths
    package var count: Int
    package var maximize: Bool
    package var etaminus: Double
    package var etaplus: Double
    package var stepSizeMin: Double
    package var stepSizeMax: Double

    package init(x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>,
                 previous: UnsafeMutablePointer<Double>, stepSize: UnsafeMutablePointer<Double>,
                 count: Int, maximize: Bool, etaminus: Double, etaplus: Double,
                 stepSizeMin: Double, stepSizeMax: Double) {
        self.x = x
        self.gradient = gradient
        self.previous = previous
        self.stepSize = stepSize
        self.count = count
        self.maximize = maximize
        self.etaminus = etaminus
        self.etaplus = etaplus
        self.stepSizeMin = stepSizeMin
        self.stepSizeMax = stepSizeMax
    }
}

/// The operands of one ASGD step.
package struct ASGDStep {
    package var x: UnsafeMutablePointer<Double>
    package var gradient: UnsafePointer<Double>
    package var average: UnsafeMutablePointer<Double>  // ax: the averaged iterate
    package var count: Int
    package var transform: GradientTransformKind
    package var weightDecay: Double
    package var decayFactor: Double   // 1 - lambd * eta
    package var negativeEta: Double   // -eta
    package var mu: Double            // the averaging weight; 1 copies x into ax

    package init(x: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>,
                 average: UnsafeMutablePointer<Double>, count: Int, transform: GradientTransformKind,
                 weightDecay: Double, decayFactor: Double, negativeEta: Double, mu: Double) {
        self.x = x
        self.gradient = gradient
        self.average = average
        self.count = count
        self.transform = transform
        self.weightDecay = weightDecay
        self.decayFactor = decayFactor
        self.negativeEta = negativeEta
        self.mu = mu
    }
}
