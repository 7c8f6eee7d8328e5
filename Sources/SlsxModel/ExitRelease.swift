/// Keeps values allocated until the process exits, for a command that is about to exit anyway.
///
/// The system reclaims a process's memory at once when it exits. Freeing a template of 70,000
/// resources node by node took about as long as writing it (CPU time of
/// `benchmarks/many-bindings.slsx` at N = 10,000). A command that exits next need not spend that
/// time, not even on another thread as `BackgroundRelease` does.
public enum ExitRelease {
    /// Takes `value` and never releases this reference, so that nothing it refers to is freed
    /// before the process exits.
    public static func keepUntilExit<Value>(_ value: consuming Value) {
        _ = Unmanaged.passRetained(Box(value))
    }
}

/// A value moved to the heap, so that one retained reference keeps it.
private final class Box<Value> {
    let value: Value

    init(_ value: consuming Value) {
        self.value = value
    }
}
