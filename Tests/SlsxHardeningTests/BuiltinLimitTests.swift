import SlsxLanguage
import SlsxSource
import Testing

/// Built-ins and operators on large values: each must stop at the evaluation limits with one
/// located error before it builds an oversized result or works for minutes. The cases use small
/// limits so that they run fast in a debug build.
@Suite struct BuiltinLimitTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var script: String
        /// The first diagnostic as `line:column: message`.
        var expected: String
        var limits: Limits

        var testDescription: String { name }
    }

    /// A limit of 1000 bytes per string and 100 items per list or map.
    static let small = Limits(stringBytes: 1000, listItems: 100)

    /// `let s = ...` binds a string of 600 "a" characters.
    static let text600 = "let s = \"" + String(repeating: "a", count: 600) + "\"\n"

    static let resultCases: [Case] = [
        Case(name: "replace with a long replacement", script: text600 + "let t = replace(s, \"a\", s)",
             expected: "2:9: string longer than 1000 bytes", limits: small),
        Case(name: "join with a long separator", script: text600 + "let t = join([\"x\", \"y\", \"z\"], s)",
             expected: "2:9: string longer than 1000 bytes", limits: small),
        Case(name: "str of a list of long strings", script: text600 + "let t = str([s, s])",
             expected: "2:9: string longer than 1000 bytes", limits: small),
        Case(name: "format of long strings", script: text600 + "let t = format(\"{} {}\", s, s)",
             expected: "2:9: string longer than 1000 bytes", limits: small),
        Case(name: "upper that grows the text", script: "let s = \"" + String(repeating: "ΐ", count: 200) + "\"\nlet t = upper(s)",
             expected: "2:9: string longer than 1000 bytes", limits: small),
        Case(name: "plus of two long strings", script: text600 + "let t = s + s",
             expected: "2:9: string longer than 1000 bytes", limits: small),
        Case(name: "plus of two large maps", script: "let m = {\"a\\(i)\": i for i in 0..<60}\nlet n = {\"b\\(i)\": i for i in 0..<60}\nlet t = m + n",
             expected: "3:9: list or map longer than 100 items", limits: small),
        Case(name: "merge of two large maps", script: "let m = {\"a\\(i)\": i for i in 0..<60}\nlet n = {\"b\\(i)\": i for i in 0..<60}\nlet t = merge(m, n)",
             expected: "3:9: list or map longer than 100 items", limits: small),
        Case(name: "merge of large nested maps", script: "let m = {\"a\\(i)\": i for i in 0..<60}\nlet n = {\"b\\(i)\": i for i in 0..<60}\nlet t = merge({x: m}, {x: n})",
             expected: "3:9: list or map longer than 100 items", limits: small),
        Case(name: "split into too many parts", script: "let t = split(join([\",\" for i in 0..<100]), \",\")",
             expected: "1:9: list or map longer than 100 items", limits: small),
        Case(name: "print of too much in total", script: text600 + "for i in 0..<3 { print(s) }",
             expected: "2:18: printed output longer than 1000 bytes in total", limits: small),
        Case(name: "print of one long line", script: text600 + "print(s, s)",
             expected: "2:1: string longer than 1000 bytes", limits: small),
    ]

    @Test(arguments: resultCases)
    func oversizedResult(_ testCase: Case) {
        #expect(HostileScriptTests.firstError(testCase.script, limits: testCase.limits) == testCase.expected)
    }

    /// A list of 1000 ints, `big`, then a loop of 1000 steps that walks it with a built-in or an
    /// operator. Each walk costs at least 1000 / 16 steps, so the step limit of 40,000 stops the loop.
    static let walkCases: [(name: String, walk: String)] = [
        ("contains", "contains(big, -1)"),
        ("equality", "big == other"),
        ("str", "str(big)"),
        ("sorted", "sorted(big)"),
        ("list plus", "big + []"),
        ("merge", "merge(map)"),
        ("keys", "keys(map)"),
        ("join", "join(words)"),
        ("split", "split(text, \"-\")"),
        ("replace", "replace(text, \"-\", \"+\")"),
        ("string plus", "text + \"\""),
        ("len of a string", "len(text)"),
        ("max", "max(big)"),
        ("sum", "sum(big)"),
        ("interpolation", "\"\\(big)\""),
        ("string less", "text < copy"),
        ("string greater or equal", "text >= copy"),
        ("string equality", "text == copy"),
        ("min of strings", "min(text, copy)"),
        ("max of a list of strings", "max([text, copy])"),
        ("sorted strings", "sorted([text, copy])"),
        ("index by a long key", "keyed[text]"),
        ("get by a long key", "get(keyed, text)"),
        ("contains a long key", "contains(keyed, text)"),
        ("map literal with a long key", "{[text]: 1}"),
    ]

    /// Returns a script that defines the values the walks use and, on line 8, evaluates `walk` in a
    /// loop of 1000 steps.
    static func walkScript(_ walk: String) -> String {
        """
            let big = [i for i in 0..<1000]
            let other = [i for i in 0..<1000]
            let map = {"k\\(i)": i for i in 0..<1000}
            let words = ["abcdefgh" for i in 0..<1000]
            let text = join(words, "-")
            let copy = join(words, "-")
            let keyed = {[copy]: 1}
            for i in 0..<1000 { let x = \(walk) }
            """
    }

    @Test(arguments: walkCases)
    func builtinWorkChargesSteps(_ name: String, _ walk: String) {
        let script = Self.walkScript(walk)
        // The limit is crossed either by the walk (column 29) or by a step of the loop body
        // (column 21), whichever comes first in that case, so only the line is stated.
        let error = HostileScriptTests.firstError(script, limits: Limits(steps: 40_000))
        #expect(error.hasPrefix("8:"))
        #expect(error.hasSuffix(": evaluation step limit (40000) exceeded"))
    }

    /// The same loop with a walk of constant cost stays within the step limit, so the cases above
    /// fail because of what the walk is charged.
    @Test func constantWorkStaysWithinSteps() {
        let script = Self.walkScript("len(big)")
        #expect(HostileScriptTests.firstError(script, limits: Limits(steps: 40_000)) == "<none>")
    }

    @Test func printTotalResetsPerReplEntry() {
        let session = Session(options: EvaluationOptions(limits: Self.small))
        let line = String(repeating: "a", count: 600)
        let entry = SourceFile(path: "<repl>", text: "print(\"\(line)\")")

        #expect(session.evaluate(entry).printed == [line])
        #expect(session.evaluate(entry).printed == [line])
        let twice = session.evaluate(SourceFile(path: "<repl>", text: "print(\"\(line)\")\nprint(\"\(line)\")"))
        #expect(twice.diagnostics.first?.message == "printed output longer than 1000 bytes in total")
        #expect(twice.printed == [line])
    }

    /// Returns the first error's message and hint for `script`.
    static func messageAndHint(_ script: String) -> (message: String, hint: String?) {
        let result = Evaluator.evaluate(SourceFile(path: "hostile.slsx", text: script), options: EvaluationOptions())
        guard let error = result.diagnostics.first(where: { $0.severity == .error }) else { return ("<none>", nil) }
        return (error.message, error.hint)
    }

    @Test func missingKeySuggestionAmongFewKeys() {
        let outcome = Self.messageAndHint("let m = {orders: 1, refunds: 2}\nlet x = m.ordres")
        #expect(outcome.message == "the map has no key 'ordres'")
        #expect(outcome.hint == "did you mean 'orders'?")
    }

    @Test func missingKeySuggestionSkippedAmongManyKeys() {
        let outcome = Self.messageAndHint("let m = {\"key\\(i)\": i for i in 0..<20000}\nlet x = m.kez1")
        #expect(outcome.message == "the map has no key 'kez1'")
        #expect(outcome.hint?.hasPrefix("the keys are 'key0', 'key1', ") == true)
    }

    @Test func containsMapWithNonStringKey() {
        let outcome = Self.messageAndHint("let x = contains({a: 1}, 1)")
        #expect(outcome.message == "argument 'item' of 'contains' must be a string (a key) when 'collection' is a map, but it is int")
    }

    @Test func containsStringWithNonString() {
        let outcome = Self.messageAndHint("let x = contains(\"abc\", 1)")
        #expect(outcome.message == "argument 'item' of 'contains' must be a string when 'collection' is a string, but it is int")
    }

    /// Returns the value of `expression` as the REPL shows it, or the first error's message.
    static func value(_ expression: String) -> String {
        let result = Session(options: EvaluationOptions()).evaluate(SourceFile(path: "<repl>", text: expression))
        if let error = result.diagnostics.first(where: { $0.severity == .error }) {
            return "error: " + error.message
        }
        return result.value.map(ValueFormatter.format) ?? "<none>"
    }

    @Test(arguments: [
        (#"split("a\r\nb", "\n")"#, #"["a\r", "b"]"#),
        (#"split("a\r\nb", "\r\n")"#, #"["a", "b"]"#),
        (#"replace("a\r\nb", "\n", "X")"#, #""a\rXb""#),
        (#"replace("a\r\nb", "\r", "")"#, #""a\nb""#),
        (#"trim("a\r\n")"#, #""a""#),
        (#"trim(" \r\n ")"#, #""""#),
        (#"endsWith("a\r\n", "\n")"#, "true"),
        (#"startsWith("\r\nb", "\r")"#, "true"),
        (#"contains("a\r\nb", "\n")"#, "true"),
        (#"contains("a\r\nb", "")"#, "true"),
        (#"split("e\u{301}x", "e")"#, "[\"\", \"\u{301}x\"]"),
        (#"replace("aaa", "aa", "b")"#, #""ba""#),
        (#"split("abab", "ab")"#, #"["", "", ""]"#),
    ])
    func stringBuiltinsCompareBytes(_ expression: String, _ expected: String) {
        #expect(Self.value(expression) == expected)
    }
}
