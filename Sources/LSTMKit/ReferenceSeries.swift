import Foundation

/// The reference experiment's series: `0.01·t + sin(2π·0.03·t) + U[0,1)`.
///
/// Its conditional mean is `0.01·t + sin(2π·0.03·t) + 0.5` and the noise's
/// standard deviation 1/√12 ≈ 0.2887 bounds every one-step forecast's RMSE.
public enum ReferenceSeries {
    public static func value(at t: Int, noise: Double) -> Double {
        0.01 * Double(t) + sin(2 * Double.pi * 0.03 * Double(t)) + noise
    }

    public static func conditionalMean(at t: Int) -> Double {
        value(at: t, noise: 0.5)
    }

    /// Returns the values at t = 0 ..< count with seeded uniform noise.
    public static func generate(count: Int, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { value(at: $0, noise: generator.nextUnit()) }
    }
}
