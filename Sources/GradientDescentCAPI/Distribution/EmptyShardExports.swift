import CGradientDescent
import GradientDescent

@c @implementation
public func gd_objective_new_empty_shard(_ n: Int, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    boundary("gd_objective_new_empty_shard") { () throws(GradientDescentError) in
        let out = try required(out, "out")
        let count = try positiveCount(n, "n")
        out.pointee = retainedHandle(ObjectiveHandle(try EmptyShard(dimension: count)))
    }
}
