#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        let slot = ResultSlot<Second>()
        let work = Work { slot.value = second() }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)

        let context = Unmanaged.passRetained(work).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, &attributes, { context in
            guard let context else { return nil }
            Unmanaged<Work>.fromOpaque(context).takeRetainedValue().perform()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<Work>.fromOpaque(context).release()
            return (first(), second())
        }
        let firstResult = first()
        pthread_join(thread, nil)
        // `pthread_join` orders the worker's write of the slot before this read.
        guard let secondResult = slot.value else { return (firstResult, second()) }
        return (firstResult, secondResult)
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

/// The work the second thread runs. The caller hands it over and does not touch it again.
private final class Work: @unchecked Sendable {
    let perform: () -> Void

    init(_ perform: @escaping () -> Void) {
        self.perform = perform
    }
}

/// The second piece's result, written by the worker and read by the caller after `pthread_join`.
private final class ResultSlot<Value>: @unchecked Sendable {
    var value: Value?
}
