import Synchronization

/// Passes parts that several threads finish in any order to one consumer in index order, one
/// part at a time.
///
/// A thread that finishes part `k` stores it. When `k` is the next part to deliver and no other
/// thread is delivering, that thread delivers `k` and then every stored part that follows it
/// without a gap. Otherwise the thread that is delivering reaches `k` in turn. So every part is
/// delivered once, in order, and `deliver` never runs on two threads at once. A thread does not
/// wait for another: it stores its part and returns to its own work.
///
/// A failed part ends the delivery: neither it nor any part after it is delivered, and
/// `firstFailure` returns the failure of the lowest index.
final class InOrderDelivery<Part: Sendable, Failure: Error & Sendable>: Sendable {
    private struct State {
        var next = 0
        var finished: [Int: Result<Part, Failure>] = [:]
        var isDelivering = false
        var hasFailedPart = false
        /// The failure that ended the delivery, at index `next`.
        var failure: Failure?

        /// Removes and returns the part at `next` when it is finished and succeeded. A failed part
        /// is recorded in `failure` instead, and from then on nothing is returned.
        mutating func takeNext() -> Part? {
            guard failure == nil, let result = finished.removeValue(forKey: next) else { return nil }
            switch result {
            case .success(let part):
                next += 1
                return part
            case .failure(let error):
                failure = error
                return nil
            }
        }
    }

    private let state = Mutex(State())
    private let deliver: @Sendable (Part) -> Void

    init(_ deliver: @escaping @Sendable (Part) -> Void) {
        self.deliver = deliver
    }

    /// Whether any part has failed. Nothing after a failed part is delivered, so the threads can
    /// stop taking new parts. Parts below it that are still being written must be finished,
    /// because one of them may fail too, and the failure of the lowest index is the one reported.
    var hasFailed: Bool {
        state.withLock { $0.hasFailedPart }
    }

    /// The failure of the lowest-indexed failed part. It is set once every part below that one
    /// is finished, and so always once every part that any thread took is finished.
    var firstFailure: Failure? {
        state.withLock { $0.failure }
    }

    /// Stores part `index` and delivers every part that is now next in order, unless another
    /// thread is delivering.
    func finish(_ index: Int, _ part: Result<Part, Failure>) {
        var ready = state.withLock { state in
            if case .failure = part { state.hasFailedPart = true }
            state.finished[index] = part
            guard !state.isDelivering else { return nil as Part? }
            let next = state.takeNext()
            state.isDelivering = next != nil
            return next
        }
        // The lock is not held while a part is delivered, so that other threads can store theirs.
        while let part = ready {
            deliver(part)
            ready = state.withLock { state in
                let next = state.takeNext()
                state.isDelivering = next != nil
                return next
            }
        }
    }
}
