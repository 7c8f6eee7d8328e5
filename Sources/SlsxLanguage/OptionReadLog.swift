import Synchronization

/// The names that a script passed to `option(...)` in one evaluation, so that a `--set` value no
/// call read can be reported (`Evaluator.unreadOptionWarnings`).
///
/// The replica that runs the second half of a loop on two threads has a log of its own. The join
/// adds it to this one only when it keeps that half. A discarded half runs again on the first
/// thread, whose reads then count, so the warnings never depend on the timing. A lock guards the
/// set, and `option` is called far too rarely for it to cost anything measurable.
final class OptionReadLog: Sendable {
    private let names = Mutex<Set<String>>([])

    func record(_ name: String) {
        names.withLock { _ = $0.insert(name) }
    }

    var recorded: Set<String> {
        names.withLock { $0 }
    }
}
