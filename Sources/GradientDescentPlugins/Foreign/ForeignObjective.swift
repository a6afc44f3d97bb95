import GradientDescent

/// An objective whose loss and gradient come from functions compiled elsewhere, called
/// through libffi with their own signatures (C, Fortran, anything with a C calling convention).
public final class ForeignObjective: Objective {
    /// The number of parameters the functions take.
    public let dimension: Int
    private let library: SharedObject
    private let value: ForeignCall
    private let gradientCall: ForeignCall?
    /// Where a combined function writes the gradient when the caller wants none.
    private let scratch: UnsafeMutableBufferPointer<Double>
    private let loss: UnsafeMutablePointer<Double>

    /// Binds `function` (and `gradient`, unless `function` writes the gradient) from the
    /// shared object at `library` (nil: the process). Errors are `.foreign` with a message.
    public init(library path: String?, function: String, gradient: String?,
                dimension: Int) throws(GradientDescentError) {
        let valueSignature = try ForeignSignature(parsing: function, what: "function")
        let gradientSignature = try gradient.map { text throws(GradientDescentError) in
            try ForeignSignature(parsing: text, what: "gradient")
        }
        try ForeignObjective.check(valueSignature, gradientSignature)
        for signature in [valueSignature] + (gradientSignature.map { [$0] } ?? []) {
            if signature.integerDimension == .int32 && dimension > Int(Int32.max) {
                throw GradientDescentError(.invalidArgument,
                    "n = \(dimension) does not fit the 32-bit n of \(signature.symbol)")
            }
        }
        let library = try SharedObject(path: path, status: .foreign)
        func resolve(_ signature: ForeignSignature) throws(GradientDescentError) -> UnsafeMutableRawPointer {
            guard let address = library.symbol(signature.symbol) else {
                throw GradientDescentError(.foreign,
                    "symbol '\(signature.symbol)' not found in \(library.displayName)"
                    + (signature.symbol.hasSuffix("_") ? "" : " (gfortran names a subroutine fg as 'fg_')"))
            }
            return address
        }
        self.library = library
        self.dimension = dimension
        value = try ForeignCall(signature: valueSignature, function: resolve(valueSignature), dimension: dimension)
        if let gradientSignature {
            gradientCall = try ForeignCall(signature: gradientSignature, function: resolve(gradientSignature),
                                           dimension: dimension)
        } else {
            gradientCall = nil
        }
        scratch = try CheckedAllocation.allocate(Double.self, count: dimension, what: "the gradient scratch")
        scratch.initialize(repeating: 0)
        loss = .allocate(capacity: 1)
        loss.initialize(to: .nan)
    }

    deinit {
        CheckedAllocation.deallocate(scratch)
        loss.deallocate()
    }

    static func check(_ function: ForeignSignature, _ gradient: ForeignSignature?) throws(GradientDescentError) {
        let returnsLoss = function.result == .double
        if returnsLoss && function.hasLossArgument {
            throw GradientDescentError(.foreign,
                "function \(function.symbol) both returns double and has an f argument; the loss comes from one of them")
        }
        if !returnsLoss && !function.hasLossArgument {
            throw GradientDescentError(.foreign,
                "function \(function.symbol) gives no loss: return double or take 'double *f'")
        }
        if let gradient {
            if function.hasGradient {
                throw GradientDescentError(.foreign,
                    "function \(function.symbol) writes the gradient (g), so no gradient function may be given")
            }
            if !gradient.hasGradient {
                throw GradientDescentError(.foreign, "gradient \(gradient.symbol) has no 'double *g' argument")
            }
            if gradient.hasLossArgument || gradient.result == .double {
                throw GradientDescentError(.foreign,
                    "gradient \(gradient.symbol) must return void or int and take no f argument")
            }
        } else if !function.hasGradient {
            throw GradientDescentError(.foreign,
                "function \(function.symbol) has no 'double *g' argument and no gradient function is given")
        }
    }

    /// The loss at x from the bound function and, when `gradient` is non-nil, the gradient.
    public func evaluate(at x: UnsafeBufferPointer<Double>,
                         gradient: UnsafeMutableBufferPointer<Double>?) throws(GradientDescentError) -> Double {
        guard x.count == dimension, let point = x.baseAddress,
              gradient == nil || gradient!.count == dimension else {
            throw GradientDescentError(.dimensionMismatch, "x or the gradient does not have \(dimension) entries")
        }
        loss.pointee = .nan
        let target: UnsafeMutablePointer<Double>? = value.signature.hasGradient ? (gradient?.baseAddress ?? scratch.baseAddress!) : nil
        let outcome = value.call(x: point, gradient: target, loss: loss)
        if outcome.status != 0 {
            throw GradientDescentError(.callback, "the foreign function \(value.signature.symbol) returned \(outcome.status)")
        }
        let result = value.signature.result == .double ? outcome.returnedLoss : loss.pointee
        if let gradientCall, let g = gradient?.baseAddress {
            let status = gradientCall.call(x: point, gradient: g, loss: nil).status
            if status != 0 {
                throw GradientDescentError(.callback, "the foreign function \(gradientCall.signature.symbol) returned \(status)")
            }
        }
        return result
    }
}
