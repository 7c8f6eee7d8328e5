import Synchronization
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

    /// Returns `0..<total` cut into `count` ranges, in order, whose sizes differ by at most one.
    /// It returns fewer ranges when `total` is smaller than `count`, but always at least one.
    public static func runs(of total: Int, count: Int) -> [Range<Int>] {
        let runCount = min(max(count, 1), max(total, 1))
        return (0..<runCount).map { run in (total * run / runCount)..<(total * (run + 1) / runCount) }
    }

    /// Returns `(0..<count).map(work)` and `alongside()`. Two threads share the runs: the calling
    /// thread takes runs from the start, and a new thread first computes `alongside()` and then
    /// takes runs too. Each thread takes the lowest run that no thread has taken yet, so the
    /// threads stay busy until the last run even when `alongside` or some runs take longer. The
    /// results are in run order whichever thread computed them.
    public static func shareRuns<Result: Sendable, Extra: Sendable>(
        count: Int, _ work: @escaping @Sendable (Int) -> Result, alongside: @escaping @Sendable () -> Extra
    ) -> (results: [Result], alongside: Extra) {
        let counter = RunCounter()
        let takeRuns = { @Sendable () -> [(run: Int, result: Result)] in
            var computed: [(run: Int, result: Result)] = []
            while let run = counter.take(below: count) {
                computed.append((run, work(run)))
            }
            return computed
        }
        let (first, (extra, second)) = run(takeRuns, { (alongside(), takeRuns()) })

        var results = [Result?](repeating: nil, count: count)
        for (run, result) in first + second {
            results[run] = result
        }
        // Every run below `count` was taken by one of the two threads, so none is missing.
        return (results.map { $0! }, extra)
    }

    /// Returns `(0..<count).map(transform)`, computed on the calling thread and a new thread.
    /// Below `minimumCount` everything runs on the calling thread, because starting a thread
    /// costs more than a few small transforms.
    ///
    /// The indexes are cut into `mapChunkCount` chunks, and each thread takes the lowest chunk
    /// that no thread has taken yet. So both stay busy to the end, even when the transforms of
    /// one part of the indexes take longer, as when one thread meets more page faults. With two
    /// fixed halves, one `perf` timeline of the compiler at 10,000 functions showed one thread
    /// idle for about 30 ms of a 100 ms stretch.
    ///
    /// Both threads initialize their chunks of the result's storage in place, so no element is
    /// copied when the threads join. The function is inlinable so that callers specialize it for
    /// their element type, because the generic `map` moved every element through value witnesses.
    @inlinable
    public static func map<Element: Sendable>(
        count: Int, minimumCount: Int = 64, _ transform: @escaping @Sendable (Int) -> Element
    ) -> [Element] {
        guard count >= minimumCount else { return (0..<count).map(transform) }
        return [Element](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            guard let base = buffer.baseAddress else { return }
            let storage = UninitializedStorage(base: base)
            runInChunks(count: count) { indexes in
                storage.initialize(indexes, with: transform)
            }
            initializedCount = count
        }
    }

    /// Returns `map(count:minimumCount:_:)` of `transform` as two arrays: the first and the
    /// second element of each pair. Each part goes into its own array as it is computed. Splitting
    /// an array of pairs afterwards copied every element (a retain of each of its arrays) and then
    /// freed the pairs.
    @inlinable
    public static func mapPairs<First: Sendable, Second: Sendable>(
        count: Int, minimumCount: Int = 64, _ transform: @escaping @Sendable (Int) -> (First, Second)
    ) -> ([First], [Second]) {
        guard count >= max(minimumCount, 1) else {
            var firsts: [First] = []
            var seconds: [Second] = []
            firsts.reserveCapacity(count)
            seconds.reserveCapacity(count)
            for index in 0..<count {
                let (first, second) = transform(index)
                firsts.append(first)
                seconds.append(second)
            }
            return (firsts, seconds)
        }
        // `count` is at least 1 here, so both buffers have a base address.
        var seconds: [Second] = []
        let firsts = [First](unsafeUninitializedCapacity: count) { firstBuffer, firstCount in
            seconds = [Second](unsafeUninitializedCapacity: count) { secondBuffer, secondCount in
                let firstStorage = UninitializedStorage(base: firstBuffer.baseAddress!)
                let secondStorage = UninitializedStorage(base: secondBuffer.baseAddress!)
                runInChunks(count: count) { indexes in
                    for index in indexes {
                        let (first, second) = transform(index)
                        firstStorage.initialize(at: index, to: first)
                        secondStorage.initialize(at: index, to: second)
                    }
                }
                secondCount = count
            }
            firstCount = count
        }
        return (firsts, seconds)
    }

    /// Calls `body` once for each of the `mapChunkCount` chunks of `0..<count`, on the calling
    /// thread and a new thread, and returns when every chunk is done. Each thread takes the lowest
    /// chunk that no thread has taken yet, so both stay busy to the end.
    @inlinable
    static func runInChunks(count: Int, _ body: @escaping @Sendable (Range<Int>) -> Void) {
        let chunks = runs(of: count, count: mapChunkCount)
        let counter = RunCounter()
        let takeChunks = { @Sendable in
            while let chunk = counter.take(below: chunks.count) {
                body(chunks[chunk])
            }
        }
        _ = run(takeChunks, takeChunks)
    }

    /// The number of chunks `map` cuts its indexes into: enough that the last chunk is short
    /// against the whole, few enough that taking a chunk costs nothing in comparison.
    public static let mapChunkCount = 32

    /// The storage of an array that `map` initializes from two threads. Each thread writes
    /// chunks of its own, which the other thread never reads or writes.
    @usableFromInline
    struct UninitializedStorage<Element>: @unchecked Sendable {
        @usableFromInline let base: UnsafeMutablePointer<Element>

        @usableFromInline
        init(base: UnsafeMutablePointer<Element>) {
            self.base = base
        }

        /// Initializes the element at `index` to `element`.
        @inlinable
        func initialize(at index: Int, to element: consuming Element) {
            (base + index).initialize(to: element)
        }

        /// Initializes the elements at `indexes` to `transform` of each index.
        @inlinable
        func initialize(_ indexes: Range<Int>, with transform: (Int) -> Element) {
            for index in indexes {
                (base + index).initialize(to: transform(index))
            }
        }
    }
}

/// Hands out the runs of `ForkJoin.shareRuns`, `ForkJoin.map` and `JSONWriter.writeInParts`, each
/// to one thread.
@usableFromInline
final class RunCounter: Sendable {
    private let next = Atomic<Int>(0)

    @usableFromInline
    init() {}

    /// Takes the next run, or returns `nil` once all runs below `count` are taken.
    @usableFromInline
    func take(below count: Int) -> Int? {
        let run = next.add(1, ordering: .relaxed).oldValue
        return run < count ? run : nil
    }
}
