import GradientDescent

/// A handle whose state saves to a blob and loads back (the header's "Saved states").
protocol SavesState: AnyObject {
    var stateByteCount: Int { get }
    func saveState(into destination: UnsafeMutableRawBufferPointer) throws(GradientDescentError) -> Int
    func loadState(_ blob: UnsafeRawBufferPointer) throws(GradientDescentError)
}

extension Optimizer: SavesState {}
extension Schedule: SavesState {}
extension RunState: SavesState {}

/// The body of gd_*_save, a two-call API: *size always gets the blob's size; buf NULL only
/// asks; cap < size fails with nothing written.
func saveExport<Handle: SavesState>(_ function: StaticString, _ handle: OpaquePointer?, _ name: StaticString,
                                    as type: Handle.Type, buf: UnsafeMutableRawPointer?, cap: Int,
                                    size: UnsafeMutablePointer<Int>?) -> Int32 {
    boundary(function) { () throws(GradientDescentError) in
        let object = object(try required(handle, name), as: type)
        let size = try required(size, "size")
        let byteCount = object.stateByteCount
        size.pointee = byteCount
        guard let buf else { return }
        if UInt(bitPattern: cap) < UInt(byteCount) {
            throw GradientDescentError(.invalidArgument, "cap is \(UInt(bitPattern: cap)) bytes; the state needs \(byteCount)")
        }
        _ = try object.saveState(into: UnsafeMutableRawBufferPointer(start: buf, count: byteCount))
    }
}

/// The body of gd_*_load.
func loadExport<Handle: SavesState>(_ function: StaticString, _ handle: OpaquePointer?, _ name: StaticString,
                                    as type: Handle.Type, buf: UnsafeRawPointer?, size: Int) -> Int32 {
    boundary(function) { () throws(GradientDescentError) in
        let object = object(try required(handle, name), as: type)
        try object.loadState(try stateBytes(buf, size))
    }
}

/// The bytes handed to a load.
func stateBytes(_ buf: UnsafeRawPointer?, _ size: Int) throws(GradientDescentError) -> UnsafeRawBufferPointer {
    let buf = try required(buf, "buf")
    if size < 0 {
        throw GradientDescentError(.badState, "size is \(UInt(bitPattern: size)) bytes, more than any state")
    }
    return UnsafeRawBufferPointer(start: buf, count: size)
}
