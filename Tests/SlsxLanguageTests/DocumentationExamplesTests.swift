import Foundation
import SlsxLanguage
import SlsxSource
import Testing

/// Runs every `slsx` code block of docs/language.md and checks the result written in its last
/// line: `// → value` (the value, as the REPL prints it), `// document: ...` (the document) or
/// `// error: ...` (the first error message). A block without such a line must evaluate cleanly.
@Suite struct DocumentationExamplesTests {
    struct Example: CustomTestStringConvertible, Sendable {
        var line: Int
        var code: String
        var expectation: String?
        var testDescription: String { "example at docs/language.md:\(line)" }
    }

    static let examples: [Example] = {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        guard let text = try? String(contentsOf: packageRoot.appendingPathComponent("docs/language.md"), encoding: .utf8) else {
            return []
        }
        var examples: [Example] = []
        var current: [String]?
        var start = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line == "```slsx" {
                current = []
                start = index + 2
            } else if line == "```", let lines = current {
                var code = lines
                var expectation: String?
                if let last = code.last, last.hasPrefix("// → ") || last.hasPrefix("// document: ") || last.hasPrefix("// error: ") {
                    expectation = String(last.dropFirst(3))
                    code.removeLast()
                }
                examples.append(Example(line: start, code: code.joined(separator: "\n"), expectation: expectation))
                current = nil
            } else if current != nil {
                current?.append(String(line))
            }
        }
        return examples
    }()

    @Test func documentHasExamples() {
        #expect(Self.examples.count >= 25)
    }

    @Test(arguments: examples)
    func example(_ example: Example) {
        let file = SourceFile(path: "example.slsx", text: example.code)
        guard let expectation = example.expectation else {
            let result = Evaluator.evaluate(file, options: EvaluationOptions())
            #expect(result.diagnostics.map(\.message) == [])
            return
        }
        if expectation.hasPrefix("→ ") {
            let result = Session(options: EvaluationOptions()).evaluate(file)
            #expect(result.diagnostics.map(\.message) == [])
            #expect(result.value.map(ValueFormatter.format) == String(expectation.dropFirst(2)))
        } else if expectation.hasPrefix("document: ") {
            let result = Evaluator.evaluate(file, options: EvaluationOptions())
            #expect(result.diagnostics.map(\.message) == [])
            #expect(result.document.map(ValueFormatter.format) == String(expectation.dropFirst("document: ".count)))
        } else {
            let result = Evaluator.evaluate(file, options: EvaluationOptions())
            #expect(result.diagnostics.first?.message == String(expectation.dropFirst("error: ".count)))
        }
    }

    @Test func everyBuiltinIsDocumented() throws {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: packageRoot.appendingPathComponent("docs/language.md"), encoding: .utf8)
        for name in Session.builtinNames {
            #expect(text.contains("`\(name)(") || text.contains(", `\(name)(") || text.contains("`\(name).") || text.contains("`\(name)`"), "\(name) is missing from docs/language.md")
        }
    }
}
