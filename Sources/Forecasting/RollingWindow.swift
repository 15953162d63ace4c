/// The newest `capacity` points of a series in a ring buffer, so appending
/// never moves the older points and memory stays bounded by the window.
public struct RollingWindow: Sendable {
    public let capacity: Int
    private var timestamps: [Double]
    private var values: [Double]
    private var start = 0
    public private(set) var count = 0

    public init(capacity: Int) {
        precondition(capacity > 0, "a window holds at least one point")
        self.capacity = capacity
        timestamps = [Double](repeating: 0, count: capacity)
        values = [Double](repeating: 0, count: capacity)
    }

    private func slot(_ position: Int) -> Int {
        (start + position) % capacity
    }

    public mutating func append(timestamp: Double, value: Double) {
        if count < capacity {
            timestamps[slot(count)] = timestamp
            values[slot(count)] = value
            count += 1
        } else {
            timestamps[start] = timestamp
            values[start] = value
            start = (start + 1) % capacity
        }
    }

    /// Replaces the newest value, for a point that repeats the last timestamp.
    public mutating func replaceLast(value: Double) {
        precondition(count > 0, "replaceLast on an empty window")
        values[slot(count - 1)] = value
    }

    public var firstTimestamp: Double? {
        count == 0 ? nil : timestamps[slot(0)]
    }

    public var last: (timestamp: Double, value: Double)? {
        count == 0 ? nil : (timestamps[slot(count - 1)], values[slot(count - 1)])
    }

    /// Returns the newest `n` values, oldest first.
    public func suffixValues(_ n: Int) -> [Double] {
        let taken = min(n, count)
        return (count - taken..<count).map { values[slot($0)] }
    }

    /// Returns the newest `n` timestamps, oldest first.
    public func suffixTimestamps(_ n: Int) -> [Double] {
        let taken = min(n, count)
        return (count - taken..<count).map { timestamps[slot($0)] }
    }

    public var allValues: [Double] { suffixValues(count) }

    /// Returns the points after `timestamp`, oldest first, at most the newest `limit`.
    public func points(after timestamp: Double, limit: Int) -> [(timestamp: Double, value: Double)] {
        var newer = 0
        while newer < min(limit, count), timestamps[slot(count - 1 - newer)] > timestamp { newer += 1 }
        return (count - newer..<count).map { (timestamps[slot($0)], values[slot($0)]) }
    }

    /// Returns the median spacing of the newest `sample` timestamps, or nil with fewer than two points.
    public func medianInterval(sample: Int = 64) -> Double? {
        let recent = suffixTimestamps(sample + 1)
        guard recent.count >= 2 else { return nil }
        let gaps = zip(recent.dropFirst(), recent).map { $0 - $1 }.sorted()
        let middle = gaps.count / 2
        return gaps.count % 2 == 1 ? gaps[middle] : (gaps[middle - 1] + gaps[middle]) / 2
    }
}
