import Configuration
import XCTest

/// Errors about values: types, ranges, choices, endpoints and the rules that span sections.
final class ConfigurationValueErrorTests: XCTestCase {
    func testStringWhereIntegerBelongsIsRejected() {
        assertConfigurationError(
            "training:\n  epochs: many\n",
            renders: """
                c.yaml:2:11: error: 'training.epochs' must be an integer, got 'many'
                  epochs: many
                          ^
                """)
    }

    func testFractionWhereIntegerBelongsIsRejected() {
        assertConfigurationError(
            "model:\n  n_step: 3.5\n",
            renders: """
                c.yaml:2:11: error: 'model.n_step' must be an integer, got '3.5'
                  n_step: 3.5
                          ^
                """)
    }

    func testIntegerTooLargeForIntIsRejected() {
        assertConfigurationError(
            "training:\n  epochs: 99999999999999999999\n",
            renders: """
                c.yaml:2:11: error: 'training.epochs' must be an integer, got '99999999999999999999'
                  epochs: 99999999999999999999
                          ^
                """)
    }

    func testIntegerBelowRangeIsRejected() {
        assertConfigurationError(
            "training:\n  epochs: 0\n",
            renders: """
                c.yaml:2:11: error: 'training.epochs' must be between 1 and 100000, got 0
                  epochs: 0
                          ^
                """)
    }

    func testIntegerAboveRangeIsRejected() {
        assertConfigurationError(
            "forecast:\n  horizon: 100001\n",
            renders: """
                c.yaml:2:12: error: 'forecast.horizon' must be between 1 and 100000, got 100001
                  horizon: 100001
                           ^
                """)
    }

    func testZeroWorkersIsRejected() {
        assertConfigurationError(
            "retrain:\n  workers: 0\n",
            renders: """
                c.yaml:2:12: error: 'retrain.workers' must be between 1 and 256, got 0
                  workers: 0
                           ^
                """)
    }

    func testZeroLearningRateIsRejected() {
        assertConfigurationError(
            "training:\n  learning_rate: 0\n",
            renders: """
                c.yaml:2:18: error: 'training.learning_rate' must be greater than 0 and at most 10, got 0
                  learning_rate: 0
                                 ^
                """)
    }

    func testValidationFractionAboveHalfIsRejected() {
        assertConfigurationError(
            "training:\n  validation_fraction: 0.6\n",
            renders: """
                c.yaml:2:24: error: 'training.validation_fraction' must be at least 0 and at most 0.5, got 0.6
                  validation_fraction: 0.6
                                       ^
                """)
    }

    func testNonNumericLearningRateIsRejected() {
        assertConfigurationError(
            "training:\n  learning_rate: .nan\n",
            renders: """
                c.yaml:2:18: error: 'training.learning_rate' must be a number, got '.nan'
                  learning_rate: .nan
                                 ^
                """)
    }

    func testNegativeSeedIsRejected() {
        assertConfigurationError(
            "training:\n  seed: -1\n",
            renders: """
                c.yaml:2:9: error: 'training.seed' must be a non-negative integer, got '-1'
                  seed: -1
                        ^
                """)
    }

    func testUnknownBooleanWordIsRejected() {
        assertConfigurationError(
            "training:\n  shuffle: maybe\n",
            renders: """
                c.yaml:2:12: error: 'training.shuffle' must be true or false, got 'maybe'
                  shuffle: maybe
                           ^
                """)
    }

    func testInvalidModelKindListsChoices() {
        assertConfigurationError(
            "model:\n  kind: bidirectional\n",
            renders: """
                c.yaml:2:9: error: 'model.kind' must be one of many_to_one, many_to_many, got 'bidirectional'
                  kind: bidirectional
                        ^
                """)
    }

    func testInvalidLogLevelListsChoices() {
        assertConfigurationError(
            "log:\n  level: verbose\n",
            renders: """
                c.yaml:2:10: error: 'log.level' must be one of debug, info, warning, error, got 'verbose'
                  level: verbose
                         ^
                """)
    }

    func testEmptyStateDirectoryIsRejected() {
        assertConfigurationError(
            "state_dir: ''\n",
            renders: """
                c.yaml:1:12: error: 'state_dir' must not be empty
                state_dir: ''
                           ^
                """)
    }

    func testHiddenSizeOutOfRangeIsRejected() {
        assertConfigurationError(
            "model:\n  hidden: [10, 5000]\n",
            renders: """
                c.yaml:2:16: error: each size in 'model.hidden' must be an integer between 1 and 4096, got '5000'
                  hidden: [10, 5000]
                               ^
                """)
    }

    func testEmptyHiddenListIsRejected() {
        assertConfigurationError(
            "model:\n  hidden: []\n",
            renders: """
                c.yaml:2:11: error: 'model.hidden' needs at least one layer size
                  hidden: []
                          ^
                """)
    }

    func testEndpointWithoutTransportIsRejected() {
        assertConfigurationError(
            "input:\n  connect: 127.0.0.1:5556\n",
            renders: """
                c.yaml:2:12: error: 'input.connect' contains '127.0.0.1:5556', which is not a ZeroMQ endpoint; write transport://address, e.g. tcp://127.0.0.1:5556 or ipc:///run/lstmcast/in
                  connect: 127.0.0.1:5556
                           ^
                """)
    }

    func testEndpointErrorPointsAtBadListItem() {
        assertConfigurationError(
            "output:\n  bind: [tcp://127.0.0.1:1, localhost:2]\n",
            renders: """
                c.yaml:2:29: error: 'output.bind' contains 'localhost:2', which is not a ZeroMQ endpoint; write transport://address, e.g. tcp://127.0.0.1:5556 or ipc:///run/lstmcast/in
                  bind: [tcp://127.0.0.1:1, localhost:2]
                                            ^
                """)
    }

    func testTransportWithoutAddressIsRejected() {
        assertConfigurationError(
            "output:\n  bind: tcp://\n",
            renders: """
                c.yaml:2:9: error: 'output.bind' contains 'tcp://', which is not a ZeroMQ endpoint; write transport://address, e.g. tcp://127.0.0.1:5556 or ipc:///run/lstmcast/in
                  bind: tcp://
                        ^
                """)
    }

    func testEmptyOutputBindIsRejected() {
        assertConfigurationError(
            "output:\n  bind: []\n",
            renders: """
                c.yaml:2:9: error: 'output.bind' must list at least one endpoint
                  bind: []
                        ^
                """)
    }

    func testEmptySubscribeListIsRejected() {
        assertConfigurationError(
            "input:\n  subscribe: []\n",
            renders: """
                c.yaml:2:14: error: 'input.subscribe' is empty, so the daemon would receive nothing; list topic prefixes, or [""] for every topic
                  subscribe: []
                             ^
                """)
    }

    func testTwoControlEndpointsAreRejected() {
        assertConfigurationError(
            "control:\n  bind: [ipc:///tmp/a, ipc:///tmp/b]\n",
            renders: """
                c.yaml:2:9: error: 'control.bind' takes one endpoint, got 2
                  bind: [ipc:///tmp/a, ipc:///tmp/b]
                        ^
                """)
    }

    func testInputWithoutAnyEndpointIsRejected() {
        assertConfigurationError(
            "input:\n  connect: []\n",
            renders: """
                c.yaml:2:3: error: 'input' needs at least one endpoint in 'connect' or 'bind'
                  connect: []
                  ^
                """)
    }

    func testMinPointsBelowNStepPlusTwoIsRejected() {
        assertConfigurationError(
            "retrain:\n  min_points: 10\n",
            renders: """
                c.yaml:2:15: error: 'retrain.min_points' (10) must be at least n_step + 2 = 22, so the first training has a window to learn from
                  min_points: 10
                              ^
                """)
    }

    func testMinPointsRuleCountsDifferenceLag() {
        assertConfigurationError(
            "training:\n  transform: difference\nretrain:\n  min_points: 22\n",
            renders: """
                c.yaml:4:15: error: 'retrain.min_points' (22) must be at least n_step + 2 + 1 for difference = 23, so the first training has a window to learn from
                  min_points: 22
                              ^
                """)
    }

    func testLargeNStepErrorPointsAtNStep() {
        assertConfigurationError(
            "model:\n  n_step: 300\n",
            renders: """
                c.yaml:2:11: error: 'retrain.min_points' (200) must be at least n_step + 2 = 302, so the first training has a window to learn from
                  n_step: 300
                          ^
                """)
    }

    func testWindowBelowMinPointsIsRejected() {
        assertConfigurationError(
            "training:\n  window: 100\n",
            renders: """
                c.yaml:2:11: error: 'training.window' (100) must be at least 'retrain.min_points' (200), or the window never holds enough points to train
                  window: 100
                          ^
                """)
    }

    func testWindowRuleErrorPointsAtMinPoints() {
        assertConfigurationError(
            "retrain:\n  min_points: 1001\n",
            renders: """
                c.yaml:2:15: error: 'training.window' (1000) must be at least 'retrain.min_points' (1001), or the window never holds enough points to train
                  min_points: 1001
                              ^
                """)
    }
}
