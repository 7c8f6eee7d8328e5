import SlsxSource
import Testing

@testable import SlsxModel

/// A template of 10,000 functions has millions of nodes and entries, so these tests keep their
/// size in check. `PackedSourceSpan` stores their spans without an extra byte.
@Suite struct NodeLayoutTests {
    @Test func nodeTakesThirtyTwoBytes() {
        #expect(MemoryLayout<Node>.stride == 32)
    }

    @Test func entryTakesSixtyFourBytes() {
        #expect(MemoryLayout<Node.Entry>.stride == 64)
    }

    @Test func spansSurviveChanges() {
        let file = SourceFile(path: "layout.slsx", text: "key: value\n")
        let keySpan = SourceSpan(file: file, start: 0, end: 3)
        let valueSpan = SourceSpan(file: file, start: 5, end: 10)
        var entry = Node.Entry("key", .string("value", span: valueSpan), keySpan: keySpan)
        #expect(entry.keySpan == keySpan)
        #expect(entry.value.span == valueSpan)

        entry.keySpan = nil
        entry.value.span = nil
        #expect(entry.keySpan == nil)
        #expect(entry.value.span == nil)
        #expect(Node.null.span == nil)
    }
}
