#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The CPU priority of background threads. Trainings and checkpoint writes
/// can wait; reading points and publishing forecasts cannot. So on a busy
/// machine the background threads run at a higher nice value and yield the
/// CPU to the main loop and the forecast threads.
enum ThreadPriority {
    /// Nice increment for training and checkpoint threads.
    static let background: Int32 = 10

    /// Adds `increment` to the calling thread's nice value. Linux keeps one
    /// per thread, and `setpriority` with who 0 changes the calling thread's
    /// only. An unprivileged thread cannot lower it again, so call this only
    /// on a thread that does background work for its whole life. Returns
    /// false when the kernel refused.
    @discardableResult
    static func lowerCurrentThread(by increment: Int32) -> Bool {
        let thread: id_t = 0
        let target = __priority_which_t(PRIO_PROCESS.rawValue)
        errno = 0
        let current = getpriority(target, thread)
        // -1 is also a valid nice value, so only errno shows a failure.
        if current == -1 && errno != 0 { return false }
        return setpriority(target, thread, min(current + increment, 19)) == 0
    }
}
