import CGradientDescent
import GradientDescent
import GradientDescentPlugins

@c @implementation
public func gd_objective_new_foreign(_ library: UnsafePointer<CChar>?, _ function: UnsafePointer<CChar>?,
                                     _ gradient: UnsafePointer<CChar>?, _ n: Int,
                                     _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    boundary("gd_objective_new_foreign") { () throws(GradientDescentError) in
        let function = try string(function, "function")
        let out = try required(out, "out")
        let count = try positiveCount(n, "n")
        let objective = try ForeignObjective(library: library.map { String(cString: $0) }, function: function,
                                             gradient: gradient.map { String(cString: $0) }, dimension: count)
        out.pointee = retainedHandle(ObjectiveHandle(objective))
    }
}
