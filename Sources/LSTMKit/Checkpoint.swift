import Foundation

/// One series' learned state: its window of points and, once trained, its
/// model (weights, scaler, training summary).
///
/// Layout, all integers little-endian:
///
///     0   8 bytes   magic "LSTMCKPT"
///     8   UInt32    format version (1)
///     12  UInt32    header length H
///     16  H bytes   header, JSON (`Checkpoint.Header`)
///     …   4·P bytes the model's P float32 weights, in `LSTMModel`'s flat order
///     …   UInt32    CRC-32 of every byte before it
public struct Checkpoint: Sendable {
    public static let magic = Array("LSTMCKPT".utf8)
    public static let formatVersion: UInt32 = 1

    public struct Header: Codable, Sendable, Equatable {
        public var series: String
        public var savedAt: Double
        public var timestamps: [Double]
        public var values: [Double]
        /// Points appended to the series over its life, kept across restarts.
        public var pointsAppended: Int
        public var model: ModelHeader?
    }

    public struct ModelHeader: Codable, Sendable, Equatable {
        public var version: Int
        public var specification: ModelSpecification
        public var architecture: ModelArchitecture
        public var scaler: SeriesScaler
        public var trainedAt: Double
        public var pointCount: Int
        public var epochs: Int
        public var trainingLoss: Float
        public var validationLoss: Float?
        public var trainingSeconds: Double
        public var trainingWindows: Int
        public var validationWindows: Int
        public var parameterCount: Int
        /// Absent in checkpoints written before intervals existed.
        public var calibrationErrors: [[Double]]?
        public var lastValueCalibrationErrors: [[Double]]?
        /// Seasonal naive backtest errors keyed by period in points, as strings for JSON.
        public var seasonalCalibrationErrors: [String: [[Double]]]?
        /// Seasonal naive moved to the current level, by period; missing in checkpoints of earlier versions.
        public var seasonalLevelCalibrationErrors: [String: [[Double]]]?
        /// The simple method chosen across the training window, by name; missing in checkpoints of earlier versions.
        public var simpleMethodFromWindow: String?
    }

    public var header: Header
    public var parameters: [Float]

    public init(header: Header, parameters: [Float]) {
        self.header = header
        self.parameters = parameters
    }

    /// Builds the checkpoint of a series with an optional trained model.
    public init(
        series: String, timestamps: [Double], values: [Double], pointsAppended: Int,
        model: SeriesModel?, modelVersion: Int, savedAt: Date = Date()
    ) {
        var modelHeader: ModelHeader?
        if let model {
            modelHeader = ModelHeader(
                version: modelVersion, specification: model.specification, architecture: model.network.architecture,
                scaler: model.scaler, trainedAt: model.trainedAt.timeIntervalSince1970, pointCount: model.pointCount,
                epochs: model.report.epochsRun, trainingLoss: model.report.trainingLoss,
                validationLoss: model.report.validationLoss, trainingSeconds: model.report.seconds,
                trainingWindows: model.report.trainingWindows, validationWindows: model.report.validationWindows,
                parameterCount: model.network.parameters.count, calibrationErrors: model.calibrationErrors,
                lastValueCalibrationErrors: model.lastValueCalibrationErrors,
                seasonalCalibrationErrors: Dictionary(
                    uniqueKeysWithValues: model.seasonalCalibrationErrors.map { ("\($0.key)", $0.value) }),
                seasonalLevelCalibrationErrors: Dictionary(
                    uniqueKeysWithValues: model.seasonalLevelCalibrationErrors.map { ("\($0.key)", $0.value) }),
                simpleMethodFromWindow: model.simpleMethodFromWindow?.name)
        }
        header = Header(
            series: series, savedAt: savedAt.timeIntervalSince1970, timestamps: timestamps, values: values,
            pointsAppended: pointsAppended, model: modelHeader)
        parameters = model?.network.parameters.array ?? []
    }

    /// Rebuilds the trained model, or nil when the checkpoint has none.
    public func restoreModel() -> SeriesModel? {
        guard let info = header.model else { return nil }
        let network = LSTMModel(architecture: info.architecture, parameters: parameters)
        let report = TrainingReport(
            epochsRun: info.epochs, trainingLoss: info.trainingLoss, validationLoss: info.validationLoss,
            trainingWindows: info.trainingWindows, validationWindows: info.validationWindows,
            seconds: info.trainingSeconds, lossHistory: [], cancelled: false)
        let model = SeriesModel(
            specification: info.specification, scaler: info.scaler, network: network, report: report,
            trainedAt: Date(timeIntervalSince1970: info.trainedAt), pointCount: info.pointCount)
        model.calibrationErrors = info.calibrationErrors ?? []
        model.lastValueCalibrationErrors = info.lastValueCalibrationErrors ?? []
        for (key, errors) in info.seasonalCalibrationErrors ?? [:] {
            if let period = Int(key) { model.seasonalCalibrationErrors[period] = errors }
        }
        for (key, errors) in info.seasonalLevelCalibrationErrors ?? [:] {
            if let period = Int(key) { model.seasonalLevelCalibrationErrors[period] = errors }
        }
        model.simpleMethodFromWindow = info.simpleMethodFromWindow.flatMap { ForecastMethod(name: $0) }
        return model
    }

    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let headerBytes = [UInt8](try encoder.encode(header))
        var bytes = Self.magic
        bytes.reserveCapacity(20 + headerBytes.count + 4 * parameters.count)
        append(Self.formatVersion, to: &bytes)
        append(UInt32(headerBytes.count), to: &bytes)
        bytes += headerBytes
        for value in parameters { append(value.bitPattern, to: &bytes) }
        append(CRC32.checksum(bytes), to: &bytes)
        return bytes
    }

    /// Decodes and verifies a checkpoint; every inconsistency is a `CheckpointError`.
    public static func decode(_ bytes: [UInt8]) throws -> Checkpoint {
        guard bytes.count >= 20 else { throw CheckpointError.truncated(size: bytes.count) }
        guard Array(bytes[0..<8]) == magic else { throw CheckpointError.notACheckpoint }
        let stored = readUInt32(bytes, at: bytes.count - 4)
        let computed = CRC32.checksum(bytes[0..<(bytes.count - 4)])
        guard stored == computed else { throw CheckpointError.checksumMismatch(stored: stored, computed: computed) }
        let version = readUInt32(bytes, at: 8)
        guard version == formatVersion else { throw CheckpointError.unsupportedVersion(version) }
        let headerLength = Int(readUInt32(bytes, at: 12))
        guard 16 + headerLength + 4 <= bytes.count else { throw CheckpointError.truncated(size: bytes.count) }

        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes[16..<(16 + headerLength)]))
        } catch {
            throw CheckpointError.invalidHeader("\(error)")
        }
        let parameterBytes = bytes.count - 4 - (16 + headerLength)
        let expected = header.model?.parameterCount ?? 0
        guard parameterBytes == 4 * expected else {
            throw CheckpointError.invalidHeader("expected \(expected) weights, found \(parameterBytes) bytes")
        }
        if let model = header.model, model.architecture.parameterCount != expected {
            throw CheckpointError.invalidHeader(
                "architecture needs \(model.architecture.parameterCount) weights, header says \(expected)")
        }
        guard header.timestamps.count == header.values.count else {
            throw CheckpointError.invalidHeader("\(header.timestamps.count) timestamps for \(header.values.count) values")
        }
        var parameters = [Float](repeating: 0, count: expected)
        for index in 0..<expected {
            parameters[index] = Float(bitPattern: readUInt32(bytes, at: 16 + headerLength + 4 * index))
        }
        return Checkpoint(header: header, parameters: parameters)
    }
}

public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    case truncated(size: Int)
    case notACheckpoint
    case checksumMismatch(stored: UInt32, computed: UInt32)
    case unsupportedVersion(UInt32)
    case invalidHeader(String)

    public var description: String {
        switch self {
        case .truncated(let size): return "checkpoint is truncated (\(size) bytes)"
        case .notACheckpoint: return "file does not start with the checkpoint magic LSTMCKPT"
        case .checksumMismatch(let stored, let computed):
            return String(format: "checksum mismatch (stored %08x, computed %08x); the file is corrupt", stored, computed)
        case .unsupportedVersion(let version): return "checkpoint format version \(version) is not supported (expected \(Checkpoint.formatVersion))"
        case .invalidHeader(let reason): return "checkpoint header is invalid: \(reason)"
        }
    }
}

private func append(_ value: UInt32, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
}

private func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
}
