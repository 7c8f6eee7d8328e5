import SlsxLanguage
import SlsxSource
import Testing

@Suite struct BuiltinTests {
    @Test(arguments: [
        ("len([1, 2])", "2"),
        ("length(\"héllo\")", "5"),
        ("len({a: 1})", "1"),
        ("range(3)", "[0, 1, 2]"),
        ("range(2, 5)", "[2, 3, 4]"),
        ("range(5, 0, -2)", "[5, 3, 1]"),
        ("keys({b: 1, a: 2})", #"["b", "a"]"#),
        ("values({b: 1, a: 2})", "[1, 2]"),
        ("upper(\"abc\")", #""ABC""#),
        ("lower(\"ABC\")", #""abc""#),
        ("replace(\"a-b-c\", \"-\", \"_\")", #""a_b_c""#),
        ("split(\"a,b,,c\", \",\")", #"["a", "b", "", "c"]"#),
        ("join([\"a\", \"b\"], \"/\")", #""a/b""#),
        ("join([\"a\", \"b\"])", #""ab""#),
        ("contains(\"orders\", \"der\")", "true"),
        ("contains([1, 2], 3)", "false"),
        ("contains({a: 1}, \"a\")", "true"),
        ("startsWith(\"arn:aws\", \"arn:\")", "true"),
        ("endsWith(\"table/x\", \"/y\")", "false"),
        ("trim(\"  x \\n\")", #""x""#),
        ("format(\"{}-{}\", \"a\", 1)", #""a-1""#),
        ("format(\"{{}} {}\", true)", #""{} true""#),
        ("str(1.5)", #""1.5""#),
        ("str([1, \"a\"])", #""[1, \"a\"]""#),
        ("int(\"42\")", "42"),
        ("int(3.0)", "3"),
        ("float(2)", "2.0"),
        ("float(\"2.5\")", "2.5"),
        ("type(null)", #""null""#),
        ("type(fn() = 1)", #""function""#),
        ("merge({a: {x: 1, y: 2}}, {a: {y: 3}, b: 4})", "{a: {x: 1, y: 3}, b: 4}"),
        ("map([1, 2], fn(x) = x * 10)", "[10, 20]"),
        ("filter([1, 2, 3], fn(x) = x != 2)", "[1, 3]"),
        ("reduce([1, 2, 3], 0, fn(a, x) = a + x)", "6"),
        ("sorted([3, 1, 2])", "[1, 2, 3]"),
        ("sorted([\"b\", \"a\"])", #"["a", "b"]"#),
        ("sorted([{n: 2}, {n: 1}], key: fn(m) = m.n)", "[{n: 1}, {n: 2}]"),
        ("reversed([1, 2])", "[2, 1]"),
        ("enumerate([\"a\"])", #"[[0, "a"]]"#),
        ("append([1], 2)", "[1, 2]"),
        ("get({a: 1}, \"b\", 0)", "0"),
        ("abs(-3)", "3"),
        ("abs(-2.5)", "2.5"),
        ("min(3, 1, 2)", "1"),
        ("max([3, 1, 2])", "3"),
        ("sum([1, 2, 3])", "6"),
        ("sum([1, 2.5])", "3.5"),
    ])
    func builtin(call: String, expected: String) {
        #expect(Script.value(call) == expected)
    }

    @Test(arguments: [
        ("upper(1)", "argument 'text' of 'upper' must be a string, but it is int"),
        ("len(1)", "argument 'value' of 'len' must be a string, a list or a map, but it is int"),
        ("upper()", "missing argument 'text' in call to 'upper'"),
        ("upper(\"a\", \"b\")", "too many arguments in call to 'upper': it takes 1 but got 2"),
        ("join([\"a\"], separatr: \"-\")", "unknown argument 'separatr' in call to 'join'"),
        ("int(\"x1\")", "\"x1\" is not an integer"),
        ("float(\"0x1p3\")", "\"0x1p3\" is not a number"),
        ("float(\"nan\")", "\"nan\" is not a number"),
        ("int(1.5)", "1.5 has no exact int value"),
        ("format(\"{} {}\", 1)", "the template has more {} placeholders than the 1 values given"),
        ("min()", "min needs at least one value"),
        ("abs(-9223372036854775808)", "integer overflow: abs(-9223372036854775808) does not fit in 64 bits"),
        ("sorted([1, \"a\"])", "comparison cannot compare string and int"),
        ("filter([1], fn(x) = 1)", "the predicate of filter must return a bool, but it returned int"),
        ("error(\"stop here\")", "stop here"),
    ])
    func builtinError(call: String, expected: String) {
        #expect(Script.value(call) == "error: " + expected)
    }

    @Test(arguments: [
        ("let x = join([\"a\", 1])", "1:14: join takes a list of strings, but it contains an int"),
        ("let x = join([\"a\", null])", "1:14: join takes a list of strings, but it contains null"),
        ("let x = join([[\"a\"]])", "1:14: join takes a list of strings, but it contains a list"),
    ])
    func joinNamesItemTypeWithArticle(script: String, expected: String) {
        #expect(Script.firstError(script) == expected)
    }

    @Test func wrongTypeErrorPointsAtArgument() {
        let result = Script.evaluate("let x = upper(42)")
        #expect(result.diagnostics.first?.span?.text == "42")
    }

    @Test func unknownNamedArgumentSuggests() {
        let result = Script.evaluate("let x = join([\"a\"], separatr: \"-\")")
        #expect(result.diagnostics.first?.hint == "did you mean 'separator'?")
    }

    @Test func printWritesThroughOutput() {
        let lines = LineCollector()
        let options = EvaluationOptions(output: { lines.append($0) })
        let result = Evaluator.evaluate(SourceFile(path: "t.slsx", text: "print(\"a\", 1)\nprint([true])"), options: options)
        #expect(result.diagnostics.isEmpty)
        #expect(lines.lines == ["a 1", "[true]"])
    }

    @Test func envReadsOnlyAllowedVariables() {
        let options = EvaluationOptions(environment: ["TEAM": "data"])
        let ok = Evaluator.evaluate(SourceFile(path: "t.slsx", text: "team: env(\"TEAM\")\nhome: env(\"HOME\", \"-\")"), options: options)
        #expect(ok.document.map(ValueFormatter.format) == #"{team: "data", home: "-"}"#)
        #expect(Script.firstError("x: env(\"HOME\")") == "1:8: environment variable 'HOME' is not available")
    }

    @Test func tableHasNoDuplicateNames() {
        let names = Session.builtinNames
        #expect(Set(names).count == names.count)
        #expect(names.contains("GetAtt"))
        #expect(names.contains("AWS"))
    }
}

/// Collects printed lines from the evaluation thread.
final class LineCollector: @unchecked Sendable {
    private var storage: [String] = []
    private let lock = Lock()

    var lines: [String] { lock.locked { storage } }

    func append(_ line: String) {
        lock.locked { storage.append(line) }
    }
}
