import CGradientDescent
import _StatusText

/// The text of GD_STATUS_TABLE, expanded from the header in C (_StatusText).
@c @implementation
public func gd_status_string(_ status: Int32) -> UnsafePointer<CChar>! {
    gradient_descent_status_text(status)
}

@c @implementation
public func gd_last_error() -> UnsafePointer<CChar>! {
    LastError.message
}

/// The text of GD_STOP_REASON_TABLE, expanded from the header in C (_StatusText).
@c @implementation
public func gd_stop_reason_string(_ reason: Int32) -> UnsafePointer<CChar>! {
    gradient_descent_stop_reason_text(reason)
}
