/// The byte format of saved states (optimizer, schedule, run), versioned and self-describing.
///
/// Every field is little-endian with a fixed width, whatever the machine; doubles are their
/// IEEE-754 bits. A blob is a 32-byte header and a body:
///
///     offset  0  magic       8 bytes "GDSTATE\0"
///             8  version     u32, 1
///            12  kind        u32: 1 optimizer, 2 schedule, 3 run state
///            16  size        u64, bytes in the whole blob
///            24  checksum    u32, CRC-32 (zlib's) of the body, bytes 32..<size
///            28  reserved    u32, 0
///            32  body        the kind's fields, in the order its encoder writes them
///
/// Strings are a u32 byte count and UTF-8 bytes; arrays of doubles a u64 count and the
/// values. Loading checks the header (the reserved field included), the size, the checksum,
/// every count and every value a later step relies on before it changes anything, and fails
/// with `.badState`.
enum StateBlob {
    static let magic: [UInt8] = Array("GDSTATE".utf8) + [0]
    static let version: UInt32 = 1
    static let headerSize = 32
    /// Longest string field accepted (names and keys are short).
    static let maximumStringLength = 4096

    enum Kind: UInt32 {
        case optimizer = 1, schedule = 2, runState = 3

        var text: String {
            switch self {
            case .optimizer: "an optimizer state"
            case .schedule: "a schedule state"
            case .runState: "a run state"
            }
        }
    }

    /// The size of the blob `body` writes.
    static func size(_ body: (inout BlobWriter) -> Void) -> Int {
        var writer = BlobWriter(destination: nil)
        body(&writer)
        return headerSize + writer.count
    }

    /// Writes header and body into `destination`, which holds at least `size(body)` bytes;
    /// returns the bytes written.
    static func write(_ kind: Kind, into destination: UnsafeMutableRawBufferPointer,
                      _ body: (inout BlobWriter) -> Void) -> Int {
        var writer = BlobWriter(destination: destination)
        writer.bytes(magic)
        writer.u32(version)
        writer.u32(kind.rawValue)
        writer.u64(0) // size, patched below
        writer.u32(0) // checksum, patched below
        writer.u32(0)
        body(&writer)
        let size = writer.count
        let checksum = CRC32.checksum(UnsafeRawBufferPointer(rebasing: destination[headerSize..<size]))
        destination.storeBytes(of: UInt64(size).littleEndian, toByteOffset: 16, as: UInt64.self)
        destination.storeBytes(of: checksum.littleEndian, toByteOffset: 24, as: UInt32.self)
        return size
    }

    /// Writes into a caller's buffer, which must hold `size(body)` bytes (`.invalidArgument`
    /// otherwise); returns the bytes written.
    static func save(_ kind: Kind, into destination: UnsafeMutableRawBufferPointer,
                     _ body: (inout BlobWriter) -> Void) throws(GradientDescentError) -> Int {
        let needed = size(body)
        if destination.count < needed {
            throw GradientDescentError(.invalidArgument, "the buffer has \(destination.count) bytes; the state needs \(needed)")
        }
        return write(kind, into: destination, body)
    }

    /// The blob as a new array.
    static func bytes(_ kind: Kind, _ body: (inout BlobWriter) -> Void) -> [UInt8] {
        let count = size(body)
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = write(kind, into: UnsafeMutableRawBufferPointer(buffer), body)
        }
    }

    /// Checks the header of a blob of `kind` and returns a reader over its body.
    static func open(_ blob: UnsafeRawBufferPointer, as kind: Kind) throws(GradientDescentError) -> BlobReader {
        guard blob.count >= headerSize else {
            throw GradientDescentError(.badState, "the state is truncated: \(blob.count) bytes, a header alone has \(headerSize)")
        }
        guard blob.prefix(magic.count).elementsEqual(magic) else {
            throw GradientDescentError(.badState, "not a gradient_descent state (the magic bytes differ)")
        }
        let version = UInt32(littleEndian: blob.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        if version != StateBlob.version {
            throw GradientDescentError(.badState,
                "the state has format version \(version); this library reads version \(StateBlob.version)")
        }
        let rawKind = UInt32(littleEndian: blob.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
        guard let savedKind = Kind(rawValue: rawKind) else {
            throw GradientDescentError(.badState, "the state has an unknown kind \(rawKind)")
        }
        if savedKind != kind {
            throw GradientDescentError(.badState, "the bytes are \(savedKind.text), not \(kind.text)")
        }
        let size = UInt64(littleEndian: blob.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        if size != UInt64(blob.count) {
            let problem = size > UInt64(blob.count) ? "truncated" : "followed by extra bytes"
            throw GradientDescentError(.badState,
                "the state is \(problem): its header says \(size) bytes, \(blob.count) were given")
        }
        let checksum = UInt32(littleEndian: blob.loadUnaligned(fromByteOffset: 24, as: UInt32.self))
        let reserved = UInt32(littleEndian: blob.loadUnaligned(fromByteOffset: 28, as: UInt32.self))
        if reserved != 0 {
            throw GradientDescentError(.badState, "the state's reserved header field is \(hex(reserved)); it must be 0")
        }
        let body = UnsafeRawBufferPointer(rebasing: blob[headerSize...])
        let actual = CRC32.checksum(body)
        if actual != checksum {
            throw GradientDescentError(.badState,
                "the state is corrupted: its checksum is \(hex(checksum)), its body's is \(hex(actual))")
        }
        return BlobReader(body)
    }

    private static func hex(_ value: UInt32) -> String {
        "0x" + String(value, radix: 16)
    }
}

/// Appends fixed-width little-endian fields; with no destination it only counts bytes.
struct BlobWriter {
    private let destination: UnsafeMutableRawBufferPointer?
    private(set) var count = 0

    init(destination: UnsafeMutableRawBufferPointer?) {
        self.destination = destination
    }

    mutating func bytes(_ values: [UInt8]) {
        if let destination {
            for (i, byte) in values.enumerated() { destination[count + i] = byte }
        }
        count += values.count
    }

    mutating func u32(_ value: UInt32) {
        destination?.storeBytes(of: value.littleEndian, toByteOffset: count, as: UInt32.self)
        count += 4
    }

    mutating func u64(_ value: UInt64) {
        destination?.storeBytes(of: value.littleEndian, toByteOffset: count, as: UInt64.self)
        count += 8
    }

    mutating func int(_ value: Int) { u64(UInt64(value)) }

    mutating func bool(_ value: Bool) { u64(value ? 1 : 0) }

    mutating func f64(_ value: Double) { u64(value.bitPattern) }

    mutating func string(_ value: String) {
        let utf8 = Array(value.utf8)
        u32(UInt32(utf8.count))
        bytes(utf8)
    }

    /// A u64 count, then the values.
    mutating func doubles(_ values: UnsafeBufferPointer<Double>) {
        u64(UInt64(values.count))
        if let destination, let start = destination.baseAddress, let base = values.baseAddress, !values.isEmpty {
            #if _endian(little)
            (start + count).copyMemory(from: base, byteCount: values.count * 8)
            #else
            _ = start
            for (i, value) in values.enumerated() {
                destination.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: count + 8 * i, as: UInt64.self)
            }
            #endif
        }
        count += values.count * 8
    }
}

/// Reads the fields BlobWriter writes, failing with `.badState` instead of reading past the end.
struct BlobReader {
    private let body: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(_ body: UnsafeRawBufferPointer) {
        self.body = body
    }

    private mutating func take(_ byteCount: Int, _ what: String) throws(GradientDescentError) -> Int {
        guard byteCount >= 0, byteCount <= body.count - offset else {
            throw GradientDescentError(.badState, "the state ends inside \(what) (at byte \(StateBlob.headerSize + offset))")
        }
        defer { offset += byteCount }
        return offset
    }

    mutating func u32(_ what: String) throws(GradientDescentError) -> UInt32 {
        let at = try take(4, what)
        return UInt32(littleEndian: body.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }

    mutating func u64(_ what: String) throws(GradientDescentError) -> UInt64 {
        let at = try take(8, what)
        return UInt64(littleEndian: body.loadUnaligned(fromByteOffset: at, as: UInt64.self))
    }

    /// A count or index that must fit an Int and be at most `limit`.
    mutating func int(_ what: String, limit: Int = Int.max) throws(GradientDescentError) -> Int {
        let value = try u64(what)
        guard value <= UInt64(limit) else {
            throw GradientDescentError(.badState, "\(what) is \(value), more than \(limit)")
        }
        return Int(value)
    }

    mutating func bool(_ what: String) throws(GradientDescentError) -> Bool {
        switch try u64(what) {
        case 0: return false
        case 1: return true
        case let other: throw GradientDescentError(.badState, "\(what) must be 0 or 1, got \(other)")
        }
    }

    mutating func f64(_ what: String) throws(GradientDescentError) -> Double {
        Double(bitPattern: try u64(what))
    }

    mutating func string(_ what: String) throws(GradientDescentError) -> String {
        let length = Int(try u32(what))
        guard length <= StateBlob.maximumStringLength else {
            throw GradientDescentError(.badState, "\(what) is \(length) bytes long, more than \(StateBlob.maximumStringLength)")
        }
        let at = try take(length, what)
        return String(decoding: UnsafeRawBufferPointer(rebasing: body[at..<(at + length)]), as: UTF8.self)
    }

    /// A u64 count that must equal `expected`, then that many doubles, returned as a view
    /// into the blob for `copyDoubles`.
    mutating func doubles(_ what: String, expected: Int) throws(GradientDescentError) -> UnsafeRawBufferPointer {
        let count = try u64("the length of \(what)")
        if count != UInt64(expected) {
            throw GradientDescentError(.badState, "\(what) has \(count) values, expected \(expected)")
        }
        let at = try take(expected * 8, what)
        return UnsafeRawBufferPointer(rebasing: body[at..<(at + expected * 8)])
    }

    /// True when every byte of the body has been read (optional trailing sections).
    var isAtEnd: Bool { offset == body.count }

    /// The body must end here.
    /// Bytes not read yet.
    var remaining: Int { body.count - offset }

    func finish() throws(GradientDescentError) {
        if offset != body.count {
            throw GradientDescentError(.badState, "the state has \(body.count - offset) unexpected bytes at its end")
        }
    }
}

extension BlobWriter {
    /// A u32 count, then (key, value) per hyper-parameter.
    mutating func hyperparameters(_ h: Hyperparameters) {
        u32(UInt32(h.specifications.count))
        for (specification, value) in zip(h.specifications, h.values) {
            string(specification.key)
            f64(value)
        }
    }
}

extension BlobReader {
    /// Hyper-parameters written by `BlobWriter.hyperparameters`, set on a copy of `current`
    /// (keys the blob lacks keep their values); `.badState` for an unknown key or a value out
    /// of its range. A key's default is always accepted: a required key that was never set
    /// holds its "unset" default (0), which its range excludes, and such a state must load.
    mutating func hyperparameters(over current: Hyperparameters) throws(GradientDescentError) -> Hyperparameters {
        var loaded = current
        let count = Int(try u32("the number of keys"))
        if count > 1024 {
            throw GradientDescentError(.badState, "the state lists \(count) keys")
        }
        for _ in 0..<count {
            let key = try string("a key")
            let value = try f64("the value of \(key)")
            do {
                try loaded.set(key, to: value, acceptingDefault: true)
            } catch {
                throw GradientDescentError(.badState, "the state does not fit this \(current.owner): \(error.message)")
            }
        }
        return loaded
    }
}

/// The largest counter (steps, iterations, ...) a saved state may hold: far beyond any run
/// (146 years of one step a nanosecond). Counters saturate there (`countOne`), so a state
/// loaded at the limit and stepped on still saves a blob that loads, and nothing overflows.
let savedCounterLimit: UInt64 = 1 << 62

extension UInt64 {
    /// Adds one, saturating at `savedCounterLimit`.
    @inline(__always)
    mutating func countOne() {
        self = Swift.min(self &+ 1, savedCounterLimit)
    }
}

extension Int {
    /// Adds one, saturating at `savedCounterLimit`.
    @inline(__always)
    mutating func countOne() {
        self = Swift.min(self &+ 1, Int(savedCounterLimit))
    }
}

/// Copies doubles saved by BlobWriter into `destination` (which holds bytes.count / 8 values).
func copyDoubles(_ bytes: UnsafeRawBufferPointer, to destination: UnsafeMutablePointer<Double>) {
    #if _endian(little)
    if let base = bytes.baseAddress {
        UnsafeMutableRawPointer(destination).copyMemory(from: base, byteCount: bytes.count)
    }
    #else
    for i in 0..<(bytes.count / 8) {
        destination[i] = Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
    }
    #endif
}
