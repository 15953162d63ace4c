import Foundation
import LSTMKit
import XCTest

/// The vectorised activations against Double-precision libm over the range
/// the gates see, with the largest error in the failure message.
final class VectorMathTests: XCTestCase {
    // Each sample is a float first, so the reference sees exactly the input the float code does.
    private let samples = stride(from: -20.0, through: 20.0, by: 0.0137).map { Double(Float($0)) }

    /// Every build this CPU runs; the AVX2 one is missing only on CPUs without it.
    private let kernels = ActivationKernel.allCases.filter(\.isSupported)

    func testSigmoidMatchesLibmWithinRelativeTolerance() {
        for kernel in kernels {
            var worst = (x: 0.0, error: 0.0)
            for x in samples {
                let expected = 1 / (1 + exp(-x))
                let error = abs(Double(VectorMath.sigmoid(Float(x), kernel: kernel)) - expected) / expected
                if error > worst.error { worst = (x, error) }
            }
            XCTAssertLessThan(worst.error, 2e-7, "\(kernel): largest relative error at x=\(worst.x)")
        }
    }

    func testTanhMatchesLibmWithinAbsoluteTolerance() {
        for kernel in kernels {
            var worst = (x: 0.0, error: 0.0)
            for x in samples {
                let error = abs(Double(VectorMath.tanh(Float(x), kernel: kernel)) - tanh(x))
                if error > worst.error { worst = (x, error) }
            }
            XCTAssertLessThan(worst.error, 3e-7, "\(kernel): largest absolute error at x=\(worst.x)")
        }
    }

    func testActivationsSaturateWithoutOverflow() {
        for kernel in kernels {
            for x: Float in [-1e6, -200, -88.8, 88.8, 200, 1e6] {
                XCTAssertTrue(VectorMath.sigmoid(x, kernel: kernel).isFinite, "\(kernel): sigmoid(\(x))")
                XCTAssertTrue(VectorMath.tanh(x, kernel: kernel).isFinite, "\(kernel): tanh(\(x))")
            }
            XCTAssertEqual(VectorMath.sigmoid(-1e6, kernel: kernel), 0, accuracy: 1e-30)
            XCTAssertEqual(VectorMath.sigmoid(1e6, kernel: kernel), 1)
            XCTAssertEqual(VectorMath.tanh(-1e6, kernel: kernel), -1)
            XCTAssertEqual(VectorMath.tanh(1e6, kernel: kernel), 1)
        }
    }

    func testBothBuildsGiveIdenticalBits() throws {
        try XCTSkipUnless(ActivationKernel.avx2.isSupported, "this CPU has no AVX2, so only one build runs")
        // Full vectors and every tail length, over the gates' range and past the clamps.
        var generator = SystemRandomNumberGenerator()
        for count in [1, 3, 7, 8, 9, 15, 16, 100, 1003] {
            let values = (0..<count).map { _ in Float.random(in: -95...95, using: &generator) }
            let sigmoidBits = ActivationKernel.allCases.map { VectorMath.sigmoid(values, kernel: $0).map(\.bitPattern) }
            let tanhBits = ActivationKernel.allCases.map { VectorMath.tanh(values, kernel: $0).map(\.bitPattern) }
            XCTAssertEqual(sigmoidBits[0], sigmoidBits[1], "sigmoid of \(count) values differs between builds")
            XCTAssertEqual(tanhBits[0], tanhBits[1], "tanh of \(count) values differs between builds")
        }
    }

    func testChoiceFallsBackWhenTheRequestCannotRun() {
        XCTAssertEqual(ActivationKernel.choose(requested: "baseline"), .baseline)
        XCTAssertEqual(ActivationKernel.choose(requested: "BASELINE"), .baseline)
        let fastest: ActivationKernel = ActivationKernel.avx2.isSupported ? .avx2 : .baseline
        XCTAssertEqual(ActivationKernel.choose(requested: nil), fastest)
        XCTAssertEqual(ActivationKernel.choose(requested: "avx512"), fastest, "an unknown build falls back")
        XCTAssertEqual(ActivationKernel.choose(requested: "avx2"), fastest, "avx2 only where it runs")
    }
}
