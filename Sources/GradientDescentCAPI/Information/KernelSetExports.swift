import CGradientDescent
import GradientDescent

@c @implementation
public func gd_kernel_set() -> UnsafePointer<CChar>! {
    KernelSet.name == "haswell" ? staticCString("haswell") : staticCString("baseline")
}
