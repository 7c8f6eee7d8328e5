import SlsxLanguage
import SlsxSource
import SlsxTestSupport
import Testing

/// Hostile input must produce diagnostics, never a crash or a hang.
@Suite struct RobustnessTests {
    static let fragments = [
        "let ", "var ", "fn ", "f", "(", ")", "[", "]", "{", "}", ",", ":", "=", "+", "-", "*", "/", "%", "!",
        "==", "<", "..<", "...", "??", "?.", ".", "&&", "||", "if ", "else ", "for ", " in ", "return ", "x", "y",
        "1", "0", "9223372036854775807", "1e308", "\"s\"", "\"\\(", "\"\"\"", "\n", " ", "service ", "function ",
        "stream ", "provider ", "event ", "import ", "\"arn\"", " as ", "a", "len", "print", "error", "range",
        "/*", "*/", "//", "\\u{", "é", "\u{0}",
    ]

    @Test func randomTokenSoupNeverCrashes() {
        var generator = SeededGenerator(seed: 20_261_204)
        let limits = Limits(callDepth: 64, steps: 20_000, stringBytes: 4096, listItems: 1000)
        var evaluated = 0
        for _ in 0..<400 {
            let count = Int.random(in: 1...40, using: &generator)
            let text = (0..<count).map { _ in Self.fragments.randomElement(using: &generator) ?? "" }.joined()
            let result = Script.evaluate(text, limits: limits)
            #expect(result.document != nil || result.diagnostics.containsError, "no document and no error for \(text.debugDescription)")
            evaluated += 1
        }
        #expect(evaluated == 400)
    }

    @Test func randomBytesNeverCrash() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<300 {
            let count = Int.random(in: 0...64, using: &generator)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let result = Evaluator.evaluate(SourceFile(path: "t.slsx", bytes: bytes), options: EvaluationOptions())
            #expect(result.document != nil || result.diagnostics.containsError)
        }
    }

    @Test func everyPrefixOfSampleIsHandled() {
        // Cutting the sample script anywhere, as an editor does while typing, gives a document
        // or located errors.
        let text = EvaluatorTests.billing
        var index = text.startIndex
        while index < text.endIndex {
            let result = Script.evaluate(String(text[..<index]))
            #expect(result.document != nil || result.diagnostics.contains { $0.span != nil })
            index = text.index(index, offsetBy: 7, limitedBy: text.endIndex) ?? text.endIndex
        }
    }
}
