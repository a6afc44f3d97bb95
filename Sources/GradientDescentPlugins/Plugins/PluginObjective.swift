import CGradientDescent
import GradientDescent

/// An instance of a plugin's objective: the plugin's instance pointer and its functions.
final class PluginObjective: Objective {
    let dimension: Int
    let sampleCount: Int
    private let entry: PluginObjectiveEntry
    private let instance: UnsafeMutableRawPointer?
    /// 0..<m, for full evaluations of an objective that only has evaluate_sampled.
    private let allSamples: UnsafeMutableBufferPointer<Int>?

    init(entry: PluginObjectiveEntry, request: ObjectiveRequest) throws(GradientDescentError) {
        self.entry = entry
        dimension = request.dimension
        let data = request.data
        if entry.evaluateSampled != nil {
            if data.rows <= 0 || data.rows > Int.max / 16 {
                throw GradientDescentError(.invalidArgument, "\(entry.name) is sampled over the data's rows; rows is \(data.rows)")
            }
            sampleCount = data.rows
        } else {
            sampleCount = 0
        }
        var description = gd_data(struct_size: MemoryLayout<gd_data>.size, x: data.features, rows: max(data.rows, 0),
                                  cols: max(data.columns, 0), y: data.targets, labels: data.labels,
                                  classes: max(data.classes, 0))
        var created: UnsafeMutableRawPointer? = nil
        let n = request.dimension
        if let create = entry.create {
            var message = [CChar](repeating: 0, count: 256)
            let code = request.parameters.withUnsafeBufferPointer { params in
                message.withUnsafeMutableBufferPointer { buffer in
                    create(n, &description, params.baseAddress, &created, buffer.baseAddress, buffer.count)
                }
            }
            if code != 0 {
                message[message.count - 1] = 0
                let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
                throw GradientDescentError(.plugin,
                    "\(entry.name): create failed (\(code))\(text.isEmpty ? "" : ": \(text)")")
            }
        }
        instance = created
        if entry.evaluate == nil {
            do {
                let all = try CheckedAllocation.allocate(Int.self, count: sampleCount, what: "the sample indices")
                for i in 0..<sampleCount { all[i] = i }
                allSamples = all
            } catch {
                entry.destroy?(created)
                throw error
            }
        } else {
            allSamples = nil
        }
    }

    deinit {
        entry.destroy?(instance)
        if let allSamples { CheckedAllocation.deallocate(allSamples) }
    }

    func evaluate(at x: UnsafeBufferPointer<Double>,
                  gradient: UnsafeMutableBufferPointer<Double>?) throws(GradientDescentError) -> Double {
        try check(x, gradient)
        if let evaluate = entry.evaluate {
            var loss = Double.nan
            let code = evaluate(instance, x.baseAddress, gradient?.baseAddress, dimension, &loss)
            if code != 0 {
                throw GradientDescentError(.callback, "the plugin objective \(entry.name) returned \(code)")
            }
            return loss
        }
        return try evaluate(at: x, gradient: gradient, samples: UnsafeBufferPointer(allSamples!))
    }

    func evaluate(at x: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>?,
                  samples: UnsafeBufferPointer<Int>) throws(GradientDescentError) -> Double {
        try check(x, gradient)
        guard let sampled = entry.evaluateSampled else {
            throw GradientDescentError(.invalidArgument, "the plugin objective \(entry.name) has no samples; use a batch size of 0")
        }
        for i in samples where i < 0 || i >= sampleCount {
            throw GradientDescentError(.invalidArgument, "sample index \(i) is out of range for \(sampleCount) samples")
        }
        var loss = Double.nan
        let code = sampled(instance, x.baseAddress, gradient?.baseAddress, dimension,
                           samples.baseAddress, samples.count, &loss)
        if code != 0 {
            throw GradientDescentError(.callback, "the plugin objective \(entry.name) returned \(code)")
        }
        return loss
    }

    private func check(_ x: UnsafeBufferPointer<Double>,
                       _ gradient: UnsafeMutableBufferPointer<Double>?) throws(GradientDescentError) {
        if x.count != dimension || (gradient != nil && gradient!.count != dimension) {
            throw GradientDescentError(.dimensionMismatch, "x or the gradient does not have \(dimension) entries")
        }
    }
}
