import Activations
import ActivationsAVX2
import LSTMKit
import XCTest

/// The two builds of ActivationKernels.swift, called directly: the same
/// source must give the same bits whichever instructions run it.
final class ActivationBuildTests: XCTestCase {
    func testBuildsGiveIdenticalBits() throws {
        try XCTSkipUnless(ActivationKernel.avx2.isSupported, "this CPU has no AVX2, so only one build runs")
        var generator = SystemRandomNumberGenerator()
        // Full vectors and every tail length, over the gates' range and past the clamps.
        for count in [1, 3, 7, 8, 9, 15, 16, 100, 1003] {
            let values = (0..<count).map { _ in Float.random(in: -95...95, using: &generator) }
            XCTAssertEqual(
                apply(Activations.sigmoidInPlace, to: values), apply(ActivationsAVX2.sigmoidInPlace, to: values),
                "sigmoid of \(count) values")
            XCTAssertEqual(
                apply(Activations.tanhInPlace, to: values), apply(ActivationsAVX2.tanhInPlace, to: values),
                "tanh of \(count) values")
        }
    }

    func testTailLeavesNeighboursAlone() {
        // Seven values in a buffer of nine: the tail path must write only its own lanes.
        var buffer: [Float] = [42, 0, 1, -1, 2, -2, 3, -3, 42]
        buffer.withUnsafeMutableBufferPointer { Activations.sigmoidInPlace($0.baseAddress! + 1, count: 7) }
        XCTAssertEqual(buffer.first, 42)
        XCTAssertEqual(buffer.last, 42)
        XCTAssertEqual(buffer[1], 0.5)
        XCTAssertEqual(buffer[2] + buffer[3], 1, accuracy: 1e-6, "σ(x) + σ(−x) = 1")
    }

    private func apply(_ function: (UnsafeMutablePointer<Float>, Int) -> Void, to values: [Float]) -> [UInt32] {
        var result = values
        result.withUnsafeMutableBufferPointer { function($0.baseAddress!, $0.count) }
        return result.map(\.bitPattern)
    }
}
