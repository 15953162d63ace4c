import Configuration
import XCTest

/// Errors about the shape of the file: keys, duplicates, YAML syntax and node kinds.
final class ConfigurationStructureErrorTests: XCTestCase {
    func testUnknownTopLevelKeyListsValidKeys() {
        assertConfigurationError(
            "inputs:\n  connect: tcp://127.0.0.1:1\n",
            renders: """
                c.yaml:1:1: error: unknown key 'inputs'; valid keys here: input, output, control, state_dir, model, training, retrain, forecast, sampling, series, log, limits, metrics
                inputs:
                ^
                """)
    }

    func testUnknownNestedKeyReportsLineAndColumn() {
        assertConfigurationError(
            "input:\n  connect: tcp://127.0.0.1:5556\n  conect: x\n",
            renders: """
                c.yaml:3:3: error: unknown key 'input.conect'; valid keys here: connect, bind, subscribe, receive_hwm
                  conect: x
                  ^
                """)
    }

    func testUnknownKeyInSeriesEntryNamesItsIndex() {
        assertConfigurationError(
            "series:\n  - match: a\n  - match: b\n    horizon: 3\n",
            renders: """
                c.yaml:4:5: error: unknown key 'series[1].horizon'; valid keys here: match, model, training, retrain, forecast, sampling
                    horizon: 3
                    ^
                """)
    }

    func testWorkersInsideSeriesOverrideIsUnknownKey() {
        assertConfigurationError(
            "series:\n  - match: a*\n    retrain:\n      workers: 3\n",
            renders: """
                c.yaml:4:7: error: unknown key 'series[0].retrain.workers'; valid keys here: every_points, min_points, warm_start, warm_epochs, full_every, champion_challenger
                      workers: 3
                      ^
                """)
    }

    func testSeriesEntryWithoutMatchPointsAtEntry() {
        assertConfigurationError(
            "series:\n  - model:\n      n_step: 3\n",
            renders: """
                c.yaml:2:5: error: 'series[0]' needs a 'match' glob such as "price.*"
                  - model:
                    ^
                """)
    }

    func testSeriesEntryWithEmptyMatchIsRejected() {
        assertConfigurationError(
            "series:\n  - match: ''\n",
            renders: """
                c.yaml:2:12: error: 'series[0].match' must not be empty
                  - match: ''
                           ^
                """)
    }

    func testSeriesEntryThatIsScalarIsRejected() {
        assertConfigurationError(
            "series: [price.*]\n",
            renders: """
                c.yaml:1:10: error: 'series[0]' must be a mapping of keys, not a scalar
                series: [price.*]
                         ^
                """)
    }

    func testSeriesAsMappingIsRejected() {
        assertConfigurationError(
            "series:\n  match: a\n",
            renders: """
                c.yaml:2:3: error: 'series' must be a list of entries with 'match', not a mapping
                  match: a
                  ^
                """)
    }

    func testDuplicateNestedKeyNamesFirstLine() {
        assertConfigurationError(
            "training:\n  epochs: 5\n  epochs: 6\n",
            renders: """
                c.yaml:3:3: error: duplicate key 'epochs' (first set at line 2); keep one
                  epochs: 6
                  ^
                """)
    }

    func testDuplicateTopLevelSectionNamesFirstLine() {
        assertConfigurationError(
            "training:\n  epochs: 5\ntraining:\n  epochs: 6\n",
            renders: """
                c.yaml:3:1: error: duplicate key 'training' (first set at line 1); keep one
                training:
                ^
                """)
    }

    func testMisindentedKeyIsInvalidYAML() {
        assertConfigurationError(
            "model:\n  kind: many_to_one\n  n_step: 3\n    hidden: [2]\n",
            renders: """
                c.yaml:4:11: error: invalid YAML: mapping values are not allowed in this context
                    hidden: [2]
                          ^
                """)
    }

    func testTabIndentationIsInvalidYAML() {
        assertConfigurationError(
            "\tinput: x\n",
            renders: """
                c.yaml:1:1: error: invalid YAML: found character that cannot start any token while scanning for the next token; this line has a tab, and YAML indents with spaces only, so replace the tab with spaces
                \tinput: x
                ^
                """)
    }

    func testTopLevelListIsRejected() {
        assertConfigurationError(
            "- input\n- output\n",
            renders: """
                c.yaml:1:1: error: the top level must be a mapping of keys, not a list
                - input
                ^
                """)
    }

    func testTopLevelScalarIsRejected() {
        assertConfigurationError(
            "lstmcast\n",
            renders: """
                c.yaml:1:1: error: the top level must be a mapping of keys, not a scalar
                lstmcast
                ^
                """)
    }

    func testSectionGivenAsScalarIsRejected() {
        assertConfigurationError(
            "retrain: 5\n",
            renders: """
                c.yaml:1:10: error: 'retrain' must be a mapping of keys, not a scalar
                retrain: 5
                         ^
                """)
    }

    func testMappingWhereListBelongsIsRejected() {
        assertConfigurationError(
            "input:\n  connect:\n    a: b\n",
            renders: """
                c.yaml:3:5: error: 'input.connect' must be a list, not a mapping
                    a: b
                    ^
                """)
    }

    func testNestedListItemIsRejected() {
        assertConfigurationError(
            "model:\n  hidden: [[1]]\n",
            renders: """
                c.yaml:2:12: error: each item of 'model.hidden' must be a scalar, not a list
                  hidden: [[1]]
                           ^
                """)
    }

    func testListWhereStringBelongsIsRejected() {
        assertConfigurationError(
            "series:\n  - match: [a]\n",
            renders: """
                c.yaml:2:12: error: 'series[0].match' must be a string, not a list
                  - match: [a]
                           ^
                """)
    }

    func testNonStringKeyIsRejected() {
        assertConfigurationError(
            "? [a]\n: b\n",
            renders: """
                c.yaml:1:3: error: a key must be a plain string, not a list
                ? [a]
                  ^
                """)
    }

    func testAliasIsRejected() {
        assertConfigurationError(
            "state_dir: &dir /srv\nlog: *dir\n",
            renders: """
                c.yaml:2:6: error: YAML aliases are not supported; write the value out
                log: *dir
                     ^
                """)
    }

    func testSecondDocumentIsRejected() {
        assertConfigurationError(
            "---\nstate_dir: /a\n---\nstate_dir: /b\n",
            renders: """
                c.yaml:4:1: error: the file contains more than one YAML document; keep one
                state_dir: /b
                ^
                """)
    }

    func testErrorNamesTheFileItWasGiven() {
        XCTAssertThrowsError(try ConfigurationLoader.parse("bogus: 1\n", file: "/etc/lstmcast/main.yaml")) { error in
            XCTAssertEqual((error as? ConfigurationError)?.file, "/etc/lstmcast/main.yaml")
        }
    }
}
