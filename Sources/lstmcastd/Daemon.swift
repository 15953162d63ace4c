import Configuration
import Forecasting
import Foundation
import ZeroMQ

/// Wires the sockets, the forecast engine and the training pool together and
/// runs the main loop on the calling thread.
final class Daemon {
    private let settings: Settings
    private let logger: Logger
    private let context: Context
    private let input: Socket
    private let output: Socket
    private let engine: ForecastEngine
    private let pool: TrainingPool
    private let parser = PointParser()
    private let stop: StopSignal
    private var forecastsPublished = 0

    /// Messages read from the input socket before the loop checks trainings and signals again.
    private static let receiveBatch = 1000
    private static let pollMilliseconds = 50
    static let trainingStopSeconds = 5.0
    static let lingerMilliseconds = 1000

    init(settings: Settings, logger: Logger, stop: StopSignal) throws {
        self.settings = settings
        self.logger = logger
        self.stop = stop
        context = try Context()
        input = try Socket(context: context, type: .subscriber)
        output = try Socket(context: context, type: .publisher)
        engine = ForecastEngine(settings: settings)
        pool = TrainingPool(workers: settings.trainingWorkers)

        try input.setReceiveHighWaterMark(settings.input.receiveHighWaterMark)
        try input.setIPv6(true)
        try output.setIPv6(true)
        try output.setLinger(milliseconds: Self.lingerMilliseconds)
        try input.setLinger(milliseconds: 0)
        for prefix in settings.input.subscribe { try input.subscribe(prefix) }
        for endpoint in settings.input.bind { try input.bind(endpoint) }
        for endpoint in settings.input.connect { try input.connect(endpoint) }
        for endpoint in settings.output.bind { try output.bind(endpoint) }
    }

    /// Runs until SIGINT or SIGTERM, then stops trainings and closes the sockets.
    func run() throws {
        logger.info(
            "lstmcastd started",
            [
                "version": lstmcastVersion, "input.connect": settings.input.connect.joined(separator: ","),
                "input.bind": settings.input.bind.joined(separator: ","),
                "output.bind": settings.output.bind.joined(separator: ","),
                "workers": settings.trainingWorkers, "libzmq": Context.libraryVersion,
            ])

        var poller = Poller()
        poller.add(input)
        while stop.signalNumber == nil {
            let ready = try poller.readable(timeoutMilliseconds: Self.pollMilliseconds)
            if !ready.isEmpty { try drainInput() }
            for outcome in pool.takeFinished() {
                let (event, actions) = engine.install(outcome)
                logTraining(event)
                try perform(actions)
            }
        }
        shutDown(signal: stop.signalNumber ?? 0)
    }

    private func drainInput() throws {
        for _ in 0..<Self.receiveBatch {
            guard case .done(let frames) = try input.receive(blocking: false) else { return }
            switch parser.parse(frames) {
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

    private func reject(_ rejection: PointRejection, alreadyCounted: Bool = false) {
        if !alreadyCounted { engine.countRejection(rejection.reason) }
        logger.rateLimited(
            "reject.\(rejection.reason.rawValue)", interval: 10, .warning,
            "input message rejected; fix the publisher or see the input contract in docs/protocol.md",
            ["reason": rejection.reason.rawValue, "series": rejection.series ?? "-", "detail": rejection.detail])
    }

    private func perform(_ actions: [EngineAction]) throws {
        for action in actions {
            switch action {
            case .train(let job):
                logger.debug("training queued", ["series": job.series, "points": job.values.count])
                pool.submit(job)
            case .publish(let forecast):
                let topic = settings.output.topicPrefix + forecast.series
                // A PUB socket never blocks: with no subscriber or a full queue libzmq drops the message.
                try output.send(strings: [topic, forecast.json()], blocking: false)
                forecastsPublished += 1
                if let fallback = forecast.fallback {
                    logger.rateLimited(
                        "fallback.\(forecast.series)", interval: 60, .warning,
                        "model output was not finite; published a fallback forecast; retrain or lower training.learning_rate",
                        ["series": forecast.series, "fallback": fallback, "model.version": forecast.model.version])
                }
            }
        }
    }

    private func logTraining(_ event: TrainingEvent) {
        switch event {
        case .installed(let series, let info):
            logger.info(
                "model trained",
                [
                    "series": series, "model.version": info.version, "points": info.points, "epochs": info.epochs,
                    "seconds": info.trainingSeconds, "train_loss": info.trainingLoss,
                    "val_loss": info.validationLoss.map { String(format: "%.6g", $0) } ?? "none",
                ])
        case .failed(let series, let message, let seconds):
            logger.error(
                "training failed; the previous model keeps forecasting; check the series values and training settings",
                ["series": series, "seconds": seconds, "error": message])
        case .discarded(let series, let reason):
            logger.info("training result discarded", ["series": series, "reason": reason])
        }
    }

    private func shutDown(signal: Int32) {
        let name = signal == SIGTERM ? "SIGTERM" : signal == SIGINT ? "SIGINT" : "\(signal)"
        logger.info("lstmcastd stopping", ["signal": name, "trainings.active": pool.activeCount])
        if !pool.shutdown(timeout: Self.trainingStopSeconds) {
            logger.warning(
                "a training did not stop in time; exiting without it",
                ["timeout_seconds": Self.trainingStopSeconds])
        }
        input.close()
        output.close()
        logger.info(
            "lstmcastd stopped",
            [
                "points.accepted": engine.pointsAccepted, "forecasts.published": forecastsPublished,
                "series": engine.series.count,
            ])
    }
}
