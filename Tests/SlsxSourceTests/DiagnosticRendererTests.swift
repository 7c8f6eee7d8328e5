import SlsxSource
import Testing

@Suite struct DiagnosticRendererTests {
    @Test func caretUnderSpan() {
        let file = SourceFile(path: "bad.slsx", text: "let a = 1\nlet b = 2\nfunction f {  batchSize: 10 )\n")
        let offset = Array(file.bytes).firstIndex(of: UInt8(ascii: ")"))!
        let span = SourceSpan(file: file, start: offset, end: offset + 1)
        let text = DiagnosticRenderer().render(
            .error("expected '}' but found ')'", at: span, hint: "close the block with '}'"))
        #expect(text == """
            bad.slsx:3:29: error: expected '}' but found ')'
             3 | function f {  batchSize: 10 )
               |                             ^
            help: close the block with '}'

            """)
    }

    @Test func longLineShowsWindowAroundSpan() {
        let line = String(repeating: "a", count: 1_000) + "BAD" + String(repeating: "b", count: 1_000)
        let file = SourceFile(path: "long.slsx", text: line)
        let span = SourceSpan(file: file, start: 1_000, end: 1_003)
        let text = DiagnosticRenderer().render(.error("bad", at: span))
        let window = "…" + String(repeating: "a", count: 50) + "BAD" + String(repeating: "b", count: 147) + "…"

        #expect(text == "long.slsx:1:1001: error: bad\n 1 | \(window)\n   | \(String(repeating: " ", count: 51))^^^\n")
    }

    @Test func longLineWithScalarsWindowedByColumns() {
        // Far past the checkpoints of the line (every 1,024 bytes), with scalars of 2 and 4 bytes
        // before the span, so that a column taken from a checkpoint must count them as one each.
        let line = String(repeating: "é🚀", count: 600) + "BAD" + String(repeating: "b", count: 300)
        let file = SourceFile(path: "long.slsx", text: "service \"s\"\n" + line + "\n")
        let start = Array(file.bytes).firstIndex(of: UInt8(ascii: "B"))!
        let span = SourceSpan(file: file, start: start, end: start + 3)
        let text = DiagnosticRenderer().render(.error("bad", at: span))
        let window = "…" + String(repeating: "é🚀", count: 25) + "BAD" + String(repeating: "b", count: 147) + "…"

        #expect(file.location(ofOffset: start).column == 1_201)
        #expect(file.offset(ofColumn: 1_201, onLine: 2) == start)
        #expect(file.offset(ofColumn: 2, onLine: 2) == file.lineStarts[1] + 2)
        #expect(file.location(ofOffset: file.lineRange(2).upperBound).column == 1_504)
        #expect(text == "long.slsx:2:1201: error: bad\n 2 | \(window)\n   | \(String(repeating: " ", count: 51))^^^\n")
    }

    @Test func longLineLocationsMatchCounting() {
        // Each location walks from a checkpoint, so these take linear time in all; each must give
        // the column that counting from the line's start gives.
        let line = String(repeating: "ab🚀 ", count: 5_000)
        let file = SourceFile(path: "long.slsx", text: line)
        let scalars = Array(line.unicodeScalars)
        var offset = 0
        var column = 1
        for scalar in scalars {
            #expect(file.location(ofOffset: offset).column == column)
            offset += String(scalar).utf8.count
            column += 1
        }
        #expect(file.location(ofOffset: offset).column == scalars.count + 1)
    }

    @Test func columnsCountScalars() {
        let file = SourceFile(path: "u.slsx", text: "let s = \"café 🚀\" + x")
        let offset = Array(file.bytes).firstIndex(of: UInt8(ascii: "x"))!
        let location = file.location(ofOffset: offset)
        #expect(location.line == 1)
        #expect(location.column == 20)
    }

    @Test func tabsKeptInCaretLine() {
        let file = SourceFile(path: "t.slsx", text: "\tlet = 1")
        let span = SourceSpan(file: file, start: 5, end: 6)
        let text = DiagnosticRenderer().render(.error("expected a name", at: span))
        #expect(text == "t.slsx:1:6: error: expected a name\n 1 | \tlet = 1\n   | \t    ^\n")
    }

    @Test func lineNumbersHaveNoGrouping() {
        let text = String(repeating: "\n", count: 1000) + "oops"
        let file = SourceFile(path: "big.slsx", text: text)
        let span = SourceSpan(file: file, start: 1000, end: 1004)
        #expect(span.description == "big.slsx:1001:1")
    }

    @Test func controlCharactersMadeInert() {
        let file = SourceFile(path: "e.slsx", text: "let x = \"\u{1B}[2J\" + y")
        let offset = Array(file.bytes).firstIndex(of: UInt8(ascii: "y"))!
        let span = SourceSpan(file: file, start: offset, end: offset + 1)
        let text = DiagnosticRenderer().render(.error("unknown name '\u{1B}]0;title\u{7}'", at: span))

        #expect(text == "e.slsx:1:18: error: unknown name '\\u{1B}]0;title\\u{7}'\n 1 | let x = \"\u{FFFD}[2J\" + y\n   |                  ^\n")
    }

    @Test func bidirectionalFormattingMadeInert() {
        // U+202E would show the rest of the line right to left, so `orders<U+202E>x` would read as
        // something else than the script holds.
        let file = SourceFile(path: "e.slsx", text: "function \"orders\u{202E}x\" { }")
        let span = SourceSpan(file: file, start: 9, end: 21)
        let text = DiagnosticRenderer().render(.error("function name `orders\u{202E}x` is invalid", at: span))
        #expect(text == "e.slsx:1:10: error: function name `orders\\u{202E}x` is invalid\n 1 | function \"orders\u{FFFD}x\" { }\n   |          ^^^^^^^^^^\n")
    }
}
