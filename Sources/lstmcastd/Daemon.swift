import Configuration
import Forecasting
import Foundation
import LSTMKit
import ZeroMQ

/// Wires the sockets, the forecast engine, the training pool and the
/// checkpoints together and runs the main loop on the calling thread.
final class Daemon {
    var settings: Settings
    let configPath: String?
    let logger: Logger
    let context: Context
    let input: Socket
    let inputReconnector: InputReconnector
    let output: Socket
    var control: Socket?
    let engine: ForecastEngine
    let pool: TrainingPool
    let forecastWorker: ForecastWorker
    let parser: PointParser
    /// The input message being handled, reused so receiving allocates nothing per point.
    private var received = ReceivedMessage()
    let signals: SignalMonitor
    let notifier = SystemdNotifier()
    var checkpoints: CheckpointWriter?
    /// The fingerprint of each series' newest submitted or restored
    /// checkpoint, so shutdown rewrites only the series that changed since.
    var checkpointed: [String: CheckpointFingerprint] = [:]
    /// Held for the daemon's life so a second daemon cannot share state_dir.
    var stateLock: StateLock?
    var watcher: ConfigWatcher?
    let startedAt = Date()
    var forecastsPublished = 0
    /// The newest forecast of each series by topic, sent again to each new subscriber.
    var latestForecasts: [String: String] = [:]
    var reloads = (succeeded: 0, failed: 0)
    var lastReload: (at: Date, ok: Bool, message: String)?
    /// A new control.bind from a reload, applied after the reply to the current request.
    var pendingControlMove: String?
    /// A --log-level flag, which a reload must not override.
    var logLevelFromCommandLine: LogLevel?

    /// Messages read from the input socket before the loop checks trainings and signals again.
    static let receiveBatch = 1000
    static let pollMilliseconds = 50
    static let trainingStopSeconds = 5.0
    static let checkpointStopSeconds = 10.0
    static let lingerMilliseconds = 1000
    static let forecastStopSeconds = 2.0
    /// Forecast threads: two share a burst of forecasts, as when many series
    /// receive a point in the same instant, across the cores of a small machine.
    static let forecastThreads = 2

    init(settings: Settings, configPath: String?, logger: Logger, signals: SignalMonitor) throws {
        self.settings = settings
        self.configPath = configPath
        self.logger = logger
        self.signals = signals
        context = try Context()
        input = try Socket(context: context, type: .subscriber)
        inputReconnector = try InputReconnector(context: context, input: input)
        output = try Socket(context: context, type: .extendedPublisher)
        engine = ForecastEngine(settings: settings)
        pool = TrainingPool(workers: settings.trainingWorkers) {
            ThreadPriority.lowerCurrentThread(by: ThreadPriority.background)
        }
        forecastWorker = try ForecastWorker(context: context, threads: Self.forecastThreads)
        engine.defersForecasts = true
        parser = PointParser(maximumMessageBytes: settings.limits.maxMessageBytes)

        try input.setReceiveHighWaterMark(settings.input.receiveHighWaterMark)
        // Set before binding, since libzmq applies it to connections made afterwards.
        try output.setSendHighWaterMark(settings.output.sendHighWaterMark)
        try input.setMaximumMessageSize(settings.limits.maxMessageBytes)
        try input.setIPv6(true)
        try output.setIPv6(true)
        try output.setLinger(milliseconds: Self.lingerMilliseconds)
        // Every subscriber's subscription, repeats included, reaches the
        // daemon, so each new dashboard gets the cached forecasts.
        try output.setVerbose(true)
        try input.setLinger(milliseconds: 0)
        // A second daemon on the same control socket or state_dir must stop
        // before it binds anything, or its binds would cut the first one off.
        try openControlSocket()
        try restoreCheckpoints()

        for prefix in settings.input.subscribe { try input.subscribe(prefix) }
        for endpoint in settings.input.bind {
            try EndpointGuard.checkFree(endpoint, key: "input.bind")
            try input.bind(endpoint)
        }
        for endpoint in settings.input.connect { try input.connect(endpoint) }
        for endpoint in settings.output.bind {
            try EndpointGuard.checkFree(endpoint, key: "output.bind")
            try output.bind(endpoint)
        }
        if let configPath {
            do {
                watcher = try ConfigWatcher(path: configPath)
            } catch {
                logger.warning(
                    "cannot watch the configuration file; reload with SIGHUP or 'lstmcast reload' instead",
                    ["config": configPath, "error": "\(error)"])
            }
        }
    }

    /// Runs until SIGINT or SIGTERM, then stops trainings, writes checkpoints and closes the sockets.
    func run() throws {
        logger.info(
            "lstmcastd started",
            [
                "version": lstmcastVersion, "input.connect": settings.input.connect.joined(separator: ","),
                "input.bind": settings.input.bind.joined(separator: ","),
                "output.bind": settings.output.bind.joined(separator: ","),
                "control.bind": control == nil ? "none" : settings.control.bind,
                "state_dir": checkpoints == nil ? "none" : settings.stateDirectory,
                "series.restored": engine.series.count, "workers": settings.trainingWorkers,
                "libzmq": Context.libraryVersion, "activations": ActivationKernel.active.rawValue,
            ])
        if let requested = ActivationKernel.requestedName, requested != ActivationKernel.active.rawValue {
            logger.warning(
                "LSTMCAST_ACTIVATIONS names no activation build this CPU runs; using the automatic choice; "
                    + "set it to baseline or avx2, or unset it",
                ["requested": requested, "activations": ActivationKernel.active.rawValue])
        }
        notifier.ready(status: statusLine())
        var lastStatus = Date()
        var lastMetrics = Date.distantPast
        var lastRepeatFlush = Date()

        while signals.stopRequest == nil {
            var poller = Poller()
            poller.add(input)
            poller.add(output)
            poller.add(forecastWorker.doorbell)
            poller.add(inputReconnector.monitor)
            if let control { poller.add(control) }
            let ready = try poller.readable(timeoutMilliseconds: Self.pollMilliseconds)
            if ready.contains(where: { $0 === input }) { try drainInput() }
            if ready.contains(where: { $0 === inputReconnector.monitor }) { try inputReconnector.readEvents() }
            restoreDroppedInputs()
            try publishFinishedForecasts()
            if ready.contains(where: { $0 === output }) { try serveNewSubscribers() }
            if let control, ready.contains(where: { $0 === control }) { serveControl(control) }
            for outcome in pool.takeFinished() { try install(outcome) }

            if signals.takeReloadRequest() { _ = reload(trigger: "SIGHUP") }
            if let watcher, watcher.fileChanged() { _ = reload(trigger: "file change") }
            if let endpoint = pendingControlMove {
                pendingControlMove = nil
                moveControlSocket(to: endpoint)
            }

            if !settings.metrics.textfile.isEmpty, Date().timeIntervalSince(lastMetrics) >= settings.metrics.every {
                writeMetrics()
                lastMetrics = Date()
            }

            if Date().timeIntervalSince(lastRepeatFlush) >= 1 {
                logger.flushRepeats()
                lastRepeatFlush = Date()
            }

            notifier.feedWatchdog()
            if Date().timeIntervalSince(lastStatus) >= 5 {
                notifier.status(statusLine())
                lastStatus = Date()
            }
        }
        shutDown(signal: signals.stopRequest ?? 0)
    }

    private func drainInput() throws {
        for _ in 0..<Self.receiveBatch {
            guard try input.receive(into: &received, blocking: false) else { return }
            let parsed = received.withFirstFrames { first, second in
                parser.parse(
                    frameCount: received.frameCount, largestFrame: received.largestFrame, first: first, second: second)
            }
            switch parsed {
            case .failure(let rejection):
                reject(rejection)
            case .success(let point):
                switch engine.ingest(point) {
                case .failure(let rejection): reject(rejection, alreadyCounted: true)
                case .success(let actions): try perform(actions)
                }
            }
        }
    }

    /// Connects again to input endpoints whose connection libzmq gave up on.
    private func restoreDroppedInputs() {
        for endpoint in inputReconnector.endpointsToRestore(connected: settings.input.connect) {
            // The dead session may or may not still be registered, so a failed disconnect changes nothing.
            try? input.disconnect(endpoint)
            do {
                try input.connect(endpoint)
                logger.rateLimited(
                    "input.reconnect.\(endpoint)", interval: 10, .warning,
                    "input connection closed by libzmq and not retried; connected again; "
                        + "a message above limits.max_message_bytes or a ZeroMQ protocol error from the publisher closes it",
                    ["endpoint": endpoint, "limits.max_message_bytes": settings.limits.maxMessageBytes])
            } catch {
                logger.error(
                    "cannot connect the input endpoint again; fix the endpoint and reload, or restart lstmcastd",
                    ["endpoint": endpoint, "error": "\(error)"])
            }
        }
    }

    private func reject(_ rejection: PointRejection, alreadyCounted: Bool = false) {
        if !alreadyCounted { engine.countRejection(rejection.reason) }
        logger.rateLimited(
            "reject.\(rejection.reason.rawValue)", interval: 10, .warning,
            "input message rejected; fix the publisher or see the input contract in docs/protocol.md",
            ["reason": rejection.reason.rawValue, "series": rejection.series ?? "-", "detail": rejection.detail])
    }

    private func install(_ outcome: TrainingOutcome) throws {
        let (event, actions) = engine.install(outcome)
        logTraining(event, outcome: outcome)
        if case .installed(let series, _) = event, let checkpoints, let checkpoint = engine.checkpoint(series: series) {
            checkpoints.submit(checkpoint)
            checkpointed[series] = engine.checkpointFingerprint(series: series)
        }
        try perform(actions)
    }

    func perform(_ actions: [EngineAction]) throws {
        for action in actions {
            switch action {
            case .train(let job):
                logger.debug("training queued", ["series": job.series, "points": job.values.count])
                pool.submit(job)
            case .publish(let forecast):
                try publish(forecast, body: forecast.json())
            case .forecast(let request):
                forecastWorker.submit(request)
            }
        }
    }

    /// Publishes the forecasts the worker finished and lets the engine score them.
    func publishFinishedForecasts() throws {
        for (forecast, body) in forecastWorker.takeFinished() {
            engine.complete(forecast)
            try publish(forecast, body: body)
        }
    }

    private func publish(_ forecast: Forecast, body: String) throws {
        let topic = settings.output.topicPrefix + forecast.series
        // A non-blocking send on XPUB, as on PUB, drops the message for a subscriber whose queue is full.
        try output.send(strings: [topic, body], blocking: false)
        latestForecasts[topic] = body
        forecastsPublished += 1
        // Choosing the last value after the backtest is a decision, logged once at install, not a fault.
        if let fallback = forecast.fallback, !forecast.fallbackChosenByBacktest {
            logger.rateLimited(
                "fallback.\(forecast.series)", interval: 60, .warning,
                "model output unusable; published a fallback forecast; retrain or lower training.learning_rate",
                [
                    "series": forecast.series, "fallback": fallback, "model.version": forecast.model.version,
                    "reason": forecast.fallbackReason ?? "-",
                ])
        }
    }

    private func logTraining(_ event: TrainingEvent, outcome: TrainingOutcome) {
        let start = outcome.warmStarted ? "warm" : "fresh"
        switch event {
        case .installed(let series, let info):
            let reason = outcome.comparison.map {
                String(format: "challenger one-step RMSE %.6g <= champion %.6g", $0.challengerError, $0.championError)
            } ?? {
                if info.version == 1 { return "first model" }
                if engine.series[series]?.settings.retrain.championChallenger == false {
                    return "retrain.champion_challenger is off"
                }
                return "no held-out points to compare on"
            }()
            logger.info(
                "model trained",
                [
                    "series": series, "model.version": info.version, "points": info.points, "epochs": info.epochs,
                    "start": start, "seconds": info.trainingSeconds, "train_loss": info.trainingLoss,
                    "val_loss": info.validationLoss.map { String(format: "%.6g", $0) } ?? "none",
                    "winner": "challenger", "reason": reason,
                    "forecasts": (try? outcome.result.get())?.chosenMethod.method.name ?? "network",
                ])
        case .kept(let series, let comparison, _):
            logger.info(
                "model trained but not installed; the current model keeps forecasting",
                [
                    "series": series, "start": start, "winner": "champion",
                    "reason": String(
                        format: "challenger one-step RMSE %.6g > champion %.6g", comparison.challengerError,
                        comparison.championError),
                ])
        case .failed(let series, let message, let seconds):
            logger.error(
                "training failed; the previous model keeps forecasting and training retries after retrain.every_points new points; check the series values and training settings",
                ["series": series, "seconds": seconds, "error": message])
        case .discarded(let series, let reason):
            logger.info("training result discarded", ["series": series, "reason": reason])
        }
    }

    /// Sends the cached forecasts matching each new subscription, so a
    /// dashboard that connects late gets every series at once. Subscribers
    /// already on a matching topic receive the cached forecast again too.
    private func serveNewSubscribers() throws {
        while case .done(let frames) = try output.receive(blocking: false) {
            guard let message = frames.first, message.first == 1 else { continue }
            let prefix = String(decoding: message.dropFirst(), as: UTF8.self)
            for (topic, body) in latestForecasts.sorted(by: { $0.key < $1.key }) where topic.hasPrefix(prefix) {
                let name = String(topic.dropFirst(settings.output.topicPrefix.count))
                if let state = engine.series[name], isStale(state) { continue }
                try output.send(strings: [topic, body], blocking: false)
            }
        }
    }

    /// True when a series has been silent longer than `sampling.stale_after_seconds`.
    func isStale(_ state: SeriesState) -> Bool {
        let limit = state.settings.sampling.staleAfterSeconds
        return limit > 0 && Date().timeIntervalSince1970 - state.lastArrival > limit
    }

    func writeMetrics() {
        let exporter = MetricsExporter(settings: settings.metrics)
        let snapshot = MetricsExporter.Snapshot(
            series: Array(engine.series.values), rejections: engine.rejections, forecastsPublished: forecastsPublished,
            reloadsSucceeded: reloads.succeeded, reloadsFailed: reloads.failed,
            lastReloadAt: lastReload?.at, lastReloadSucceeded: lastReload?.ok ?? false,
            checkpointsWritten: checkpoints?.counts.written ?? 0, checkpointsFailed: checkpoints?.counts.failed ?? 0,
            checkpointsPending: checkpoints?.counts.pending ?? 0, inputReconnects: inputReconnector.reconnects,
            trainingsActive: pool.activeCount, startedAt: startedAt)
        do {
            try exporter.write(exporter.render(snapshot))
        } catch {
            logger.rateLimited(
                "metrics.write", interval: 300, .error,
                "metrics textfile write failed; check that metrics.textfile's folder exists and is writable",
                ["metrics.textfile": settings.metrics.textfile, "error": "\(error)"])
        }
    }

    private func restoreCheckpoints() throws {
        let store = CheckpointStore(folder: settings.stateDirectory)
        do {
            try store.prepare()
            stateLock = try StateLock(folder: settings.stateDirectory)
        } catch let error as StartupError {
            throw error
        } catch {
            logger.error(
                "state_dir is not usable; checkpoints are off, so learned models are lost on restart; fix the folder's permissions or set state_dir",
                ["state_dir": settings.stateDirectory, "error": "\(error)"])
            return
        }
        checkpoints = CheckpointWriter(store: store, logger: logger)
        let (restored, failures) = store.readAll()
        for failure in failures {
            logger.error(
                "checkpoint skipped; the series starts without it; delete or move the file if it keeps failing",
                ["file": failure.path, "error": "\(failure.error)"])
        }
        for checkpoint in restored {
            engine.restore(checkpoint)
            checkpointed[checkpoint.header.series] = engine.checkpointFingerprint(series: checkpoint.header.series)
            logger.info(
                "checkpoint restored",
                [
                    "series": checkpoint.header.series, "points": checkpoint.header.values.count,
                    "model.version": checkpoint.header.model.map { "\($0.version)" } ?? "none",
                ])
        }
    }

    func statusLine() -> String {
        let models = engine.series.values.filter { $0.model != nil }.count
        return "\(engine.series.count) series, \(models) with a model, \(engine.pointsAccepted) points, "
            + "\(forecastsPublished) forecasts, \(pool.activeCount) trainings queued or running"
    }

    private func shutDown(signal: Int32) {
        var name = "\(signal)"
        if signal == SIGTERM { name = "SIGTERM" }
        if signal == SIGINT { name = "SIGINT" }
        notifier.stopping()
        logger.flushRepeats(force: true)
        logger.info("lstmcastd stopping", ["signal": name, "trainings.active": pool.activeCount])
        inputReconnector.close()
        input.close()
        control?.close()
        if control != nil { removeSocketFile(settings.control.bind) }
        if !pool.shutdown(timeout: Self.trainingStopSeconds) {
            logger.warning(
                "a training did not stop in time; exiting without it", ["timeout_seconds": Self.trainingStopSeconds])
        }
        // Series whose state is already in a checkpoint written or queued
        // before the stop, and the checkpoints the stop itself wrote.
        var upToDate = 0
        let writtenBeforeStop = checkpoints?.counts.written ?? 0
        if let checkpoints {
            // After a failed write a file may be older than its fingerprint, so then every series is written.
            let trustFingerprints = checkpoints.counts.failed == 0
            for name in engine.series.keys.sorted() {
                if trustFingerprints, let last = checkpointed[name], last == engine.checkpointFingerprint(series: name) {
                    upToDate += 1
                    continue
                }
                if let checkpoint = engine.checkpoint(series: name) { checkpoints.submit(checkpoint) }
            }
            if !checkpoints.drain(timeout: Self.checkpointStopSeconds) {
                logger.error(
                    "checkpoints did not finish writing in time; the last model of some series may be lost",
                    ["timeout_seconds": Self.checkpointStopSeconds])
            }
        }
        // Forecasts already requested still go out, so the last points' forecasts are not lost.
        if !forecastWorker.waitUntilIdle(timeout: Self.forecastStopSeconds) {
            logger.warning(
                "forecasts did not finish in time; the newest ones were not published",
                ["timeout_seconds": Self.forecastStopSeconds, "forecasts.waiting": forecastWorker.inFlight])
        }
        do {
            try publishFinishedForecasts()
        } catch {
            logger.warning(
                "publishing the last forecasts failed; subscribers miss the forecasts of the final points",
                ["error": "\(error)", "forecasts.waiting": forecastWorker.inFlight])
        }
        forecastWorker.stop(timeout: Self.forecastStopSeconds)
        output.close()
        // libzmq leaves the socket files of bound ipc:// endpoints behind.
        for endpoint in settings.input.bind + settings.output.bind { removeSocketFile(endpoint) }
        logger.info(
            "lstmcastd stopped",
            [
                "points.accepted": engine.pointsAccepted, "forecasts.published": forecastsPublished,
                "series": engine.series.count, "checkpoints.written": checkpoints?.counts.written ?? 0,
                "checkpoints.written_at_stop": (checkpoints?.counts.written ?? 0) - writtenBeforeStop,
                "checkpoints.up_to_date": upToDate,
            ])
    }
}
