import SlsxSource

/// Runs two pieces of independent work at the same time, one on the calling thread and one on a
/// new thread, and returns both results once both are done.
///
/// The results never depend on the timing: each piece computes its own value from its own inputs,
/// and the caller combines them in a fixed order. When the second thread cannot be started (an
/// address-space or thread limit), the second piece runs on the calling thread after the first,
/// with the same results.
public enum ForkJoin {
    /// The stack of the second thread. The template walkers and writers bound their recursion
    /// (at most 512 levels in `JSONWriter`), which needs far less than this. The size is address
    /// space reserved, not memory used.
    public static let stackSize = 64 * 1024 * 1024

    /// Returns `(first(), second())`, running `second` on a new thread while `first` runs on the
    /// calling thread.
    public static func run<First, Second: Sendable>(
        _ first: () -> First, _ second: @escaping @Sendable () -> Second
    ) -> (First, Second) {
        do {
            let (secondResult, firstResult) = try ScopedThread.run(stackSize: stackSize, second, meanwhile: first)
            return (firstResult, secondResult ?? second())
        } catch {
            return (first(), second())
        }
    }

    /// Returns `(0..<count).map(transform)`, computing the first half of the indexes on the calling
    /// thread and the second half on a new thread. Below `minimumCount` everything runs on the
    /// calling thread, because starting a thread costs more than a few small transforms.
    public static func map<Element: Sendable>(
        count: Int, minimumCount: Int = 64, _ transform: @escaping @Sendable (Int) -> Element
    ) -> [Element] {
        guard count >= minimumCount else { return (0..<count).map(transform) }
        let half = count / 2
        var elements: [Element]
        let secondHalf: [Element]
        (elements, secondHalf) = run({ (0..<half).map(transform) }, { (half..<count).map(transform) })
        elements.append(contentsOf: secondHalf)
        return elements
    }
}
