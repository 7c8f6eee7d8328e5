import Synchronization

/// The names that a script passed to `option(...)` in one evaluation, so that a `--set` value no
/// call read can be reported (`Evaluator.unreadOptionWarnings`).
///
/// Both threads of a loop that runs on two threads record here: the replica of the second half
/// gets the same log (`Interpreter.makeLoopReplica`). A lock guards the set, and `option` is called
/// far too rarely for the lock to cost anything measurable.
final class OptionReadLog: Sendable {
    private let names = Mutex<Set<String>>([])

    func record(_ name: String) {
        names.withLock { _ = $0.insert(name) }
    }

    var recorded: Set<String> {
        names.withLock { $0 }
    }
}
