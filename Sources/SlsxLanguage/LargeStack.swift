import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs work on a thread with a large stack and waits for it.
///
/// Swift cannot recover from a stack overflow, and test runners and async executors give their
/// threads small stacks (often 512 KiB to 8 MiB). Evaluation therefore runs on its own thread with
/// a 512 MiB stack, which is address space reserved rather than memory used; the parser and call
/// depth limits keep real use far below it.
public enum LargeStack {
    public static let stackSize = 512 * 1024 * 1024

    /// The stack an evaluation may use before `Interpreter.checkStack` stops it. The rest is
    /// left for the built-ins, formatting and releasing values that run below that point.
    static let evaluationBudget = stackSize - 128 * 1024 * 1024

    /// The failure to start the thread, such as an address-space limit (`ulimit -v`) below the
    /// stack's size.
    public struct StartError: Error, CustomStringConvertible {
        public var reason: String
        public var description: String {
            "cannot start a thread with a \(LargeStack.stackSize / 1024 / 1024) MiB stack: \(reason)"
        }
    }

    /// Runs `body` on a new thread with `stackSize` bytes of stack, waits for it and returns its
    /// result. The caller is blocked meanwhile, so `body` may use the caller's state as if it ran
    /// on the caller's thread. Fails, without running `body`, when the thread cannot be created.
    ///
    /// The thread is created with `pthread_create` rather than Foundation's `Thread`, because
    /// `Thread.start()` reports no failure: a caller waiting for a thread that never started would
    /// wait forever.
    public static func run<T>(_ body: @escaping () -> T) -> Result<T, StartError> {
        let slot = ResultSlot<T>()
        // A C function pointer cannot capture a generic type, so the thread gets a closure that
        // returns nothing and stores the result in the slot.
        let work = ThreadWork { slot.value = body() }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)

        let context = Unmanaged.passRetained(work).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, &attributes, { context in
            guard let context else { return nil }
            Unmanaged<ThreadWork>.fromOpaque(context).takeRetainedValue().perform()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<ThreadWork>.fromOpaque(context).release()
            return .failure(StartError(reason: String(cString: strerror(status))))
        }
        pthread_join(thread, nil)
        guard let result = slot.value else {
            return .failure(StartError(reason: "the thread ended without a result"))
        }
        return .success(result)
    }
}

/// The work a thread runs. Only one thread uses it at a time: the worker, while the caller waits
/// in `pthread_join`.
private final class ThreadWork: @unchecked Sendable {
    let perform: () -> Void

    init(_ perform: @escaping () -> Void) {
        self.perform = perform
    }
}

/// The result of the work, written by the worker and read by the caller after `pthread_join`,
/// which orders the write before the read.
private final class ResultSlot<T>: @unchecked Sendable {
    var value: T?
}

/// Lets a non-`Sendable` reference cross to the worker thread, which is the only thread using it
/// while the caller waits.
struct UncheckedReference<T: AnyObject>: @unchecked Sendable {
    let object: T
}
