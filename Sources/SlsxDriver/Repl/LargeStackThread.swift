import Foundation
import SlsxLanguage

/// Runs REPL work on a thread with a large stack and waits for it.
///
/// Formatting a value, converting the document and releasing old values all recurse once per
/// nesting level. A loop can build a list nested 100000 levels deep, which would overflow the main
/// thread's 8 MiB stack, and Swift cannot recover from a stack overflow. Like the language's
/// evaluator, the REPL therefore does that work on a thread with 512 MiB of stack, which is
/// reserved address space rather than memory in use.
enum LargeStackThread {
    /// Runs `body` on a new thread with `LargeStack.stackSize` bytes of stack and returns its
    /// result. The caller waits, so `body` may use the caller's state as if it ran on the caller's
    /// thread. When no such thread can be started (an address-space limit), `body` runs on the
    /// caller's thread. Evaluation then fails with an error, because it needs the same kind of
    /// thread, so no deeply nested value exists for this thread to overflow on.
    static func run<T>(_ body: @escaping () -> T) -> T {
        switch LargeStack.run(body) {
        case .success(let result):
            return result
        case .failure:
            return body()
        }
    }
}
