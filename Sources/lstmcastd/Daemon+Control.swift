import Configuration
import Forecasting
import Foundation
import ZeroMQ

/// The control socket: a REP socket that replies to `status`, `reload` and
/// `retrain [SERIES]` with one JSON object each.
extension Daemon {
    /// Binds the control socket. Throws only when another daemon already
    /// replies on the endpoint, because two daemons on one socket would
    /// leave the first unreachable. Other failures are logged.
    func openControlSocket() throws {
        let endpoint = settings.control.bind
        if try anotherDaemonAnswers(at: endpoint) {
            throw StartupError(
                message: "another lstmcastd already replies on control.bind \(endpoint); stop it or give this "
                    + "daemon its own control.bind and state_dir")
        }
        do {
            let socket = try Socket(context: context, type: .reply)
            try socket.setLinger(milliseconds: 0)
            if endpoint.hasPrefix("ipc://") {
                let path = String(endpoint.dropFirst("ipc://".count))
                let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
                try? FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                // No daemon replied, so a file left there is from a daemon that died.
                unlink(path)
                try socket.bind(endpoint)
                // Only the daemon's own user may send commands.
                chmod(path, 0o600)
            } else {
                try socket.bind(endpoint)
            }
            control = socket
        } catch {
            logger.error(
                "control socket not available; status, reload and retrain from lstmcast will fail; set control.bind to a writable ipc:// path",
                ["control.bind": endpoint, "error": "\(error)"])
        }
    }

    /// Closes the control socket and binds the new endpoint. On failure the
    /// daemon runs without one and logs an error.
    func moveControlSocket(to endpoint: String) {
        let old = settings.control.bind
        control?.close()
        control = nil
        removeSocketFile(old)
        settings.control.bind = endpoint
        do {
            try openControlSocket()
        } catch {
            logger.error("control socket not moved; the daemon has none now", ["new": endpoint, "error": "\(error)"])
        }
        if control != nil { logger.info("control socket moved", ["old": old, "new": endpoint]) }
    }

    /// Sends `status` to an existing ipc socket file and waits 300 ms for a reply.
    private func anotherDaemonAnswers(at endpoint: String) throws -> Bool {
        guard endpoint.hasPrefix("ipc://"), FileManager.default.fileExists(atPath: String(endpoint.dropFirst(6))) else {
            return false
        }
        let probe = try Socket(context: context, type: .request)
        defer { probe.close() }
        try probe.setLinger(milliseconds: 0)
        try probe.setReceiveTimeout(milliseconds: 300)
        try probe.setSendTimeout(milliseconds: 300)
        try probe.connect(endpoint)
        guard case .done = try probe.send(strings: ["status"]) else { return false }
        if case .done = try probe.receive() { return true }
        return false
    }

    func removeSocketFile(_ endpoint: String) {
        if endpoint.hasPrefix("ipc://") { unlink(String(endpoint.dropFirst("ipc://".count))) }
    }

    func serveControl(_ socket: Socket) {
        guard case .done(let frames)? = try? socket.receive(blocking: false) else { return }
        let request = frames.first.map { String(decoding: $0, as: UTF8.self) } ?? ""
        let words = request.split(separator: " ").map(String.init)
        var reply: [String: Any]
        switch words.first {
        case "status":
            reply = statusObject()
        case "reload":
            let result = reload(trigger: "control socket")
            reply = ["ok": result.ok, "message": result.message, "changes": result.changes]
        case "retrain":
            let target = words.count > 1 ? words[1] : nil
            if let target, engine.series[target] == nil {
                reply = ["ok": false, "message": "series '\(target)' not found; 'lstmcast status' lists the series"]
            } else {
                let actions = engine.requestRetrain(series: target)
                do {
                    try perform(actions)
                    let scope = target.map { "series '\($0)'" } ?? "every series"
                    let waiting = actions.isEmpty
                        ? "; none could start now: a series trains once it has retrain.min_points points, and "
                            + "one whose training is running retrains when it ends"
                        : ""
                    reply = [
                        "ok": true,
                        "message": "retrain requested for \(scope); \(actions.count) started now\(waiting)",
                        "started": actions.count,
                    ]
                } catch {
                    reply = ["ok": false, "message": "\(error)"]
                }
            }
        default:
            reply = ["ok": false, "message": "unknown command '\(request)'; use status, reload or retrain [SERIES]"]
        }
        do {
            try socket.send([Array(ReplyJSON.encode(reply).utf8)], blocking: false)
        } catch {
            logger.warning("control reply failed", ["error": "\(error)"])
        }
    }

    func statusObject() -> [String: Any] {
        let now = Date().timeIntervalSince1970
        var rejected: [String: Int] = [:]
        for (reason, count) in engine.rejections { rejected[reason.rawValue] = count }
        let series: [[String: Any]] = engine.series.keys.sorted().map { name in
            let state = engine.series[name]!
            var entry: [String: Any] = [
                "name": name, "points": state.window.count, "points_accepted": state.pointsAccepted,
                "training": state.trainingInFlight, "forecasts_published": state.forecastsPublished,
                "training_failures": state.trainingFailures, "points_filled": state.pointsFilled,
                "stale": isStale(state),
                "rejected": Dictionary(uniqueKeysWithValues: state.rejections.map { ($0.key.rawValue, $0.value) }),
            ]
            entry["segment_start"] = state.segmentStart ?? NSNull()
            let horizon = state.settings.forecast.horizon
            let maes = state.accuracy.meanAbsoluteErrors(horizon: horizon).compactMap { $0 }
            let naive = state.accuracy.lastValueMeanAbsoluteErrors(horizon: horizon).compactMap { $0 }
            entry["accuracy"] = [
                "scored": state.accuracy.scoredForecasts, "skill": state.accuracy.skill ?? NSNull(),
                "mae_mean": maes.isEmpty ? NSNull() : maes.reduce(0, +) / Double(maes.count),
                "last_value_mae_mean": naive.isEmpty ? NSNull() : naive.reduce(0, +) / Double(naive.count),
            ] as [String: Any]
            entry["last_ts"] = state.window.last?.timestamp ?? NSNull()
            entry["last_error"] = state.lastTrainingError ?? NSNull()
            if let info = state.modelInfo, let model = state.model {
                entry["model"] = [
                    "method": model.chosenMethod.method.name, "version": info.version, "trained_at": RFC3339.format(info.trainedAt),
                    "age_seconds": (now - info.trainedAt).rounded(), "points": info.points, "epochs": info.epochs,
                    "train_loss": info.trainingLoss, "val_loss": info.validationLoss ?? NSNull(),
                    "train_seconds": info.trainingSeconds,
                ]
            } else {
                entry["model"] = NSNull()
            }
            return entry
        }
        var reload: [String: Any] = ["succeeded": reloads.succeeded, "failed": reloads.failed]
        if let lastReload {
            // Rounded down, so the time shown is never later than the reload itself.
            reload["last_at"] = RFC3339.format(lastReload.at.timeIntervalSince1970.rounded(.down))
            reload["last_ok"] = lastReload.ok
            reload["last_message"] = lastReload.message
        }
        let checkpointCounts = checkpoints?.counts ?? (written: 0, failed: 0, pending: 0, superseded: 0)
        return [
            "ok": true, "version": lstmcastVersion, "uptime_seconds": Date().timeIntervalSince(startedAt).rounded(),
            "config": configPath ?? NSNull(), "points_accepted": engine.pointsAccepted,
            "forecasts_published": forecastsPublished, "rejected": rejected, "trainings_active": pool.activeCount,
            "checkpoints_written": checkpointCounts.written, "checkpoints_failed": checkpointCounts.failed,
            "checkpoints_pending": checkpointCounts.pending, "checkpoints_superseded": checkpointCounts.superseded,
            "input_reconnects": inputReconnector.reconnects,
            "reloads": reload, "series": series,
        ]
    }
}
