// libFuzzer entry point for the input parser, built by scripts/fuzz
// together with the parser's own source files. The first byte picks the
// frame count (1 to 3); the rest is split into that many frames at 0xFF
// bytes, so the fuzzer reaches every message shape.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPayload(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let frameCount = Int(bytes[0] % 3) + 1
    var frames = bytes.dropFirst().split(separator: 0xFF, maxSplits: frameCount - 1, omittingEmptySubsequences: false)
        .map { Array($0) }
    while frames.count < frameCount { frames.append([]) }

    switch PointParser(maximumMessageBytes: 4096).parse(frames) {
    case .success(let point):
        // An accepted point must be one the engine can store: finite and named.
        precondition(point.value.isFinite, "parser accepted a non-finite value")
        precondition(!point.series.isEmpty, "parser accepted an empty series name")
        precondition(point.timestamp.map { $0.isFinite } ?? true, "parser accepted a non-finite timestamp")
    case .failure(let rejection):
        precondition(!rejection.detail.isEmpty, "rejection without a detail")
    }
    return 0
}
