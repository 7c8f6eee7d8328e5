import SlsxLanguage
import SlsxSource
import Testing

@Suite struct LexerTests {
    private func kinds(_ text: String) -> [TokenKind] {
        Lexer.tokenize(SourceFile(path: "t.slsx", text: text)).map(\.kind)
    }

    private func kinds(bytes: [UInt8]) -> [TokenKind] {
        Lexer.tokenize(SourceFile(path: "t.slsx", bytes: bytes)).map(\.kind)
    }

    @Test func operatorsAndPunctuators() {
        #expect(kinds("( ) [ ] { } , : ; . ?. + - * / % ! = += -= == != < <= > >= && || ?? ..< ...") == [
            .leftParen, .rightParen, .leftBracket, .rightBracket, .leftBrace, .rightBrace, .comma, .colon, .semicolon,
            .dot, .questionDot, .plus, .minus, .star, .slash, .percent, .bang, .equal, .plusEqual, .minusEqual,
            .equalEqual, .bangEqual, .less, .lessEqual, .greater, .greaterEqual, .ampersandAmpersand, .pipePipe,
            .questionQuestion, .halfOpenRange, .closedRange, .endOfFile,
        ])
    }

    @Test func keywordsAndIdentifiers() {
        #expect(kinds("let var fn if else for in return import as true false null service _x1") == [
            .keyword(.let), .keyword(.var), .keyword(.fn), .keyword(.if), .keyword(.else), .keyword(.for),
            .keyword(.in), .keyword(.return), .keyword(.import), .keyword(.as), .keyword(.true), .keyword(.false),
            .keyword(.null), .identifier("service"), .identifier("_x1"), .endOfFile,
        ])
    }

    @Test func numbers() {
        #expect(kinds("0 42 1.5 1e3 1E+2 2.5e-3 9223372036854775808") == [
            .integer(0), .integer(42), .float(1.5), .float(1000), .float(100), .float(0.0025),
            .integer(9_223_372_036_854_775_808), .endOfFile,
        ])
    }

    @Test func rangeAfterIntegerIsNotAFloat() {
        #expect(kinds("0..<n 1...3") == [.integer(0), .halfOpenRange, .identifier("n"), .integer(1), .closedRange, .integer(3), .endOfFile])
    }

    @Test func integerBeyondUInt64IsError() {
        #expect(kinds("99999999999999999999") == [
            .error("integer literal 99999999999999999999 is out of range"),
            .endOfFile,
        ])
    }

    @Test func stringEscapes() {
        #expect(kinds(#""a\n\t\r\"\\\/\b\f\u0041\u{1F680}\uD83D\uDE80""#) == [
            .string([.text("a\n\t\r\"\\/\u{8}\u{C}A🚀🚀")]), .endOfFile,
        ])
    }

    @Test func dollarBracesArePlainText() {
        #expect(kinds(#""${opt:stage}-${AWS::Region}""#) == [.string([.text("${opt:stage}-${AWS::Region}")]), .endOfFile])
    }

    @Test func interpolationTokens() throws {
        let file = SourceFile(path: "t.slsx", text: #""a\(x + 1)b""#)
        let tokens = Lexer.tokenize(file)
        guard case .string(let segments) = tokens[0].kind, segments.count == 3,
            case .interpolation(let inner, let span) = segments[1]
        else {
            Issue.record("expected three segments, got \(tokens[0].kind)")
            return
        }
        #expect(inner.map(\.kind) == [.identifier("x"), .plus, .integer(1), .endOfFile])
        #expect(span.text == #"\(x + 1)"#)
        #expect(segments[0] == .text("a"))
        #expect(segments[2] == .text("b"))
    }

    @Test func nestedStringInInterpolation() {
        let tokens = Lexer.tokenize(SourceFile(path: "t.slsx", text: #""\("in\("ner")")""#))
        #expect(tokens.count == 2)
        if case .string = tokens[0].kind {} else { Issue.record("expected a string, got \(tokens[0].kind)") }
    }

    @Test func tripleQuotedStringRemovesIndentation() {
        let text = "let s = \"\"\"\n    line one\n      two\n    \"\"\""
        #expect(kinds(text).dropFirst(3).first == .string([.text("line one\n  two")]))
    }

    @Test func unterminatedStringIsError() {
        let file = SourceFile(path: "t.slsx", text: "\"abc\nlet")
        let tokens = Lexer.tokenize(file)
        #expect(tokens[0].kind == .error("unterminated string; close it with \" before the end of the line"))
        #expect(tokens[0].span.startLocation.description == "1:1")
        #expect(tokens[1].kind == .keyword(.let))
        #expect(tokens[1].isAtLineStart)
    }

    @Test func unterminatedBlockCommentIsError() {
        #expect(kinds("1 /* open") == [.integer(1), .error("unterminated block comment; close it with '*/'"), .endOfFile])
    }

    @Test func commentsAreSkipped() {
        #expect(kinds("1 // one\n/* two\n */ 2") == [.integer(1), .integer(2), .endOfFile])
    }

    @Test func invalidUTF8IsLocatedError() {
        let file = SourceFile(path: "t.slsx", bytes: [0x61, 0x20, 0xFF, 0x20, 0x62])
        let tokens = Lexer.tokenize(file)
        #expect(tokens.map(\.kind) == [.identifier("a"), .error("invalid UTF-8 byte 0xFF"), .identifier("b"), .endOfFile])
        #expect(tokens[1].span.startLocation.description == "1:3")
    }

    @Test func invalidBytesInCommentsAreLocatedErrors() {
        // `// \xC3` then `x`: the error is at the byte, and the next line still lexes.
        let lineComment = SourceFile(path: "t.slsx", bytes: Array("// ".utf8) + [0xC3, 0x0A, 0x78])
        let lineTokens = Lexer.tokenize(lineComment)
        #expect(lineTokens.map(\.kind) == [.error("invalid UTF-8 byte 0xC3 in a comment"), .identifier("x"), .endOfFile])
        #expect(lineTokens[0].span.startLocation.description == "1:4")

        // `// a NUL b`: a control character, reported once although a second one follows.
        let nulComment = SourceFile(path: "t.slsx", bytes: Array("1 // a".utf8) + [0x00, 0x62, 0x01])
        let nulTokens = Lexer.tokenize(nulComment)
        #expect(nulTokens.map(\.kind) == [.integer(1), .error("control character U+0000 in a comment; remove it"), .endOfFile])
        #expect(nulTokens[1].span.startLocation.description == "1:7")

        let blockComment = SourceFile(path: "t.slsx", bytes: Array("/* a\n".utf8) + [0x1B] + Array(" */ 2".utf8))
        let blockTokens = Lexer.tokenize(blockComment)
        #expect(blockTokens.map(\.kind) == [.error("control character U+001B in a comment; remove it"), .integer(2), .endOfFile])
        #expect(blockTokens[0].span.startLocation.description == "2:1")
    }

    @Test func commentsAllowTabsAndNonASCII() {
        #expect(kinds("1 //\tcafé 🚀\r\n/* ü\t\r\n */ 2") == [.integer(1), .integer(2), .endOfFile])
    }

    @Test func unterminatedTripleQuotedStringNamesEndOfFile() {
        let file = SourceFile(path: "t.slsx", text: "let s = \"\"\"\nline\n")
        let tokens = Lexer.tokenize(file)
        #expect(tokens[3].kind == .error("unterminated string; close it with \"\"\" before the end of the file"))
        #expect(tokens[3].span.startLocation.description == "1:9")
    }

    @Test func backslashBeforeLineBreakIsNoContinuation() {
        let file = SourceFile(path: "t.slsx", text: "\"\"\"\nab\\\ncd\n\"\"\"")
        let tokens = Lexer.tokenize(file)
        #expect(tokens[0].kind == .error(
            "a backslash before a line break is not an escape, because strings have no line continuation; remove it, or write \\\\ for a backslash"))
        #expect(tokens[0].span.startLocation.description == "2:3")
    }

    @Test func invalidUTF8InStringIsError() {
        #expect(kinds(bytes: [0x22, 0xC3, 0x28, 0x22]) == [.error("invalid UTF-8 byte 0xC3 in a string"), .endOfFile])
    }

    @Test func controlCharacterIsError() {
        #expect(kinds(bytes: [0x31, 0x01, 0x32]) == [.integer(1), .error("unexpected control character U+0001"), .integer(2), .endOfFile])
    }

    @Test func controlCharacterInStringIsError() {
        #expect(kinds(bytes: [0x22, 0x07, 0x22]) == [
            .error("control character U+0007 in a string; write it as the escape \\u{7}"), .endOfFile,
        ])
    }

    @Test func badEscapeIsError() {
        let file = SourceFile(path: "t.slsx", text: #""a\qb""#)
        let tokens = Lexer.tokenize(file)
        #expect(tokens[0].span.text == #"\q"#)
    }

    @Test func loneSurrogateIsError() {
        #expect(kinds(#""\uD83D""#) == [
            .error("unpaired high surrogate \\uD83D; follow it with a low surrogate \\uDC00 to \\uDFFF"), .endOfFile,
        ])
    }

    @Test func deepInterpolationIsBounded() {
        let depth = 100
        let text = String(repeating: "\"\\(", count: depth) + "1" + String(repeating: ")\"", count: depth)
        let tokens = Lexer.tokenize(SourceFile(path: "t.slsx", text: text))
        #expect(tokens.last?.kind == .endOfFile)
        #expect(tokens.contains { if case .error = $0.kind { true } else { false } })
    }

    @Test func nonASCIICharacterOutsideStringIsError() {
        let tokens = Lexer.tokenize(SourceFile(path: "t.slsx", text: "é"))
        #expect(tokens[0].kind == .error("unexpected character 'é' (U+00E9); names use ASCII letters, digits and '_', and other text belongs in a string"))
    }
}
