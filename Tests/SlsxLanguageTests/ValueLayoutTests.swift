import SlsxSource
import Testing

@testable import SlsxLanguage

/// A loop over 10,000 functions makes millions of values and map entries, so these tests keep
/// their size in check. `PackedSourceSpan` stores their spans without an extra byte.
@Suite struct ValueLayoutTests {
    @Test func valueTakesFortyEightBytes() {
        #expect(MemoryLayout<Value>.stride == 48)
    }

    @Test func mapEntryTakesEightyBytes() {
        #expect(MemoryLayout<OrderedMap.Entry>.stride == 80)
    }

    @Test func spansSurviveChanges() {
        let file = SourceFile(path: "layout.slsx", text: "{ key: 1 }\n")
        let keySpan = SourceSpan(file: file, start: 2, end: 5)
        let valueSpan = SourceSpan(file: file, start: 7, end: 8)
        var map = OrderedMap()
        map.set("key", Value(.int(1), span: valueSpan), keySpan: keySpan)
        #expect(map.entry("key")?.keySpan == keySpan)
        #expect(map.entry("key")?.value.span == valueSpan)
        #expect(Value(.null).span == nil)
        #expect(Value(.int(1), span: valueSpan).at(nil).span == nil)
    }
}
