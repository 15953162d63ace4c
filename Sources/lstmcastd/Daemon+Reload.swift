import Configuration
import Forecasting
import Foundation
import ZeroMQ

/// Reloading: parse and validate the whole file first, then apply only what changed.
extension Daemon {
    struct ReloadResult {
        let ok: Bool
        let message: String
        let changes: [String]
    }

    /// Settings read once at start; a new value is logged and waits for a restart.
    private static let restartOnlyKeys: Set<String> = [
        "state_dir", "retrain.workers", "input.receive_hwm", "output.send_hwm", "limits.max_message_bytes",
    ]

    func reload(trigger: String) -> ReloadResult {
        guard let configPath else {
            let message = "lstmcastd was started without --config, so there is no file to reload"
            logger.warning("configuration reload skipped", ["trigger": trigger, "reason": message])
            return ReloadResult(ok: false, message: message, changes: [])
        }
        notifier.reloading()
        defer { notifier.ready(status: statusLine()) }

        let loaded: Settings
        do {
            loaded = try ConfigurationLoader.load(path: configPath)
        } catch {
            let message = (error as? ConfigurationError)?.description ?? "\(error)"
            reloads.failed += 1
            lastReload = (Date(), false, message)
            logger.error(
                "configuration reload failed; still running on the previous configuration; fix the file and reload again",
                ["trigger": trigger, "error": (error as? ConfigurationError)?.summary ?? message])
            return ReloadResult(ok: false, message: message, changes: [])
        }

        var next = loaded
        var problems: [String] = []
        let changes = settings.changes(to: loaded)
        for change in changes where Self.restartOnlyKeys.contains(change.key) {
            logger.warning(
                "setting changed but applies only after a restart; restart lstmcastd to use it",
                ["key": change.key, "old": change.old, "new": change.new])
        }
        next.stateDirectory = settings.stateDirectory
        next.trainingWorkers = settings.trainingWorkers
        next.input.receiveHighWaterMark = settings.input.receiveHighWaterMark
        next.output.sendHighWaterMark = settings.output.sendHighWaterMark
        next.limits.maxMessageBytes = settings.limits.maxMessageBytes

        // New endpoints first, so a failure leaves the old ones serving.
        next.input.bind = apply(old: settings.input.bind, new: loaded.input.bind, key: "input.bind", problems: &problems,
            add: {
                try EndpointGuard.checkFree($0, key: "input.bind")
                try self.input.bind($0)
            }, remove: { try self.input.unbind($0) })
        next.input.connect = apply(old: settings.input.connect, new: loaded.input.connect, key: "input.connect",
            problems: &problems, add: { try self.input.connect($0) }, remove: { try self.input.disconnect($0) })
        next.input.subscribe = apply(old: settings.input.subscribe, new: loaded.input.subscribe, key: "input.subscribe",
            problems: &problems, add: { try self.input.subscribe($0) }, remove: { try self.input.unsubscribe($0) })
        next.output.bind = apply(old: settings.output.bind, new: loaded.output.bind, key: "output.bind",
            problems: &problems,
            add: {
                try EndpointGuard.checkFree($0, key: "output.bind")
                try self.output.bind($0)
            }, remove: { try self.output.unbind($0) })

        if loaded.control.bind != settings.control.bind {
            // The reply to a reload request still goes out on the old socket,
            // so the move happens after the current request is answered.
            pendingControlMove = loaded.control.bind
        }

        if logLevelFromCommandLine == nil { logger.level = loaded.log.level }
        let (retrained, actions) = engine.update(settings: next)
        settings = next
        do {
            try perform(actions)
        } catch {
            problems.append("starting retrains failed: \(error)")
        }

        for change in changes where !Self.restartOnlyKeys.contains(change.key) {
            logger.info("setting changed", ["key": change.key, "old": change.old, "new": change.new])
        }
        let ok = problems.isEmpty
        let message =
            ok
            ? "configuration reloaded: \(changes.count) settings changed, \(retrained.count) series retraining"
            : "configuration reloaded with errors: " + problems.joined(separator: "; ")
        if ok { reloads.succeeded += 1 } else { reloads.failed += 1 }
        lastReload = (Date(), ok, message)
        logger.info(
            ok ? "configuration reloaded" : "configuration reloaded with errors; see the lines above",
            ["trigger": trigger, "changes": changes.count, "series.retraining": retrained.count])
        return ReloadResult(ok: ok, message: message, changes: changes.map(\.description))
    }

    /// Adds the new entries of a list setting, then removes the dropped ones.
    /// Returns the list actually in force, which keeps any entry that failed.
    private func apply(
        old: [String], new: [String], key: String, problems: inout [String],
        add: (String) throws -> Void, remove: (String) throws -> Void
    ) -> [String] {
        var inForce = old
        for entry in new where !old.contains(entry) {
            do {
                try add(entry)
                inForce.append(entry)
            } catch {
                problems.append("\(key) '\(entry)': \(error)")
                logger.error(
                    "reload could not add an endpoint; the previous ones stay in use; check the address and that it is free",
                    ["key": key, "value": entry, "error": "\(error)"])
            }
        }
        for entry in old where !new.contains(entry) {
            do {
                try remove(entry)
                inForce.removeAll { $0 == entry }
            } catch {
                problems.append("\(key) '\(entry)': \(error)")
                logger.error("reload could not remove an endpoint", ["key": key, "value": entry, "error": "\(error)"])
            }
        }
        return inForce
    }
}
