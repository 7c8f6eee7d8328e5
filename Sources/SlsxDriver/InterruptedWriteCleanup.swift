#if canImport(Glibc)
import Glibc
#endif

/// Undoes a write in progress when SIGINT, SIGTERM or SIGHUP ends the process: removes the
/// temporary file of an atomic write, or cuts a file that output was appended to back to its
/// size before the write.
///
/// The handlers are installed for the duration of one write only, and the previous ones (such as the
/// REPL's Ctrl-C handler) are restored afterwards. A signal that was ignored before, as under
/// `nohup`, stays ignored. A signal handler may call only async-signal-safe functions, so the path
/// is copied into a fixed C buffer before the handler is installed. The handler calls `unlink(2)`
/// or `ftruncate(2)`, restores the default action and raises the signal again, so the process ends
/// with the status of that signal, as it would have without slsx's handler.
public enum InterruptedWriteCleanup {
    /// The capacity of the path buffer in bytes (PATH_MAX on Linux). A longer path is not registered:
    /// the write still works, but an interrupted one leaves its temporary file.
    private static let capacity = 4096

    // The handler reads these from whatever thread the signal arrives on. They are written only
    // between installs, with the signals blocked, so the handler never reads a half-written value.
    nonisolated(unsafe) private static let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
    nonisolated(unsafe) private static var truncatedDescriptor: Int32 = -1
    nonisolated(unsafe) private static var truncatedSize: off_t = 0
    nonisolated(unsafe) private static var previousHandlers: [sighandler_t?] = []

    private static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Registers `path` to be removed if one of the signals ends the process before `unregister()`.
    static func register(temporaryFile path: String) {
        let bytes = Array(path.utf8)
        guard bytes.count < capacity else { return }

        install {
            for (index, byte) in bytes.enumerated() {
                buffer[index] = CChar(bitPattern: byte)
            }
            buffer[bytes.count] = 0
        }
    }

    /// Registers `descriptor`, a regular file, to be cut back to `size` bytes if one of the
    /// signals ends the process before `unregister()`.
    public static func register(truncating descriptor: Int32, toSize size: off_t) {
        install {
            truncatedDescriptor = descriptor
            truncatedSize = size
        }
    }

    /// Forgets what was registered and restores the handlers that were installed before.
    public static func unregister() {
        withSignalsBlocked {
            guard !previousHandlers.isEmpty else { return }
            for (number, handler) in zip(signals, previousHandlers) {
                signal(number, handler)
            }
            previousHandlers = []
            buffer[0] = 0
            truncatedDescriptor = -1
        }
    }

    /// Runs `record` and installs the handler, with the signals blocked, unless a registration is
    /// in place already: one write at a time registers.
    private static func install(_ record: () -> Void) {
        withSignalsBlocked {
            guard previousHandlers.isEmpty else { return }
            record()
            previousHandlers = signals.map { number in
                let previous = signal(number, undoWriteAndExit)
                // An ignored signal stays ignored, as the user who ran `nohup slsx …` asked.
                if isIgnore(previous) { signal(number, SIG_IGN) }
                return previous
            }
        }
    }

    private static func isIgnore(_ handler: sighandler_t?) -> Bool {
        guard let handler else { return false }
        return unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
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

    private static let undoWriteAndExit: @convention(c) (Int32) -> Void = { number in
        if InterruptedWriteCleanup.buffer[0] != 0 {
            unlink(InterruptedWriteCleanup.buffer)
        }
        if InterruptedWriteCleanup.truncatedDescriptor >= 0 {
            ftruncate(InterruptedWriteCleanup.truncatedDescriptor, InterruptedWriteCleanup.truncatedSize)
        }
        signal(number, SIG_DFL)
        raise(number)
    }
}
