import CGradientDescent

@c @implementation
public func gd_version_string() -> UnsafePointer<CChar>! {
    staticCString("0.1.0")
}

@c @implementation
public func gd_version_number() -> UInt32 {
    UInt32(GD_VERSION_MAJOR * 10000 + GD_VERSION_MINOR * 100 + GD_VERSION_PATCH)
}
