import Configuration
import XCTest

/// Every core key, set to a value other than its default, is read back.
final class ConfigurationValuesTests: XCTestCase {
    private let everyKey = """
        input:
          connect: [tcp://127.0.0.1:7001, ipc:///tmp/lstmcast-test/in]
          bind: tcp://127.0.0.1:7002
          subscribe: [price., temp.]
          receive_hwm: 5_000
        output:
          bind: [tcp://127.0.0.1:7003, ipc:///tmp/lstmcast-test/out]
          topic_prefix: fc/
          send_hwm: 20000
        control:
          bind: ipc:///tmp/lstmcast-test/control
        state_dir: /srv/lstmcast
        log:
          level: debug
        model:
          kind: many_to_many
          n_step: 12
          hidden: [32, 16]
        training:
          window: 5000
          epochs: 7
          batch_size: 64
          learning_rate: 0.005
          shuffle: false
          seed: 18446744073709551615
          transform: difference
          validation_fraction: 0.25
          patience: 3
        retrain:
          every_points: 500
          min_points: 300
          workers: 4
        forecast:
          horizon: 24
          every_points: 5

        """

    private func parseEveryKey() throws -> Settings {
        try ConfigurationLoader.parse(everyKey, file: "every-key.yaml")
    }

    private func parse(_ text: String) throws -> Settings {
        try ConfigurationLoader.parse(text, file: "c.yaml")
    }

    func testInputKeysAreRead() throws {
        let input = try parseEveryKey().input
        XCTAssertEqual(input.connect, ["tcp://127.0.0.1:7001", "ipc:///tmp/lstmcast-test/in"])
        XCTAssertEqual(input.bind, ["tcp://127.0.0.1:7002"])
        XCTAssertEqual(input.subscribe, ["price.", "temp."])
        XCTAssertEqual(input.receiveHighWaterMark, 5000)
    }

    func testOutputKeysAreRead() throws {
        let output = try parseEveryKey().output
        XCTAssertEqual(output.bind, ["tcp://127.0.0.1:7003", "ipc:///tmp/lstmcast-test/out"])
        XCTAssertEqual(output.topicPrefix, "fc/")
        XCTAssertEqual(output.sendHighWaterMark, 20000)
    }

    func testControlStateAndLogKeysAreRead() throws {
        let settings = try parseEveryKey()
        XCTAssertEqual(settings.control.bind, "ipc:///tmp/lstmcast-test/control")
        XCTAssertEqual(settings.stateDirectory, "/srv/lstmcast")
        XCTAssertEqual(settings.log.level, .debug)
    }

    func testModelKeysAreRead() throws {
        let model = try parseEveryKey().defaults.model
        XCTAssertEqual(model.kind, .manyToMany)
        XCTAssertEqual(model.nStep, 12)
        XCTAssertEqual(model.hidden, [32, 16])
    }

    func testTrainingKeysAreRead() throws {
        let training = try parseEveryKey().defaults.training
        XCTAssertEqual(training.window, 5000)
        XCTAssertEqual(training.epochs, 7)
        XCTAssertEqual(training.batchSize, 64)
        XCTAssertEqual(training.learningRate, 0.005)
        XCTAssertFalse(training.shuffle)
        XCTAssertEqual(training.seed, UInt64.max)
        XCTAssertEqual(training.transform, .difference)
        XCTAssertEqual(training.validationFraction, 0.25)
        XCTAssertEqual(training.patience, 3)
    }

    func testRetrainKeysAreRead() throws {
        let settings = try parseEveryKey()
        XCTAssertEqual(settings.defaults.retrain.everyPoints, 500)
        XCTAssertEqual(settings.defaults.retrain.minPoints, 300)
        XCTAssertEqual(settings.trainingWorkers, 4)
    }

    func testForecastKeysAreRead() throws {
        let forecast = try parseEveryKey().defaults.forecast
        XCTAssertEqual(forecast.horizon, 24)
        XCTAssertEqual(forecast.everyPoints, 5)
    }

    func testEveryKeyFileHasNoOverrides() throws {
        XCTAssertEqual(try parseEveryKey().series, [])
    }

    func testUnsetKeysKeepDefaultsBesideSetOnes() throws {
        let settings = try parse("training:\n  epochs: 3\n")
        XCTAssertEqual(settings.defaults.training.epochs, 3)
        XCTAssertEqual(settings.defaults.training.batchSize, Settings().defaults.training.batchSize)
        XCTAssertEqual(settings.input, Settings().input)
    }

    func testSingleScalarReadsAsOneItemList() throws {
        let settings = try parse("input:\n  connect: ipc:///tmp/x\n  subscribe: price.\nmodel:\n  hidden: 8\n")
        XCTAssertEqual(settings.input.connect, ["ipc:///tmp/x"])
        XCTAssertEqual(settings.input.subscribe, ["price."])
        XCTAssertEqual(settings.defaults.model.hidden, [8])
    }

    func testBlockListIsRead() throws {
        let text = "input:\n  connect:\n    - tcp://127.0.0.1:1\n    - tcp://[::1]:2\n"
        XCTAssertEqual(try parse(text).input.connect, ["tcp://127.0.0.1:1", "tcp://[::1]:2"])
    }

    func testBindAloneWithEmptyConnectIsAccepted() throws {
        let input = try parse("input:\n  connect: []\n  bind: tcp://127.0.0.1:7000\n").input
        XCTAssertEqual(input.connect, [])
        XCTAssertEqual(input.bind, ["tcp://127.0.0.1:7000"])
    }

    func testQuotedEmptySubscriptionMeansEveryTopic() throws {
        XCTAssertEqual(try parse("input:\n  subscribe: \"\"\n").input.subscribe, [""])
    }

    func testEmptyTopicPrefixIsAllowed() throws {
        XCTAssertEqual(try parse("output:\n  topic_prefix: \"\"\n").output.topicPrefix, "")
    }

    func testControlBindAcceptsOneItemList() throws {
        XCTAssertEqual(try parse("control:\n  bind: [ipc:///tmp/c]\n").control.bind, "ipc:///tmp/c")
    }

    func testEveryTransportPrefixIsAnEndpoint() throws {
        let endpoints = [
            "tcp://127.0.0.1:1", "ipc:///tmp/a", "inproc://a", "pgm://eth0;239.0.0.1:5555",
            "epgm://eth0;239.0.0.1:5555", "ws://127.0.0.1:1", "wss://127.0.0.1:1", "vmci://1:2",
        ]
        for endpoint in endpoints {
            let text = "output:\n  bind: \"\(endpoint)\"\n"
            XCTAssertEqual(try parse(text).output.bind, [endpoint], endpoint)
        }
    }

    func testBooleanSpellingsAreRead() throws {
        let spellings: [(String, Bool)] = [
            ("true", true), ("True", true), ("TRUE", true), ("yes", true), ("on", true),
            ("false", false), ("False", false), ("FALSE", false), ("no", false), ("off", false),
        ]
        for (word, expected) in spellings {
            let shuffle = try parse("training:\n  shuffle: \(word)\n").defaults.training.shuffle
            XCTAssertEqual(shuffle, expected, word)
        }
    }

    func testEveryLogLevelIsRead() throws {
        for level in LogLevel.allCases {
            XCTAssertEqual(try parse("log:\n  level: \(level.rawValue)\n").log.level, level)
        }
    }

    func testEveryTransformIsRead() throws {
        for transform in TransformSetting.allCases {
            let text = "training:\n  transform: \(transform.rawValue)\n"
            XCTAssertEqual(try parse(text).defaults.training.transform, transform)
        }
    }

    func testIntegerBoundsAreInclusive() throws {
        let text = """
            model:
              n_step: 1
              hidden: [1, 4096]
            training:
              epochs: 100000
              validation_fraction: 0.5
              learning_rate: 10
            retrain:
              min_points: 3
              workers: 256

            """
        let settings = try parse(text)
        XCTAssertEqual(settings.defaults.model.nStep, 1)
        XCTAssertEqual(settings.defaults.model.hidden, [1, 4096])
        XCTAssertEqual(settings.defaults.training.epochs, 100_000)
        XCTAssertEqual(settings.defaults.training.validationFraction, 0.5)
        XCTAssertEqual(settings.defaults.training.learningRate, 10)
        XCTAssertEqual(settings.defaults.retrain.minPoints, 3)
        XCTAssertEqual(settings.trainingWorkers, 256)
    }

    func testZeroValidationFractionAndReceiveLimitAreAllowed() throws {
        let settings = try parse("input:\n  receive_hwm: 0\noutput:\n  send_hwm: 0\ntraining:\n  validation_fraction: 0\n")
        XCTAssertEqual(settings.input.receiveHighWaterMark, 0)
        XCTAssertEqual(settings.output.sendHighWaterMark, 0)
        XCTAssertEqual(settings.defaults.training.validationFraction, 0)
    }

    func testMinPointsExactlyNStepPlusTwoIsAccepted() throws {
        let settings = try parse("model:\n  n_step: 10\nretrain:\n  min_points: 12\n")
        XCTAssertEqual(settings.defaults.retrain.minPoints, 12)
    }

    func testDifferenceTransformNeedsOneMorePoint() throws {
        let text = "model:\n  n_step: 10\ntraining:\n  transform: difference\nretrain:\n  min_points: 13\n"
        XCTAssertEqual(try parse(text).defaults.retrain.minPoints, 13)
    }

    func testWindowEqualToMinPointsIsAccepted() throws {
        let settings = try parse("training:\n  window: 200\nretrain:\n  min_points: 200\n")
        XCTAssertEqual(settings.defaults.training.window, 200)
    }

    func testQuotedNumberIsReadAsInteger() throws {
        XCTAssertEqual(try parse("training:\n  epochs: \"12\"\n").defaults.training.epochs, 12)
    }

    func testCommentsAndFlowMappingsAreRead() throws {
        let text = "model: {n_step: 4, hidden: [3]}  # tiny\nretrain: {min_points: 6}  # n_step + 2\n"
        let settings = try parse(text)
        XCTAssertEqual(settings.defaults.model.nStep, 4)
        XCTAssertEqual(settings.defaults.retrain.minPoints, 6)
    }
}
