import Foundation

/// Runs REPL work on a thread with a large stack and waits for it.
///
/// Formatting a value, converting the document and releasing old values all recurse once per
/// nesting level. A loop can build a list nested 100000 levels deep, which would overflow the main
/// thread's 8 MiB stack, and Swift cannot recover from a stack overflow. Like the language's
/// evaluator, the REPL therefore does that work on a thread with 512 MiB of stack, which is
/// reserved address space rather than memory in use.
enum LargeStackThread {
    static let stackSize = 512 * 1024 * 1024

    /// Runs `body` on a new thread with `stackSize` bytes of stack and returns its result. The
    /// caller waits, so `body` may use the caller's state as if it ran on the caller's thread.
    static func run<T>(_ body: @escaping () -> T) -> T {
        let work = UncheckedWork(body: body)
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            work.result = work.body()
            finished.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        finished.wait()
        guard let result = work.result else {
            // The thread always sets the result before it signals, so this runs only if that
            // ordering is broken. Doing the work here is then the best remaining choice.
            return body()
        }
        return result
    }
}

/// The work and its result, shared between the waiting caller and the worker thread. Only one
/// thread uses it at a time, and the semaphore orders the worker's write before the caller's read.
private final class UncheckedWork<T>: @unchecked Sendable {
    let body: () -> T
    var result: T?

    init(body: @escaping () -> T) {
        self.body = body
    }
}
