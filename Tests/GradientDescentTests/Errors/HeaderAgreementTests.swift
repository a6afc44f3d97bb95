import CGradientDescent
import Testing
@testable import GradientDescent

/// The core keeps its own copies of the header's tables (it stays usable without C); these
/// tests fail as soon as one side changes without the other.
@Suite struct HeaderAgreementTests {
    @Test func statusValuesEqualTheHeaderTable() {
        let header: [(Status, gd_status)] = [
            (.ok, GD_OK), (.nullArgument, GD_E_NULL_ARGUMENT), (.invalidArgument, GD_E_INVALID_ARGUMENT),
            (.dimensionMismatch, GD_E_DIMENSION_MISMATCH), (.unknownName, GD_E_UNKNOWN_NAME),
            (.unknownKey, GD_E_UNKNOWN_KEY), (.outOfMemory, GD_E_OUT_OF_MEMORY), (.callback, GD_E_CALLBACK),
            (.nonFinite, GD_E_NON_FINITE), (.plugin, GD_E_PLUGIN), (.badState, GD_E_BAD_STATE),
            (.foreign, GD_E_FOREIGN), (.lineSearch, GD_E_LINE_SEARCH),
        ]
        #expect(header.count == Status.allCases.count)
        for (swift, c) in header {
            #expect(Int64(swift.rawValue) == Int64(c.rawValue))
        }
    }

    @Test func stopReasonValuesEqualTheHeaderTable() {
        let header: [(StopReason, gd_stop_reason)] = [
            (.none, GD_STOP_NONE), (.maxIterations, GD_STOP_MAX_ITERATIONS), (.maxEpochs, GD_STOP_MAX_EPOCHS),
            (.gradientTolerance, GD_STOP_GRADIENT_TOLERANCE), (.lossTolerance, GD_STOP_LOSS_TOLERANCE),
            (.targetLoss, GD_STOP_TARGET_LOSS), (.timeLimit, GD_STOP_TIME_LIMIT), (.progress, GD_STOP_PROGRESS),
            (.callbackError, GD_STOP_CALLBACK_ERROR), (.nonFinite, GD_STOP_NON_FINITE),
            (.lineSearchFailed, GD_STOP_LINE_SEARCH_FAILED),
        ]
        #expect(header.count == StopReason.allCases.count)
        for (swift, c) in header {
            #expect(Int64(swift.rawValue) == Int64(c.rawValue))
        }
    }
}
