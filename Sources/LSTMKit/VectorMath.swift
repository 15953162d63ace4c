import Foundation
internal import Activations
internal import ActivationsAVX2
internal import CBLAS

/// The two builds of the gate activations, sigmoid and tanh, described in
/// ActivationKernels.swift.
public enum ActivationKernel: String, Sendable, CaseIterable {
    case baseline
    case avx2

    /// The build this process runs, chosen once: the fastest this CPU
    /// supports, unless `LSTMCAST_ACTIVATIONS` names a supported one.
    public static let active: ActivationKernel = choose(
        requested: ProcessInfo.processInfo.environment["LSTMCAST_ACTIVATIONS"])

    /// True when this CPU can run the build.
    public var isSupported: Bool {
        switch self {
        case .baseline: return true
        case .avx2: return Self.cpuRunsAVX2
        }
    }

    /// Returns the requested build when it exists and runs here, else the fastest that runs here.
    public static func choose(requested: String?) -> ActivationKernel {
        if let requested, let kernel = ActivationKernel(rawValue: requested.lowercased()), kernel.isSupported {
            return kernel
        }
        return cpuRunsAVX2 ? .avx2 : .baseline
    }

    func sigmoid(_ values: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .baseline: Activations.sigmoidInPlace(values, count: count)
        case .avx2: ActivationsAVX2.sigmoidInPlace(values, count: count)
        }
    }

    func tanh(_ values: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .baseline: Activations.tanhInPlace(values, count: count)
        case .avx2: ActivationsAVX2.tanhInPlace(values, count: count)
        }
    }

    private static let cpuRunsAVX2: Bool = {
        #if arch(x86_64)
            if let flags = cpuFlags() { return avx2BuildFeatures.isSubset(of: flags) }
            // systemd's ProcSubset=pid hides /proc/cpuinfo. OpenBLAS reads the
            // CPU and the kernel's saved vector state itself, so an AVX2 core
            // chosen by it means both are there.
            guard let name = openblas_get_corename() else { return false }
            return avx2Cores.contains(String(cString: name).lowercased())
        #else
            return false
        #endif
    }()

    /// The features LLVM may use for its `haswell` CPU, as /proc/cpuinfo names them (abm is lzcnt).
    private static let avx2BuildFeatures: Set<Substring> = [
        "avx", "avx2", "fma", "bmi1", "bmi2", "abm", "movbe", "f16c", "popcnt", "sse4_2",
    ]

    /// OpenBLAS's x86-64 cores that have every feature above.
    private static let avx2Cores: Set<String> = ["haswell", "skylakex", "cooperlake", "sapphirerapids", "zen"]

    private static func cpuFlags() -> Set<Substring>? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
            let colon = line.firstIndex(of: ":")
        else { return nil }
        return Set(line[line.index(after: colon)...].split(separator: " "))
    }
}

@inline(__always)
func sigmoidInPlace(_ values: UnsafeMutablePointer<Float>, count: Int) {
    ActivationKernel.active.sigmoid(values, count: count)
}

@inline(__always)
func tanhInPlace(_ values: UnsafeMutablePointer<Float>, count: Int) {
    ActivationKernel.active.tanh(values, count: count)
}

/// Scalar entry points with the same formulas, for tests and small callers.
public enum VectorMath {
    public static func sigmoid(_ x: Float, kernel: ActivationKernel = .active) -> Float {
        var value = x
        kernel.sigmoid(&value, count: 1)
        return value
    }

    public static func tanh(_ x: Float, kernel: ActivationKernel = .active) -> Float {
        var value = x
        kernel.tanh(&value, count: 1)
        return value
    }

    /// Applies the sigmoid of `kernel` to every value at once, eight lanes at a time.
    public static func sigmoid(_ values: [Float], kernel: ActivationKernel) -> [Float] {
        var result = values
        result.withUnsafeMutableBufferPointer { kernel.sigmoid($0.baseAddress!, count: $0.count) }
        return result
    }

    /// Applies the tanh of `kernel` to every value at once, eight lanes at a time.
    public static func tanh(_ values: [Float], kernel: ActivationKernel) -> [Float] {
        var result = values
        result.withUnsafeMutableBufferPointer { kernel.tanh($0.baseAddress!, count: $0.count) }
        return result
    }
}
