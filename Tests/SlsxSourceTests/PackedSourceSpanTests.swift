import Testing

@testable import SlsxSource

/// An optional span in 12 bytes: it keeps every span the file table can make, and `nil`.
@Suite struct PackedSourceSpanTests {
    @Test func fitsTwelveBytes() {
        #expect(MemoryLayout<PackedSourceSpan>.size == 12)
        #expect(MemoryLayout<PackedSourceSpan>.stride == 12)
    }

    @Test func keepsNil() {
        #expect(PackedSourceSpan(nil).span == nil)
    }

    @Test func keepsSpan() {
        let file = SourceFile(path: "packed.slsx", text: "let a = 1\n")
        let span = SourceSpan(file: file, start: 4, end: 5)
        let packed = PackedSourceSpan(span)
        #expect(packed.span == span)
        #expect(packed.span?.text == "a")
    }

    @Test func setterReplacesAndClears() {
        let file = SourceFile(path: "packed.slsx", text: "let a = 1\n")
        var packed = PackedSourceSpan(nil)
        packed.span = SourceSpan(file: file, start: 8, end: 9)
        #expect(packed.span?.text == "1")
        packed.span = nil
        #expect(packed.span == nil)
    }

    /// The spans of the last identifier and of the stand-in file are spans, not `nil`.
    @Test func keepsSpansOfEdgeIdentifiers() {
        for identifier in [SourceFileTable.lastIdentifier, SourceFileTable.unregistered] {
            let span = SourceSpan(fileIdentifier: identifier, start: 0, end: 3)
            #expect(PackedSourceSpan(span).span == span)
        }
    }

    @Test func tableNeverGivesOutAbsentIdentifier() {
        let table = SourceFileTable(firstIdentifier: PackedSourceSpan.absentFileIdentifier)
        #expect(table.makeIdentifier() == SourceFileTable.unregistered)
    }
}
