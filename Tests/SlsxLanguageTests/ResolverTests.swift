import SlsxLanguage
import SlsxSource
import Testing

/// Names read through the slots that the resolver assigns must give the same values as a lookup
/// by text through the enclosing scopes, including the cases where the two could differ.
@Suite struct ResolverTests {
    private func entry(_ text: String) -> SourceFile {
        SourceFile(path: "<repl>", text: text)
    }

    @Test func nameBeforeLocalDefinitionReadsOuter() {
        let script = """
            let x = 1
            fn f() {
              let y = x
              let x = 2
              return [y, x]
            }
            f()
            """
        #expect(Script.value(script) == "[1, 2]")
    }

    @Test func blockNameBeforeDefinitionReadsOuter() {
        let script = """
            let x = 1
            let pair = if true {
              let y = x
              let x = 2
              [y, x]
            } else { [] }
            pair
            """
        #expect(Script.value(script) == "[1, 2]")
    }

    @Test func functionCallsLaterFunction() {
        #expect(Script.value("fn a() = b()\nfn b() = 7\na()") == "7")
    }

    @Test func redefinitionIsSeenByClosure() {
        #expect(Script.value("let x = 1\nfn f() = x\nlet x = 2\nf()") == "2")
    }

    @Test func defaultValueSeesEarlierParameters() {
        #expect(Script.value("let b = 10\nfn f(a, c = a + b, b = 1) = c\nf(1)") == "11")
        #expect(Script.value("let b = 10\nfn f(a, c = a + b, b = 1) = c\nf(1, b: 2)") == "11")
    }

    @Test func loopClosuresCaptureTheirIteration() {
        #expect(Script.value("[f() for f in [fn() = i for i in 0..<3]]") == "[0, 1, 2]")
        #expect(Script.value("var fs = []\nfor i in 0..<3 { fs += [fn() = i * 10] }\n[f() for f in fs]") == "[0, 10, 20]")
    }

    @Test func repeatedLoopNameIsRejected() {
        #expect(Script.value("[a for a, a in [\"x\", \"y\"]]") == "error: duplicate loop variable 'a'")
    }

    @Test func assignmentReachesOuterVariable() {
        #expect(Script.value("var n = 0\nfor i in 0..<4 { if i % 2 == 0 { n += i } }\nn") == "2")
    }

    @Test func sessionEntryShadowsGlobalForEarlierFunction() {
        let session = Session(options: EvaluationOptions())
        #expect(session.evaluate(entry("fn size() = len")).diagnostics.isEmpty)
        #expect(session.evaluate(entry("let len = 3")).diagnostics.isEmpty)
        #expect(session.evaluate(entry("size()")).value.map(ValueFormatter.format) == "3")
    }

    @Test func sessionFunctionReadsLaterEntry() {
        let session = Session(options: EvaluationOptions())
        #expect(session.evaluate(entry("fn g() = later + 1")).diagnostics.isEmpty)
        #expect(session.evaluate(entry("g()")).diagnostics.first?.message == "unknown name 'later'")
        #expect(session.evaluate(entry("let later = 5")).diagnostics.isEmpty)
        #expect(session.evaluate(entry("g()")).value.map(ValueFormatter.format) == "6")
    }

    @Test func failedEntryForgetsItsNames() {
        let session = Session(options: EvaluationOptions())
        #expect(session.evaluate(entry("let a = 1")).diagnostics.isEmpty)
        #expect(session.evaluate(entry("let b = 2\nlet c = 1 / 0")).diagnostics.first?.message == "division by zero")
        #expect(session.evaluate(entry("let d = 4")).diagnostics.isEmpty)
        #expect(session.bindings.map(\.name) == ["a", "d"])
        #expect(session.evaluate(entry("b")).diagnostics.first?.message == "unknown name 'b'")
        #expect(session.evaluate(entry("a + d")).value.map(ValueFormatter.format) == "5")
    }

    @Test func moduleExportsInDefinitionOrder() {
        let expected = #"["kinesisStream", "kinesisConsumer", "dynamodbTable", "dynamodbStream", "sqsQueue", "snsTopic"]"#
        #expect(Script.value("import \"arn\" as arn\nkeys(arn)") == expected)
        #expect(Script.value("import \"arn\" as arn\narn.sqsQueue(\"r\", \"1\", \"q\")") == #""arn:aws:sqs:r:1:q""#)
    }
}
