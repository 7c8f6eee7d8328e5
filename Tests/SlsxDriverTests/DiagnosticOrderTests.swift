import SlsxSource
import Testing

@testable import SlsxDriver

/// The order in which `slsx` prints diagnostics: as a reader of the entry script meets them.
@Suite struct DiagnosticOrderTests {
    @Test func entryScriptBeforeModules() {
        let entry = SourceFile(path: "service.slsx", text: "line one\nline two\n")
        let module = SourceFile(path: "/abs/helpers.slsx", text: "helper\n")
        let diagnostics: [Diagnostic] = [
            .error("in the module", at: SourceSpan(file: module, start: 0, end: 1)),
            .error("second line", at: SourceSpan(file: entry, start: 9, end: 10)),
            .error("no place"),
            .error("first line", at: SourceSpan(file: entry, start: 0, end: 1)),
        ]

        let ordered = Pipeline.inSourceOrder(diagnostics, entry: "service.slsx").map(\.message)

        #expect(ordered == ["no place", "first line", "second line", "in the module"])
    }
}
