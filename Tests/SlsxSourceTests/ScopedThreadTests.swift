#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing

import SlsxSource

@Suite struct ScopedThreadTests {
    private static let stackSize = 64 * 1024 * 1024

    /// Counts the closures that ran, to check that a failed start runs none.
    private final class RunCounter: @unchecked Sendable {
        var count = 0
    }

    @Test func returnsBothResults() throws {
        let (value, local) = try ScopedThread.run(stackSize: Self.stackSize, { 42 }, meanwhile: { "local" })
        #expect(value == 42)
        #expect(local == "local")
    }

    @Test func bodyRunsOnAnotherThread() throws {
        let caller = pthread_self()
        let (worker, _) = try ScopedThread.run(stackSize: Self.stackSize, { pthread_self() }, meanwhile: {})
        let workerThread = try #require(worker)
        #expect(pthread_equal(caller, workerThread) == 0)
    }

    /// The body may write the caller's state without a lock, because the caller reads it only
    /// after the join.
    @Test func joinsBeforeReturning() throws {
        final class Store: @unchecked Sendable { var values: [Int] = [] }
        let store = Store()
        let (_, local) = try ScopedThread.run(stackSize: Self.stackSize, { store.values = Array(0..<1000) }, meanwhile: { 7 })
        #expect(local == 7)
        #expect(store.values == Array(0..<1000))
    }

    @Test func tinyStackFailsToStart() {
        let ran = RunCounter()
        #expect(throws: ScopedThread.StartError(code: EINVAL)) {
            try ScopedThread.run(stackSize: 1, { ran.count += 1 }, meanwhile: { ran.count += 1 })
        }
        #expect(ran.count == 0)
    }

    /// A stack of 2^62 bytes is larger than the user address space of 64-bit processors (at most
    /// 2^57 bytes, with x86-64's 5-level paging), so reserving it fails.
    @Test func hugeStackFailsToStart() {
        let ran = RunCounter()
        #expect(throws: ScopedThread.StartError(code: EAGAIN)) {
            try ScopedThread.run(stackSize: 1 << 62, { ran.count += 1 }, meanwhile: { ran.count += 1 })
        }
        #expect(ran.count == 0)
    }

    @Test func startErrorDescribesCode() {
        #expect(ScopedThread.StartError(code: EAGAIN).description == "Resource temporarily unavailable")
    }
}
