import CGradientDescent
import GradientDescent

@c @implementation
public func gd_options_init(_ options: UnsafeMutablePointer<gd_options>?) -> Int32 {
    // Programs compiled with the current header reach gd_options_init_sized through a macro;
    // this symbol serves programs compiled before gd_options grew, whose struct ends here.
    boundary("gd_options_init") { () throws(GradientDescentError) in
        try fillDefaults(try required(options, "options"), size: optionsSizeV0_1)
    }
}

@c @implementation
public func gd_options_init_sized(_ options: UnsafeMutablePointer<gd_options>?, _ struct_size: Int) -> Int32 {
    boundary("gd_options_init_sized") { () throws(GradientDescentError) in
        let out = try required(options, "options")
        if struct_size < optionsSizeV0_1 {
            throw GradientDescentError(.invalidArgument,
                "struct_size is \(shownSize(struct_size)), expected at least \(optionsSizeV0_1) (sizeof(gd_options))")
        }
        try fillDefaults(out, size: struct_size)
    }
}

/// Writes the defaults into the first `size` bytes (zeros past the fields this library
/// knows, and in the padding between fields) and sets struct_size to `size`.
private func fillDefaults(_ out: UnsafeMutablePointer<gd_options>, size: Int) throws(GradientDescentError) {
    var defaults = gd_options.defaults
    defaults.struct_size = size
    let known = min(size, MemoryLayout<gd_options>.size)
    let raw = UnsafeMutableRawPointer(out)
    withUnsafeBytes(of: &defaults) { bytes in
        raw.copyMemory(from: bytes.baseAddress!, byteCount: known)
    }
    // A struct value's padding bytes are undefined; the copy above handed them over.
    for gap in gd_options.paddingGaps where gap.lowerBound < known {
        (raw + gap.lowerBound).initializeMemory(as: UInt8.self, repeating: 0,
                                                count: min(gap.upperBound, known) - gap.lowerBound)
    }
    if size > known {
        (raw + known).initializeMemory(as: UInt8.self, repeating: 0, count: size - known)
    }
}

@c @implementation
public func gd_minimize(_ obj: OpaquePointer?, _ opt: OpaquePointer?, _ x: UnsafeMutablePointer<Double>?,
                        _ n: Int, _ options: UnsafePointer<gd_options>?,
                        _ report: UnsafeMutablePointer<gd_report>?) -> Int32 {
    boundary("gd_minimize") { () throws(GradientDescentError) in
        let objective = try objectiveHandle(obj)
        let optimizer = object(try required(opt, "opt"), as: Optimizer.self)
        let x = try required(x, "x")
        if let report, UnsafeRawPointer(report).load(as: Int.self) < reportSizeV0_1 {
            throw GradientDescentError(.invalidArgument,
                "report->struct_size is \(shownSize(UnsafeRawPointer(report).load(as: Int.self))), expected at least \(reportSizeV0_1)")
        }
        let settings = try options.map { (pointer) throws(GradientDescentError) in try MinimizeOptions(pointer, dimension: n) }
            ?? MinimizeOptions()
        if n != objective.dimension {
            throw GradientDescentError(.dimensionMismatch,
                "n is \(UInt(bitPattern: n)) but the objective has dimension \(objective.dimension)")
        }
        let result = try minimize(objective, optimizer: optimizer,
                                  x: UnsafeMutableBufferPointer(start: x, count: n), options: settings)
        if let report { gd_report.write(result, to: report) }
        if let failure = result.failure { throw failure }
    }
}
