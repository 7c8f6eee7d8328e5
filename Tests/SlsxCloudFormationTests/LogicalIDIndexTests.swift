import Testing
@testable import SlsxCloudFormation

/// The index of logical IDs must find exactly the IDs that `String` equality finds, whether it
/// hashes bytes (all IDs ASCII) or has moved to a `Dictionary` (some ID not ASCII).
@Suite("Logical ID index")
struct LogicalIDIndexTests {
    /// U+212A KELVIN SIGN, which `String` equality treats as equal to `K`.
    private static let kelvin = "\u{212A}"

    @Test("ASCII IDs keep insertion order")
    func asciiInsertionOrder() {
        var index = LogicalIDIndex()
        let ids = (0..<1_000).map { "WorkerDash\($0)EventSourceMappingKinesisStream\($0 % 7)" }
        for id in ids {
            #expect(index.insert(id) == nil)
        }

        #expect(index.keys == ids)
        for (position, id) in ids.enumerated() {
            #expect(index.position(of: id) == position)
        }
        #expect(index.insert(ids[42]) == 42)
        #expect(index.count == ids.count)
        #expect(index.position(of: "WorkerDash1000EventSourceMappingKinesisStream0") == nil)
    }

    @Test("IDs of every short length")
    func shortLengths() {
        var index = LogicalIDIndex()
        let ids = (1...17).map { String(repeating: "a", count: $0) } + ["", "b", "ab", "ba"]
        for id in ids {
            #expect(index.insert(id) == nil)
        }
        for (position, id) in ids.enumerated() {
            #expect(index.position(of: id) == position)
        }
    }

    @Test("non-ASCII lookup finds ASCII equal")
    func nonASCIILookupFindsASCII() {
        var index = LogicalIDIndex()
        #expect(index.insert("Queue") == nil)
        #expect(index.insert("MyKey") == nil)

        #expect(index.position(of: "My\(Self.kelvin)ey") == 1)
        #expect(index.contains("Qu\u{00E9}ue") == false)
    }

    @Test("non-ASCII insert clashes with ASCII")
    func nonASCIIInsertClashes() {
        var index = LogicalIDIndex()
        #expect(index.insert("Queue") == nil)
        #expect(index.insert("MyKey") == nil)

        #expect(index.insert("My\(Self.kelvin)ey") == 1)
        #expect(index.insert("Caf\u{00E9}") == nil)
        #expect(index.insert("Cafe\u{0301}") == 2)
        #expect(index.insert("Later") == nil)

        #expect(index.keys == ["Queue", "MyKey", "Caf\u{00E9}", "Later"])
        #expect(index.position(of: "MyKey") == 1)
        #expect(index.position(of: "Later") == 3)
    }

    @Test("reserve keeps added IDs")
    func reserveKeepsIDs() {
        var index = LogicalIDIndex()
        #expect(index.insert("First") == nil)
        index.reserveCapacity(10_000)
        #expect(index.insert("Second") == nil)

        #expect(index.position(of: "First") == 0)
        #expect(index.position(of: "Second") == 1)
    }
}
