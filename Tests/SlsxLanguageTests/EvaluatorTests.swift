import SlsxLanguage
import SlsxSource
import Testing

@Suite struct EvaluatorTests {
    static let billing = """
        let account = "123456789012"
        let tables = ["orders", "payments"]
        fn tableStream(name, label = "2024-01-01T00:00:00.000") =
          "arn:aws:dynamodb:us-east-1:\\(account):table/\\(name)/stream/\\(label)"
        import "arn" as arn
        let stage = option("stage", "dev")

        service "billing"
        provider { region: "us-east-1", stage: stage, runtime: "nodejs20.x" }
        for table in tables {
          function "\\(table)-indexer" {
            handler: "src/indexer.handle"
            timeout: 30
            stream { arn: tableStream(table), batchSize: 100, startingPosition: "LATEST" }
            stream arn.kinesisStream("us-east-1", account, "clicks")
            if stage == "prod" { stream { arn: "x", enabled: false } }
          }
        }
        resources { Resources: { FailQueue: { Type: "AWS::SQS::Queue" } } }
        """

    @Test func billingSampleDocument() {
        let expected = """
            {service: "billing", provider: {region: "us-east-1", stage: "dev", runtime: "nodejs20.x"}, \
            functions: {"orders-indexer": {handler: "src/indexer.handle", timeout: 30, events: [\
            {stream: {arn: "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000", batchSize: 100, startingPosition: "LATEST"}}, \
            {stream: "arn:aws:kinesis:us-east-1:123456789012:stream/clicks"}]}, \
            "payments-indexer": {handler: "src/indexer.handle", timeout: 30, events: [\
            {stream: {arn: "arn:aws:dynamodb:us-east-1:123456789012:table/payments/stream/2024-01-01T00:00:00.000", batchSize: 100, startingPosition: "LATEST"}}, \
            {stream: "arn:aws:kinesis:us-east-1:123456789012:stream/clicks"}]}}, \
            resources: {Resources: {FailQueue: {Type: "AWS::SQS::Queue"}}}}
            """
        #expect(Script.document(Self.billing) == expected)
    }
}

@Suite struct EvaluatorExpressionTests {
    @Test func arithmeticAndPrecedence() {
        #expect(Script.value("1 + 2 * 3 - 4 / 2") == "5")
        #expect(Script.value("7 / 2") == "3")
        #expect(Script.value("-7 % 3") == "-1")
        #expect(Script.value("7 / 2.0") == "3.5")
        #expect(Script.value("(1 + 2) * 3") == "9")
        #expect(Script.value("2 - 3 - 4") == "-5")
    }

    @Test func comparisonsAndLogic() {
        #expect(Script.value("1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 4 == false") == "true")
        #expect(Script.value("\"a\" < \"b\"") == "true")
        #expect(Script.value("1 == 1.0") == "true")
        #expect(Script.value("7 % 3 == 1") == "true")
        #expect(Script.value("7 % 3 == 2") == "false")
        #expect(Script.value("-9223372036854775807 - 1 != 9223372036854775807") == "true")
        #expect(Script.value("2 == \"2\"") == "false")
        #expect(Script.value("[1, {a: 2}] == [1, {a: 2}]") == "true")
        #expect(Script.value("{a: 1, b: 2} == {b: 2, a: 1}") == "true")
        #expect(Script.value("!true || false") == "false")
        #expect(Script.value("1 && true") == "error: the operands of '&&' must be bools, but this one is int")
        #expect(Script.value("[1] < [2]") == "error: operator '<' cannot compare list and list")
    }

    @Test func functionsEqualOnlyThemselves() {
        #expect(Script.value("fn f() = 1\nf == f") == "true")
        #expect(Script.value("fn f() = 1\nfn g() = 1\nf == g") == "false")
        #expect(Script.value("fn f() = 1\nf != fn() = 1") == "true")
        #expect(Script.value("len == len") == "true")
        #expect(Script.value("len == length") == "false")
        #expect(Script.value("fn f() = 1\n[f] == [f]") == "true")
        #expect(Script.value("fn f() = 1\ncontains([f], f)") == "true")
        #expect(Script.value("let fs = [fn() = i for i in 0..<2]\nfs[0] == fs[1]") == "false")
    }

    @Test func logicShortCircuits() {
        #expect(Script.value("false && error(\"not evaluated\")") == "false")
        #expect(Script.value("true || error(\"not evaluated\")") == "true")
    }

    @Test func nullCoalescing() {
        #expect(Script.value("null ?? 3") == "3")
        #expect(Script.value("2 ?? 3") == "2")
        #expect(Script.value("let m = {a: 1}\nm?.b ?? \"none\"") == "\"none\"")
        #expect(Script.value("null ?? null ?? 5") == "5")
    }

    @Test func plusJoinsStringsListsAndMaps() {
        #expect(Script.value("\"a\" + \"b\"") == "\"ab\"")
        #expect(Script.value("[1] + [2, 3]") == "[1, 2, 3]")
        #expect(Script.value("{a: 1, b: 2} + {b: 3, c: 4}") == "{a: 1, b: 3, c: 4}")
        #expect(Script.value("{a: 1, b: [2]} + {}") == "{a: 1, b: [2]}")
        #expect(Script.value("{} + {b: {c: 3}}") == "{b: {c: 3}}")
        #expect(Script.value("{} + {}") == "{}")
        #expect(Script.value("\"n\" + 1") == "error: operator '+' cannot be applied to string and int")
    }

    @Test func stringInterpolation() {
        #expect(Script.value("let n = 3\n\"n=\\(n), f=\\(1.5), b=\\(true), z=\\(null), l=\\([1, \"x\"])\"") == #""n=3, f=1.5, b=true, z=null, l=[1, \"x\"]""#)
        #expect(Script.value(#""outer \("inner \(1 + 1)")""#) == #""outer inner 2""#)
    }

    @Test func interpolationJoinsEveryPart() {
        // Longer than a small string, with multi-byte characters on both sides of a part.
        #expect(Script.value(#""héllo-\("wörld")-\(12345678901234)-done""#) == #""héllo-wörld-12345678901234-done""#)
        #expect(Script.value(#""\(42)""#) == #""42""#)
        #expect(Script.value(#""\("")""#) == #""""#)
        #expect(Script.value(#""a\("")b""#) == #""ab""#)
        // A part that calls a function which interpolates too, at two levels.
        let nested = "fn tag(x) = \"<\\(x)>\"\n\"a\\(tag(\"b\\(tag(1))\"))c\\(tag(2))\""
        #expect(Script.value(nested) == #""a<b<1>>c<2>""#)
    }

    @Test func membersAndIndexes() {
        #expect(Script.value("let m = {a: {b: [10, 20]}}\nm.a.b[1]") == "20")
        #expect(Script.value("let m = {\"Fn::GetAtt\": 1}\nm[\"Fn::GetAtt\"]") == "1")
        #expect(Script.value("\"héllo\"[1]") == "\"é\"")
        #expect(Script.value("[1, 2][2]") == "error: index 2 is out of range for a list of 2 items")
        #expect(Script.value("[1, 2][-1]") == "error: index -1 is out of range for a list of 2 items")
        #expect(Script.value("{a: 1}.b") == "error: the map has no key 'b'")
        #expect(Script.value("{a: 1}[\"b\"]") == "error: the map has no key \"b\"")
        #expect(Script.value("null?.a") == "null")
        #expect(Script.value("null.a") == "error: cannot read member 'a' of a value of type null")
    }

    @Test func missingKeySuggestsNearName() {
        let result = Script.evaluate("let m = {batchSize: 1}\nlet x = m.batchsize")
        #expect(result.diagnostics.first?.hint == "did you mean 'batchSize'?")
    }

    @Test func unknownNameSuggestsNearName() {
        let result = Script.evaluate("let tables = []\nlet x = tabels")
        #expect(result.diagnostics.first?.message == "unknown name 'tabels'")
        #expect(result.diagnostics.first?.hint == "did you mean 'tables'?")
    }

    @Test func ranges() {
        #expect(Script.value("0..<3") == "[0, 1, 2]")
        #expect(Script.value("1...3") == "[1, 2, 3]")
        #expect(Script.value("3..<1") == "[]")
        #expect(Script.value("[i * i for i in 1...4]") == "[1, 4, 9, 16]")
    }

    @Test func comprehensions() {
        #expect(Script.value("[x * 2 for x in [1, 2, 3, 4] if x % 2 == 0]") == "[4, 8]")
        #expect(Script.value("{k: len(k) for k in [\"a\", \"bb\"]}") == "{a: 1, bb: 2}")
        #expect(Script.value("[\"\\(i):\\(x)\" for i, x in [\"a\", \"b\"]]") == #"["0:a", "1:b"]"#)
        #expect(Script.value("[k + \"=\" + str(v) for k, v in {a: 1, b: 2}]") == #"["a=1", "b=2"]"#)
        #expect(Script.value("[[x, y] for x in 1...2 for y in 1...2 if x != y]") == "[[1, 2], [2, 1]]")
    }

    @Test func computedAndInterpolatedKeys() {
        #expect(Script.value("let k = \"x\"\n{[k + \"1\"]: 1, \"\\(k)2\": 2}") == "{x1: 1, x2: 2}")
        #expect(Script.value("{[1]: 1}") == "error: a map key must be a string, but this one is int")
    }

    @Test func duplicateMapKeyIsError() {
        let result = Script.evaluate("let m = {a: 1, a: 2}")
        #expect(result.diagnostics.first?.message == "duplicate key 'a' in a map")
        #expect(result.diagnostics.first?.span?.startLocation.description == "1:16")
        #expect(result.diagnostics.first?.notes.first?.span?.startLocation.description == "1:10")
    }

    @Test(arguments: [
        // A name after an interpolated or computed key that gives the same text.
        "let k = \"a\"\nlet m = {\"\\(k)\": 1, a: 2}",
        "let k = \"a\"\nlet m = {[k]: 1, a: 2}",
        // A name repeated after other names, and after the parser's limit of compared keys.
        "let m = {a: 1, b: 2, c: 3, a: 4}",
        "let m = {k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7, k8: 8, k9: 9, k10: 10, k11: 11, k12: 12, k13: 13, k14: 14, k15: 15, k16: 16, a: 1, a: 2}",
        // A quoted key and a bare name with the same text.
        "let m = {\"a\": 1, a: 2}",
    ])
    func duplicateMapKeyAfterOtherKeys(script: String) {
        let result = Script.evaluate(script)
        #expect(result.diagnostics.first?.message == "duplicate key 'a' in a map")
    }

    @Test func ifExpression() {
        #expect(Script.value("let x = if 1 > 2 { \"a\" } else { \"b\" }\nx") == "\"b\"")
        #expect(Script.value("if false { 1 }") == "null")
        #expect(Script.value("let n = 5\nif n < 3 { \"small\" } else if n < 10 { \"medium\" } else { \"large\" }") == "\"medium\"")
        #expect(Script.value("if 1 { 2 }") == "error: the 'if' condition must be a bool, but it is int")
    }

    @Test func ifValueBranchKinds() {
        // Branches of one expression, of several statements, of one binding and of none.
        let script = """
            fn pick(n) = if n < 3 { "small" } else if n < 10 {
              let m = n * 2
              "medium \\(m)"
            } else if n < 100 { let unused = n } else { }
            [pick(1), pick(5), pick(20), pick(200)]
            """
        #expect(Script.value(script) == #"["small", "medium 10", null, null]"#)
    }

    @Test func mapInsertionOrderIsKept() {
        // Field report: keys came out in hash order.
        let keys = (0..<40).map { "key\(($0 * 7919) % 40)" }
        let literal = "{" + keys.map { "\($0): 1" }.joined(separator: ", ") + "}"
        #expect(Script.value("keys(\(literal))") == "[" + keys.map { "\"\($0)\"" }.joined(separator: ", ") + "]")
        #expect(Script.document("zeta: 1\nalpha: 2\nmid: 3") == "{zeta: 1, alpha: 2, mid: 3}")
    }
}

@Suite struct EvaluatorFunctionTests {
    @Test func functionForms() {
        #expect(Script.value("fn add(a, b) = a + b\nadd(1, 2)") == "3")
        #expect(Script.value("fn fib(n) { if n < 2 { return n }  return fib(n - 1) + fib(n - 2) }\nfib(15)") == "610")
        #expect(Script.value("let double = fn(x) = x * 2\ndouble(21)") == "42")
        #expect(Script.value("fn f() { let a = 1\n a + 1 }\nf()") == "2")
        #expect(Script.value("fn f() { let a = 1 }\nf()") == "null")
    }

    @Test func namedAndDefaultArguments() {
        #expect(Script.value("fn f(a, label = \"x\", n = 1) = \"\\(a)-\\(label)-\\(n)\"\nf(1, label: \"y\")") == "\"1-y-1\"")
        #expect(Script.value("fn f(a, label = \"x\", n = 1) = \"\\(a)-\\(label)-\\(n)\"\nf(n: 5, a: 2)") == "\"2-x-5\"")
        #expect(Script.value("fn f(a, b = a * 2) = b\nf(4)") == "8")
    }

    @Test func argumentErrors() {
        #expect(Script.value("fn f(a) = a\nf()") == "error: missing argument 'a' in call to 'f'")
        #expect(Script.value("fn f(a) = a\nf(1, 2)") == "error: too many arguments in call to 'f': it takes 1 but got 2")
        #expect(Script.value("fn f(label) = label\nf(lable: 1)") == "error: unknown argument 'lable' in call to 'f'")
        #expect(Script.value("fn f(a) = a\nf(1, a: 2)") == "error: argument 'a' is given twice in call to 'f'")
        #expect(Script.value("let x = 1\nx(2)") == "error: cannot call a value of type int")
        let result = Script.evaluate("fn f(label) = label\nlet x = f(labl: 1)")
        #expect(result.diagnostics.first?.hint == "did you mean 'label'?")
        #expect(result.diagnostics.first?.span?.text == "labl")
    }

    @Test func closuresCaptureEachIteration() {
        // Field report: closures made in a loop all saw the last iteration's value.
        let script = """
            var makers = []
            for i in 0..<3 { makers += [fn() = i * 10] }
            [f() for f in makers]
            """
        #expect(Script.value(script) == "[0, 10, 20]")
        #expect(Script.value("let fs = [fn() = x for x in [\"a\", \"b\"]]\n[f() for f in fs]") == #"["a", "b"]"#)
    }

    @Test func closuresCaptureLexicalScope() {
        #expect(Script.value("fn counter(start) = fn(step) = start + step\nlet c = counter(10)\nc(5)") == "15")
    }

    @Test func errorInHelperNamesCallSites() {
        let script = "fn a(x) = x + \"s\"\nfn b(x) = a(x)\nfn c(x) = b(x)\nfn d(x) = c(x)\nfn e(x) = d(x)\nlet v = e(1)"
        let error = Script.evaluate(script).diagnostics.first

        #expect(error?.message == "operator '+' cannot be applied to int and string")
        #expect(error?.notes.map(\.message) == [
            "in a call to 'a'", "in a call to 'b'", "in a call to 'c'", "... and the calls that led to it",
        ])
        #expect(error?.notes.first?.span?.startLocation.description == "2:11")
    }

    @Test func variablesAndAssignment() {
        #expect(Script.value("var n = 1\nn = n + 1\nn += 3\nn -= 1\nn") == "4")
        #expect(Script.value("let n = 1\nn = 2") == "error: cannot assign to 'n' because it is a constant")
        #expect(Script.value("m = 2") == "error: cannot assign to unknown name 'm'")
        let unknown = Script.evaluate("service \"s\"\nfunction \"f\" { handler = \"h\" }").diagnostics.first
        #expect(unknown?.hint == "declare it first with 'var handler = ...', or write 'handler: ...' to set a field of the document or declaration")
        #expect(Script.evaluate("q += 1").diagnostics.first?.hint == "declare it first with 'var q = ...'")
        #expect(Script.value("var s = \"a\"\ns += \"b\"\ns") == "\"ab\"")
    }

    @Test func valueSpansSurviveFunctionCalls() {
        // A value keeps the span of the literal that produced it, through let, fn and loops.
        let script = """
            fn settings(size = 100) = {batchSize: size}
            let chosen = [settings()]
            function "f" {
              for s in chosen { stream { arn: "a", batchSize: s.batchSize } }
            }
            """
        let result = Script.evaluate(script)
        guard case .map(let document)? = result.document?.kind, case .map(let functions)? = document["functions"]?.kind,
            case .map(let function)? = functions["f"]?.kind, case .list(let events)? = function["events"]?.kind,
            case .map(let event)? = events.first?.kind, case .map(let stream)? = event["stream"]?.kind,
            let batchSize = stream["batchSize"]
        else {
            Issue.record("unexpected document \(String(describing: result.document)) \(result.diagnostics)")
            return
        }
        #expect(batchSize.span?.text == "100")
        #expect(batchSize.span?.startLocation.description == "1:20")
        #expect(events.first?.span?.text == "stream { arn: \"a\", batchSize: s.batchSize }")
    }

    @Test func userErrorIsLocated() {
        let result = Script.evaluate("fn check(n) = if n > 10 { error(\"n must be at most 10\") } else { n }\nlet x = check(11)")
        #expect(result.diagnostics.first?.message == "n must be at most 10")
        #expect(result.diagnostics.first?.span?.text == "error(\"n must be at most 10\")")
    }
}

@Suite struct DeclarationTests {
    @Test func secondProviderIsError() {
        let result = Script.evaluate("provider { region: \"a\" }\nprovider { region: \"b\" }")
        #expect(result.diagnostics.first?.message == "a second provider block")
        #expect(result.diagnostics.first?.span?.startLocation.description == "2:1")
        #expect(result.diagnostics.first?.notes.first?.span?.startLocation.description == "1:1")
    }

    @Test func duplicateFunctionIsError() {
        let result = Script.evaluate("function \"a\" { handler: \"x\" }\nfor n in [\"a\"] { function (n) { handler: \"y\" } }")
        #expect(result.diagnostics.first?.message == "duplicate function 'a'")
        #expect(result.diagnostics.first?.span?.startLocation.description == "2:11")
        #expect(result.diagnostics.first?.notes.first?.span?.startLocation.description == "1:10")
    }

    @Test func functionNameIsAnExpression() {
        #expect(Script.document("for n in [\"a\", \"b\"] { function n { handler: \"h\" } }") == "{functions: {a: {handler: \"h\"}, b: {handler: \"h\"}}}")
        #expect(Script.document("function \"worker\" { handler: \"h\" }") == "{functions: {worker: {handler: \"h\"}}}")
        #expect(Script.firstError("function worker { handler: \"h\" }") == "1:10: unknown name 'worker'")
        #expect(Script.firstError("function 1 { handler: \"h\" }") == "1:10: a function name must be a string, but it is int")
    }

    @Test func eventsKeepOrderAndOtherEventsPassThrough() {
        let script = """
            function "api" {
              handler: "h"
              event { http: { path: "/", method: "get" } }
              stream "arn:aws:kinesis:us-east-1:1:stream/s"
              memorySize: 256
            }
            """
        #expect(Script.document(script) == #"{functions: {api: {handler: "h", events: [{http: {path: "/", method: "get"}}, {stream: "arn:aws:kinesis:us-east-1:1:stream/s"}], memorySize: 256}}}"#)
    }

    @Test func streamsFollowWrittenEventsField() {
        let written = """
            function "f" {
              handler: "h"
              events: [{ http: { path: "/" } }]
              stream "arn:a"
            }
            """
        #expect(Script.document(written) == #"{functions: {f: {handler: "h", events: [{http: {path: "/"}}, {stream: "arn:a"}]}}}"#)
        let writtenEmpty = """
            function "f" {
              events: []
              stream "arn:a"
              stream "arn:b"
            }
            """
        #expect(Script.document(writtenEmpty) == #"{functions: {f: {events: [{stream: "arn:a"}, {stream: "arn:b"}]}}}"#)
    }

    @Test func topLevelFieldsSetDocumentKeys() {
        #expect(Script.document("frameworkVersion: \"3\"\nservice \"s\"\ncustom: {a: 1}") == #"{frameworkVersion: "3", service: "s", custom: {a: 1}}"#)
        #expect(Script.firstError("service \"a\"\nservice: \"b\"") == "2:1: duplicate field 'service'")
    }

    @Test func declarationsInWrongPlacesAreErrors() {
        #expect(Script.firstError("fn f() { service \"x\" }\nf()") == "1:10: 'service' cannot be declared inside a call of a fn")
        #expect(Script.firstError("stream \"x\"") == "1:1: 'stream' can only appear inside a function body")
        #expect(Script.firstError("provider { stream \"x\" }") == "1:12: 'stream' can only appear inside a function body")
        #expect(Script.firstError("function \"f\" { provider { a: 1 } }") == "1:16: 'provider' can only be declared at the top level of a script")
        #expect(Script.firstError("let x = { a: 1 }\nlet y = if true { a: 2 }") == "2:19: a field can only appear at the top level of a script or inside a declaration body")
    }

    @Test func duplicateFieldInBodyIsError() {
        #expect(Script.firstError("function \"f\" {\n  timeout: 1\n  timeout: 2\n}") == "3:3: duplicate field 'timeout'")
    }

    @Test func optionsComeFromSet() {
        #expect(Script.document("stage: option(\"stage\", \"dev\")", options: ["stage": "prod"]) == #"{stage: "prod"}"#)
        #expect(Script.document("stage: option(\"stage\", \"dev\")") == #"{stage: "dev"}"#)
        #expect(Script.document("size: option(\"size\", 10)", options: ["size": "25"]) == "{size: 25}")
        #expect(Script.firstError("stage: option(\"stage\")") == "1:15: option 'stage' is not set and has no default")
        #expect(Script.firstError("size: option(\"size\", 10)\n") == "<none>")
    }

    @Test func unreadOptionsWarn() {
        // A misspelt --set name would leave the script on its default; each unread name warns.
        let script = "stage: option(\"stage\", \"dev\")\nsize: option(\"size\", 10)"
        let result = Script.evaluate(script, options: ["stgae": "prod", "zzz": "1", "size": "5"])

        #expect(result.document != nil)
        #expect(result.diagnostics.map(DiagnosticRenderer().render) == [
            "warning: --set stgae=... gives option 'stgae', but no option() call read it in this run\nhelp: did you mean 'stage'?\n",
            "warning: --set zzz=... gives option 'zzz', but no option() call read it in this run\nhelp: the script reads 'size', 'stage'\n",
        ])
        #expect(Script.evaluate("x: 1", options: ["a": "1"]).diagnostics.map(\.hint) == ["the script reads no option; remove --set a=..."])
    }

    @Test func unreadOptionsCountBothLoopHalves() {
        // Options read only inside a long loop, on both threads, count as read.
        let script = """
            for i in 0..<200 {
              function "f\\(i)" { handler: "h", timeout: if i < 100 { int(option("low", "1")) } else { int(option("high", "2")) } }
            }
            """
        let result = Script.evaluate(script, options: ["low": "3", "high": "4"])

        #expect(result.document != nil)
        #expect(result.diagnostics.map(\.message) == [])
    }

    @Test func discardedLoopHalfReadsNoOption() {
        // The second half's replica reads `ghost`, because it starts from the state before the
        // loop, but the first half's last iteration changes `count`, so that half is discarded and
        // run again on one thread, where nothing reads `ghost`. The warning must not depend on
        // which thread got there first.
        let script = """
            var count = 0
            for i in 0..<1000 {
              function "f\\(i)" { handler: "h", memorySize: if count == 0 && i >= 500 { option("ghost", 128) } else { 128 } }
              if i == 499 { count = count + 1 }
            }
            """
        for _ in 0..<5 {
            let result = Script.evaluate(script, options: ["ghost": "256"])

            #expect(result.document != nil)
            #expect(result.diagnostics.map(\.message) == ["--set ghost=... gives option 'ghost', but no option() call read it in this run"])
        }
    }

    @Test func optionWithListDefaultIsError() {
        #expect(Script.firstError("l: option(\"l\", [1])", options: ["l": "[2]"])
            == "1:16: option 'l' has a list default, but --set gives only text, numbers and true or false")
    }

    @Test func loneMapScriptIsTheDocument() {
        #expect(Script.document("{\"service\": \"s\", \"provider\": {\"name\": \"aws\"}}") == #"{service: "s", provider: {name: "aws"}}"#)
    }

    @Test func intrinsicsAndPseudoParameters() {
        #expect(Script.value("Ref(\"Queue\")") == #"{Ref: "Queue"}"#)
        #expect(Script.value("GetAtt(\"T\", \"StreamArn\")") == #"{"Fn::GetAtt": ["T", "StreamArn"]}"#)
        #expect(Script.value("ImportValue(\"x\")") == #"{"Fn::ImportValue": "x"}"#)
        #expect(Script.value("Join(\":\", [\"a\", AWS.Region])") == #"{"Fn::Join": [":", ["a", {Ref: "AWS::Region"}]]}"#)
        #expect(Script.value("Sub(\"${AWS::Region}-x\")") == #"{"Fn::Sub": "${AWS::Region}-x"}"#)
        #expect(Script.value("Sub(\"${A}\", {A: \"b\"})") == #"{"Fn::Sub": ["${A}", {A: "b"}]}"#)
        #expect(Script.value("Split(\",\", \"a,b\")") == #"{"Fn::Split": [",", "a,b"]}"#)
        #expect(Script.value("Select(0, [\"a\"])") == #"{"Fn::Select": [0, ["a"]]}"#)
        #expect(Script.value("[AWS.AccountId, AWS.Partition, AWS.StackName, AWS.URLSuffix, AWS.NoValue]") == #"[{Ref: "AWS::AccountId"}, {Ref: "AWS::Partition"}, {Ref: "AWS::StackName"}, {Ref: "AWS::URLSuffix"}, {Ref: "AWS::NoValue"}]"#)
    }
}

@Suite struct FollowUpTests {
    @Test func duplicateFunctionFromLoopPointsAtRepeatedName() {
        let result = Script.evaluate("let names = [\"orders\", \"payments\", \"orders\"]\nfor n in names {\n  function n { handler: \"h\" }\n}")
        #expect(result.diagnostics.first?.message == "duplicate function 'orders'")
        #expect(result.diagnostics.first?.span?.startLocation.description == "1:36")
        #expect(result.diagnostics.first?.notes.first?.span?.startLocation.description == "1:14")
    }

    @Test func missingKeyListsTheKeys() {
        let result = Script.evaluate("let stages = {dev: 1, prod: 2}\nlet stage = \"test\"\nlet x = stages[stage]")
        #expect(result.diagnostics.first?.message == "the map has no key \"test\"")
        #expect(result.diagnostics.first?.hint == "the keys are 'dev', 'prod'; use get(map, key, default) to allow a missing key")
        let near = Script.evaluate("let stages = {dev: 1, prod: 2}\nlet x = stages[\"prd\"]")
        #expect(near.diagnostics.first?.hint == "did you mean 'prod'?")
        let member = Script.evaluate("let m = {a: 1}\nlet x = m.zzz")
        #expect(member.diagnostics.first?.hint == "the keys are 'a'; use ?. to get null for a missing key")
    }
}
