import SlsxLanguage
import SlsxSource
import Testing

@Suite struct SessionTests {
    private func entry(_ text: String) -> SourceFile {
        SourceFile(path: "<repl>", text: text)
    }

    @Test func bindingsPersistAcrossEntries() {
        let session = Session(options: EvaluationOptions())
        #expect(session.evaluate(entry("let a = 2")).diagnostics.isEmpty)
        #expect(session.evaluate(entry("fn twice(n) = n * 2")).diagnostics.isEmpty)
        let result = session.evaluate(entry("twice(a)"))
        #expect(result.value.map(ValueFormatter.format) == "4")
        #expect(session.bindings.map(\.name) == ["a", "twice"])
    }

    @Test func errorInEarlierEntryKeepsItsPlace() throws {
        let session = Session(options: EvaluationOptions())
        // The caller keeps neither entry's file: the session keeps the first one for `half`.
        #expect(session.evaluate(SourceFile(path: "first", text: "fn half(n) = n / 0")).diagnostics.isEmpty)
        let result = session.evaluate(SourceFile(path: "second", text: "half(4)"))
        let error = try #require(result.diagnostics.first)
        #expect(error.span?.file.path == "first")
        #expect(error.span?.text == "0")
        #expect(error.span?.startLocation.description == "1:18")
    }

    @Test func failedEntryChangesNothing() {
        let session = Session(options: EvaluationOptions())
        _ = session.evaluate(entry("var n = 1\nservice \"s\""))
        let failed = session.evaluate(entry("n = 5\nlet extra = 1\nfunction \"f\" { handler: \"h\" }\nlet boom = 1 / 0"))
        #expect(failed.diagnostics.first?.message == "division by zero")
        #expect(session.evaluate(entry("n")).value.map(ValueFormatter.format) == "1")
        #expect(session.bindings.map(\.name) == ["n"])
        #expect(ValueFormatter.format(session.document) == #"{service: "s"}"#)
    }

    @Test func declarationsAreSummarized() {
        let session = Session(options: EvaluationOptions())
        let result = session.evaluate(entry("""
            function "orders-indexer" {
              handler: "h"
              stream "arn:aws:dynamodb:us-east-1:1:table/orders/stream/2024"
              stream { arn: "arn:aws:kinesis:us-east-1:1:stream/clicks", batchSize: 10 }
              stream { arn: GetAtt("T", "StreamArn") }
              event { http: {path: "/"} }
            }
            """))
        #expect(result.diagnostics.isEmpty)
        #expect(result.declarations.count == 1)
        let function = result.declarations.first
        #expect(function?.kind == .function)
        #expect(function?.name == "orders-indexer")
        #expect(function?.events.map(\.kind) == ["stream", "stream", "stream", "http"])
        #expect(function?.events.map { $0.source ?? "-" } == ["dynamodb", "kinesis", "-", "-"])
        #expect(function?.events.map { $0.name ?? "-" } == ["orders", "clicks", "-", "-"])
        #expect(function?.events[2].arn.map(ValueFormatter.format) == #"{"Fn::GetAtt": ["T", "StreamArn"]}"#)
    }

    @Test func loneMapEntryIsAValueNotTheDocument() {
        let session = Session(options: EvaluationOptions())
        let result = session.evaluate(entry("{a: 1}"))
        #expect(result.value.map(ValueFormatter.format) == "{a: 1}")
        #expect(ValueFormatter.format(session.document) == "{}")
    }

    @Test func printedLinesAreReturned() {
        let session = Session(options: EvaluationOptions())
        #expect(session.evaluate(entry("print(\"hi\", 2)")).printed == ["hi 2"])
    }

    @Test func resetForgetsEverything() {
        let session = Session(options: EvaluationOptions())
        _ = session.evaluate(entry("let a = 1\nservice \"s\""))
        session.reset()
        #expect(session.bindings.isEmpty)
        #expect(ValueFormatter.format(session.document) == "{}")
        #expect(session.evaluate(entry("a")).diagnostics.first?.message == "unknown name 'a'")
    }

    @Test func redefinitionReplacesBinding() {
        let session = Session(options: EvaluationOptions())
        _ = session.evaluate(entry("let a = 1"))
        _ = session.evaluate(entry("let a = \"two\""))
        #expect(session.evaluate(entry("a")).value.map(ValueFormatter.format) == #""two""#)
        #expect(session.bindings.map(\.name) == ["a"])
    }

    @Test(arguments: [
        ("let a = 1", true),
        ("fn f() {", false),
        ("let m = {a: [1,", false),
        ("f(", false),
        ("let s = \"\"\"", false),
        ("/* open", false),
        ("let s = \"abc", true),
        ("let a = 1 +", false),
        ("let a =", false),
        ("if x { 1 } else", false),
        (")", true),
        ("let a = [1]]", true),
        ("", true),
        ("\"\\(f(\"", false),
    ])
    func completeness(text: String, complete: Bool) {
        #expect(Session.isComplete(text) == complete)
    }

    @Test func keywordsAndBuiltins() {
        #expect(Session.keywords.contains("let"))
        #expect(Session.keywords.contains("function"))
        #expect(Session.builtinNames.first == "len")
        #expect(Session.builtinSummaries.first == "len(value)  the number of items in a list or map, or of characters in a string")
    }

    @Test func typeNames() {
        let session = Session(options: EvaluationOptions())
        let names = ["null", "true", "1", "1.0", "\"s\"", "[]", "{}", "fn() = 1"].map { text in
            session.evaluate(entry(text)).value.map(ValueFormatter.typeName(of:)) ?? "?"
        }
        #expect(names == ["null", "bool", "int", "float", "string", "list", "map", "function"])
    }

    @Test func functionsFormatWithParameters() {
        let session = Session(options: EvaluationOptions())
        _ = session.evaluate(entry("fn add(a, b = 1) = a + b"))
        #expect(session.evaluate(entry("add")).value.map(ValueFormatter.format) == "<fn add(a, b)>")
        #expect(session.evaluate(entry("upper")).value.map(ValueFormatter.format) == "<fn upper(text)>")
    }
}

@Suite struct SessionReleaseTests {
    @Test func deepValuesAreReleasedSafely() {
        // Releasing a list nested 100000 levels deep recurses once per level. The session does
        // it on its large stack, both on reset and when it is deallocated.
        for _ in 0..<3 {
            let session = Session(options: EvaluationOptions())
            _ = session.evaluate(SourceFile(path: "<repl>", text: "var x = []\nfor i in 0..<100000 { x = [x] }"))
            session.reset()
            _ = session.evaluate(SourceFile(path: "<repl>", text: "var y = []\nfor i in 0..<100000 { y = [y] }"))
            #expect(session.bindings.map(\.name) == ["y"])
        }
    }
}
