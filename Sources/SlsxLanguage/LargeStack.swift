import Foundation

/// Runs work on a thread with a large stack and waits for it.
///
/// Swift cannot recover from a stack overflow, and test runners and async executors give their
/// threads small stacks (often 512 KiB to 8 MiB). Evaluation therefore runs on its own thread with
/// a 512 MiB stack, which is address space reserved rather than memory used; the parser and call
/// depth limits keep real use far below it.
enum LargeStack {
    static let stackSize = 512 * 1024 * 1024

    /// The stack an evaluation may use before `Interpreter.checkStack` stops it. The rest is
    /// left for the built-ins, formatting and releasing values that run below that point.
    static let evaluationBudget = stackSize - 128 * 1024 * 1024

    /// Runs `body` on a new thread with `stackSize` bytes of stack and returns its result.
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T? {
        let box = ResultBox<T>()
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.value = body()
            finished.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        finished.wait()
        return box.value
    }
}

/// The result slot shared between the caller and the worker thread; the semaphore orders the
/// write before the read.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}

/// Lets a non-`Sendable` reference cross to the worker thread, which is the only thread using it
/// while the caller waits.
struct UncheckedReference<T: AnyObject>: @unchecked Sendable {
    let object: T
}
