@testable import SlsxLanguage
import Testing

/// The chunks of a loop on two threads, taken from both ends, and the join of the second part's
/// chunks in order of position. Which thread takes which chunk depends on the timing, so these
/// tests take the chunks in fixed orders on one thread.
@Suite struct LoopChunksTests {
    @Test func chunksCoverEveryPositionOnce() {
        let chunks = LoopChunks(positionCount: 100, count: 32)
        let ranges = (0..<32).map { chunks.positions(of: $0) }

        #expect(ranges.first?.lowerBound == 0)
        #expect(ranges.last?.upperBound == 100)
        for index in 1..<ranges.count {
            #expect(ranges[index].lowerBound == ranges[index - 1].upperBound)
        }
        #expect(Set(ranges.map(\.count)) == [3, 4])
    }

    @Test func endsMeetWithoutSharingChunk() {
        let chunks = LoopChunks(positionCount: 100, count: 8)
        var fromStart: [Int] = []
        var fromEnd: [Int] = []
        // Three from the start for every one from the end, as when the replica starts late.
        while true {
            guard let first = chunks.takeFromStart() else { break }
            fromStart.append(first)
            if let second = chunks.takeFromStart() { fromStart.append(second) }
            if let third = chunks.takeFromStart() { fromStart.append(third) }
            if let last = chunks.takeFromEnd() { fromEnd.append(last) }
        }

        #expect(fromStart == [0, 1, 2, 3, 4, 5])
        #expect(fromEnd == [7, 6])
        #expect(chunks.takeFromEnd() == nil)
        #expect(chunks.endOfStartChunks == chunks.positions(of: 6).lowerBound)
    }

    @Test func endOfStartChunksWithoutAnyTaken() {
        let chunks = LoopChunks(positionCount: 64, count: 32)
        while chunks.takeFromEnd() != nil {}

        #expect(chunks.endOfStartChunks == 0)
        #expect(chunks.takeFromStart() == nil)
    }

    @Test func fewerPositionsThanChunks() {
        let chunks = LoopChunks(positionCount: 5, count: 32)

        #expect(chunks.count == 5)
        #expect((0..<5).map { chunks.positions(of: $0) } == [0..<1, 1..<2, 2..<3, 3..<4, 4..<5])
    }

    @Test func hugeRangeWithoutOverflow() {
        // A range loop's count can be near `Int.max`, which a product of position count and
        // chunk would overflow.
        let chunks = LoopChunks(positionCount: Int.max, count: 32)

        #expect(chunks.positions(of: 31).upperBound == Int.max)
        #expect(chunks.positions(of: 1).lowerBound == Int.max / 32 + 1)
    }

    @Test func secondPartJoinedInPositionOrder() {
        // The replica ran chunks 7, 6 and 5 in that order, after 2 functions and 1 printed line
        // from before the loop. Chunk 7 added two functions, chunk 6 none and chunk 5 three.
        let second = Interpreter.SecondPart(
            interpreter: Interpreter(options: EvaluationOptions(), importRoot: nil),
            chunkStarts: [
                .init(functionCount: 2, printedCount: 1),
                .init(functionCount: 4, printedCount: 2),
                .init(functionCount: 4, printedCount: 2),
            ])
        let functions = ["a", "b", "h1", "h2", "f1", "f2", "f3"]
        let printed = ["before", "from 7", "from 5"]

        #expect(second.inPositionOrder(functions, startOfChunk: \.functionCount) == ["f1", "f2", "f3", "h1", "h2"])
        #expect(second.inPositionOrder(printed, startOfChunk: \.printedCount) == ["from 5", "from 7"])
    }

    @Test func secondPartWithoutChunksAddsNothing() {
        let second = Interpreter.SecondPart(
            interpreter: Interpreter(options: EvaluationOptions(), importRoot: nil), chunkStarts: [])

        #expect(second.inPositionOrder(["a", "b"], startOfChunk: \.functionCount) == [])
    }
}
