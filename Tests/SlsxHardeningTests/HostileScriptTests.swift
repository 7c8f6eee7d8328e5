import SlsxLanguage
import SlsxSource
import Testing

/// A catalogue of hostile scripts. Each must end with one located error, never a crash, a hang or
/// unbounded memory. The limits are the defaults except where a case lowers the step limit, so the
/// debug build of the suite finishes quickly.
@Suite struct HostileScriptTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var script: String
        /// The first diagnostic as `line:column: message`.
        var expected: String
        var limits = Limits()

        var testDescription: String { name }
    }

    /// Returns the first diagnostic of `script` as `line:column: message`, or `<none>`.
    static func firstError(_ script: String, limits: Limits = Limits()) -> String {
        let result = Evaluator.evaluate(SourceFile(path: "hostile.slsx", text: script), options: EvaluationOptions(limits: limits))
        guard let error = result.diagnostics.first(where: { $0.severity == .error }) else { return "<none>" }
        let place = error.span.map { "\($0.startLocation): " } ?? "<no location>: "
        return place + error.message
    }

    static let nestingCases: [Case] = [
        Case(name: "parentheses 100000 deep", script: "let x = " + String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000),
             expected: "1:264: expression nested too deeply (the limit is 256 levels)"),
        Case(name: "lists 100000 deep", script: "let x = " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
             expected: "1:264: expression nested too deeply (the limit is 256 levels)"),
        Case(name: "maps 5000 deep", script: "let x = " + String(repeating: "{a: ", count: 5000) + "1" + String(repeating: "}", count: 5000),
             expected: "1:1029: expression nested too deeply (the limit is 256 levels)"),
        Case(name: "blocks 5000 deep", script: "fn f() {\n" + String(repeating: "if true { ", count: 5000) + String(repeating: "}", count: 5000) + "\n}",
             expected: "2:1271: expression nested too deeply (the limit is 256 levels)"),
        Case(name: "unary minus 100000 deep", script: "let x = " + String(repeating: "-", count: 100_000) + "1",
             expected: "1:263: expression nested too deeply (the limit is 256 levels)"),
        Case(name: "not 100000 deep", script: "let x = " + String(repeating: "!", count: 100_000) + "true",
             expected: "1:263: expression nested too deeply (the limit is 256 levels)"),
        Case(name: "comprehensions 100000 deep", script: "let x = " + String(repeating: "[1 for i in ", count: 100_000),
             expected: "1:3058: expression nested too deeply (the limit is 256 levels)"),
        Case(name: "comprehension filters 100000 deep",
             script: "let x = [1 for i in [] " + String(repeating: "if [1 for i in [] ", count: 100_000),
             expected: "1:4582: expression nested too deeply (the limit is 256 levels)"),
        // A chain parses in a loop, so the parser's limit does not apply. The tree is as deep as the
        // chain is long, and the resolver stops where the evaluation stack would run short.
        Case(name: "operator chain 700000 long", script: "let x = 1" + String(repeating: "+1", count: 700_000),
             expected: "1:9: expression nested too deeply for the evaluation stack"),
        Case(name: "call chain 1000000 long", script: "let x = f" + String(repeating: "()", count: 1_000_000),
             expected: "1:9: expression nested too deeply for the evaluation stack"),
        Case(name: "interpolation 100 deep", script: "let x = " + String(repeating: "\"\\(", count: 100) + "1" + String(repeating: ")\"", count: 100),
             expected: "1:103: string interpolation nested more than 32 levels deep"),
    ]

    static let runawaysCases: [Case] = [
        Case(name: "infinite recursion", script: "fn f(n) = f(n + 1)\nlet x = f(0)",
             expected: "1:11: recursion depth limit (512) exceeded"),
        Case(name: "mutual recursion", script: "fn even(n) = odd(n)\nfn odd(n) = even(n)\nlet x = even(1)",
             expected: "2:13: recursion depth limit (512) exceeded"),
        Case(name: "infinite loop", script: "var n = 0\nfor i in 0..<9223372036854775807 { n += 1 }",
             expected: "2:41: evaluation step limit (100000) exceeded", limits: Limits(steps: 100_000)),
        Case(name: "exponential recursion", script: "fn fib(n) = if n < 2 { n } else { fib(n - 1) + fib(n - 2) }\nlet x = fib(90)",
             expected: "1:24: evaluation step limit (100000) exceeded", limits: Limits(steps: 100_000)),
        Case(name: "huge range stored", script: "let r = 0..<10000000000",
             expected: "1:9: range 0..<10000000000 is too long to store as a list (the limit is 1000000 items)"),
        Case(name: "huge range built-in", script: "let r = range(10000000000)",
             expected: "1:9: list or map longer than 1000000 items"),
        Case(name: "huge range to the extremes", script: "let a = range(-9223372036854775807 - 1, 9223372036854775807)",
             expected: "1:9: list or map longer than 1000000 items"),
        Case(name: "enumerate of a long list", script: "let x = enumerate(range(2000000))",
             expected: "1:19: list or map longer than 1000000 items"),
        Case(name: "string doubling", script: "var s = \"ab\"\nfor i in 0..<64 { s = s + s }",
             expected: "2:23: string longer than 16777216 bytes"),
        Case(name: "list doubling", script: "var s = [1]\nfor i in 0..<64 { s = s + s }",
             expected: "2:23: list or map longer than 1000000 items"),
        Case(name: "shared list doubling", script: "var l = [1]\nfor i in 0..<60 { l = [l, l] }\nlet x = str(l)",
             expected: "2:23: value larger than the size limit of 67108864 (one per item plus the bytes of its strings)"),
        Case(name: "shared list compared", script: "var l = [1]\nfor i in 0..<60 { l = [l, l] }\nlet x = l == l",
             expected: "2:23: value larger than the size limit of 67108864 (one per item plus the bytes of its strings)"),
        // A lower size limit keeps the case fast: merge copies the whole value on every step.
        Case(name: "shared map doubling", script: "var m = {a: 1}\nfor i in 0..<60 { m = merge(m, {b: m, c: m}) }",
             expected: "2:32: value larger than the size limit of 100000 (one per item plus the bytes of its strings)",
             limits: Limits(valueSize: 100_000)),
        Case(name: "shared list appended in place", script: "var l = [[1]]\nfor i in 0..<60 { l += l }",
             expected: "2:19: list or map longer than 1000000 items"),
        Case(name: "replace growth", script: "var s = \"aaaaaaaa\"\nfor i in 0..<30 { s = replace(s, \"a\", \"aa\") }",
             expected: "2:23: string longer than 16777216 bytes"),
        Case(name: "format growth", script: "var s = \"ab\"\nfor i in 0..<30 { s = format(\"{}{}\", s, s) }",
             expected: "2:23: string longer than 16777216 bytes"),
        Case(name: "join growth", script: "var s = [\"x\"]\nfor i in 0..<40 { s = [join(s + s, \"\")] }",
             expected: "2:24: string longer than 16777216 bytes"),
        Case(name: "split into too many parts", script: "var s = \"a\"\nfor i in 0..<21 { s += s }\nlet parts = split(s, \"a\")",
             expected: "3:13: list or map longer than 1000000 items"),
        Case(name: "missing 64 KB key", script: "var k = \"a\"\nfor i in 0..<16 { k += k }\nlet m = {[k]: 1}\nlet x = m[k + \"b\"]",
             expected: "4:11: the map has no key \"" + String(repeating: "a", count: 65536) + "b\""),
        Case(name: "split growth", script: "var s = [\"a\"]\nfor i in 0..<30 { s = split(join(s + s, \",\"), \",\") }",
             expected: "2:34: list or map longer than 1000000 items"),
    ]

    static let arithmeticCases: [Case] = [
        Case(name: "addition overflow", script: "let x = 9223372036854775807 + 1",
             expected: "1:9: integer overflow: 9223372036854775807 + 1 does not fit in 64 bits"),
        Case(name: "subtraction overflow", script: "let x = -9223372036854775807 - 2",
             expected: "1:9: integer overflow: -9223372036854775807 - 2 does not fit in 64 bits"),
        Case(name: "multiplication overflow", script: "let x = 4294967296 * 4294967296",
             expected: "1:9: integer overflow: 4294967296 * 4294967296 does not fit in 64 bits"),
        Case(name: "negation overflow", script: "let m = -9223372036854775807 - 1\nlet x = -m",
             expected: "2:9: integer overflow: -(-9223372036854775808) does not fit in 64 bits"),
        Case(name: "division overflow", script: "let m = -9223372036854775807 - 1\nlet x = m / -1",
             expected: "2:9: integer overflow: -9223372036854775808 / -1 does not fit in 64 bits"),
        Case(name: "remainder overflow", script: "let m = -9223372036854775807 - 1\nlet x = m % -1",
             expected: "2:9: integer overflow: -9223372036854775808 % -1 does not fit in 64 bits"),
        Case(name: "compound addition overflow", script: "var x = 9223372036854775807\nx += 1",
             expected: "2:1: integer overflow: 9223372036854775807 + 1 does not fit in 64 bits"),
        Case(name: "abs overflow", script: "let m = -9223372036854775807 - 1\nlet x = abs(m)",
             expected: "2:13: integer overflow: abs(-9223372036854775808) does not fit in 64 bits"),
        Case(name: "sum overflow upwards", script: "let x = sum([9223372036854775807, 1])",
             expected: "1:9: integer overflow: 9223372036854775807 + 1 does not fit in 64 bits"),
        Case(name: "sum overflow downwards", script: "let x = sum([-9223372036854775807, -2])",
             expected: "1:9: integer overflow: -9223372036854775807 + -2 does not fit in 64 bits"),
        Case(name: "float overflow", script: "let x = 1.0e308 * 10",
             expected: "1:9: float overflow: the result of '*' is not a finite number"),
        Case(name: "integer literal too large", script: "let x = 99999999999999999999",
             expected: "1:9: integer literal 99999999999999999999 is out of range"),
        Case(name: "int of a huge string", script: "let x = int(\"99999999999999999999\")",
             expected: "1:13: \"99999999999999999999\" is not an integer"),
        Case(name: "int with two signs", script: "let x = int(\"+-5\")",
             expected: "1:13: \"+-5\" is not an integer"),
        Case(name: "int with a plus sign", script: "let x = int(\"+5\") + \"\"",
             expected: "1:9: operator '+' cannot be applied to int and string"),
        Case(name: "int of a huge float", script: "let x = int(1e300)",
             expected: "1:13: 1e+300 has no exact int value"),
        Case(name: "int just below the minimum", script: "let x = int(-9.3e18)",
             expected: "1:13: -9.3e+18 has no exact int value"),
        Case(name: "float of an out-of-range string", script: "let x = float(\"1e999\")",
             expected: "1:15: \"1e999\" is not a number"),
        Case(name: "integer division by zero", script: "let x = 1 / 0",
             expected: "1:13: division by zero"),
        Case(name: "integer remainder by zero", script: "let x = 1 % 0",
             expected: "1:13: remainder by zero"),
        Case(name: "float division by zero", script: "let x = 1.0 / 0",
             expected: "1:15: division by zero"),
        Case(name: "range step zero", script: "let x = range(0, 10, 0)",
             expected: "1:22: the step of range must not be 0"),
    ]

    static let indexesCases: [Case] = [
        Case(name: "list index past the end", script: "let xs = [1, 2, 3]\nlet x = xs[3]",
             expected: "2:12: index 3 is out of range for a list of 3 items"),
        Case(name: "list index negative", script: "let xs = [1, 2, 3]\nlet x = xs[-4]",
             expected: "2:12: index -4 is out of range for a list of 3 items"),
        Case(name: "list index maximum", script: "let xs = [1, 2, 3]\nlet x = xs[9223372036854775807]",
             expected: "2:12: index 9223372036854775807 is out of range for a list of 3 items"),
        Case(name: "list index minimum", script: "let x = [0][-9223372036854775807 - 1]",
             expected: "1:13: index -9223372036854775808 is out of range for a list of 1 items"),
        Case(name: "string index past the end", script: "let s = \"abc\"\nlet x = s[10]",
             expected: "2:11: index 10 is out of range for a string of 3 characters"),
        Case(name: "string index maximum", script: "let x = \"abc\"[9223372036854775807]",
             expected: "1:15: index 9223372036854775807 is out of range for a string of 3 characters"),
        Case(name: "10 MB string indexed in a loop",
             script: "var s = \"0123456789\"\nfor i in 0..<20 { s += s }\nvar nines = 0\nfor i in 0..<len(s) { if s[i] == \"9\" { nines += 1 } }",
             expected: "4:28: evaluation step limit (2000000) exceeded", limits: Limits(steps: 2_000_000)),
        Case(name: "10 MB string indexed near its end", script: "var s = \"0123456789\"\nfor i in 0..<20 { s += s }\nlet x = [s[10485759], s[10485760]]",
             expected: "3:25: index 10485760 is out of range for a string of 10485760 characters"),
        Case(name: "float index", script: "let x = [1,2][1.5]",
             expected: "1:15: cannot index a value of type list with a value of type float"),
        Case(name: "missing map key", script: "let x = {a: 1}[\"b\"]",
             expected: "1:16: the map has no key \"b\""),
        Case(name: "min of nothing", script: "let x = min([])",
             expected: "1:9: min needs at least one value"),
    ]

    static let textCases: [Case] = [
        Case(name: "control character in code", script: "let x = 1\u{7}",
             expected: "1:10: unexpected control character U+0007"),
        Case(name: "NUL in a string", script: "let x = \"a\u{0}b\"",
             expected: "1:11: control character U+0000 in a string; write it as the escape \\u{0}"),
        Case(name: "NUL in code", script: "let y = 1\u{0}",
             expected: "1:10: unexpected control character U+0000"),
        Case(name: "byte order mark inside", script: "let x = 1\n\u{FEFF}let y = 2",
             expected: "2:1: unexpected character '\u{FEFF}' (U+FEFF); names use ASCII letters, digits and '_', and other text belongs in a string"),
        Case(name: "CRLF line ends", script: "let a = 1\r\nlet b = nope\r\n",
             expected: "2:9: unknown name 'nope'"),
        Case(name: "CRLF before a missing operand", script: "let x = 1\r\nlet y = x +\r\n",
             expected: "2:11: expected an expression after '+' but the line ends"),
        Case(name: "unterminated interpolation", script: "let x = \"\\(1 + \"",
             expected: "1:10: unterminated interpolation; close it with ')'"),
        Case(name: "10 MB string unterminated", script: "let x = \"" + String(repeating: "a", count: 10_000_000),
             expected: "1:9: unterminated string; close it with \" before the end of the line"),
        Case(name: "10 MB string then an error", script: "let x = \"" + String(repeating: "a", count: 10_000_000) + "\"\nlet y = nope",
             expected: "2:9: unknown name 'nope'"),
        Case(name: "10 MB string doubled", script: "let s = \"" + String(repeating: "a", count: 10_000_000) + "\"\nlet t = s + s",
             expected: "2:9: string longer than 16777216 bytes"),
        Case(name: "10 MB string interpolated twice", script: "let s = \"" + String(repeating: "a", count: 10_000_000) + "\"\nlet t = \"\\(s)\\(s)\"",
             expected: "2:9: string longer than 16777216 bytes"),
        Case(name: "10 MB name", script: "let " + String(repeating: "a", count: 10_000_000) + " = 1\nlet y = bbbbb",
             expected: "2:9: unknown name 'bbbbb'"),
    ]

    @Test(arguments: nestingCases) func nesting(_ hostile: Case) {
        #expect(Self.firstError(hostile.script, limits: hostile.limits) == hostile.expected)
    }

    @Test(arguments: runawaysCases) func runaway(_ hostile: Case) {
        #expect(Self.firstError(hostile.script, limits: hostile.limits) == hostile.expected)
    }

    @Test(arguments: arithmeticCases) func arithmetic(_ hostile: Case) {
        #expect(Self.firstError(hostile.script, limits: hostile.limits) == hostile.expected)
    }

    @Test(arguments: indexesCases) func index(_ hostile: Case) {
        #expect(Self.firstError(hostile.script, limits: hostile.limits) == hostile.expected)
    }

    @Test(arguments: textCases) func text(_ hostile: Case) {
        #expect(Self.firstError(hostile.script, limits: hostile.limits) == hostile.expected)
    }

    @Test func invalidUTF8InString() {
        let bytes = Array("let x = \"a".utf8) + [0xFF, 0xFE] + Array("b\"\nlet y = 1\n".utf8)
        let result = Evaluator.evaluate(SourceFile(path: "hostile.slsx", bytes: bytes), options: EvaluationOptions())
        let error = result.diagnostics.first
        #expect(error?.message == "invalid UTF-8 byte 0xFF in a string")
        #expect(error?.span?.startLocation.description == "1:11")
    }

    @Test func invalidUTF8InCode() {
        let bytes = Array("let x = 1 ".utf8) + [0xC3, 0x28] + [0x0A]
        let result = Evaluator.evaluate(SourceFile(path: "hostile.slsx", bytes: bytes), options: EvaluationOptions())
        let error = result.diagnostics.first
        #expect(error?.message == "invalid UTF-8 byte 0xC3")
        #expect(error?.span?.startLocation.description == "1:11")
    }

    @Test func leadingByteOrderMarkIsAccepted() {
        #expect(Self.firstError("\u{FEFF}let x = 1\nlet y = nope") == "2:9: unknown name 'nope'")
    }

    @Test func byteOrderMarkReportedOnce() {
        let result = Evaluator.evaluate(SourceFile(path: "hostile.slsx", text: "let x = 1\n\u{FEFF}let y = 2"), options: EvaluationOptions())
        #expect(result.diagnostics.count == 1)
    }

    @Test func documentSizeLimit() {
        let script = """
            service "sized"
            provider { name: "aws", runtime: "nodejs20.x" }
            for i in 0..<100 {
                function "f\\(i)" { handler: "h.f", description: "\\(i)" }
            }
            """
        #expect(Self.firstError(script, limits: Limits(valueSize: 1000)) == "<no location>: the document is larger than the size limit of 1000 (one per item plus the bytes of its strings)")
    }
}
