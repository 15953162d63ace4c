import Configuration
import Forecasting
import Foundation

/// Renders the daemon's counters in Prometheus's text exposition format and
/// writes them for node_exporter's textfile collector.
///
/// The file is written to a temporary name in the same folder and renamed,
/// so the collector never reads half a file.
struct MetricsExporter {
    struct Snapshot {
        var series: [SeriesState]
        var rejections: [RejectionReason: Int]
        var forecastsPublished: Int
        var reloadsSucceeded: Int
        var reloadsFailed: Int
        var lastReloadAt: Date?
        var lastReloadSucceeded = false
        var checkpointsWritten: Int
        var checkpointsFailed: Int
        var checkpointsPending = 0
        var inputReconnects = 0
        var trainingsActive: Int
        var startedAt: Date
    }

    let settings: MetricsSettings

    struct Sample {
        let labels: String
        let value: Double

        init(_ labels: String, _ value: Double) {
            self.labels = labels
            self.value = value
        }
    }

    /// The text being built, one metric family at a time.
    private struct Text {
        var out = ""

        mutating func family(_ name: String, _ type: String, _ help: String, _ samples: [Sample]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples { out += "\(name)\(sample.labels) \(MetricsExporter.format(sample.value))\n" }
        }
    }

    func render(_ snapshot: Snapshot, now: Date = Date()) -> String {
        var text = Text()
        let shown = Array(snapshot.series.sorted { $0.name < $1.name }.prefix(settings.maxSeries))

        // One pass over the series fills every per-series family.
        var received: [Sample] = []
        var filled: [Sample] = []
        var published: [Sample] = []
        var failures: [Sample] = []
        var versions: [Sample] = []
        var ages: [Sample] = []
        var durations: [Sample] = []
        var trainingLosses: [Sample] = []
        var validationLosses: [Sample] = []
        var skills: [Sample] = []
        for state in shown {
            let label = "{series=\"\(Self.escape(state.name))\"}"
            received.append(Sample(label, Double(state.pointsAccepted)))
            filled.append(Sample(label, Double(state.pointsFilled)))
            published.append(Sample(label, Double(state.forecastsPublished)))
            failures.append(Sample(label, Double(state.trainingFailures)))
            if let info = state.modelInfo {
                versions.append(Sample(label, Double(info.version)))
                ages.append(Sample(label, now.timeIntervalSince1970 - info.trainedAt))
                durations.append(Sample(label, info.trainingSeconds))
                trainingLosses.append(Sample(label, info.trainingLoss))
                if let loss = info.validationLoss { validationLosses.append(Sample(label, loss)) }
            }
            if let skill = state.accuracy.skill { skills.append(Sample(label, skill)) }
        }

        text.family("lstmcast_points_received_total", "counter", "Points accepted per series.", received)
        text.family("lstmcast_points_filled_total", "counter", "Points interpolated into short gaps per series.", filled)
        text.family("lstmcast_points_rejected_total", "counter", "Input messages rejected, by reason.",
            RejectionReason.allCases.map { Sample("{reason=\"\($0.rawValue)\"}", Double(snapshot.rejections[$0] ?? 0)) })
        text.family("lstmcast_forecasts_published_total", "counter", "Forecasts published per series.", published)
        text.family("lstmcast_training_failures_total", "counter", "Failed trainings per series.", failures)
        text.family("lstmcast_model_version", "gauge", "Version of the model in use per series.", versions)
        text.family("lstmcast_model_age_seconds", "gauge", "Seconds since the model in use finished training.", ages)
        text.family("lstmcast_training_duration_seconds", "gauge", "Wall-clock seconds of the last training per series.",
            durations)
        text.family("lstmcast_training_loss", "gauge", "Final training loss of the model in use (scaled units).",
            trainingLosses)
        text.family("lstmcast_validation_loss", "gauge", "Validation loss of the model in use (scaled units).",
            validationLosses)
        text.family("lstmcast_forecast_skill", "gauge", "1 - MAE / last-value MAE of scored forecasts per series.", skills)
        text.family("lstmcast_series", "gauge", "Series tracked.", [Sample("", Double(snapshot.series.count))])
        text.family("lstmcast_metrics_series_omitted", "gauge", "Series left out of per-series metrics by metrics.max_series.",
            [Sample("", Double(max(0, snapshot.series.count - settings.maxSeries)))])
        text.family("lstmcast_trainings_active", "gauge", "Trainings queued or running.", [Sample("", Double(snapshot.trainingsActive))])
        text.family("lstmcast_forecasts_published_all_total", "counter", "Forecasts published across all series.",
            [Sample("", Double(snapshot.forecastsPublished))])
        text.family("lstmcast_reloads_total", "counter", "Configuration reloads by result.",
            [Sample("{result=\"success\"}", Double(snapshot.reloadsSucceeded)),
             Sample("{result=\"failure\"}", Double(snapshot.reloadsFailed))])
        if let at = snapshot.lastReloadAt {
            text.family("lstmcast_last_reload_timestamp_seconds", "gauge", "When the last reload ran, epoch seconds.",
                [Sample("", at.timeIntervalSince1970)])
            text.family("lstmcast_last_reload_success", "gauge", "1 if the last reload succeeded, else 0.",
                [Sample("", snapshot.lastReloadSucceeded ? 1 : 0)])
        }
        text.family("lstmcast_checkpoints_written_total", "counter", "Checkpoints written.",
            [Sample("", Double(snapshot.checkpointsWritten))])
        text.family("lstmcast_checkpoint_failures_total", "counter", "Checkpoint writes that failed.",
            [Sample("", Double(snapshot.checkpointsFailed))])
        text.family("lstmcast_checkpoints_pending", "gauge", "Checkpoints queued for writing.",
            [Sample("", Double(snapshot.checkpointsPending))])
        text.family("lstmcast_input_reconnects_total", "counter",
            "Input endpoints connected again after libzmq closed them for good.",
            [Sample("", Double(snapshot.inputReconnects))])
        text.family("lstmcast_start_time_seconds", "gauge", "When the daemon started, epoch seconds.",
            [Sample("", snapshot.startedAt.timeIntervalSince1970)])
        return text.out
    }

    /// Writes `text` to the textfile through a temporary file and a rename.
    func write(_ text: String) throws {
        let path = settings.textfile
        let temporary = path + ".tmp.\(getpid())"
        do {
            try text.write(toFile: temporary, atomically: false, encoding: .utf8)
        } catch {
            throw FileError(operation: "write", path: temporary, reason: error.localizedDescription)
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw FileError(operation: "rename to \(path)", path: temporary, errno: code)
        }
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// Escapes a label value as the exposition format requires: backslash, quote and newline.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
