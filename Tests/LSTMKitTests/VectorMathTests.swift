import Foundation
import LSTMKit
import XCTest

/// The vectorised activations against Double-precision libm over the range
/// the gates see, with the largest error in the failure message.
final class VectorMathTests: XCTestCase {
    // Each sample is a float first, so the reference sees exactly the input the float code does.
    private let samples = stride(from: -20.0, through: 20.0, by: 0.0137).map { Double(Float($0)) }

    func testSigmoidMatchesLibmWithinRelativeTolerance() {
        var worst = (x: 0.0, error: 0.0)
        for x in samples {
            let expected = 1 / (1 + exp(-x))
            let error = abs(Double(VectorMath.sigmoid(Float(x))) - expected) / expected
            if error > worst.error { worst = (x, error) }
        }
        XCTAssertLessThan(worst.error, 2e-7, "largest relative error at x=\(worst.x)")
    }

    func testTanhMatchesLibmWithinAbsoluteTolerance() {
        var worst = (x: 0.0, error: 0.0)
        for x in samples {
            let error = abs(Double(VectorMath.tanh(Float(x))) - tanh(x))
            if error > worst.error { worst = (x, error) }
        }
        XCTAssertLessThan(worst.error, 3e-7, "largest absolute error at x=\(worst.x)")
    }

    func testActivationsSaturateWithoutOverflow() {
        for x: Float in [-1e6, -200, -88.8, 88.8, 200, 1e6] {
            XCTAssertTrue(VectorMath.sigmoid(x).isFinite, "sigmoid(\(x))")
            XCTAssertTrue(VectorMath.tanh(x).isFinite, "tanh(\(x))")
        }
        XCTAssertEqual(VectorMath.sigmoid(-1e6), 0, accuracy: 1e-30)
        XCTAssertEqual(VectorMath.sigmoid(1e6), 1)
        XCTAssertEqual(VectorMath.tanh(-1e6), -1)
        XCTAssertEqual(VectorMath.tanh(1e6), 1)
    }
}
