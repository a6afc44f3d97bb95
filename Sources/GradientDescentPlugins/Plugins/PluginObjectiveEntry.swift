import CGradientDescent
import GradientDescent

/// One objective of a plugin's descriptor, checked and copied out of the plugin's memory.
final class PluginObjectiveEntry: @unchecked Sendable {
    let name: String
    let summary: String
    let parameters: [ObjectiveParameter]
    let requiredData: DataFields
    let create: gd_plugin_create_fn?
    let destroy: gd_plugin_destroy_fn?
    let evaluate: gd_objective_fn?
    let evaluateSampled: gd_sampled_fn?
    /// Keeps the plugin open while an entry or an objective can call into it.
    let library: SharedObject

    init(_ objective: gd_plugin_objective, index: Int, library: SharedObject, path: String) throws(GradientDescentError) {
        guard let namePointer = objective.name else {
            throw GradientDescentError(.plugin, "'\(path)': objective \(index) has a NULL name")
        }
        let name = String(cString: namePointer)
        let allowed = name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || c == 0x5F || c == 0x2E || c == 0x2D
        }
        if name.isEmpty || name.utf8.count > 128 || !allowed {
            throw GradientDescentError(.plugin,
                "'\(path)': objective \(index) has the name '\(name)'; use 1 to 128 letters, digits, '_', '.' or '-'")
        }
        if objective.evaluate == nil && objective.evaluate_sampled == nil {
            throw GradientDescentError(.plugin, "'\(path)': objective '\(name)' has neither evaluate nor evaluate_sampled")
        }
        if objective.data_fields & ~UInt32(7) != 0 {
            throw GradientDescentError(.plugin, "'\(path)': objective '\(name)' has unknown data_fields bits \(objective.data_fields)")
        }
        var parameters: [ObjectiveParameter] = []
        if objective.param_count > 0 {
            guard let params = objective.params, objective.param_count <= 1000 else {
                throw GradientDescentError(.plugin,
                    "'\(path)': objective '\(name)' declares \(objective.param_count) parameters but params is NULL or too many")
            }
            for k in 0..<objective.param_count {
                guard let key = params[k].key else {
                    throw GradientDescentError(.plugin, "'\(path)': parameter \(k) of '\(name)' has a NULL key")
                }
                let parameter = ObjectiveParameter(String(cString: key), default: params[k].default_value)
                if parameters.contains(where: { $0.key == parameter.key }) || parameter.key.isEmpty {
                    throw GradientDescentError(.plugin, "'\(path)': '\(name)' declares the parameter '\(parameter.key)' twice or empty")
                }
                if !parameter.defaultValue.isFinite {
                    throw GradientDescentError(.plugin, "'\(path)': default of '\(parameter.key)' in '\(name)' is not finite")
                }
                parameters.append(parameter)
            }
        }
        self.name = name
        summary = objective.description.map { String(cString: $0) } ?? ""
        self.parameters = parameters
        requiredData = DataFields(rawValue: objective.data_fields)
        create = objective.create
        destroy = objective.destroy
        evaluate = objective.evaluate
        evaluateSampled = objective.evaluate_sampled
        self.library = library
    }

    func factory(source: String) -> ObjectiveFactory {
        ObjectiveFactory(name: name, summary: summary, source: source, parameters: parameters,
                         requiredData: requiredData, isSampled: evaluateSampled != nil) { request throws(GradientDescentError) in
            try PluginObjective(entry: self, request: request)
        }
    }
}
