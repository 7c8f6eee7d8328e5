import SlsxLanguage
import SlsxSource

/// Helpers shared by the language tests.
enum Script {
    /// Evaluates `text` as a script named `test.slsx`.
    static func evaluate(
        _ text: String, options: [String: String] = [:], limits: Limits = Limits(), importRoot: String? = nil, path: String = "test.slsx"
    ) -> Evaluation {
        Evaluator.evaluate(
            SourceFile(path: path, text: text),
            options: EvaluationOptions(options: options, limits: limits, importRoot: importRoot))
    }

    /// The document of `text` in slsx syntax, or the rendered diagnostics when it fails.
    static func document(_ text: String, options: [String: String] = [:], limits: Limits = Limits()) -> String {
        let result = evaluate(text, options: options, limits: limits)
        guard let document = result.document else {
            return DiagnosticRenderer().render(result.diagnostics)
        }
        return ValueFormatter.format(document)
    }

    /// The value of the expression `text`, in slsx syntax, or the first error's message.
    static func value(_ text: String, limits: Limits = Limits()) -> String {
        let session = Session(options: EvaluationOptions(limits: limits))
        let result = session.evaluate(SourceFile(path: "test.slsx", text: text))
        if let error = result.diagnostics.first {
            return "error: " + error.message
        }
        return result.value.map(ValueFormatter.format) ?? "<no value>"
    }

    /// The first diagnostic of `text` as `line:column: message`, or `<none>`.
    static func firstError(_ text: String, options: [String: String] = [:], limits: Limits = Limits()) -> String {
        let result = evaluate(text, options: options, limits: limits)
        guard let error = result.diagnostics.first else { return "<none>" }
        let place = error.span.map { "\($0.startLocation): " } ?? ""
        return place + error.message
    }
}

import Foundation

/// A mutual-exclusion lock over `NSLock` for values shared with the evaluation thread.
struct Lock: Sendable {
    private let lock = NSLock()

    func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
