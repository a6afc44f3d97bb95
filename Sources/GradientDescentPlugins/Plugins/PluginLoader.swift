#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CGradientDescent
import GradientDescent
import Synchronization

/// Loads plugins: shared objects exporting `gd_plugin_entry_v1` (the header's plugin ABI),
/// whose objectives join the registry like built-ins.
public enum PluginLoader {
    /// Loaded plugins stay open for the life of the process: registry entries and objectives
    /// hold their function pointers.
    private static let loaded = Mutex<[SharedObject]>([])

    /// Loads the plugin at `path` and registers its objectives into `registry`; returns how
    /// many. All or nothing: on failure the registry is unchanged and the object is closed.
    public static func load(path: String,
                            into registry: ObjectiveRegistry = .shared) throws(GradientDescentError) -> Int {
        let source = realPath(path) ?? path
        let library = try SharedObject(path: path, status: .plugin)
        guard let symbol = library.symbol(GD_PLUGIN_ENTRY_SYMBOL) else {
            throw GradientDescentError(.plugin,
                "'\(path)' has no entry point \(GD_PLUGIN_ENTRY_SYMBOL): not a gradient_descent plugin (or built for another plugin ABI)")
        }
        let entry = unsafeBitCast(symbol, to: gd_plugin_entry_fn.self)
        guard let descriptor = entry() else {
            throw GradientDescentError(.plugin, "'\(path)': \(GD_PLUGIN_ENTRY_SYMBOL) returned NULL")
        }
        let version = descriptor.pointee.abi_version
        if version != UInt32(GD_PLUGIN_ABI_VERSION) {
            throw GradientDescentError(.plugin,
                "'\(path)' is built for plugin ABI version \(version); this library supports version \(GD_PLUGIN_ABI_VERSION)")
        }
        let plugin = descriptor.pointee
        let count = plugin.objective_count
        if count == 0 {
            throw GradientDescentError(.plugin, "'\(path)' provides no objectives (objective_count is 0)")
        }
        guard let objectives = plugin.objectives else {
            throw GradientDescentError(.plugin, "'\(path)': objectives is NULL but objective_count is \(count)")
        }
        if count > 10_000 {
            throw GradientDescentError(.plugin, "'\(path)': objective_count \(count) is not plausible")
        }
        var factories: [ObjectiveFactory] = []
        for index in 0..<count {
            let description = try PluginObjectiveEntry(objectives[index], index: index, library: library, path: path)
            factories.append(description.factory(source: source))
        }
        do {
            try registry.register(factories)
        } catch {
            throw GradientDescentError(.plugin, "'\(path)': \(error.message)")
        }
        loaded.withLock { $0.append(library) }
        return factories.count
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
