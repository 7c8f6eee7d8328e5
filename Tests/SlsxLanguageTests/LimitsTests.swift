import SlsxLanguage
import SlsxSource
import Testing

@Suite struct LimitsTests {
    @Test func runawayRecursionStopsAtDepthLimit() {
        // Field report: this script crashed the process with a stack overflow.
        let result = Script.evaluate("fn spin(k) { return spin(k*1) }\nspin(1)")
        #expect(result.document == nil)
        let error = result.diagnostics.first
        #expect(error?.message == "recursion depth limit (512) exceeded")
        #expect(error?.span?.text == "spin(k*1)")
        #expect(error?.span?.startLocation.description == "1:21")
        // The trace keeps three calls from each end and counts the rest.
        #expect(error?.notes.count == 7)
        #expect(error?.notes[3].message == "... 506 more calls ...")
        #expect(error?.notes.last?.span?.startLocation.description == "2:1")
    }

    @Test func recursionLimitIsConfigurable() {
        let result = Script.evaluate("fn down(n) = if n == 0 { 0 } else { down(n - 1) }\nlet x = down(100)", limits: Limits(callDepth: 50))
        #expect(result.diagnostics.first?.message == "recursion depth limit (50) exceeded")
    }

    @Test func deepButBoundedRecursionSucceeds() {
        #expect(Script.value("fn count(n) = if n == 0 { 0 } else { 1 + count(n - 1) }\ncount(500)") == "500")
    }

    @Test func hundredThousandAppendsFinish() {
        // Field report: a 100000-iteration loop appending to a list must finish.
        let script = "var xs = []\nfor i in 0..<100000 { xs += [i] }\nlen(xs)"
        #expect(Script.value(script) == "100000")
    }

    @Test func foldOverFiveThousandItemsFinishes() {
        // Field report: a fold over 5000 items must finish.
        #expect(Script.value("reduce(range(5000), 0, fn(total, x) = total + x)") == "12497500")
        #expect(Script.value("var total = 0\nfor x in 1...5000 { total += x }\ntotal") == "12502500")
    }

    @Test func stepLimitStopsLongLoops() {
        let result = Script.evaluate("var n = 0\nfor i in 0..<1000000000 { n += 1 }", limits: Limits(steps: 10_000))
        #expect(result.diagnostics.first?.message == "evaluation step limit (10000) exceeded")
    }

    @Test func hugeRangeIsNotAllocated() {
        #expect(Script.value("var n = 0\nfor i in 0..<10000000000 { if i == 3 { return } }\nn") == "error: 'return' outside a function")
        #expect(Script.value("fn first(r) { for i in 0..<10000000000 { if i == 3 { return i } } }\nfirst(0)") == "3")
        #expect(Script.value("let r = 0..<10000000000") == "error: range 0..<10000000000 is too long to store as a list (the limit is 1000000 items)")
    }

    @Test func integerOverflowIsLocated() {
        // Field report: these wrapped or trapped instead of reporting an error.
        let add = Script.evaluate("let x = 9223372036854775807 + 1")
        #expect(add.diagnostics.first?.message == "integer overflow: 9223372036854775807 + 1 does not fit in 64 bits")
        #expect(add.diagnostics.first?.span?.text == "9223372036854775807 + 1")
        let subtract = Script.evaluate("let x = -9223372036854775808 - 1")
        #expect(subtract.diagnostics.first?.message == "integer overflow: -9223372036854775808 - 1 does not fit in 64 bits")
        #expect(Script.value("-9223372036854775808") == "-9223372036854775808")
        #expect(Script.value("9223372036854775807 * 2") == "error: integer overflow: 9223372036854775807 * 2 does not fit in 64 bits")
        #expect(Script.value("-(-9223372036854775808)") == "error: integer overflow: -(-9223372036854775808) does not fit in 64 bits")
        #expect(Script.value("(-9223372036854775808) / -1") == "error: integer overflow: -9223372036854775808 / -1 does not fit in 64 bits")
        #expect(Script.value("(-9223372036854775808) % -1") == "error: integer overflow: -9223372036854775808 % -1 does not fit in 64 bits")
    }

    @Test func integerLiteralOutOfRangeIsError() {
        let result = Script.evaluate("let x = 99999999999999999999")
        #expect(result.diagnostics.first?.span?.startLocation.description == "1:9")
        #expect(result.diagnostics.first?.message == "integer literal 99999999999999999999 is out of range")
        #expect(result.diagnostics.first?.hint == "integers are 64-bit (at most 9223372036854775807); write a float such as 99999999999999999999.0, or a string")
        #expect(Script.value("9223372036854775808") == "error: integer literal 9223372036854775808 is out of range")
    }

    @Test func floatsStayFloats() {
        // Field report: 1e19 must never become an integer.
        #expect(Script.value("1e19") == "1e+19")
        #expect(Script.value("type(1e19)") == "\"float\"")
        #expect(Script.value("type(1e3)") == "\"float\"")
        #expect(Script.value("1e3") == "1000.0")
        #expect(Script.value("99999999999999999999.0") == "1e+20")
        #expect(Script.value("1e308 * 10") == "error: float overflow: the result of '*' is not a finite number")
    }

    @Test func divisionByZeroIsLocated() {
        let result = Script.evaluate("let a = 1\nlet b = 10 / (a - 1)")
        #expect(result.diagnostics.first?.message == "division by zero")
        #expect(result.diagnostics.first?.span?.text == "(a - 1)")
        #expect(Script.value("10 % 0") == "error: remainder by zero")
        #expect(Script.value("1.5 / 0") == "error: division by zero")
    }

    @Test func stringSizeIsBounded() {
        let script = "var s = \"xxxxxxxxxx\"\nfor i in 0..<40 { s += s }"
        #expect(Script.value(script, limits: Limits(stringBytes: 1000)) == "error: string longer than 1000 bytes")
    }

    @Test func interpolatedStringSizeIsBounded() {
        let limits = Limits(stringBytes: 10)
        #expect(Script.value(#""\("12345")\("67890")""#, limits: limits) == #""1234567890""#)
        #expect(Script.value(#""\("12345")\("67890")x""#, limits: limits) == "error: string longer than 10 bytes")
        #expect(Script.value(#""\("12345")\("678901")""#, limits: limits) == "error: string longer than 10 bytes")
        // The check after the second part stops the string before the third part runs.
        #expect(Script.value(#""\("12345")\("678901")\(missing)""#, limits: limits) == "error: string longer than 10 bytes")
    }

    @Test func listSizeIsBounded() {
        #expect(Script.value("[x for x in 0..<100]", limits: Limits(listItems: 10)) == "error: list or map longer than 10 items")
    }

    @Test func deepNestingInExpressionsIsAParseError() {
        let result = Script.evaluate("let x = " + String(repeating: "[", count: 2000) + String(repeating: "]", count: 2000))
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.message == "expression nested too deeply (the limit is 256 levels)")
    }

    @Test func nestingAtTheLimitEvaluates() {
        let depth = 200
        let text = "let x = " + String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth) + "\nlen(x)"
        #expect(Script.value(text) == "1")
    }

    @Test func unknownNameOnLineThousandAndOne() {
        // Field report: the location of an error on line 1001 was wrong.
        let text = String(repeating: "let a = 1\n", count: 1000) + "let b = missingName"
        let result = Script.evaluate(text)
        #expect(result.diagnostics.first?.message == "unknown name 'missingName'")
        #expect(result.diagnostics.first?.span?.startLocation.description == "1001:9")
    }
}

@Suite struct ValueDepthTests {
    @Test func loopThatWrapsValuesStops() {
        let result = Script.evaluate("var x = []\nfor i in 0..<1000 { x = [x] }", limits: Limits(valueDepth: 300))
        #expect(result.diagnostics.first?.message == "value nested more than 300 levels deep")
        #expect(result.diagnostics.first?.span?.text == "[x]")
    }

    @Test func deepValuesAreAllowedBelowTheLimit() {
        let setup = "var x = []\nfor i in 0..<150000 { x = [x] }\n"
        #expect(Script.value(setup + "len(x)") == "1")
        #expect(Script.value(setup + "len(str(x))") == "300002")
        #expect(Script.value(setup + "x == x") == "true")
        #expect(Script.value(setup + "let m = reduce(range(150000), {}, fn(m, i) = {a: m})\nlen(merge(m, m))") == "1")
    }

    @Test func deepDocumentIsAnError() {
        let result = Script.evaluate("var x = {}\nfor i in 0..<300 { x = {inner: x} }\ncustom: x")
        #expect(result.document == nil)
        #expect(result.diagnostics.first?.message == "the document is nested more than 256 levels deep under 'custom'")
        #expect(result.diagnostics.first?.span?.text == "{inner: x}")
    }

    @Test func appendKeepsDepth() {
        #expect(Script.value("var x = [[1]]\nx += [[2]]\nx", limits: Limits(valueDepth: 2)) == "[[1], [2]]")
        #expect(Script.value("var x = [[1]]\nx += [[[2]]]", limits: Limits(valueDepth: 2)) == "error: value nested more than 2 levels deep")
    }

    @Test func recursionThatWrapsValuesStops() {
        let result = Script.evaluate("fn wrap(v, n) = if n == 0 { v } else { wrap({inner: v}, n - 1) }\nlet x = wrap(1, 400)", limits: Limits(valueDepth: 256))
        #expect(result.diagnostics.first?.message == "value nested more than 256 levels deep")
    }

    @Test func mergeWithEmptyMapKeepsMeasures() {
        // `m` has size 7 (the map, the key's byte and the string of 4 bytes plus one) and depth 1,
        // so the list of two merges has size 15 and depth 2 only if each merge kept them.
        let text = "let m = {a: \"xxxx\"}\n[m + {}, {} + m]"
        #expect(Script.value(text, limits: Limits(valueSize: 15)) == #"[{a: "xxxx"}, {a: "xxxx"}]"#)
        #expect(Script.value(text, limits: Limits(valueSize: 14)) == "error: value larger than the size limit of 14 (one per item plus the bytes of its strings)")
        #expect(Script.value(text, limits: Limits(valueDepth: 1)) == "error: value nested more than 1 levels deep")
    }

    @Test func depthIsTracked() {
        #expect(Value(.int(1)).depth == 0)
        #expect(Value(.list([Value(.list([]))])).depth == 2)
        var value = Value(.list([]))
        value.kind = .map(OrderedMap([("a", Value(.list([])))]))
        #expect(value.depth == 2)
    }
}

@Suite struct NativeStackTests {
    @Test func raisedCallDepthStopsBeforeStackRunsOut() {
        // With the call depth limit raised far above what the stack holds, the stack check
        // reports the recursion instead of the process crashing.
        let text = "fn down(n) { if n == 0 { return 0 }\n return 1 + down(n - 1) }\nlet x = down(1000000)"
        let result = Script.evaluate(text, limits: Limits(callDepth: 10_000_000, steps: 1_000_000_000))
        #expect(result.document == nil)
        #expect(result.diagnostics.first?.message.hasPrefix("evaluation nested too deeply for the evaluation stack at call depth ") == true)
    }

    /// A chain of `+` nests one level per operator, and each level takes a frame of `evaluate` and
    /// one of `evaluateUnchecked`. A debug build (x86-64 Linux) stopped between 27,000 and 30,000
    /// operators, and a release build evaluates 100,000, so this fails when the frames grow.
    @Test func longOperatorChainEvaluates() {
        let text = "1" + String(repeating: "+1", count: 25_000)
        #expect(Script.value(text) == "25001")
    }

    @Test func nestedExpressionsInsideRecursionAreBounded() {
        let nesting = 200
        let body = String(repeating: "[", count: nesting) + "f(n - 1)" + String(repeating: "]", count: nesting)
        let text = "fn f(n) = if n == 0 { 0 } else { \(body) }\nlet x = f(500)"
        let result = Script.evaluate(text)
        #expect(result.document == nil)
        #expect(result.diagnostics.first?.message.hasPrefix("evaluation nested too deeply for the evaluation stack") == true)
    }
}
