#if canImport(Glibc)
import Glibc
#endif

/// Removes the temporary file of a write in progress when SIGINT, SIGTERM or SIGHUP arrives.
///
/// The handlers are installed for the duration of one write only, and the previous ones (such as the
/// REPL's Ctrl-C handler) are restored afterwards. A signal handler may call only async-signal-safe
/// functions, so the path is copied into a fixed C buffer before the handler is installed. The handler
/// calls `unlink(2)`, restores the default action and raises the signal again, so the process ends
/// with the status of that signal, as it would have without slsx's handler.
enum TemporaryFileCleanup {
    /// The capacity of the path buffer in bytes (PATH_MAX on Linux). A longer path is not registered:
    /// the write still works, but an interrupted one leaves its temporary file.
    private static let capacity = 4096

    // The handler reads these from whatever thread the signal arrives on. They are written only
    // between installs, with the signals blocked, so the handler never reads a half-written path.
    nonisolated(unsafe) private static let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
    nonisolated(unsafe) private static var previousHandlers: [sighandler_t?] = []

    private static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Registers `path` to be removed if one of the signals ends the process before `unregister()`.
    static func register(_ path: String) {
        let bytes = Array(path.utf8)
        guard bytes.count < capacity else { return }

        withSignalsBlocked {
            for (index, byte) in bytes.enumerated() {
                buffer[index] = CChar(bitPattern: byte)
            }
            buffer[bytes.count] = 0
            previousHandlers = signals.map { signal($0, removeTemporaryFileAndExit) }
        }
    }

    /// Forgets the registered path and restores the handlers that were installed before `register`.
    static func unregister() {
        withSignalsBlocked {
            guard !previousHandlers.isEmpty else { return }
            for (number, handler) in zip(signals, previousHandlers) {
                signal(number, handler)
            }
            previousHandlers = []
            buffer[0] = 0
        }
    }

    private static func withSignalsBlocked(_ body: () -> Void) {
        var blocked = sigset_t()
        var previous = sigset_t()
        sigemptyset(&blocked)
        for number in signals {
            sigaddset(&blocked, number)
        }
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        body()
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }

    private static let removeTemporaryFileAndExit: @convention(c) (Int32) -> Void = { number in
        if TemporaryFileCleanup.buffer[0] != 0 {
            unlink(TemporaryFileCleanup.buffer)
        }
        signal(number, SIG_DFL)
        raise(number)
    }
}
