import Foundation
import XCTest
import ZeroMQ

/// `receive(into:)`, the daemon's allocation-free receive, over ipc:// in a temporary folder.
final class ReceivedMessageTests: SocketTestCase {
    private func connectedPair() throws -> (publisher: Socket, subscriber: Socket) {
        let publisher = try makeSocket(context, .publisher)
        try publisher.bind("ipc://\(folder.path)/pair")
        let subscriber = try makeSocket(context, .subscriber)
        try subscriber.subscribe("")
        try subscriber.connect(try publisher.lastEndpoint())
        XCTAssertTrue(try waitForSubscription(publisher: publisher, subscriber: subscriber))
        return (publisher, subscriber)
    }

    private func frames(of message: ReceivedMessage) -> [[UInt8]] {
        message.withFirstFrames { [Array($0), Array($1)] }
    }

    /// Waits up to five seconds for one message.
    private func receive(_ socket: Socket, into message: inout ReceivedMessage) throws -> Bool {
        let deadline = Date(timeIntervalSinceNow: 5)
        while Date() < deadline {
            if try socket.receive(into: &message, blocking: false) { return true }
            usleep(1_000)
        }
        return false
    }

    func testFramesCountsAndSizesOfSuccessiveMessages() throws {
        let (publisher, subscriber) = try connectedPair()
        defer {
            publisher.close()
            subscriber.close()
        }
        var message = ReceivedMessage()
        XCTAssertFalse(try subscriber.receive(into: &message, blocking: false), "nothing is queued yet")

        try publisher.send([bytes("topic.a"), bytes("1700000000 21.5")])
        try publisher.send([bytes("one frame")])
        try publisher.send([bytes("t"), [], Array(repeating: 7, count: 300), bytes("x")])
        try publisher.send([[], bytes("after empty")])

        XCTAssertTrue(try receive(subscriber, into: &message))
        XCTAssertEqual(message.frameCount, 2)
        XCTAssertEqual(message.largestFrame, 15)
        XCTAssertEqual(frames(of: message), [bytes("topic.a"), bytes("1700000000 21.5")])

        XCTAssertTrue(try receive(subscriber, into: &message))
        XCTAssertEqual(message.frameCount, 1)
        XCTAssertEqual(frames(of: message), [bytes("one frame"), []], "a missing second frame reads as empty")

        XCTAssertTrue(try receive(subscriber, into: &message))
        XCTAssertEqual(message.frameCount, 4)
        XCTAssertEqual(message.largestFrame, 300, "frames after the second are measured though not kept")
        XCTAssertEqual(frames(of: message), [bytes("t"), []])

        XCTAssertTrue(try receive(subscriber, into: &message))
        XCTAssertEqual(message.frameCount, 2)
        XCTAssertEqual(frames(of: message), [[], bytes("after empty")], "nothing of the earlier message remains")
    }
}
