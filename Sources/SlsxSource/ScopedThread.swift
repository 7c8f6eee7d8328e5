#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs work on a new thread with a chosen stack size and joins the thread before returning.
///
/// The thread is created with `pthread_create` rather than Foundation's `Thread`, because
/// `Thread.start()` reports no failure: a caller waiting for a thread that never started would
/// wait forever. The stack size is address space reserved, not memory used.
///
/// NOTE: built and tested on Linux only. Darwin's `pthread_create` takes a non-optional context
/// and a `pthread_t?`, which this code does not handle yet.
public enum ScopedThread {
    /// The failure to start the thread, with the error number that `pthread_attr_setstacksize`
    /// or `pthread_create` returned.
    public struct StartError: Error, Equatable, CustomStringConvertible {
        /// The error number: `EINVAL` for a stack size below the system's minimum, `EAGAIN` when
        /// the stack cannot be reserved (such as under an address-space limit set with
        /// `ulimit -v`) or the process has too many threads.
        public var code: Int32

        public init(code: Int32) {
            self.code = code
        }

        /// The system's message for `code`, from `strerror`.
        public var description: String {
            String(cString: strerror(code))
        }
    }

    /// Runs `body` on a new thread with `stackSize` bytes of stack while `meanwhile` runs on the
    /// calling thread, waits for the new thread to end and returns both results.
    ///
    /// The caller is blocked until the new thread ends, so `body` may use state that `meanwhile`
    /// does not touch as if it ran on the caller's thread. `body`'s result is nil only when the
    /// thread ended without finishing `body` (by `pthread_exit`, which Swift code does not call).
    ///
    /// - Throws: `StartError`, before running either closure, when the thread cannot be created.
    public static func run<Value, Local>(
        stackSize: Int, _ body: @escaping () -> Value, meanwhile: () -> Local
    ) throws(StartError) -> (Value?, Local) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        let sizeStatus = pthread_attr_setstacksize(&attributes, stackSize)
        guard sizeStatus == 0 else { throw StartError(code: sizeStatus) }

        let slot = ResultSlot<Value>()
        // A C function pointer cannot capture a generic type, so the thread gets a closure that
        // returns nothing and stores the result in the slot.
        let work = ThreadWork { slot.value = body() }
        let context = Unmanaged.passRetained(work).toOpaque()
        var thread = pthread_t()
        let createStatus = pthread_create(&thread, &attributes, { context in
            guard let context else { return nil }
            Unmanaged<ThreadWork>.fromOpaque(context).takeRetainedValue().perform()
            return nil
        }, context)
        guard createStatus == 0 else {
            Unmanaged<ThreadWork>.fromOpaque(context).release()
            throw StartError(code: createStatus)
        }

        let local = meanwhile()
        pthread_join(thread, nil)
        // `pthread_join` orders the worker's write of the slot before this read.
        return (slot.value, local)
    }
}

/// The work the new thread runs. Only one thread uses it at a time: the worker, while the caller
/// waits in `pthread_join` or runs `meanwhile` without touching it.
private final class ThreadWork: @unchecked Sendable {
    let perform: () -> Void

    init(_ perform: @escaping () -> Void) {
        self.perform = perform
    }
}

/// The result of the work, written by the worker and read by the caller after `pthread_join`.
private final class ResultSlot<Value>: @unchecked Sendable {
    var value: Value?
}
