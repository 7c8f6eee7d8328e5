import SlsxSource

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
    public static func run<T>(_ body: @escaping () -> T) -> Result<T, StartError> {
        let result: T?
        do {
            (result, _) = try ScopedThread.run(stackSize: stackSize, body, meanwhile: {})
        } catch {
            return .failure(StartError(reason: error.description))
        }
        guard let result else {
            return .failure(StartError(reason: "the thread ended without a result"))
        }
        return .success(result)
    }
}

/// Lets a non-`Sendable` reference cross to the worker thread, which is the only thread using it
/// while the caller waits.
struct UncheckedReference<T: AnyObject>: @unchecked Sendable {
    let object: T
}
