import Synchronization

/// The positions of a loop on two threads, cut into chunks that the threads take as they go.
///
/// The first thread takes chunks from the start and the replica takes them from the end, each
/// the next chunk that no thread has taken, until none is left. So the first thread's chunks are
/// always the positions from 0 up to some point, which it runs in order as a run on one thread
/// would, and the replica's chunks are the positions from that point to the end. Where the point
/// falls depends on the timing: a thread that runs slower takes fewer chunks, instead of leaving
/// the other thread waiting at the end of a fixed half.
final class LoopChunks: Sendable {
    /// The number of positions of the loop.
    let positionCount: Int
    /// The number of chunks, at most `positionCount` when that is positive.
    let count: Int
    /// The counts of chunks taken so far: from the start in the low 32 bits, from the end above
    /// them. One atomic stores both, so that a chunk is never taken from both ends.
    private let takenCounts = Atomic<Int>(0)

    private static let endShift = 32
    private static let startMask = (1 << endShift) - 1

    /// Cuts `positionCount` positions into `count` chunks whose sizes differ by at most one.
    init(positionCount: Int, count: Int) {
        precondition(count > 0 && count <= LoopChunks.startMask, "a loop's chunk count must be between 1 and 2^32 - 1")
        self.positionCount = max(positionCount, 0)
        self.count = positionCount > 0 ? min(count, positionCount) : 1
    }

    /// Returns the positions of `chunk`, which must be below `count`.
    func positions(of chunk: Int) -> Range<Int> {
        start(of: chunk)..<start(of: chunk + 1)
    }

    /// Returns the first position of `chunk`, or `positionCount` for `count`. It does not
    /// multiply the position count, which a range loop may make as large as `Int` allows.
    private func start(of chunk: Int) -> Int {
        let (base, extra) = positionCount.quotientAndRemainder(dividingBy: count)
        return chunk * base + min(chunk, extra)
    }

    /// Takes the lowest chunk that no thread has taken, or returns `nil` when none is left.
    func takeFromStart() -> Int? {
        take { fromStart, fromEnd in (fromStart + 1, fromEnd, fromStart) }
    }

    /// Takes the highest chunk that no thread has taken, or returns `nil` when none is left.
    func takeFromEnd() -> Int? {
        take { fromStart, fromEnd in (fromStart, fromEnd + 1, count - 1 - fromEnd) }
    }

    /// The first position after the chunks taken from the start, which is 0 when none was.
    /// Read it after both threads have ended.
    var endOfStartChunks: Int {
        start(of: takenCounts.load(ordering: .acquiring) & LoopChunks.startMask)
    }

    /// Applies `step` to the counts of chunks taken from the start and from the end, unless
    /// every chunk is taken, and returns the chunk that `step` names.
    private func take(_ step: (Int, Int) -> (fromStart: Int, fromEnd: Int, chunk: Int)) -> Int? {
        var current = takenCounts.load(ordering: .relaxed)
        while true {
            let fromStart = current & LoopChunks.startMask
            let fromEnd = current >> LoopChunks.endShift
            guard fromStart + fromEnd < count else { return nil }
            let next = step(fromStart, fromEnd)
            let (exchanged, original) = takenCounts.compareExchange(
                expected: current, desired: next.fromStart | (next.fromEnd << LoopChunks.endShift),
                ordering: .acquiringAndReleasing)
            if exchanged { return next.chunk }
            current = original
        }
    }
}
