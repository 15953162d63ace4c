/// A fixed-size block of `Float`s with a stable address.
///
/// The training loop works on raw pointers into these blocks so that no
/// array bounds check, retain or copy-on-write happens inside the time loop.
public final class FloatBuffer: @unchecked Sendable {
    public let count: Int
    public let base: UnsafeMutablePointer<Float>

    public init(count: Int) {
        precondition(count >= 0, "FloatBuffer count must not be negative")
        self.count = count
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: 0, count: max(count, 1))
    }

    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { source in
            if let address = source.baseAddress { base.update(from: address, count: values.count) }
        }
    }

    deinit {
        base.deallocate()
    }

    public subscript(index: Int) -> Float {
        get {
            precondition(index >= 0 && index < count, "FloatBuffer index \(index) out of range 0..<\(count)")
            return base[index]
        }
        set {
            precondition(index >= 0 && index < count, "FloatBuffer index \(index) out of range 0..<\(count)")
            base[index] = newValue
        }
    }

    public func zero() {
        base.update(repeating: 0, count: count)
    }

    public func copy(from other: FloatBuffer) {
        precondition(other.count == count, "FloatBuffer copy between sizes \(other.count) and \(count)")
        base.update(from: other.base, count: count)
    }

    public func copy() -> FloatBuffer {
        let result = FloatBuffer(count: count)
        result.copy(from: self)
        return result
    }

    public var array: [Float] {
        Array(UnsafeBufferPointer(start: base, count: count))
    }
}
