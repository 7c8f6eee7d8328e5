import SlsxSource

/// A parsed script: its statements and every syntax error found.
public struct ParseResult: Sendable {
    public var script: Block
    public var diagnostics: [Diagnostic]
}

/// A recursive-descent parser with one function per grammar rule, except that one function parses
/// every level of binary operators by precedence climbing.
///
/// Precedence, from lowest to highest: `||`, `&&`, `==` `!=`, `<` `<=` `>` `>=`, `??`, `..<` `...`,
/// `+` `-`, `*` `/` `%`, prefix `-` `!`, postfix `.name` `?.name` `[index]` `(arguments)`.
///
/// Line breaks end statements and map entries. Inside `(...)` and `[...]` they are ignored, so a
/// long call or list may span lines. Elsewhere a binary or postfix operator must stay on the line
/// of its left operand. After a syntax error the parser skips to the next line (or the end of the
/// enclosing block) and goes on, so one run reports every syntax error. Nesting deeper than
/// `maximumDepth` stops the parse with one located error instead of exhausting the stack.
///
/// The parser reads the lexer's `LexemeBuffer` by index and compares one-byte kinds, so looking at
/// a token costs no reference counting. It builds spans and strings only for the nodes it returns.
public struct Parser {
    private let file: SourceFile
    private let buffer: LexemeBuffer
    /// `buffer.lexemes`, held apart so that reading a lexeme does not go through the buffer.
    private let lexemes: [Lexeme]
    private var index = 0
    private var diagnostics: [Diagnostic] = []
    private var depth: Int
    private let maximumDepth: Int
    /// Whether a line break ends the current expression; false inside `(...)` and `[...]`.
    private var lineBreaksEndExpressions = true

    // The elements of the blocks, lists, maps and argument lists being parsed, innermost list
    // last. A rule appends its elements here and, when its list ends, copies them out into an
    // array of exactly their count. Each list in the tree is then allocated once, instead of once
    // for every doubling of a growing array.
    private var statementStack: [Statement] = []
    private var expressionStack: [Expression] = []
    private var entryStack: [MapEntry] = []
    private var argumentStack: [Argument] = []

    private init(buffer: LexemeBuffer, depth: Int, maximumDepth: Int) {
        self.file = buffer.file
        self.buffer = buffer
        self.lexemes = buffer.lexemes
        self.depth = depth
        self.maximumDepth = maximumDepth
    }

    /// Parses a whole script.
    public static func parse(_ file: SourceFile, maximumDepth: Int = Limits().parserDepth) -> ParseResult {
        var parser = Parser(buffer: Lexer.lex(file), depth: 0, maximumDepth: maximumDepth)
        let whole = SourceSpan(file: file, start: 0, end: file.bytes.count)
        do {
            let statements = try parser.parseStatements(insideBraces: false)
            return ParseResult(script: Block(statements: statements, span: whole), diagnostics: parser.diagnostics)
        } catch {
            parser.diagnostics.append(error.diagnostic)
            return ParseResult(script: Block(statements: [], span: whole), diagnostics: parser.diagnostics)
        }
    }

    // MARK: - Statements

    /// Parses statements up to `}` (not consumed) or the end of input. Statements are separated
    /// by line breaks, `,` or `;`; a statement that ends with `}` needs no separator.
    private mutating func parseStatements(insideBraces: Bool) throws(NestingTooDeep) -> [Statement] {
        let base = statementStack.count
        defer { statementStack.removeSubrange(base...) }
        while true {
            while check(.comma) || check(.semicolon) {
                advance()
            }
            if check(.endOfFile) || (insideBraces && check(.rightBrace)) {
                return Array(statementStack[base...])
            }
            let statementStart = index
            do {
                let statement = try parseStatement()
                statementStack.append(statement)
                try expectStatementEnd(insideBraces: insideBraces)
            } catch {
                switch error {
                case .syntax(let diagnostic):
                    diagnostics.append(diagnostic)
                    synchronize(insideBraces: insideBraces, statementStart: statementStart)
                case .nesting(let fatal):
                    throw fatal
                }
            }
        }
    }

    private mutating func expectStatementEnd(insideBraces: Bool) throws(ParseFailure) {
        // An error token on a new line belongs to the next statement, which reports it. Reporting
        // it here too, without consuming it, would show the same error twice.
        if current.kind == .error, !current.isAtLineStart {
            throw lexerError(at: current)
        }
        if check(.comma) || check(.semicolon) || check(.endOfFile) || current.isAtLineStart
            || check(.rightBrace) || previous.kind == .rightBrace {
            if check(.rightBrace), !insideBraces {
                let stray = advance()
                throw .syntax(.error("unexpected '}'", at: span(of: stray), hint: "remove it, or add the '{' it should close"))
            }
            return
        }
        if insideBraces, check(.rightParen) || check(.rightBracket) {
            throw .syntax(.error(
                "expected '}' but found \(displayName(of: current))", at: span(of: current),
                hint: "close the block with '}'"))
        }
        throw .syntax(.error(
            "expected a line break or ',' before \(displayName(of: current))", at: span(of: current),
            hint: "put each statement or field on its own line, or separate them with ','"))
    }

    /// Skips to the start of the next line, or to the `}` that ends the enclosing block, keeping
    /// brackets balanced on the way.
    private mutating func synchronize(insideBraces: Bool, statementStart: Int) {
        var nesting = 0
        // A statement that failed on its first token skips that token, so parsing moves on.
        var first = index == statementStart
        while !check(.endOfFile) {
            if !first, nesting == 0, current.isAtLineStart {
                return
            }
            switch current.kind {
            case .leftParen, .leftBracket, .leftBrace:
                nesting += 1
            case .rightParen, .rightBracket:
                nesting = max(0, nesting - 1)
            case .rightBrace:
                if nesting == 0 {
                    if insideBraces { return }
                } else {
                    nesting -= 1
                }
            default:
                break
            }
            advance()
            first = false
        }
    }

    /// The words that start a declaration. They are not keywords, so elsewhere they are ordinary names.
    private static let declarationWords: [StaticString] = ["service", "provider", "resources", "function", "stream", "event"]

    private mutating func parseStatement() throws(ParseFailure) -> Statement {
        try enterNesting()
        defer { depth -= 1 }

        let start = current
        if peekKind(1) == .colon, start.kind.canBeFieldName {
            return try parseField()
        }
        switch start.kind {
        case .letKeyword, .varKeyword:
            return try parseBinding()
        case .fnKeyword where peekKind(1) == .identifier:
            return try parseFunctionStatement()
        case .forKeyword:
            return try parseForStatement()
        case .returnKeyword:
            return try parseReturn()
        case .importKeyword:
            return try parseImport()
        case .identifier:
            if let word = declarationWord(of: start), startsDeclaration() {
                return try parseDeclaration(word)
            }
            switch peekKind(1) {
            case .equal, .plusEqual, .minusEqual:
                return try parseAssignment()
            default:
                return try parseExpressionStatement()
            }
        default:
            return try parseExpressionStatement()
        }
    }

    // Each form of a statement has a function of its own, so the frame of `parseStatement` stays
    // small. That frame is on the stack once per nesting level. An unoptimized build gives every
    // temporary of a function its own stack slot, so a large frame here would let deep nesting
    // overflow a test thread's stack before `maximumDepth` stops it.

    /// Parses `key: value`.
    private mutating func parseField() throws(ParseFailure) -> Statement {
        let start = current
        let key = try parseMapKey()
        try expect(.colon, "after the field name")
        let value = try parseExpression()
        return Statement(.field(key: key, value: value), span: span(of: start).merged(with: value.span))
    }

    private mutating func parseReturn() throws(ParseFailure) -> Statement {
        let keyword = advance()
        if check(.endOfFile) || check(.rightBrace) || check(.comma) || check(.semicolon) || current.isAtLineStart {
            return Statement(.return(nil), span: span(of: keyword))
        }
        let value = try parseExpression()
        return Statement(.return(value), span: span(of: keyword).merged(with: value.span))
    }

    private mutating func parseExpressionStatement() throws(ParseFailure) -> Statement {
        let expression = try parseExpression()
        return Statement(.expression(expression), span: expression.span)
    }

    /// Parses `name = value`, `name += value` or `name -= value`.
    private mutating func parseAssignment() throws(ParseFailure) -> Statement {
        let nameToken = advance()
        let operatorToken = advance()
        let compound: BinaryOperator? = switch operatorToken.kind {
        case .plusEqual: .add
        case .minusEqual: .subtract
        default: nil
        }
        let value = try parseExpression()
        return Statement(
            .assignment(name: Name(text: buffer.text(of: nameToken), span: span(of: nameToken)), compound: compound, value: value),
            span: span(of: nameToken).merged(with: value.span))
    }

    /// Returns the declaration word that the lexeme spells, or `nil` when it is another name.
    private func declarationWord(of lexeme: Lexeme) -> String? {
        guard lexeme.kind == .identifier else { return nil }
        for word in Parser.declarationWords where buffer.lexeme(lexeme, spells: word) {
            return word.description
        }
        return nil
    }

    /// Returns whether the declaration word at the current token starts a declaration rather than
    /// an expression that uses a variable of that name.
    private func startsDeclaration() -> Bool {
        let next = lexemes[min(index + 1, lexemes.count - 1)]
        if next.isAtLineStart { return false }
        switch next.kind {
        case .colon, .equal, .plusEqual, .minusEqual, .dot, .questionDot, .rightBrace, .comma, .semicolon,
            .endOfFile, .plus, .minus, .star, .slash, .percent, .equalEqual, .bangEqual, .less, .lessEqual,
            .greater, .greaterEqual, .ampersandAmpersand, .pipePipe, .questionQuestion, .halfOpenRange,
            .closedRange, .rightParen, .rightBracket:
            return false
        default:
            return true
        }
    }

    private mutating func parseDeclaration(_ word: String) throws(ParseFailure) -> Statement {
        let keyword = advance()
        switch word {
        case "service":
            let name = try parseExpression()
            return Statement(.service(name), span: span(of: keyword).merged(with: name.span), keywordSpan: span(of: keyword))
        case "provider", "resources", "event":
            return try parseBodyDeclaration(word, keyword: keyword)
        case "function":
            return try parseFunctionDeclaration(keyword: keyword)
        default:
            return try parseStream(keyword: keyword)
        }
    }

    /// Parses the body of `provider { ... }`, `resources { ... }` or `event { ... }`.
    private mutating func parseBodyDeclaration(_ word: String, keyword: Lexeme) throws(ParseFailure) -> Statement {
        guard check(.leftBrace) else {
            throw .syntax(.error(
                "expected '{' after '\(word)' but found \(displayName(of: current))", at: span(of: current),
                hint: "write the \(word) fields in braces: \(word) { key: value }"))
        }
        let body = try parseBlock()
        let statementSpan = span(of: keyword).merged(with: body.span)
        let kind: Statement.Kind = word == "provider" ? .provider(body) : (word == "resources" ? .resources(body) : .event(body))
        return Statement(kind, span: statementSpan, keywordSpan: span(of: keyword))
    }

    private mutating func parseFunctionDeclaration(keyword: Lexeme) throws(ParseFailure) -> Statement {
        // The name is an expression, so `function name { ... }` inside `for name in names` takes
        // each name in turn; a literal name is a string: `function "orders" { ... }`.
        let name = try parseExpression()
        guard check(.leftBrace) else {
            throw .syntax(.error(
                "expected '{' after the function name but found \(displayName(of: current))", at: span(of: current),
                hint: "write the function body in braces: function \"name\" { handler: \"src/handler.main\" }"))
        }
        let body = try parseBlock()
        return Statement(.functionDeclaration(name: name, body: body), span: span(of: keyword).merged(with: body.span), keywordSpan: span(of: keyword))
    }

    private mutating func parseStream(keyword: Lexeme) throws(ParseFailure) -> Statement {
        if check(.leftBrace) {
            let body = try parseBlock()
            return Statement(.stream(.body(body)), span: span(of: keyword).merged(with: body.span), keywordSpan: span(of: keyword))
        }
        let source = try parseExpression()
        return Statement(.stream(.expression(source)), span: span(of: keyword).merged(with: source.span), keywordSpan: span(of: keyword))
    }

    private mutating func parseBinding() throws(ParseFailure) -> Statement {
        let keyword = advance()
        let isMutable = keyword.kind == .varKeyword
        let name = try expectName(isMutable ? "after 'var'" : "after 'let'")
        try expect(.equal, isMutable ? "after the name in a 'var' statement" : "after the name in a 'let' statement")
        let value = try parseExpression()
        return Statement(.binding(name: name, value: value, isMutable: isMutable), span: span(of: keyword).merged(with: value.span))
    }

    private mutating func parseFunctionStatement() throws(ParseFailure) -> Statement {
        let keyword = advance()
        let name = try expectName("after 'fn'")
        let literal = try parseFunctionRest(name: name.text, start: keyword)
        return Statement(.function(name: name, literal), span: literal.span)
    }

    private mutating func parseForStatement() throws(ParseFailure) -> Statement {
        let keyword = advance()
        let names = try parseLoopNames()
        try expect(.inKeyword, "after the loop variable")
        let iterable = try parseExpression()
        guard check(.leftBrace) else {
            throw .syntax(.error(
                "expected '{' after the loop's collection but found \(displayName(of: current))", at: span(of: current),
                hint: "write the loop body in braces: for x in xs { ... }"))
        }
        let body = try parseBlock()
        return Statement(.loop(names: names, iterable: iterable, body: body), span: span(of: keyword).merged(with: body.span))
    }

    private mutating func parseLoopNames() throws(ParseFailure) -> [Name] {
        var names = [try expectName("after 'for'")]
        if check(.comma) {
            advance()
            let second = try expectName("after ',' in a 'for' clause")
            if second.text == names[0].text {
                throw .syntax(.error(
                    "duplicate loop variable '\(second.text)'", at: second.span, hint: "give each loop variable its own name",
                    notes: [.init("first declared here", at: names[0].span)]))
            }
            names.append(second)
        }
        return names
    }

    private mutating func parseImport() throws(ParseFailure) -> Statement {
        let keyword = advance()
        guard current.kind == .string else {
            throw .syntax(.error(
                "expected a module path string after 'import' but found \(displayName(of: current))", at: span(of: current),
                hint: "write import \"arn\" as arn, or import \"./common.slsx\" as common"))
        }
        let pathToken = advance()
        guard case .text(let path) = buffer.value(of: pathToken) else {
            throw .syntax(.error("an import path cannot contain interpolation", at: span(of: pathToken), hint: "write the path as plain text"))
        }
        try expect(.asKeyword, "after the import path")
        let alias = try expectName("after 'as'")
        return Statement(.import(path: path, pathSpan: span(of: pathToken), alias: alias), span: span(of: keyword).merged(with: alias.span))
    }

    /// Parses `{ statements }`.
    private mutating func parseBlock() throws(ParseFailure) -> Block {
        let open = try expect(.leftBrace, "to open a block")
        let saved = lineBreaksEndExpressions
        lineBreaksEndExpressions = true
        defer { lineBreaksEndExpressions = saved }

        let errorsBefore = diagnostics.count
        let statements: [Statement]
        do {
            statements = try parseStatements(insideBraces: true)
        } catch {
            throw .nesting(error)
        }
        if check(.rightBrace) {
            let close = advance()
            return Block(statements: statements, span: span(of: open).merged(with: span(of: close)))
        }
        if diagnostics.count > errorsBefore {
            // An error inside the block already explains the missing '}'.
            return Block(statements: statements, span: span(of: open).merged(with: span(of: previous)))
        }
        throw missingClosingBrace(open: open)
    }

    private func missingClosingBrace(open: Lexeme) -> ParseFailure {
        .syntax(.error(
            "expected '}' but found \(displayName(of: current))", at: span(of: current), hint: "close the block with '}'",
            notes: [.init("the block starts here", at: span(of: open))]))
    }

    // MARK: - Expressions

    public mutating func parseExpression() throws(ParseFailure) -> Expression {
        try enterNesting()
        defer { depth -= 1 }
        // Most expressions are one literal or name, such as a field's value. Building its node
        // here skips the calls through `parseBinary`, `parseUnary`, `parsePostfix` and
        // `parsePrimary`, which would find no operator either and return the same node.
        if current.kind.isLiteralOrName, !continuesOperand(lexemes[min(index + 1, lexemes.count - 1)]) {
            return try parseLiteralOrName(advance())
        }
        return try parseBinary(minimum: .or)
    }

    /// Returns whether `next`, the lexeme after an operand, continues the expression: a binary or
    /// postfix operator on the operand's line, or on any line inside `(...)` and `[...]`.
    private func continuesOperand(_ next: Lexeme) -> Bool {
        if lineBreaksEndExpressions, next.isAtLineStart { return false }
        switch next.kind {
        case .dot, .questionDot, .leftBracket, .leftParen: return true
        default: return next.kind.binaryPrecedence != nil
        }
    }

    /// Parses operands joined by binary operators of at least `minimum` precedence.
    ///
    /// This is precedence climbing: one loop, and one recursive call per operator for its right
    /// operand. It groups exactly as a function per level would (`parseOr` calling `parseAnd` and
    /// so on down to `parseFactor`), but an operand no longer passes through eight such calls.
    /// Most levels group to the left. `??` groups to the right, as in Swift, and ranges do not
    /// chain: `a..<b..<c` stops after `a..<b`.
    private mutating func parseBinary(minimum: Precedence) throws(ParseFailure) -> Expression {
        var left = try parseUnary()
        // The highest level an operator may have to continue `left`. An operand parsed with a
        // higher minimum takes every operator above its own level, except that it stops before a
        // second range operator. Such an operator must not continue `left` either, so after each
        // operator the ceiling drops to the levels the nested grammar rules would still accept.
        var ceiling = Precedence.factor
        while let precedence = binaryOperatorPrecedence(), precedence >= minimum, precedence <= ceiling {
            let operatorKind = advance().kind
            let right: Expression
            switch precedence {
            case .coalesce:
                right = try parseCoalesceOperand()
                ceiling = .comparison
            case .range:
                right = try parseBinary(minimum: .term)
                ceiling = .coalesce
            default:
                // The right operand takes only the operators that bind more tightly than this one.
                if let tighter = precedence.next {
                    right = try parseBinary(minimum: tighter)
                } else {
                    right = try parseUnary()
                }
                ceiling = precedence
            }
            left = binaryNode(operatorKind, left, right)
        }
        return left
    }

    /// Parses the right operand of `??`, which may itself contain `??`. Each `??` counts as one
    /// level of nesting, so a long chain stops at `maximumDepth`.
    private mutating func parseCoalesceOperand() throws(ParseFailure) -> Expression {
        try enterNesting()
        defer { depth -= 1 }
        return try parseBinary(minimum: .coalesce)
    }

    /// Returns the precedence of the binary operator at the current token, or `nil` when the
    /// token is no binary operator or starts a line where line breaks end expressions.
    private func binaryOperatorPrecedence() -> Precedence? {
        let token = current
        guard let precedence = token.kind.binaryPrecedence else { return nil }
        if lineBreaksEndExpressions, token.isAtLineStart { return nil }
        return precedence
    }

    /// Builds the node of `left operator right`.
    private func binaryNode(_ operatorKind: RawTokenKind, _ left: Expression, _ right: Expression) -> Expression {
        let span = left.span.merged(with: right.span)
        let op: BinaryOperator
        switch operatorKind {
        case .halfOpenRange, .closedRange:
            return Expression(.range(.init(lower: left, upper: right, isClosed: operatorKind == .closedRange)), span: span)
        case .pipePipe: op = .or
        case .ampersandAmpersand: op = .and
        case .equalEqual: op = .equal
        case .bangEqual: op = .notEqual
        case .less: op = .less
        case .lessEqual: op = .lessOrEqual
        case .greater: op = .greater
        case .greaterEqual: op = .greaterOrEqual
        case .questionQuestion: op = .coalesce
        case .plus: op = .add
        case .minus: op = .subtract
        case .star: op = .multiply
        case .slash: op = .divide
        default: op = .remainder
        }
        return Expression(.binary(.init(op, left, right)), span: span)
    }

    private mutating func parseUnary() throws(ParseFailure) -> Expression {
        guard check(.minus) || check(.bang) else {
            return try parsePostfix()
        }
        try enterNesting()
        defer { depth -= 1 }
        let operatorToken = advance()
        if operatorToken.kind == .minus, let magnitude = integerMagnitude(of: current), !isPostfixOperatorNext(offset: 1) {
            return try parseNegativeInteger(minus: operatorToken, magnitude: magnitude)
        }
        let operand = try parseUnary()
        let op: UnaryOperator = operatorToken.kind == .minus ? .negate : .not
        return Expression(.unary(.init(op, operand)), span: span(of: operatorToken).merged(with: operand.span))
    }

    /// Folds `-123` into one literal, so that `-9223372036854775808` (Int64.min) is a valid literal.
    private mutating func parseNegativeInteger(minus: Lexeme, magnitude: UInt64) throws(ParseFailure) -> Expression {
        let literalToken = advance()
        let literalSpan = span(of: minus).merged(with: span(of: literalToken))
        guard magnitude <= UInt64(Int64.max) + 1 else {
            throw .syntax(.error("integer literal -\(magnitude) is out of range", at: literalSpan, hint: "integers are 64-bit; write it as a float"))
        }
        let value = magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        return Expression(.int(value), span: literalSpan)
    }

    private func isPostfixOperatorNext(offset: Int) -> Bool {
        let token = lexemes[min(index + offset, lexemes.count - 1)]
        if lineBreaksEndExpressions, token.isAtLineStart { return false }
        switch token.kind {
        case .dot, .questionDot, .leftBracket, .leftParen: return true
        default: return false
        }
    }

    private mutating func parsePostfix() throws(ParseFailure) -> Expression {
        var expression = try parsePrimary()
        while true {
            if lineBreaksEndExpressions, current.isAtLineStart {
                return expression
            }
            switch current.kind {
            case .dot, .questionDot:
                expression = try parseMember(of: expression)
            case .leftBracket:
                expression = try parseIndex(of: expression)
            case .leftParen:
                expression = try parseCall(of: expression)
            default:
                return expression
            }
        }
    }

    // Each postfix form has a function of its own, so the frame of `parsePostfix` stays small, for
    // the same reason as the forms of a statement.

    private mutating func parseMember(of base: Expression) throws(ParseFailure) -> Expression {
        let isOptional = advance().kind == .questionDot
        let name = try expectMemberName()
        return Expression(
            .member(.init(base, name: name.text, nameSpan: name.span, isOptional: isOptional)),
            span: base.span.merged(with: name.span))
    }

    private mutating func parseIndex(of base: Expression) throws(ParseFailure) -> Expression {
        advance()
        let indexExpression = try parseInsideBrackets { parser throws(ParseFailure) in try parser.parseExpression() }
        let close = try expect(.rightBracket, "to close the index")
        return Expression(.index(.init(base, indexExpression, isOptional: false)), span: base.span.merged(with: span(of: close)))
    }

    private mutating func parseCall(of callee: Expression) throws(ParseFailure) -> Expression {
        let open = advance()
        let arguments = try parseInsideBrackets { parser throws(ParseFailure) in try parser.parseArguments() }
        let close = try expectClosing(.rightParen, "to close the argument list", open: open, opened: "the argument list starts here")
        return Expression(.call(.init(callee, arguments)), span: callee.span.merged(with: span(of: close)))
    }

    private mutating func parseArguments() throws(ParseFailure) -> [Argument] {
        let base = argumentStack.count
        defer { argumentStack.removeSubrange(base...) }
        while !check(.rightParen) {
            var label: Name?
            if current.kind == .identifier, peekKind(1) == .colon {
                let token = advance()
                advance()
                label = Name(text: buffer.text(of: token), span: span(of: token))
            }
            let value = try parseExpression()
            argumentStack.append(Argument(label: label, value: value))
            if !check(.comma) { break }
            advance()
        }
        return Array(argumentStack[base...])
    }

    private mutating func parsePrimary() throws(ParseFailure) -> Expression {
        let token = current
        switch token.kind {
        case .nullKeyword, .trueKeyword, .falseKeyword, .integer, .float, .string, .identifier:
            advance()
            return try parseLiteralOrName(token)
        case .leftParen:
            return try parseParenthesized()
        case .leftBracket:
            return try parseList()
        case .leftBrace:
            return try parseMap()
        case .ifKeyword:
            return try parseConditional()
        case .fnKeyword:
            let keyword = advance()
            let literal = try parseFunctionRest(name: nil, start: keyword)
            return Expression(.function(literal), span: literal.span)
        case .error:
            advance()
            throw lexerError(at: token)
        default:
            throw missingExpression(at: token)
        }
    }

    /// Builds the node of a literal or name lexeme that has just been consumed.
    private mutating func parseLiteralOrName(_ token: Lexeme) throws(ParseFailure) -> Expression {
        switch token.kind {
        case .nullKeyword:
            return Expression(.null, span: span(of: token))
        case .trueKeyword, .falseKeyword:
            return Expression(.bool(token.kind == .trueKeyword), span: span(of: token))
        case .integer:
            let magnitude = integerMagnitude(of: token) ?? 0
            guard let value = Int64(exactly: magnitude) else {
                throw .syntax(.error(
                    "integer literal \(magnitude) is out of range", at: span(of: token),
                    hint: "integers are 64-bit (at most 9223372036854775807); write a float such as \(magnitude).0, or a string"))
            }
            return Expression(.int(value), span: span(of: token))
        case .float:
            guard case .float(let value) = buffer.value(of: token) else {
                return Expression(.float(0), span: span(of: token))
            }
            return Expression(.float(value), span: span(of: token))
        case .string:
            if case .text(let text) = buffer.value(of: token) {
                return Expression(.string(text), span: span(of: token))
            }
            return Expression(.interpolatedString(try parseStringParts(of: token)), span: span(of: token))
        default:
            return Expression(.identifier(buffer.text(of: token)), span: span(of: token))
        }
    }

    private mutating func parseParenthesized() throws(ParseFailure) -> Expression {
        let open = advance()
        let inner = try parseInsideBrackets { parser throws(ParseFailure) in try parser.parseExpression() }
        let close = try expectClosing(.rightParen, "to close the parenthesis", open: open, opened: "the parenthesis opens here")
        return Expression(inner.kind, span: span(of: open).merged(with: span(of: close)))
    }

    /// Returns the error for a token where an expression should start.
    private func missingExpression(at token: Lexeme) -> ParseFailure {
        if lineBreaksEndExpressions, token.isAtLineStart, index > 0 {
            return .syntax(.error(
                "expected an expression after '\(span(of: previous).text)' but the line ends", at: span(of: previous),
                hint: "write the value on the same line"))
        }
        return .syntax(.error(
            "expected an expression but found \(displayName(of: token))", at: span(of: token),
            hint: "write a value here, such as a name, a number, a string or a call"))
    }

    /// Parses the parts of a string lexeme: its text, or its segments with each interpolation parsed.
    private mutating func parseStringParts(of lexeme: Lexeme) throws(ParseFailure) -> [StringPart] {
        switch buffer.value(of: lexeme) {
        case .text(let text): return [.text(text)]
        case .string(let segments): return try parseStringParts(segments)
        default: return []
        }
    }

    private mutating func parseStringParts(_ segments: [LexedStringSegment]) throws(ParseFailure) -> [StringPart] {
        var parts: [StringPart] = []
        parts.reserveCapacity(segments.count)
        for segment in segments {
            switch segment {
            case .text(let text):
                parts.append(.text(text))
            case .interpolation(let innerBuffer, let span):
                var inner = Parser(buffer: innerBuffer, depth: depth, maximumDepth: maximumDepth)
                inner.lineBreaksEndExpressions = false
                guard !inner.check(.endOfFile) else {
                    throw .syntax(.error("empty interpolation", at: span, hint: "put an expression between \\( and )"))
                }
                let expression = try inner.parseExpression()
                if !inner.check(.endOfFile) {
                    throw .syntax(.error("expected ')' to end the interpolation but found \(inner.displayName(of: inner.current))", at: inner.span(of: inner.current)))
                }
                parts.append(.expression(expression))
            }
        }
        return parts
    }

    private mutating func parseList() throws(ParseFailure) -> Expression {
        let open = advance()
        return try parseInsideBrackets { parser throws(ParseFailure) in
            let base = parser.expressionStack.count
            defer { parser.expressionStack.removeSubrange(base...) }
            while !parser.check(.rightBracket) {
                let element = try parser.parseExpression()
                if parser.expressionStack.count == base, parser.check(.forKeyword) {
                    return try parser.parseListComprehension(open: open, element: element)
                }
                parser.expressionStack.append(element)
                if !parser.check(.comma) { break }
                parser.advance()
            }
            let close = try parser.expectClosing(.rightBracket, "to close the list", open: open, opened: "the list starts here")
            let elements = Array(parser.expressionStack[base...])
            return Expression(.list(elements), span: parser.span(of: open).merged(with: parser.span(of: close)))
        }
    }

    /// Parses the rest of `[element for x in xs if condition]` after the element.
    private mutating func parseListComprehension(open: Lexeme, element: Expression) throws(ParseFailure) -> Expression {
        let clauses = try parseComprehensionClauses()
        let close = try expect(.rightBracket, "to close the list comprehension")
        return Expression(.listComprehension(.init(element: element, clauses: clauses)), span: span(of: open).merged(with: span(of: close)))
    }

    private mutating func parseComprehensionClauses() throws(ParseFailure) -> [ComprehensionClause] {
        var clauses: [ComprehensionClause] = []
        while true {
            if check(.forKeyword) {
                advance()
                let names = try parseLoopNames()
                try expect(.inKeyword, "after the comprehension variable")
                // Through parseExpression, so that nested comprehensions count against the depth limit.
                let iterable = try parseExpression()
                clauses.append(.loop(names: names, iterable: iterable))
            } else if check(.ifKeyword) {
                advance()
                clauses.append(.filter(try parseExpression()))
            } else {
                return clauses
            }
        }
    }

    private mutating func parseMap() throws(ParseFailure) -> Expression {
        let open = advance()
        let saved = lineBreaksEndExpressions
        lineBreaksEndExpressions = true
        defer { lineBreaksEndExpressions = saved }

        let base = entryStack.count
        defer { entryStack.removeSubrange(base...) }
        while true {
            while check(.comma) {
                advance()
            }
            if check(.rightBrace) { break }
            let key = try parseMapKey()
            try expect(.colon, "after the map key")
            let value = try parseExpression()
            if entryStack.count == base, check(.forKeyword) {
                return try parseMapComprehension(open: open, key: key, value: value)
            }
            entryStack.append(MapEntry(key: key, value: value, isKnownDistinct: Parser.isKnownDistinct(key, after: entryStack[base...])))
            if check(.comma) || check(.rightBrace) || current.isAtLineStart { continue }
            throw missingEntrySeparator(open: open)
        }
        let close = advance()
        return Expression(.map(Array(entryStack[base...])), span: span(of: open).merged(with: span(of: close)))
    }

    /// The number of earlier keys up to which `isKnownDistinct` compares a map key. The later
    /// keys of a longer literal are checked for duplicates while it is evaluated, so that parsing
    /// a literal with many entries stays linear.
    private static let distinctKeyCheckLimit = 16

    /// Returns whether `key` is a plain name and every earlier key of its literal is a plain
    /// name that differs from it, compared as `String ==` compares (by canonical equivalence),
    /// as the evaluator's search for a duplicate does.
    private static func isKnownDistinct(_ key: MapKey, after earlier: ArraySlice<MapEntry>) -> Bool {
        guard case .name(let text, _) = key, earlier.count < distinctKeyCheckLimit else { return false }
        for index in earlier.indices {
            guard case .name(let other, _) = earlier[index].key, other != text else { return false }
        }
        return true
    }

    /// Parses the rest of `{key: value for x in xs if condition}` after the value.
    private mutating func parseMapComprehension(open: Lexeme, key: MapKey, value: Expression) throws(ParseFailure) -> Expression {
        // In a comprehension a bare key is the loop variable, as in {k: f(k) for k in ks}.
        var key = key
        if case .name(let name, let span) = key, !span.text.hasPrefix("\"") {
            key = .computed(Expression(.identifier(name), span: span))
        }
        let clauses = try parseComprehensionClauses()
        let close = try expect(.rightBrace, "to close the map comprehension")
        return Expression(.mapComprehension(.init(key: key, value: value, clauses: clauses)), span: span(of: open).merged(with: span(of: close)))
    }

    private func missingEntrySeparator(open: Lexeme) -> ParseFailure {
        .syntax(.error(
            "expected ',' or '}' after the map entry but found \(displayName(of: current))", at: span(of: current),
            hint: "separate map entries with ',' or line breaks", notes: [.init("the map starts here", at: span(of: open))]))
    }

    private mutating func parseMapKey() throws(ParseFailure) -> MapKey {
        let token = current
        switch token.kind {
        case .identifier:
            advance()
            return .name(buffer.text(of: token), span: span(of: token))
        case .string:
            advance()
            if case .text(let text) = buffer.value(of: token) {
                return .name(text, span: span(of: token))
            }
            let parts = try parseStringParts(of: token)
            if parts.allSatisfy({ if case .text = $0 { true } else { false } }) {
                let text = parts.map { if case .text(let t) = $0 { t } else { "" } }.joined()
                return .name(text, span: span(of: token))
            }
            return .interpolated(parts, span: span(of: token))
        case .leftBracket:
            advance()
            let key = try parseInsideBrackets { parser throws(ParseFailure) in try parser.parseExpression() }
            try expect(.rightBracket, "to close the computed key")
            return .computed(key)
        case .error:
            advance()
            throw lexerError(at: token)
        default:
            if let keyword = token.kind.keyword {
                advance()
                return .name(keyword.rawValue, span: span(of: token))
            }
            throw .syntax(.error(
                "expected a map key but found \(displayName(of: token))", at: span(of: token),
                hint: "a key is a name, a string, or [expression]"))
        }
    }

    private mutating func parseConditional() throws(ParseFailure) -> Expression {
        let keyword = advance()
        let condition = try parseExpression()
        guard check(.leftBrace) else {
            throw missingBranchBrace()
        }
        let then = try parseBlock()
        var otherwise: Block?
        if check(.elseKeyword) {
            advance()
            otherwise = try parseElse()
        }
        let end = otherwise?.span ?? then.span
        return Expression(.conditional(.init(condition: condition, then: then, otherwise: otherwise)), span: span(of: keyword).merged(with: end))
    }

    /// Parses the branch after `else`: a block, or an `if` that becomes a block of one statement.
    private mutating func parseElse() throws(ParseFailure) -> Block {
        guard check(.ifKeyword) else {
            return try parseBlock()
        }
        try enterNesting()
        defer { depth -= 1 }
        let nested = try parseConditional()
        return Block(statements: [Statement(.expression(nested), span: nested.span)], span: nested.span)
    }

    private func missingBranchBrace() -> ParseFailure {
        .syntax(.error(
            "expected '{' after the 'if' condition but found \(displayName(of: current))", at: span(of: current),
            hint: "write the branch in braces: if condition { ... }"))
    }

    /// Parses the part of a function literal after `fn` or `fn name`: parameters and body.
    private mutating func parseFunctionRest(name: String?, start: Lexeme) throws(ParseFailure) -> FunctionLiteral {
        try expect(.leftParen, "to open the parameter list")
        let parameters = try parseInsideBrackets { parser throws(ParseFailure) -> [Parameter] in
            var parameters: [Parameter] = []
            while !parser.check(.rightParen) {
                let name = try parser.expectName("in the parameter list")
                if let earlier = parameters.first(where: { $0.name.text == name.text }) {
                    throw .syntax(.error(
                        "duplicate parameter '\(name.text)'", at: name.span, hint: "give each parameter its own name",
                        notes: [.init("first declared here", at: earlier.name.span)]))
                }
                var defaultValue: Expression?
                if parser.check(.equal) {
                    parser.advance()
                    defaultValue = try parser.parseExpression()
                } else if let previous = parameters.last, previous.defaultValue != nil {
                    throw .syntax(.error(
                        "parameter '\(name.text)' needs a default value because the parameter before it has one",
                        at: name.span, hint: "move parameters with defaults to the end"))
                }
                parameters.append(Parameter(name: name, defaultValue: defaultValue))
                if !parser.check(.comma) { break }
                parser.advance()
            }
            return parameters
        }
        try expect(.rightParen, "to close the parameter list")
        if check(.equal) {
            advance()
            let body = try parseExpression()
            return FunctionLiteral(
                name: name, parameters: parameters, body: .expression(body), span: span(of: start).merged(with: body.span),
                isInStandardLibrary: ModuleLoader.isStandardLibrary(file.path))
        }
        guard check(.leftBrace) else {
            throw .syntax(.error(
                "expected '=' or '{' after the parameter list but found \(displayName(of: current))", at: span(of: current),
                hint: "write fn name(x) = expression, or fn name(x) { statements }"))
        }
        let block = try parseBlock()
        return FunctionLiteral(
            name: name, parameters: parameters, body: .block(block), span: span(of: start).merged(with: block.span),
            isInStandardLibrary: ModuleLoader.isStandardLibrary(file.path))
    }

    // MARK: - Helpers

    private var current: Lexeme { lexemes[index] }

    private var previous: Lexeme { lexemes[max(0, index - 1)] }

    private func peekKind(_ offset: Int) -> RawTokenKind {
        lexemes[min(index + offset, lexemes.count - 1)].kind
    }

    private func check(_ kind: RawTokenKind) -> Bool {
        current.kind == kind
    }

    @discardableResult
    private mutating func advance() -> Lexeme {
        let token = lexemes[index]
        if index < lexemes.count - 1 {
            index += 1
        }
        return token
    }

    @discardableResult
    private mutating func expect(_ kind: RawTokenKind, _ context: String) throws(ParseFailure) -> Lexeme {
        if current.kind == .error {
            throw lexerError(at: current)
        }
        guard check(kind) else {
            throw .syntax(.error("expected \(kind.displayName) \(context) but found \(displayName(of: current))", at: span(of: current)))
        }
        return advance()
    }

    /// Consumes a closing bracket, or reports where the bracket was opened.
    @discardableResult
    private mutating func expectClosing(_ kind: RawTokenKind, _ context: String, open: Lexeme, opened: String) throws(ParseFailure) -> Lexeme {
        if check(kind) {
            return advance()
        }
        if current.kind == .error {
            throw lexerError(at: current)
        }
        throw .syntax(.error(
            "expected \(kind.displayName) \(context) but found \(displayName(of: current))", at: span(of: current),
            notes: [.init(opened, at: span(of: open))]))
    }

    private mutating func expectName(_ context: String) throws(ParseFailure) -> Name {
        guard current.kind == .identifier else {
            var hint: String?
            if let keyword = current.kind.keyword {
                hint = "'\(keyword.rawValue)' is a reserved word; choose another name"
            }
            throw .syntax(.error("expected a name \(context) but found \(displayName(of: current))", at: span(of: current), hint: hint))
        }
        let token = advance()
        return Name(text: buffer.text(of: token), span: span(of: token))
    }

    /// Consumes the name after `.` or `?.`. Keywords are allowed there, so `x.in` reads the key `in`.
    private mutating func expectMemberName() throws(ParseFailure) -> Name {
        if current.kind == .identifier {
            let token = advance()
            return Name(text: buffer.text(of: token), span: span(of: token))
        }
        if let keyword = current.kind.keyword {
            return Name(text: keyword.rawValue, span: span(of: advance()))
        }
        throw .syntax(.error("expected a member name after '.' but found \(displayName(of: current))", at: span(of: current)))
    }

    private func span(of lexeme: Lexeme) -> SourceSpan {
        buffer.span(of: lexeme)
    }

    private func displayName(of lexeme: Lexeme) -> String {
        buffer.displayName(of: lexeme)
    }

    /// Returns the magnitude of an integer lexeme, or `nil` for any other lexeme.
    private func integerMagnitude(of lexeme: Lexeme) -> UInt64? {
        guard lexeme.kind == .integer, case .integer(let magnitude) = buffer.value(of: lexeme) else { return nil }
        return magnitude
    }


    /// Runs `body` with line breaks ignored, as they are inside `(...)` and `[...]`.
    private mutating func parseInsideBrackets<T>(_ body: (inout Parser) throws(ParseFailure) -> T) throws(ParseFailure) -> T {
        let saved = lineBreaksEndExpressions
        lineBreaksEndExpressions = false
        defer { lineBreaksEndExpressions = saved }
        return try body(&self)
    }

    /// Returns the diagnostic for an error token, with a hint where the lexer's message needs one.
    private func lexerError(at lexeme: Lexeme) -> ParseFailure {
        let message = buffer.errorMessage(of: lexeme)
        let errorSpan = span(of: lexeme)
        var hint: String?
        if message.hasPrefix("integer literal") {
            hint = "integers are 64-bit (at most 9223372036854775807); write a float such as \(errorSpan.text).0, or a string"
        } else if message.hasPrefix("invalid UTF-8 byte") {
            hint = "save the file as UTF-8; a lone byte such as 0xFF usually comes from text saved in another encoding"
        } else if message.hasPrefix("string interpolation nested") {
            hint = "give the inner parts names with let and interpolate the names"
        } else if message.hasPrefix("unexpected control character") {
            hint = "remove it; only spaces, tabs and line breaks may stand between tokens"
        } else if message.hasPrefix("unexpected character") {
            hint = "remove it, or put it inside a string"
        }
        return .syntax(.error(message, at: errorSpan, hint: hint))
    }

    // `enterNesting` runs for every statement and expression. Building the error in a function of
    // its own keeps it small enough to inline at each of those calls.
    @inline(__always)
    private mutating func enterNesting() throws(ParseFailure) {
        depth += 1
        if depth > maximumDepth {
            throw nestingTooDeep()
        }
    }

    private func nestingTooDeep() -> ParseFailure {
        .nesting(NestingTooDeep(diagnostic: .error(
            "expression nested too deeply (the limit is \(maximumDepth) levels)", at: span(of: current),
            hint: "split the expression with 'let' bindings")))
    }
}

/// The nesting limit was hit: parsing stops, because recovery would only hit it again.
public struct NestingTooDeep: Error {
    public var diagnostic: Diagnostic
}

/// The failure of a grammar rule.
public enum ParseFailure: Error {
    /// A syntax error; the statement parser records it and resumes at the next statement.
    case syntax(Diagnostic)
    case nesting(NestingTooDeep)
}

extension RawTokenKind {
    /// Whether `parsePrimary` reads a lexeme of this kind as a whole operand (`parseLiteralOrName`).
    fileprivate var isLiteralOrName: Bool {
        switch self {
        case .nullKeyword, .trueKeyword, .falseKeyword, .integer, .float, .string, .identifier: return true
        default: return false
        }
    }

    fileprivate var canBeFieldName: Bool {
        self == .identifier || self == .string || keyword != nil
    }
}

/// The levels of the binary operators, from the loosest binding to the tightest.
private enum Precedence: Int, Comparable {
    case or = 1, and, equality, comparison, coalesce, range, term, factor

    static func < (lhs: Precedence, rhs: Precedence) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// The level above this one, or `nil` for `factor`, the highest.
    var next: Precedence? {
        Precedence(rawValue: rawValue + 1)
    }
}

extension RawTokenKind {
    /// The level of a binary operator; `nil` for every other kind.
    fileprivate var binaryPrecedence: Precedence? {
        switch self {
        case .pipePipe: return .or
        case .ampersandAmpersand: return .and
        case .equalEqual, .bangEqual: return .equality
        case .less, .lessEqual, .greater, .greaterEqual: return .comparison
        case .questionQuestion: return .coalesce
        case .halfOpenRange, .closedRange: return .range
        case .plus, .minus: return .term
        case .star, .slash, .percent: return .factor
        default: return nil
        }
    }
}
