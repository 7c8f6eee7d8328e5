import SlsxLanguage
import SlsxSource
import Testing

@Suite struct ParserTests {
    private func errors(_ text: String, maximumDepth: Int = 256) -> [String] {
        Parser.parse(SourceFile(path: "t.slsx", text: text), maximumDepth: maximumDepth).diagnostics.map { diagnostic in
            (diagnostic.span.map { "\($0.startLocation): " } ?? "") + diagnostic.message
        }
    }

    @Test func validScriptHasNoErrors() {
        #expect(errors(EvaluatorTests.billing) == [])
    }

    @Test func closingParenthesisInBlockPointsAtIt() {
        // Field report: a ')' where '}' belongs, on line 3, must be reported at 3:29.
        let text = "service \"s\"\nprovider { region: \"us-east-1\" }\nfunction f {  batchSize: 10 )\n"
        #expect(errors(text) == ["3:29: expected '}' but found ')'"])
        let diagnostic = Parser.parse(SourceFile(path: "t.slsx", text: text)).diagnostics[0]
        #expect(diagnostic.hint == "close the block with '}'")
    }

    @Test func recoveryReportsEveryBadLine() {
        let text = "let a = \nlet b = 1 +\nlet c = )\nlet d = 4 4"
        #expect(errors(text) == [
            "1:7: expected an expression after '=' but the line ends",
            "2:11: expected an expression after '+' but the line ends",
            "3:9: expected an expression but found ')'",
            "4:11: expected a line break or ',' before integer 4",
        ])
    }

    @Test func recoveryInsideBlocks() {
        let text = "function \"a\" {\n  timeout: \n  memorySize: 128\n}\nfunction \"b\" { handler: ] }"
        #expect(errors(text) == [
            "3:13: expected a line break or ',' before ':'",
            "5:25: expected an expression but found ']'",
        ])
    }

    @Test func lexerErrorsBecomeDiagnostics() {
        #expect(errors("let s = \"abc\nlet t = 1") == ["1:9: unterminated string; close it with \" before the end of the line"])
    }

    @Test func deepBracketsGiveOneLocatedError() {
        // Field report: 2000 nested '[' must be a parse error, not a crash.
        let text = String(repeating: "[", count: 2000)
        let found = errors(text)
        #expect(found.count == 1)
        #expect(found.first?.hasSuffix("expression nested too deeply (the limit is 256 levels)") == true)
        #expect(found.first?.hasPrefix("1:") == true)
    }

    @Test func deepParenthesesAndUnaryAreBounded() {
        #expect(errors(String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)).count == 1)
        #expect(errors("let x = " + String(repeating: "-", count: 5000) + "1").count == 1)
        #expect(errors("let x = " + String(repeating: "!", count: 5000) + "true").count == 1)
        #expect(errors(String(repeating: "if true { ", count: 3000)).count == 1)
        #expect(errors(String(repeating: "{a: ", count: 3000)).count == 1)
    }

    @Test func nestingWithinLimitParses() {
        let text = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect(errors(text) == [])
    }

    @Test func unknownCharacterIsReported() {
        #expect(errors("let a = 1 @ 2") == ["1:11: unexpected character '@'"])
    }

    @Test func missingSeparatorBetweenStatements() {
        #expect(errors("let a = 1 let b = 2") == ["1:11: expected a line break or ',' before keyword 'let'"])
    }

    @Test(arguments: [
        ("1 + 2 * 3 - 4", "3"),
        ("10 - 4 - 3", "3"),
        ("2 * 3 % 4", "2"),
        ("1 < 2 == true", "true"),
        ("true || false && false", "true"),
        ("false && true || true", "true"),
        ("null ?? 1 + 2", "3"),
        ("null ?? 2 < 3", "true"),
        ("null ?? null ?? 4", "4"),
        ("1 + 1..<2 + 2", "[2, 3]"),
        ("null ?? 0..<2", "[0, 1]"),
        ("-2 * -3", "6"),
    ])
    func binaryOperatorsGroupByPrecedence(script: String, expected: String) {
        #expect(Script.value(script) == expected)
    }

    @Test func rangesDoNotChain() {
        #expect(errors("let r = 0..<1..<2") == ["1:14: expected a line break or ',' before '..<'"])
        #expect(errors("let r = 1 < 0..<1...2") == ["1:18: expected a line break or ',' before '...'"])
        #expect(errors("let r = 0..<1 ?? 2..<3") == [])
    }

    @Test func binaryOperatorOnNextLineStartsNewStatement() {
        #expect(errors("let a = 1\n-2") == [])
    }

    @Test func lineBreaksInsideParenthesesAreIgnored() {
        #expect(errors("let a = f(\n  1,\n  2\n)\nlet b = [\n1,\n2,\n]") == [])
    }

    @Test func mapEntriesSeparatedByLineBreaks() {
        #expect(errors("let m = {\n a: 1\n b: 2,\n \"c-d\": 3,\n}") == [])
    }

    @Test func duplicateParameterIsError() {
        #expect(errors("fn f(a, a) = a") == ["1:9: duplicate parameter 'a'"])
    }

    @Test func duplicateLoopVariableIsError() {
        #expect(errors("for i, i in [1, 2] { }") == ["1:8: duplicate loop variable 'i'"])
        #expect(errors("let l = [i for i, i in [1, 2]]") == ["1:19: duplicate loop variable 'i'"])
    }

    @Test func strayClosingBraceAtTopLevel() {
        #expect(errors("let a = 1\n}\nlet b = 2") == ["2:1: unexpected '}'"])
    }

    @Test func unclosedBlockAtEndOfInput() {
        #expect(errors("provider {\n  region: \"x\"\n") == ["3:1: expected '}' but found end of input"])
    }

    @Test func importNeedsAlias() {
        #expect(errors("import \"arn\"") == ["1:13: expected keyword 'as' after the import path but found end of input"])
    }
}
