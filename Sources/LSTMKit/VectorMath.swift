#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
internal import Activations
internal import ActivationsAVX2
internal import CBLAS

/// The two builds of the gate activations, sigmoid and tanh, described in
/// ActivationKernels.swift.
public enum ActivationKernel: String, Sendable, CaseIterable {
    case baseline
    case avx2

    /// The value of `LSTMCAST_ACTIVATIONS`, lower-cased and without spaces,
    /// or nil when it is unset or empty (as an `Environment=` line without
    /// a value gives).
    // getenv and read(2) keep Foundation's process and file machinery, about
    // 1 MB of resident memory, out of processes that never needed it.
    public static let requestedName: String? = normalized(getenv("LSTMCAST_ACTIVATIONS").map { String(cString: $0) })

    /// The build this process runs, chosen once: the fastest this CPU
    /// supports, unless `LSTMCAST_ACTIVATIONS` names a supported one.
    public static let active: ActivationKernel = choose(requested: requestedName)

    /// True when this CPU can run the build.
    public var isSupported: Bool {
        switch self {
        case .baseline: return true
        case .avx2: return Self.cpuRunsAVX2
        }
    }

    /// Returns the requested build when it exists and runs here, else the fastest that runs here.
    public static func choose(requested: String?) -> ActivationKernel {
        if let name = normalized(requested), let kernel = ActivationKernel(rawValue: name), kernel.isSupported {
            return kernel
        }
        return cpuRunsAVX2 ? .avx2 : .baseline
    }

    private static func normalized(_ text: String?) -> String? {
        guard let name = text?.lowercased().filter({ $0 != " " && $0 != "\t" }), !name.isEmpty else { return nil }
        return name
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
            if let flags = cpuFlags() {
                return avx2BuildFeatures.allSatisfy { feature in flags.contains { $0.elementsEqual(feature.utf8) } }
            }
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
    private static let avx2BuildFeatures: [String] = [
        "avx", "avx2", "fma", "bmi1", "bmi2", "abm", "movbe", "f16c", "popcnt", "sse4_2",
    ]

    /// OpenBLAS's x86-64 cores that have every feature above.
    private static let avx2Cores: Set<String> = ["haswell", "skylakex", "cooperlake", "sapphirerapids", "zen"]

    /// Returns the first processor's flags from /proc/cpuinfo, or nil when it cannot be read.
    private static func cpuFlags() -> [ArraySlice<UInt8>]? {
        let descriptor = open("/proc/cpuinfo", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        // The first processor's block, flags line included, fits well within 64 KiB.
        var bytes = [UInt8](repeating: 0, count: 65_536)
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            filled += count
        }
        // Bytes, not Strings: comparing and hashing Strings loads Unicode
        // tables worth about 0.4 MB of resident memory, for an ASCII file.
        let lines = bytes[..<filled].split(separator: UInt8(ascii: "\n"))
        guard let line = lines.first(where: { $0.starts(with: Array("flags".utf8)) }),
            let colon = line.firstIndex(of: UInt8(ascii: ":"))
        else { return nil }
        return line[(colon + 1)...].split(separator: UInt8(ascii: " "))
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
}
