// libFuzzer entry point for the configuration loader, built by
// scripts/fuzz together with the Configuration sources. Any input must
// either load or fail with a ConfigurationError; nothing may crash.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfiguration(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let settings = try ConfigurationLoader.parse(text, file: "fuzz.yaml")
        precondition(settings.defaults.model.nStep >= 1, "loaded a configuration with n_step below 1")
        precondition(settings.defaults.training.window >= settings.defaults.retrain.minPoints, "window below min_points")
    } catch let error as ConfigurationError {
        // Rendering must work for every mark the parser can produce.
        _ = error.description
    } catch {
        preconditionFailure("unexpected error type: \(error)")
    }
    return 0
}
