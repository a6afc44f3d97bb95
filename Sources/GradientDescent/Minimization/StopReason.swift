/// Why a run stopped, with the values of the C header's `gd_stop_reason` table.
public enum StopReason: Int32, Sendable, CaseIterable {
    case none = 0
    case maxIterations = 1
    case maxEpochs = 2
    case gradientTolerance = 3
    case lossTolerance = 4
    case targetLoss = 5
    case timeLimit = 6
    case progress = 7
    case callbackError = 8
    case nonFinite = 9
    case lineSearchFailed = 10
}
