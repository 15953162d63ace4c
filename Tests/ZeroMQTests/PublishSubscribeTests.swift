import Foundation
import XCTest
import ZeroMQ

/// PUB/SUB pairs over tcp:// on 127.0.0.1 and ipc:// in a temporary folder.
final class PublishSubscribeTests: SocketTestCase {
    /// A message with text, an empty part and every byte value.
    private let mixedMessage: [[UInt8]] = [bytes("price.btc"), bytes(#"{"value": 1.5}"#), [], Array(0...255)]

    private func assertMultipartRoundTrip(bindTo endpoint: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let publisher = try makeSocket(context, .publisher)
        defer { publisher.close() }
        try publisher.bind(endpoint)
        let subscriber = try makeSocket(context, .subscriber)
        defer { subscriber.close() }
        try subscriber.subscribe("")
        try subscriber.connect(try publisher.lastEndpoint())

        XCTAssertTrue(try waitForSubscription(publisher: publisher, subscriber: subscriber), file: file, line: line)
        try publisher.send(mixedMessage)
        XCTAssertEqual(try receive(subscriber), mixedMessage, file: file, line: line)
    }

    func testTCPWildcardBindReportsRealPort() throws {
        let publisher = try makeSocket(context, .publisher)
        defer { publisher.close() }
        try publisher.bind("tcp://127.0.0.1:*")
        let endpoint = try publisher.lastEndpoint()
        XCTAssertTrue(endpoint.hasPrefix("tcp://127.0.0.1:"), endpoint)
        let port = Int(endpoint.dropFirst("tcp://127.0.0.1:".count))
        XCTAssertNotNil(port, endpoint)
        XCTAssertGreaterThan(port ?? 0, 0)
    }

    func testIPCLastEndpointIsBoundPath() throws {
        let endpoint = "ipc://\(folder.path)/pub"
        let publisher = try makeSocket(context, .publisher)
        defer { publisher.close() }
        try publisher.bind(endpoint)
        XCTAssertEqual(try publisher.lastEndpoint(), endpoint)
    }

    func testUnboundSocketHasEmptyLastEndpoint() throws {
        let publisher = try makeSocket(context, .publisher)
        defer { publisher.close() }
        XCTAssertEqual(try publisher.lastEndpoint(), "")
    }

    func testTCPMultipartMessageArrivesWhole() throws {
        try assertMultipartRoundTrip(bindTo: "tcp://127.0.0.1:*")
    }

    func testIPCMultipartMessageArrivesWhole() throws {
        try assertMultipartRoundTrip(bindTo: "ipc://\(folder.path)/pub")
    }

    func testStringPartsArriveAsUTF8() throws {
        let publisher = try makeSocket(context, .publisher)
        defer { publisher.close() }
        try publisher.bind("ipc://\(folder.path)/pub")
        let subscriber = try makeSocket(context, .subscriber)
        defer { subscriber.close() }
        try subscriber.subscribe("")
        try subscriber.connect(try publisher.lastEndpoint())

        XCTAssertTrue(try waitForSubscription(publisher: publisher, subscriber: subscriber))
        try publisher.send(strings: ["température", "21.5"])
        XCTAssertEqual(try receive(subscriber), [bytes("température"), bytes("21.5")])
    }

    func testMessagesArriveInSendOrder() throws {
        let publisher = try makeSocket(context, .publisher)
        defer { publisher.close() }
        try publisher.bind("tcp://127.0.0.1:*")
        let subscriber = try makeSocket(context, .subscriber)
        defer { subscriber.close() }
        try subscriber.subscribe("")
        try subscriber.connect(try publisher.lastEndpoint())

        XCTAssertTrue(try waitForSubscription(publisher: publisher, subscriber: subscriber))
        for index in 0..<100 { try publisher.send([bytes("s"), bytes("\(index)")]) }
        var received: [String] = []
        while received.count < 100, let message = try receive(subscriber, within: 1_000) {
            received.append(String(decoding: message[1], as: UTF8.self))
        }
        XCTAssertEqual(received, (0..<100).map(String.init))
    }

    func testTopicFilterDropsOtherTopics() throws {
        let publisher = try makeSocket(context, .publisher)
        defer { publisher.close() }
        try publisher.bind("tcp://127.0.0.1:*")
        let subscriber = try makeSocket(context, .subscriber)
        defer { subscriber.close() }
        try subscriber.subscribe("price.")
        try subscriber.connect(try publisher.lastEndpoint())

        let probe = [bytes("price.sync")]
        XCTAssertTrue(try waitForSubscription(publisher: publisher, subscriber: subscriber, probe: probe))
        try publisher.send([bytes("temp.kitchen"), bytes("21")])
        try publisher.send([bytes("pric"), bytes("22")])
        try publisher.send([bytes("price.btc"), bytes("23")])
        XCTAssertEqual(try receive(subscriber), [bytes("price.btc"), bytes("23")])
        XCTAssertNil(try receive(subscriber, within: 100))
    }

    func testTopicFilterLooksOnlyAtFirstPart() throws {
        let publisher = try makeSocket(context, .publisher)
        defer { publisher.close() }
        try publisher.bind("ipc://\(folder.path)/pub")
        let subscriber = try makeSocket(context, .subscriber)
        defer { subscriber.close() }
        try subscriber.subscribe("price.")
        try subscriber.connect(try publisher.lastEndpoint())

        XCTAssertTrue(try waitForSubscription(publisher: publisher, subscriber: subscriber, probe: [bytes("price.sync")]))
        try publisher.send([bytes("temp"), bytes("price.btc")])
        try publisher.send([bytes("price.end")])
        XCTAssertEqual(try receive(subscriber), [bytes("price.end")])
    }

    func testUnsubscribeStopsDelivery() throws {
        let publisher = try makeSocket(context, .publisher)
        defer { publisher.close() }
        try publisher.bind("tcp://127.0.0.1:*")
        let subscriber = try makeSocket(context, .subscriber)
        defer { subscriber.close() }
        try subscriber.subscribe("a.")
        try subscriber.connect(try publisher.lastEndpoint())
        XCTAssertTrue(try waitForSubscription(publisher: publisher, subscriber: subscriber, probe: [bytes("a.sync")]))

        try subscriber.unsubscribe("a.")
        // Subscription changes reach the publisher in order, so once "b." works, "a." is gone.
        try subscriber.subscribe("b.")
        XCTAssertTrue(try waitForSubscription(publisher: publisher, subscriber: subscriber, probe: [bytes("b.sync")]))
        try publisher.send([bytes("a.x")])
        try publisher.send([bytes("b.y")])
        XCTAssertEqual(try receive(subscriber), [bytes("b.y")])
    }

    func testEverySubscriberGetsItsOwnCopy() throws {
        let publisher = try makeSocket(context, .publisher)
        defer { publisher.close() }
        try publisher.bind("tcp://127.0.0.1:*")
        let first = try makeSocket(context, .subscriber)
        defer { first.close() }
        let second = try makeSocket(context, .subscriber)
        defer { second.close() }
        for subscriber in [first, second] {
            try subscriber.subscribe("")
            try subscriber.connect(try publisher.lastEndpoint())
        }

        XCTAssertTrue(try waitForSubscription(publisher: publisher, subscriber: first))
        XCTAssertTrue(try waitForSubscription(publisher: publisher, subscriber: second))
        while try receive(first, within: 50) != nil {}
        try publisher.send([bytes("fan"), bytes("out")])
        XCTAssertEqual(try receive(first), [bytes("fan"), bytes("out")])
        XCTAssertEqual(try receive(second), [bytes("fan"), bytes("out")])
    }

    func testIPv6LoopbackCarriesMessages() throws {
        let publisher = try makeSocket(context, .publisher)
        defer { publisher.close() }
        try publisher.setIPv6(true)
        do {
            try publisher.bind("tcp://[::1]:*")
        } catch let error as ZeroMQError where error.errno == EADDRNOTAVAIL {
            throw XCTSkip("this machine has no ::1: \(error)")
        }
        let subscriber = try makeSocket(context, .subscriber)
        defer { subscriber.close() }
        try subscriber.setIPv6(true)
        try subscriber.subscribe("")
        try subscriber.connect(try publisher.lastEndpoint())

        XCTAssertTrue(try waitForSubscription(publisher: publisher, subscriber: subscriber))
        try publisher.send([bytes("v6")])
        XCTAssertEqual(try receive(subscriber), [bytes("v6")])
    }
}
