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

    func testChoiceFallsBackWhenTheRequestCannotRun() {
        XCTAssertEqual(ActivationKernel.choose(requested: "baseline"), .baseline)
        XCTAssertEqual(ActivationKernel.choose(requested: "BASELINE"), .baseline)
        XCTAssertEqual(ActivationKernel.choose(requested: " baseline\t"), .baseline, "spaces around the value")
        let fastest: ActivationKernel = ActivationKernel.avx2.isSupported ? .avx2 : .baseline
        XCTAssertEqual(ActivationKernel.choose(requested: nil), fastest)
        XCTAssertEqual(ActivationKernel.choose(requested: "avx512"), fastest, "an unknown build falls back")
        XCTAssertEqual(ActivationKernel.choose(requested: "avx2"), fastest, "avx2 only where it runs")
    }
}
