import Forecasting
import Foundation

/// A `timestamp,value` CSV file read into memory.
struct CSVSeries {
    var timestamps: [Double] = []
    var values: [Double] = []

    /// Reads the file; the header must be `timestamp,value`, timestamps are
    /// epoch seconds or RFC 3339, and every problem names its line.
    static func read(path: String) throws -> CSVSeries {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CommandFailure(message: "cannot read \(path): \(error.localizedDescription)")
        }
        var series = CSVSeries()
        var sawHeader = false
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            let number = offset + 1
            if line.isEmpty { continue }
            if !sawHeader {
                guard line.lowercased() == "timestamp,value" else {
                    throw CommandFailure(message: "\(path):\(number): expected the header 'timestamp,value', got '\(line)'")
                }
                sawHeader = true
                continue
            }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 2 else {
                throw CommandFailure(message: "\(path):\(number): expected 'timestamp,value', got '\(line)'")
            }
            guard let timestamp = parseTimestamp(text: String(fields[0]).trimmingCharacters(in: .whitespaces)) else {
                throw CommandFailure(message: "\(path):\(number): '\(fields[0])' is neither epoch seconds nor RFC 3339")
            }
            guard let value = Double(fields[1].trimmingCharacters(in: .whitespaces)), value.isFinite else {
                throw CommandFailure(message: "\(path):\(number): '\(fields[1])' is not a finite number")
            }
            series.timestamps.append(timestamp)
            series.values.append(value)
        }
        guard sawHeader else { throw CommandFailure(message: "\(path): the file is empty; expected a 'timestamp,value' header") }
        guard !series.values.isEmpty else {
            throw CommandFailure(message: "\(path): the file has a header but no data rows; add 'timestamp,value' lines")
        }
        return series
    }
}
