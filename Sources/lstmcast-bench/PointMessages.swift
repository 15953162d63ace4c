import Foundation

/// The payload forms of docs/protocol.md that the ingest benchmarks send.
enum PayloadFormat: String, CaseIterable {
    case text
    case json
}

/// Builds `[series, payload]` messages for a set of series named s0, s1, …,
/// one second apart per series, starting far enough in the past that no
/// point trips the daemon's `sampling.max_future_seconds` check.
///
/// Point `index` of a round-robin stream belongs to series `index % seriesCount`
/// and is that series' step `index / seriesCount`, so a receiver can recover
/// the index from a forecast's series and timestamp alone.
struct PointMessages {
    let format: PayloadFormat
    let seriesCount: Int
    let firstTimestamp: Int
    private let topics: [[UInt8]]

    /// `stepsPerSeries` is the maximum number of points any one series gets.
    init(format: PayloadFormat, seriesCount: Int, stepsPerSeries: Int) {
        precondition(seriesCount > 0, "at least one series")
        self.format = format
        self.seriesCount = seriesCount
        let now = Int(Date().timeIntervalSince1970)
        // An hour of margin keeps the newest point in the past even if the
        // daemon's clock and this one disagree by minutes.
        firstTimestamp = now - stepsPerSeries - 3600
        topics = (0..<seriesCount).map { Array("s\($0)".utf8) }
    }

    static func seriesName(_ series: Int) -> String { "s\(series)" }

    func timestamp(step: Int) -> Int { firstTimestamp + step }

    /// Returns the stream index of a series' point with this timestamp, or nil if no such point exists.
    func index(series: Int, timestamp: Int) -> Int? {
        let step = timestamp - firstTimestamp
        guard step >= 0, series >= 0, series < seriesCount else { return nil }
        return step * seriesCount + series
    }

    func message(index: Int) -> [[UInt8]] {
        let series = index % seriesCount
        let step = index / seriesCount
        return [topics[series], payload(series: series, step: step)]
    }

    /// Returns the payload of one point. Its value is a slow sawtooth from
    /// 20.0 to 29.9, offset per series, so windows are not constant. The value
    /// is kept in tenths and written by hand because String(format:) would
    /// cost more per message than libzmq's own send.
    func payload(series: Int, step: Int) -> [UInt8] {
        let tenths = 200 + (step + series * 7) % 100
        var bytes: [UInt8] = []
        bytes.reserveCapacity(40)
        switch format {
        case .text:
            Self.appendInteger(timestamp(step: step), to: &bytes)
            bytes.append(UInt8(ascii: " "))
            Self.appendTenths(tenths, to: &bytes)
        case .json:
            bytes.append(contentsOf: Self.jsonOpening)
            Self.appendInteger(timestamp(step: step), to: &bytes)
            bytes.append(contentsOf: Self.jsonMiddle)
            Self.appendTenths(tenths, to: &bytes)
            bytes.append(UInt8(ascii: "}"))
        }
        return bytes
    }

    private static let jsonOpening = Array("{\"ts\":".utf8)
    private static let jsonMiddle = Array(",\"value\":".utf8)

    private static func appendInteger(_ value: Int, to bytes: inout [UInt8]) {
        precondition(value >= 0, "timestamps here are positive epoch seconds")
        var width = 1
        var scale = 10
        while scale <= value {
            width += 1
            scale *= 10
        }
        let end = bytes.count + width
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
        var rest = value
        for position in stride(from: end - 1, through: end - width, by: -1) {
            bytes[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }

    private static func appendTenths(_ tenths: Int, to bytes: inout [UInt8]) {
        appendInteger(tenths / 10, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        bytes.append(UInt8(ascii: "0") + UInt8(tenths % 10))
    }
}

/// Rejects any endpoint other than ipc:// paths and loopback TCP, because
/// these benchmarks flood whatever they are pointed at.
enum LocalEndpoint {
    static func check(_ endpoint: String, option: String) throws {
        let loopbackPrefixes = ["tcp://127.0.0.1:", "tcp://[::1]:", "tcp://localhost:"]
        if endpoint.hasPrefix("ipc://") && endpoint.count > "ipc://".count { return }
        if loopbackPrefixes.contains(where: { endpoint.hasPrefix($0) }) { return }
        throw UsageError(
            message: "\(option) must be an ipc:// path or a tcp:// endpoint on 127.0.0.1, [::1] or localhost, got '\(endpoint)'")
    }
}
