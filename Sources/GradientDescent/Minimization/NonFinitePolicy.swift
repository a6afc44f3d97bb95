/// What a run does when an evaluation gives a non-finite loss or gradient; the values of the
/// C header's GD_NONFINITE_* constants.
public enum NonFinitePolicy: Int32, Sendable, CaseIterable {
    /// Stop with `.nonFinite` and return the last iterate whose loss and gradient were finite.
    case fail = 0
    /// Reject the step (no update, x and the optimizer's state unchanged), count it in
    /// `Report.skippedSteps` and go on; fail after `maxConsecutiveSkips` rejections in a row.
    case skip = 1
}
