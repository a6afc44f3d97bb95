import CGradientDescent
import GradientDescent
import GradientDescentPlugins
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

@c @implementation
public func gd_registry_count(_ count: UnsafeMutablePointer<Int>?) -> Int32 {
    boundary("gd_registry_count") { () throws(GradientDescentError) in
        try required(count, "count").pointee = ObjectiveRegistry.shared.count
    }
}

@c @implementation
public func gd_registry_entry(_ index: Int, _ info: UnsafeMutablePointer<gd_registry_info>?) -> Int32 {
    boundary("gd_registry_entry") { () throws(GradientDescentError) in
        let info = try required(info, "info")
        if info.pointee.struct_size < MemoryLayout<gd_registry_info>.size {
            throw GradientDescentError(.invalidArgument,
                "info->struct_size is \(info.pointee.struct_size), expected \(MemoryLayout<gd_registry_info>.size)")
        }
        guard let entry = RegistryText.entry(at: index) else {
            throw GradientDescentError(.invalidArgument,
                "index \(UInt(bitPattern: index)) is past the \(ObjectiveRegistry.shared.count) registered objectives")
        }
        info.pointee.name = UnsafePointer(entry.name)
        info.pointee.description = UnsafePointer(entry.summary)
        info.pointee.source = UnsafePointer(entry.source)
        info.pointee.data_fields = entry.dataFields
        info.pointee.sampled = entry.sampled
        info.pointee.param_count = entry.parameterCount
        info.pointee.param_keys = UnsafePointer(entry.keys)
        info.pointee.param_defaults = UnsafePointer(entry.defaults)
    }
}

@c @implementation
public func gd_plugin_load(_ path: UnsafePointer<CChar>?, _ added: UnsafeMutablePointer<Int>?) -> Int32 {
    boundary("gd_plugin_load") { () throws(GradientDescentError) in
        let path = try string(path, "path")
        let count = try PluginLoader.load(path: path)
        added?.pointee = count
    }
}

/// C copies of the registry's text, made on first request and kept for the life of the
/// process, as the header promises (entries are never removed).
enum RegistryText {
    struct Entry: @unchecked Sendable {
        let name: UnsafeMutablePointer<CChar>
        let summary: UnsafeMutablePointer<CChar>
        let source: UnsafeMutablePointer<CChar>
        let dataFields: UInt32
        let sampled: Int32
        let parameterCount: Int
        let keys: UnsafeMutablePointer<UnsafePointer<CChar>?>
        let defaults: UnsafeMutablePointer<Double>
    }

    private static let entries = Mutex<[Entry]>([])

    static func entry(at index: Int) -> Entry? {
        entries.withLock { cache -> Entry? in
            while cache.count <= index {
                guard let factory = ObjectiveRegistry.shared.factory(at: cache.count) else { return nil }
                cache.append(copy(factory))
            }
            return index >= 0 ? cache[index] : nil
        }
    }

    private static func copy(_ factory: ObjectiveFactory) -> Entry {
        let count = factory.parameters.count
        let keys = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: max(count, 1))
        let defaults = UnsafeMutablePointer<Double>.allocate(capacity: max(count, 1))
        keys.initialize(to: nil)
        defaults.initialize(to: 0)
        for (k, parameter) in factory.parameters.enumerated() {
            keys[k] = UnsafePointer(strdup(parameter.key))
            defaults[k] = parameter.defaultValue
        }
        return Entry(name: strdup(factory.name), summary: strdup(factory.summary), source: strdup(factory.source),
                     dataFields: factory.requiredData.rawValue, sampled: factory.isSampled ? 1 : 0,
                     parameterCount: count, keys: keys, defaults: defaults)
    }
}
