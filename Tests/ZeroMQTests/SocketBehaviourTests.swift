import Foundation
import XCTest
import ZeroMQ

/// Non-blocking and timed receives, other socket types, XPUB subscription
/// messages and the poller.
final class SocketBehaviourTests: XCTestCase {
    private var context: Context!

    override func setUpWithError() throws {
        context = try Context()
    }

    override func tearDown() {
        context = nil
    }

    /// Makes a PULL socket bound to a fresh inproc endpoint and a PUSH socket connected to it.
    private func makePushPull(_ name: String) throws -> (push: Socket, pull: Socket) {
        let pull = try makeSocket(context, .pull)
        try pull.bind("inproc://\(name)")
        let push = try makeSocket(context, .push)
        try push.connect("inproc://\(name)")
        return (push, pull)
    }

    func testNonBlockingReceiveOnEmptySocketWouldBlock() throws {
        let subscriber = try makeSocket(context, .subscriber)
        defer { subscriber.close() }
        try subscriber.subscribe("")
        try subscriber.bind("tcp://127.0.0.1:*")
        guard case .wouldBlock = try subscriber.receive(blocking: false) else {
            return XCTFail("expected .wouldBlock")
        }
    }

    func testReceiveTimeoutReturnsWouldBlockAfterTimeout() throws {
        let subscriber = try makeSocket(context, .subscriber)
        defer { subscriber.close() }
        try subscriber.subscribe("")
        try subscriber.bind("tcp://127.0.0.1:*")
        try subscriber.setReceiveTimeout(milliseconds: 150)

        let started = Date()
        let result = try subscriber.receive()
        let elapsed = Date().timeIntervalSince(started)
        guard case .wouldBlock = result else { return XCTFail("expected .wouldBlock") }
        XCTAssertGreaterThanOrEqual(elapsed, 0.1)
        XCTAssertLessThan(elapsed, 3)
    }

    func testNonBlockingSendWithoutSubscribersIsDone() throws {
        let publisher = try makeSocket(context, .publisher)
        defer { publisher.close() }
        try publisher.bind("tcp://127.0.0.1:*")
        guard case .done = try publisher.send([bytes("nobody"), bytes("listens")], blocking: false) else {
            return XCTFail("expected .done: a PUB socket drops what no one subscribed to")
        }
    }

    func testPushPullCarriesMultipartMessage() throws {
        let (push, pull) = try makePushPull("push-pull")
        defer { push.close(); pull.close() }
        try push.send([bytes("a"), [], bytes("c")])
        XCTAssertEqual(try receive(pull), [bytes("a"), [], bytes("c")])
    }

    func testBlockingReceiveReturnsQueuedMessage() throws {
        let (push, pull) = try makePushPull("blocking")
        defer { push.close(); pull.close() }
        try pull.setReceiveTimeout(milliseconds: 5_000)
        try push.send([bytes("queued")])
        guard case .done(let parts) = try pull.receive() else { return XCTFail("timed out") }
        XCTAssertEqual(parts, [bytes("queued")])
    }

    func testRequestReplyRoundTrip() throws {
        let reply = try makeSocket(context, .reply)
        defer { reply.close() }
        try reply.bind("tcp://127.0.0.1:*")
        let request = try makeSocket(context, .request)
        defer { request.close() }
        try request.connect(try reply.lastEndpoint())

        try request.send([bytes("ping")])
        XCTAssertEqual(try receive(reply), [bytes("ping")])
        try reply.send([bytes("pong")])
        XCTAssertEqual(try receive(request), [bytes("pong")])
    }

    func testExtendedPublisherSeesSubscribeMessage() throws {
        let publisher = try makeSocket(context, .extendedPublisher)
        defer { publisher.close() }
        try publisher.bind("tcp://127.0.0.1:*")
        let subscriber = try makeSocket(context, .subscriber)
        defer { subscriber.close() }
        try subscriber.connect(try publisher.lastEndpoint())
        try subscriber.subscribe("abc")

        XCTAssertEqual(try receive(publisher), [[1] + bytes("abc")])
    }

    func testExtendedPublisherSeesUnsubscribeMessage() throws {
        let publisher = try makeSocket(context, .extendedPublisher)
        defer { publisher.close() }
        try publisher.bind("tcp://127.0.0.1:*")
        let subscriber = try makeSocket(context, .subscriber)
        defer { subscriber.close() }
        try subscriber.connect(try publisher.lastEndpoint())
        try subscriber.subscribe("abc")
        _ = try receive(publisher)

        try subscriber.unsubscribe("abc")
        XCTAssertEqual(try receive(publisher), [[0] + bytes("abc")])
    }

    func testExtendedPublisherWithoutVerboseReportsRepeatedSubscriptionOnce() throws {
        let publisher = try makeSocket(context, .extendedPublisher)
        defer { publisher.close() }
        try publisher.bind("tcp://127.0.0.1:*")
        let subscribers = try (0..<2).map { _ in try makeSocket(context, .subscriber) }
        defer { subscribers.forEach { $0.close() } }
        for subscriber in subscribers {
            try subscriber.connect(try publisher.lastEndpoint())
            try subscriber.subscribe("x")
        }

        XCTAssertEqual(try receive(publisher), [[1] + bytes("x")])
        XCTAssertNil(try receive(publisher, within: 300))
    }

    func testExtendedPublisherWithVerboseReportsEverySubscription() throws {
        let publisher = try makeSocket(context, .extendedPublisher)
        defer { publisher.close() }
        try publisher.setVerbose(true)
        try publisher.bind("tcp://127.0.0.1:*")
        let subscribers = try (0..<2).map { _ in try makeSocket(context, .subscriber) }
        defer { subscribers.forEach { $0.close() } }
        for subscriber in subscribers {
            try subscriber.connect(try publisher.lastEndpoint())
            try subscriber.subscribe("x")
        }

        XCTAssertEqual(try receive(publisher), [[1] + bytes("x")])
        XCTAssertEqual(try receive(publisher), [[1] + bytes("x")])
    }

    func testPollerReportsOnlySocketsWithMessages() throws {
        let (firstPush, firstPull) = try makePushPull("poll-first")
        let (secondPush, secondPull) = try makePushPull("poll-second")
        defer { [firstPush, firstPull, secondPush, secondPull].forEach { $0.close() } }
        var poller = Poller()
        poller.add(firstPull)
        poller.add(secondPull)

        try secondPush.send([bytes("ready")])
        let readable = try poller.readable(timeoutMilliseconds: 5_000)
        XCTAssertEqual(readable.count, 1)
        XCTAssertTrue(readable.first === secondPull)
    }

    func testPollerReportsBothSocketsWhenBothHaveMessages() throws {
        let (firstPush, firstPull) = try makePushPull("both-first")
        let (secondPush, secondPull) = try makePushPull("both-second")
        defer { [firstPush, firstPull, secondPush, secondPull].forEach { $0.close() } }
        var poller = Poller()
        poller.add(firstPull)
        poller.add(secondPull)

        try firstPush.send([bytes("1")])
        try secondPush.send([bytes("2")])
        // Nothing is received here, so a socket once readable stays readable.
        let deadline = Date(timeIntervalSinceNow: 5)
        var readable: [Socket] = []
        while readable.count < 2 && Date() < deadline {
            readable = try poller.readable(timeoutMilliseconds: 100)
        }
        XCTAssertEqual(readable.count, 2)
    }

    func testPollerTimesOutWithNothingReadable() throws {
        let (push, pull) = try makePushPull("poll-empty")
        defer { push.close(); pull.close() }
        var poller = Poller()
        poller.add(pull)

        let started = Date()
        let readable = try poller.readable(timeoutMilliseconds: 100)
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(readable.count, 0)
        XCTAssertGreaterThanOrEqual(elapsed, 0.08)
        XCTAssertLessThan(elapsed, 3)
    }

    func testPollerWithZeroTimeoutReturnsAtOnce() throws {
        let (push, pull) = try makePushPull("poll-zero")
        defer { push.close(); pull.close() }
        var poller = Poller()
        poller.add(pull)

        let started = Date()
        XCTAssertEqual(try poller.readable(timeoutMilliseconds: 0).count, 0)
        XCTAssertLessThan(Date().timeIntervalSince(started), 1)
    }

    func testContextShutdownEndsBlockedReceive() throws {
        let (push, pull) = try makePushPull("shutdown")
        defer { push.close(); pull.close() }
        // The timeout bounds the test if shutdown failed to wake the receive.
        try pull.setReceiveTimeout(milliseconds: 5_000)
        let context = self.context!
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.1) { context.shutdown() }

        XCTAssertThrowsError(try pull.receive()) { error in
            XCTAssertEqual((error as? ZeroMQError)?.isContextTerminated, true, "\(error)")
        }
    }

    func testCloseTwiceIsHarmless() throws {
        let socket = try makeSocket(context, .publisher)
        socket.close()
        socket.close()
    }

    func testLibraryVersionHasThreeNumbers() {
        let parts = Context.libraryVersion.split(separator: ".")
        XCTAssertEqual(parts.count, 3, Context.libraryVersion)
        XCTAssertTrue(parts.allSatisfy { Int($0) != nil }, Context.libraryVersion)
    }
}
