import CGradientDescent
import GradientDescent

@c @implementation
public func gd_data_init(_ data: UnsafeMutablePointer<gd_data>?) -> Int32 {
    boundary("gd_data_init") { () throws(GradientDescentError) in
        try required(data, "data").pointee = gd_data(
            struct_size: MemoryLayout<gd_data>.size, x: nil, rows: 0, cols: 0, y: nil, labels: nil, classes: 0)
    }
}

@c @implementation
public func gd_objective_create(_ name: UnsafePointer<CChar>?, _ n: Int, _ data: UnsafePointer<gd_data>?,
                                _ params: UnsafePointer<gd_param>?, _ param_count: Int,
                                _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    boundary("gd_objective_create") { () throws(GradientDescentError) in
        let name = try string(name, "name")
        let out = try required(out, "out")
        let count = try positiveCount(n, "n")
        let borrowed = try objectiveData(data)
        let parameters = try keyedParameters(params, param_count)
        let objective = try ObjectiveRegistry.shared.makeObjective(
            named: name, dimension: count, data: borrowed, parameters: parameters)
        out.pointee = retainedHandle(ObjectiveHandle(objective))
    }
}

/// The caller's gd_data as the core's borrowed description (nothing copied).
func objectiveData(_ data: UnsafePointer<gd_data>?) throws(GradientDescentError) -> ObjectiveData {
    guard let data else { return ObjectiveData() }
    let d = data.pointee
    if d.struct_size < MemoryLayout<gd_data>.size {
        throw GradientDescentError(.invalidArgument,
            "data->struct_size is \(d.struct_size), expected \(MemoryLayout<gd_data>.size): fill it with gd_data_init")
    }
    // size_t values above Int.max arrive negative; they are never a valid size.
    for (value, field) in [(d.rows, "rows"), (d.cols, "cols"), (d.classes, "classes")] where value < 0 {
        throw GradientDescentError(.invalidArgument, "data->\(field) is \(UInt(bitPattern: value)), too large")
    }
    return ObjectiveData(features: d.x, rows: d.rows, columns: d.cols, targets: d.y,
                         labels: d.labels, classes: d.classes)
}

/// params[0..<count) as (key, value) pairs.
func keyedParameters(_ params: UnsafePointer<gd_param>?,
                     _ count: Int) throws(GradientDescentError) -> [(key: String, value: Double)] {
    if count == 0 { return [] }
    if count < 0 || count > 100_000 {
        throw GradientDescentError(.invalidArgument, "param_count \(UInt(bitPattern: count)) is not plausible")
    }
    let params = try required(params, "params")
    var result: [(key: String, value: Double)] = []
    for k in 0..<count {
        guard let key = params[k].key else {
            throw GradientDescentError(.nullArgument, "params[\(k)].key is NULL")
        }
        result.append((String(cString: key), params[k].value))
    }
    return result
}
