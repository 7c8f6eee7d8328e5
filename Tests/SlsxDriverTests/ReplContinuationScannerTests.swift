@testable import SlsxDriver
import Testing

@Suite struct ContinuationScannerTests {
    private func isCertainlyOpen(_ lines: [String]) -> Bool {
        var scanner = ContinuationScanner()
        for line in lines {
            scanner.scan(Array(line.utf8))
        }
        return scanner.isCertainlyOpen
    }

    @Test(arguments: [
        (["["], true),
        (["[", "1,"], true),
        (["[", "1]"], false),
        (["{a: [1, 2],"], true),
        (["f(a) {", "}"], false),
        (["1 +"], false),
        (["\"(\""], false),
        (["[\"]\""], true),
        (["[ // ]"], true),
        (["[", "// ]", "2"], true),
        (["[\"unterminated ]", "1"], true),
        (["[\"a\\\"]\""], true),
        (["]"], false),
        (["[", "]]", "["], false),
    ])
    func bracketsCounted(lines: [String], expected: Bool) {
        #expect(isCertainlyOpen(lines) == expected)
    }

    @Test(arguments: [
        ["[ /* ]"],
        ["[", "*/"],
        ["[ \"\"\"", "]"],
        ["[\"\\(x]\""],
    ])
    func unfollowableSyntaxNeverVouches(lines: [String]) {
        #expect(!isCertainlyOpen(lines))
    }

    @Test func recalledEntryWithLineBreaks() {
        #expect(isCertainlyOpen(["[\n\"a\n1,"]))
        #expect(!isCertainlyOpen(["[\n1\n]"]))
    }
}
