import SlsxLanguage
import SlsxSource
import Testing
import SlsxTestSupport

/// Random token soup must never crash the lexer or the parser, and every syntax error must point
/// at a place in the text.
@Suite struct TokenSoupTests {
    static let fragments = [
        "let ", "var ", "fn ", "f", "(", ")", "[", "]", "{", "}", ",", ":", ";", "=", "+=", "+", "-", "*", "/", "%",
        "!", "==", "!=", "<", "<=", ">", ">=", "..<", "...", "??", "?.", ".", "&&", "||", "if ", "else ", "for ",
        " in ", "return ", "x", "y", "_", "1", "0", "-9223372036854775808", "9223372036854775808", "1e308", "1.",
        ".5", "\"s\"", "\"\\(", "\"\"\"", "'", "\\", "\n", "\r\n", "\r", "\t", " ", "service ", "function ",
        "stream ", "provider ", "event ", "resources ", "import ", "\"arn\"", " as ", "null", "true", "len",
        "/*", "*/", "//", "#", "\\u{", "\\u{110000}", "é", "🚀", "\u{FEFF}", "\u{0}", "\u{7}", "\u{2028}",
    ]

    @Test func soupNeverCrashesAndErrorsAreLocated() {
        var generator = SeededGenerator(seed: 5)
        var failed = 0
        for _ in 0..<2000 {
            let count = Int.random(in: 1...60, using: &generator)
            let text = (0..<count).map { _ in Self.fragments.randomElement(using: &generator) ?? "" }.joined()
            let parsed = Parser.parse(SourceFile(path: "soup.slsx", text: text))
            let errors = parsed.diagnostics.filter { $0.severity == .error }
            #expect(errors.allSatisfy { $0.span != nil }, "syntax error without a place for \(text.debugDescription)")
            if !errors.isEmpty { failed += 1 }
        }
        // Nearly every soup is invalid, so the check above ran on many errors.
        #expect(failed > 1500)
    }

    @Test func randomBytesErrorsAreLocated() {
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<1000 {
            let count = Int.random(in: 0...200, using: &generator)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let parsed = Parser.parse(SourceFile(path: "bytes.slsx", bytes: bytes))
            #expect(parsed.diagnostics.filter { $0.severity == .error }.allSatisfy { $0.span != nil })
        }
    }

    @Test func tokensEndWithEndOfFile() {
        var generator = SeededGenerator(seed: 13)
        for _ in 0..<1000 {
            let count = Int.random(in: 0...40, using: &generator)
            let text = (0..<count).map { _ in Self.fragments.randomElement(using: &generator) ?? "" }.joined()
            let tokens = Lexer.tokenize(SourceFile(path: "soup.slsx", text: text))
            #expect(tokens.last?.kind == .endOfFile)
        }
    }
}
