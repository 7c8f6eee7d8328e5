import SlsxModel
import Testing
@testable import SlsxCloudFormation

/// `FunctionDocuments` must return what `document["functions"]?[name]` returns: the first entry
/// with the name, even when a mapping built in code repeats a name.
@Suite("Function documents")
struct FunctionDocumentsTests {
    @Test("first entry wins for repeated name")
    func firstEntryWins() {
        let document = Node.mapping([
            "functions": .mapping([
                Node.Entry("a", .string("first a")),
                Node.Entry("b", .string("only b")),
                Node.Entry("a", .string("second a")),
            ]),
        ])
        let documents = FunctionDocuments(document)

        #expect(documents["a"] == .string("first a"))
        #expect(documents["b"] == .string("only b"))
        #expect(documents["c"] == nil)
    }

    @Test("entries in function order")
    func entriesInFunctionOrder() {
        let document = Node.mapping([
            "functions": .mapping([
                Node.Entry("a", .string("first a")),
                Node.Entry("b", .string("only b")),
                Node.Entry("a", .string("second a")),
            ]),
        ])
        let functions = ["b", "c", "a"].map { Function(name: Located($0)) }
        let entries = FunctionDocuments(document).entries(of: functions)

        #expect(entries.count == 3)
        #expect(entries[0] == .string("only b"))
        #expect(entries[1] == nil)
        #expect(entries[2] == .string("first a"))
    }

    @Test("document without functions")
    func noFunctions() {
        let documents = FunctionDocuments(.mapping(["service": .string("s")]))

        #expect(documents["a"] == nil)
    }
}
