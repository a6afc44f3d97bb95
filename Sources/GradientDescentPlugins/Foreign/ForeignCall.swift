import CFFI
import GradientDescent

/// One foreign function prepared for libffi: its call interface (cif) and the argument
/// storage, built once, so a call only writes the current pointers and calls.
final class ForeignCall {
    let signature: ForeignSignature
    private let function: UnsafeMutableRawPointer
    private let cif: UnsafeMutablePointer<ffi_cif>
    private let types: UnsafeMutablePointer<UnsafeMutablePointer<ffi_type>?>
    /// One 8-byte slot per argument: the value passed by value, or the pointer passed.
    private let slots: UnsafeMutablePointer<UInt64>
    /// Where each argument is read from: the address of its slot.
    private let arguments: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    /// The dimension passed by reference (Fortran), rewritten before every call.
    private let dimensionCell: UnsafeMutablePointer<UInt64>
    private let dimension: Int

    init(signature: ForeignSignature, function: UnsafeMutableRawPointer, dimension: Int) throws(GradientDescentError) {
        self.signature = signature
        self.function = function
        self.dimension = dimension
        let count = signature.parameters.count
        cif = .allocate(capacity: 1)
        types = .allocate(capacity: max(count, 1))
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: 0, count: max(count, 1))
        arguments = .allocate(capacity: max(count, 1))
        dimensionCell = .allocate(capacity: 1)
        dimensionCell.initialize(to: 0)
        for (k, parameter) in signature.parameters.enumerated() {
            switch parameter {
            case .dimension(let integer, byReference: false):
                types[k] = switch integer {
                case .int32: cffi_type_sint32()
                case .int64: cffi_type_sint64()
                case .size: cffi_type_uint64()
                }
            default:
                types[k] = cffi_type_pointer()
            }
            arguments[k] = UnsafeMutableRawPointer(slots + k)
        }
        let result: UnsafeMutablePointer<ffi_type> = switch signature.result {
        case .void: cffi_type_void()
        case .double: cffi_type_double()
        case .int32: cffi_type_sint32()
        }
        if cffi_prepare(cif, UInt32(count), result, types) != 0 {
            deallocate()
            throw GradientDescentError(.foreign, "libffi cannot prepare a call to \(signature.symbol)")
        }
    }

    deinit {
        deallocate()
    }

    private func deallocate() {
        cif.deallocate()
        types.deallocate()
        slots.deallocate()
        arguments.deallocate()
        dimensionCell.deallocate()
    }

    /// What a call gave back: the returned value (a double's or an int's).
    struct Outcome {
        var returnedLoss: Double
        var status: Int32
    }

    func call(x: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>?,
              loss: UnsafeMutablePointer<Double>?) -> Outcome {
        for (k, parameter) in signature.parameters.enumerated() {
            let slot = UnsafeMutableRawPointer(slots + k)
            switch parameter {
            case .dimension(let integer, let byReference):
                let target = byReference ? UnsafeMutableRawPointer(dimensionCell) : slot
                switch integer {
                case .int32: target.storeBytes(of: Int32(truncatingIfNeeded: dimension), as: Int32.self)
                case .int64: target.storeBytes(of: Int64(dimension), as: Int64.self)
                case .size: target.storeBytes(of: UInt64(dimension), as: UInt64.self)
                }
                if byReference {
                    slot.storeBytes(of: UnsafeMutableRawPointer(dimensionCell), as: UnsafeMutableRawPointer.self)
                }
            case .point:
                slot.storeBytes(of: UnsafeRawPointer(x), as: UnsafeRawPointer.self)
            case .gradient:
                slot.storeBytes(of: UnsafeMutableRawPointer(gradient), as: UnsafeMutableRawPointer?.self)
            case .loss:
                slot.storeBytes(of: UnsafeMutableRawPointer(loss), as: UnsafeMutableRawPointer?.self)
            }
        }
        // libffi widens small integer results to a full register: 8 bytes are enough for all.
        var returned: UInt64 = 0
        cffi_call(cif, function, &returned, arguments)
        switch signature.result {
        case .void: return Outcome(returnedLoss: .nan, status: 0)
        case .double: return Outcome(returnedLoss: Double(bitPattern: returned), status: 0)
        case .int32: return Outcome(returnedLoss: .nan, status: Int32(truncatingIfNeeded: returned))
        }
    }
}
