import Forecasting
import Foundation

/// A `timestamp,value` CSV file read into memory.
struct CSVSeries {
    var timestamps: [Double] = []
    var values: [Double] = []
    /// The file line of each row, for messages.
    var lines: [Int] = []

    /// Reads the file; the header must be `timestamp,value`, timestamps are
    /// epoch seconds or RFC 3339, and every problem names its line.
    static func read(path: String) throws -> CSVSeries {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw CommandFailure(message: "cannot read \(path): this is a folder, not a CSV file")
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CommandFailure(message: "cannot read \(path): \(error.localizedDescription)")
        }
        var series = CSVSeries()
        var sawHeader = false
        // Swift reads "\r\n" as one character, so splitting on "\n" alone would miss Windows line ends.
        for (offset, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
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
                throw CommandFailure(
                    message: "\(path):\(number): invalid timestamp '\(fields[0])'; write epoch seconds or an RFC 3339 "
                        + "date-time between the years 1 and 9999")
            }
            guard let value = Double(fields[1].trimmingCharacters(in: .whitespaces)), value.isFinite else {
                throw CommandFailure(message: "\(path):\(number): '\(fields[1])' is not a finite number")
            }
            series.timestamps.append(timestamp)
            series.values.append(value)
            series.lines.append(number)
        }
        guard sawHeader else { throw CommandFailure(message: "\(path): the file is empty; expected a 'timestamp,value' header") }
        guard !series.values.isEmpty else {
            throw CommandFailure(message: "\(path): the file has a header but no data rows; add 'timestamp,value' lines")
        }
        return series
    }

    /// Throws unless the timestamps increase from row to row, as training
    /// requires. With `allowRepeats` a row may repeat the previous timestamp,
    /// which the daemon takes as a correction of that point's value.
    func checkIncreasing(path: String, allowRepeats: Bool = false) throws {
        for index in timestamps.indices.dropFirst() {
            let earlier = timestamps[index] < timestamps[index - 1]
            guard earlier || (!allowRepeats && timestamps[index] == timestamps[index - 1]) else { continue }
            let problem = allowRepeats
                ? "is earlier than the previous row's \(timestamps[index - 1]); sort the file by time, "
                    + "since lstmcastd would reject this row as out_of_order"
                : "is not after the previous row's \(timestamps[index - 1]); sort the file by time and remove "
                    + "repeated timestamps"
            throw CommandFailure(message: "\(path):\(lines[index]): timestamp \(timestamps[index]) \(problem)")
        }
    }
}
