import CGradientDescent
import GradientDescent

@c @implementation
public func gd_status_string(_ status: Int32) -> UnsafePointer<CChar>! {
    switch Status(rawValue: status) {
    case .ok: staticCString("success")
    case .nullArgument: staticCString("a required pointer argument is NULL")
    case .invalidArgument: staticCString("an argument is out of its valid range")
    case .dimensionMismatch: staticCString("dimensions of the arguments do not agree")
    case .unknownName: staticCString("no optimizer, objective or schedule has this name")
    case .unknownKey: staticCString("the parameter key is not known to this object")
    case .outOfMemory: staticCString("memory allocation failed")
    case .callback: staticCString("a callback returned non-zero and aborted the run")
    case .nonFinite: staticCString("a loss, gradient or iterate is NaN or infinite")
    case .plugin: staticCString("a plugin could not be loaded or used")
    case .badState: staticCString("a saved state blob is malformed or does not match")
    case .foreign: staticCString("a foreign function binding is malformed or failed")
    case .lineSearch: staticCString("a line search found no acceptable step")
    case nil: staticCString("unknown status")
    }
}

@c @implementation
public func gd_last_error() -> UnsafePointer<CChar>! {
    LastError.message
}

@c @implementation
public func gd_stop_reason_string(_ reason: Int32) -> UnsafePointer<CChar>! {
    guard let reason = StopReason(rawValue: reason) else {
        return staticCString("unknown stop reason")
    }
    return switch reason {
    case .none: staticCString("the run did not start")
    case .maxIterations: staticCString("reached max_iterations")
    case .maxEpochs: staticCString("reached max_epochs")
    case .gradientTolerance: staticCString("gradient norm at or below gradient_tolerance")
    case .lossTolerance: staticCString("loss change at or below loss_tolerance for patience checks")
    case .targetLoss: staticCString("loss at or below target_loss")
    case .timeLimit: staticCString("reached time_limit")
    case .progress: staticCString("the progress callback asked to stop")
    case .callbackError: staticCString("a callback (objective, schedule or rule) failed")
    case .nonFinite: staticCString("a non-finite loss or gradient was met")
    case .lineSearchFailed: staticCString("a line search found no acceptable step")
    }
}
