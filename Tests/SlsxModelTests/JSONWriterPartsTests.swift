import Foundation
import Synchronization
import Testing

@testable import SlsxModel

/// `JSONWriter.encodeInParts`, the `OutputBuffer` parts it fills and the `ForkJoin` it runs on.
struct JSONWriterPartsTests {
    /// A template-like mapping: `Resources` with `count` entries between two other sections.
    private func template(resourceCount count: Int, resourcesFirst: Bool = false) -> Node {
        let resources = (0..<count).map { index in
            Node.Entry("Resource\(index)", .mapping([
                Node.Entry("Type", .string("AWS::Logs::LogGroup")),
                Node.Entry("Properties", .mapping([
                    Node.Entry("Name", .string("group \"\(index)\"\n")),
                    Node.Entry("Sizes", .sequence([.integer(Int64(index)), .float(0.5), .null, .bool(true)])),
                    Node.Entry("Empty", .mapping([])),
                ])),
            ]))
        }
        let head = [Node.Entry("AWSTemplateFormatVersion", .string("2010-09-09"))]
        let tail = [Node.Entry("Outputs", .mapping([Node.Entry("Arn", .string("x"))]))]
        let entry = Node.Entry("Resources", .mapping(resources))
        return .mapping(resourcesFirst ? [entry] + tail : head + [entry] + tail)
    }

    @Test func partsJoinToEncodedBytes() throws {
        for style in [JSONWriter.Style.indented, .compact] {
            for resourcesFirst in [false, true] {
                let node = template(resourceCount: 301, resourcesFirst: resourcesFirst)
                let writer = JSONWriter(style: style)
                let parts = try writer.encodeInParts(node, splitKey: "Resources")
                // The text before the entries, 16 runs of 18 or 19 entries, and the text after.
                #expect(parts.count == 18)
                #expect(Array(parts.joined()) == (try writer.encode(node)))
            }
        }
    }

    @Test func smallMappingGivesOnePart() throws {
        let node = template(resourceCount: 3)
        let parts = try JSONWriter().encodeInParts(node, splitKey: "Resources", minimumSplitCount: 4)
        #expect(parts == [try JSONWriter().encode(node)])
        let noResources = Node.mapping([Node.Entry("Outputs", .string("x"))])
        #expect(try JSONWriter().encodeInParts(noResources, splitKey: "Resources") == [try JSONWriter().encode(noResources)])
    }

    @Test func splitAtTwoEntries() throws {
        let node = template(resourceCount: 2)
        let parts = try JSONWriter().encodeInParts(node, splitKey: "Resources", minimumSplitCount: 2)
        // Two runs of one entry each, between the text before and after them.
        #expect(parts.count == 4)
        #expect(Array(parts.joined()) == (try JSONWriter().encode(node)))
    }

    @Test func largeFirstEntrySpillsIntoArrays() throws {
        // One entry far larger than the others, as a shared role is in a template: its run fills
        // several arrays of the reserved size instead of growing one.
        var node = template(resourceCount: 300)
        let statements = Node.sequence((0..<5_000).map { index in .string("arn:aws:kinesis:us-east-1:123456789012:stream/s\(index)") })
        guard case .mapping(var sections) = node.kind, case .mapping(var resources) = sections[1].value.kind else {
            Issue.record("the template has no Resources mapping")
            return
        }
        resources[0].value = .mapping([Node.Entry("Statement", statements)])
        sections[1].value = .mapping(resources)
        node = .mapping(sections)

        let capacity = 16 * 64 * 1024
        let parts = try JSONWriter().encodeInParts(node, splitKey: "Resources", reservingCapacity: capacity)
        let expected = try JSONWriter().encode(node)
        #expect(Array(parts.joined()) == expected)
        #expect(parts.count > 18)
        #expect(parts.allSatisfy { $0.count <= 64 * 1024 })
    }

    @Test func writeInPartsDeliversEncodedBytes() throws {
        let node = template(resourceCount: 301)
        let collector = DeliveredBytes()
        let byteCount = try JSONWriter().writeInParts(node, splitKey: "Resources", runCount: 64) { collector.append($0) }
        let expected = try JSONWriter().encode(node)

        #expect(collector.bytes == expected)
        #expect(byteCount == expected.count)
        // The text before the entries, 64 runs of 4 or 5 entries, and the text after.
        #expect(collector.callCount == 66)
    }

    @Test func writeInPartsStopsAtFailedRun() throws {
        var resources = (0..<10).map { Node.Entry("R\($0)", .integer(1)) }
        resources[6] = Node.Entry("R6", .float(.infinity))
        let node = Node.mapping([Node.Entry("Resources", .mapping(resources))])
        let collector = DeliveredBytes()

        #expect(throws: WriterError.nonFiniteNumber(.infinity, path: "Resources.R6")) {
            try JSONWriter().writeInParts(node, splitKey: "Resources", minimumSplitCount: 2, runCount: 10) { collector.append($0) }
        }
        // The text before the entries and the runs of R0 through R5, and nothing after them.
        let expectedPrefix = "{\n  \"Resources\": {" + (0..<6).map { "\($0 == 0 ? "" : ",")\n    \"R\($0)\": 1" }.joined()
        #expect(String(decoding: collector.bytes, as: UTF8.self) == expectedPrefix)
    }

    @Test func deliveryKeepsIndexOrder() {
        let collector = DeliveredBytes()
        let delivery = InOrderDelivery<[UInt8], WriterError> { collector.append($0) }
        delivery.finish(2, .success([2]))
        delivery.finish(1, .success([1]))
        #expect(collector.bytes.isEmpty)
        delivery.finish(0, .success([0]))
        #expect(collector.bytes == [0, 1, 2])
        delivery.finish(3, .success([3]))
        #expect(collector.bytes == [0, 1, 2, 3])
        #expect(delivery.firstFailure == nil)
    }

    @Test func deliveryEndsAtLowestFailure() {
        let collector = DeliveredBytes()
        let delivery = InOrderDelivery<[UInt8], WriterError> { collector.append($0) }
        delivery.finish(3, .failure(.nonFiniteNumber(.infinity, path: "three")))
        #expect(delivery.hasFailed)
        #expect(delivery.firstFailure == nil)
        delivery.finish(4, .success([4]))
        delivery.finish(2, .failure(.nonFiniteNumber(.infinity, path: "two")))
        delivery.finish(0, .success([0]))
        delivery.finish(1, .success([1]))

        #expect(collector.bytes == [0, 1])
        #expect(delivery.firstFailure == .nonFiniteNumber(.infinity, path: "two"))
    }

    @Test func deliveryFromTwoThreadsKeepsOrder() {
        let collector = DeliveredBytes()
        let delivery = InOrderDelivery<[UInt8], WriterError> { collector.append($0) }
        let counter = RunCounter()
        let finishRuns = { @Sendable in
            while let run = counter.take(below: 2_000) {
                delivery.finish(run, .success([UInt8(truncatingIfNeeded: run)]))
            }
        }
        _ = ForkJoin.run(finishRuns, finishRuns)

        #expect(collector.bytes == (0..<2_000).map { UInt8(truncatingIfNeeded: $0) })
    }

    @Test func runsCoverEveryIndexOnce() {
        #expect(ForkJoin.runs(of: 10, count: 4) == [0..<2, 2..<5, 5..<7, 7..<10])
        #expect(ForkJoin.runs(of: 3, count: 16) == [0..<1, 1..<2, 2..<3])
        #expect(ForkJoin.runs(of: 0, count: 16) == [0..<0])
        #expect(ForkJoin.runs(of: 5, count: 0) == [0..<5])
    }

    @Test func collectPartsFillsFixedArrays() {
        let run = (0..<(3 * OutputBuffer.chunkSize + 10)).map { UInt8(truncatingIfNeeded: $0) }
        let parts = run.withUnsafeBufferPointer { buffer in
            OutputBuffer.collectParts(partCapacity: 2 * OutputBuffer.chunkSize) { output in
                for start in stride(from: 0, to: buffer.count, by: 1000) {
                    let end = min(start + 1000, buffer.count)
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<end]))
                }
            }
        }
        #expect(Array(parts.joined()) == run)
        #expect(parts.count == 2)
        #expect(parts.allSatisfy { $0.count <= 2 * OutputBuffer.chunkSize })
    }

    @Test func errorInLaterRunHasFullPath() {
        var resources = (0..<10).map { Node.Entry("R\($0)", .integer(1)) }
        resources[8] = Node.Entry("R8", .mapping([Node.Entry("Value", .float(.infinity))]))
        let node = Node.mapping([Node.Entry("Resources", .mapping(resources))])
        #expect(throws: WriterError.nonFiniteNumber(.infinity, path: "Resources.R8.Value")) {
            try JSONWriter().encodeInParts(node, splitKey: "Resources", minimumSplitCount: 2)
        }
    }

    @Test func firstErrorWinsOverLaterOne() {
        var resources = (0..<10).map { Node.Entry("R\($0)", .integer(1)) }
        resources[1] = Node.Entry("R1", .float(.infinity))
        resources[9] = Node.Entry("R9", .float(-.infinity))
        let node = Node.mapping([Node.Entry("Resources", .mapping(resources))])
        #expect(throws: WriterError.nonFiniteNumber(.infinity, path: "Resources.R1")) {
            try JSONWriter().encodeInParts(node, splitKey: "Resources", minimumSplitCount: 2)
        }
    }

    @Test func errorAfterResourcesIsReported() {
        let resources = (0..<10).map { Node.Entry("R\($0)", .integer(1)) }
        let node = Node.mapping([
            Node.Entry("Resources", .mapping(resources)),
            Node.Entry("Outputs", .sequence([.float(.infinity)])),
        ])
        #expect(throws: WriterError.nonFiniteNumber(.infinity, path: "Outputs[0]")) {
            try JSONWriter().encodeInParts(node, splitKey: "Resources", minimumSplitCount: 2)
        }
    }

    @Test func errorPathAfterIndex() {
        let node = Node.sequence([.mapping([Node.Entry("a.b", .sequence([.null, .float(.infinity)]))])])
        #expect(throws: WriterError.nonFiniteNumber(.infinity, path: "[0].a.b[1]")) {
            try JSONWriter().encode(node)
        }
    }

    @Test func forkJoinMapKeepsOrder() {
        #expect(ForkJoin.map(count: 1000) { $0 * 3 } == (0..<1000).map { $0 * 3 })
        #expect(ForkJoin.map(count: 5) { $0 + 1 } == [1, 2, 3, 4, 5])
        #expect(ForkJoin.map(count: 0) { $0 }.isEmpty)
    }

    @Test func forkJoinMapPairsKeepsOrder() {
        let (squares, names) = ForkJoin.mapPairs(count: 1000) { ($0 * $0, "item-\($0)") }
        #expect(squares == (0..<1000).map { $0 * $0 })
        #expect(names == (0..<1000).map { "item-\($0)" })

        let (small, smallNames) = ForkJoin.mapPairs(count: 3) { ($0 + 1, String($0)) }
        #expect(small == [1, 2, 3])
        #expect(smallNames == ["0", "1", "2"])

        let (none, noNames) = ForkJoin.mapPairs(count: 0) { ($0, String($0)) }
        #expect(none.isEmpty)
        #expect(noNames.isEmpty)

        // With no minimum, an empty range still returns two empty arrays.
        let (unthreaded, unthreadedNames) = ForkJoin.mapPairs(count: 0, minimumCount: 0) { ($0, String($0)) }
        #expect(unthreaded.isEmpty)
        #expect(unthreadedNames.isEmpty)
        let (threaded, threadedNames) = ForkJoin.mapPairs(count: 5, minimumCount: 0) { ($0 * 2, String($0)) }
        #expect(threaded == [0, 2, 4, 6, 8])
        #expect(threadedNames == ["0", "1", "2", "3", "4"])
    }

    @Test func forkJoinRunReturnsBoth() {
        let (first, second) = ForkJoin.run({ "first" }, { 42 })
        #expect(first == "first")
        #expect(second == 42)
    }

    @Test func forkJoinShareRunsKeepsOrder() {
        // The second thread's extra work is slow, so the calling thread takes most runs.
        let (results, extra) = ForkJoin.shareRuns(count: 16, { $0 * $0 }, alongside: { () -> String in
            usleep(20_000)
            return "alongside"
        })
        #expect(results == (0..<16).map { $0 * $0 })
        #expect(extra == "alongside")

        let (none, noneExtra) = ForkJoin.shareRuns(count: 0, { $0 }, alongside: { 7 })
        #expect(none.isEmpty)
        #expect(noneExtra == 7)
    }
}

/// The bytes a writer delivered, in the order of the calls, and the number of calls.
private final class DeliveredBytes: Sendable {
    private let state = Mutex<(bytes: [UInt8], callCount: Int)>(([], 0))

    func append(_ bytes: [UInt8]) {
        state.withLock { state in
            state.bytes += bytes
            state.callCount += 1
        }
    }

    var bytes: [UInt8] { state.withLock { $0.bytes } }
    var callCount: Int { state.withLock { $0.callCount } }
}

/// `BackgroundRelease`: the value is freed, and not on the caller's thread.
struct BackgroundReleaseTests {
    /// Signals `freed` from its deinitializer, with whether that ran on `callerThread`.
    private final class Tracked: @unchecked Sendable {
        let callerThread: pthread_t
        let freed: DispatchSemaphore
        let onCallerThread: LockedFlag

        init(callerThread: pthread_t, freed: DispatchSemaphore, onCallerThread: LockedFlag) {
            self.callerThread = callerThread
            self.freed = freed
            self.onCallerThread = onCallerThread
        }

        deinit {
            onCallerThread.set(pthread_equal(pthread_self(), callerThread) != 0)
            freed.signal()
        }
    }

    /// A Boolean written by one thread and read by another.
    private final class LockedFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var storedValue = false

        func set(_ value: Bool) { lock.withLock { storedValue = value } }
        var value: Bool { lock.withLock { storedValue } }
    }

    @Test func valueFreedOnAnotherThread() {
        let freed = DispatchSemaphore(value: 0)
        let onCallerThread = LockedFlag()
        BackgroundRelease.release(Tracked(callerThread: pthread_self(), freed: freed, onCallerThread: onCallerThread))
        // A generous bound, only so that a broken release fails instead of hanging the run.
        #expect(freed.wait(timeout: .now() + 60) == .success)
        #expect(onCallerThread.value == false)
    }
}
