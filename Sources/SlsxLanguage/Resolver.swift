import SlsxSource

/// Gives every name in a script the address of the slot it refers to, and every scope its layout.
///
/// The pass runs after parsing and before evaluation. It walks the tree with a stack of the scopes
/// that evaluation will create at each point: the globals, the script's top level, and one scope
/// per block, function call, loop iteration and comprehension `for` clause. A scope's layout lists
/// every name its statements define (`let`, `var`, `fn`, `import`) before any statement runs. A
/// name used before its definition in the same scope therefore gets that scope's slot. The slot
/// is still empty at run time, and the evaluator falls back to a lookup by text, which finds the
/// outer name exactly as before.
struct Resolver {
    private var scopes: [ScopeLayout]
    /// The address of the resolver's first frame. The pass recurses once per level of the tree,
    /// and a chain such as `1 + 1 + … + 1` parses in a loop into a tree as deep as it is long, which
    /// the parser's nesting limit does not bound. So the pass checks the stack it has used, as the
    /// evaluator does, and stops at the first node past `LargeStack.evaluationBudget`.
    private var stackBase: UInt = 0
    /// The node where the stack ran short, if it did.
    private var tooDeep: SourceSpan?
    /// Whether names found only among the globals stay unresolved. A REPL session's top-level
    /// scope gains names with later entries and may come to shadow a global, so an address
    /// into the globals could go stale there.
    private let globalsMayBeShadowed: Bool

    private init(globals: ScopeLayout, globalsMayBeShadowed: Bool) {
        scopes = [globals]
        self.globalsMayBeShadowed = globalsMayBeShadowed
    }

    /// Resolves a script or REPL entry whose top-level statements run in a scope that already
    /// defines `topLevel`'s names (empty for a script or module), inside the globals. The returned
    /// script's layout starts with `topLevel`'s names.
    ///
    /// Throws when the tree is nested too deeply for the evaluation stack. Call it on the thread
    /// that evaluates, whose stack is `LargeStack.stackSize` bytes.
    static func resolve(
        _ script: Block, topLevel: ScopeLayout = .empty, globals: ScopeLayout, isSession: Bool = false
    ) throws -> Block {
        var resolver = Resolver(globals: globals, globalsMayBeShadowed: isSession)
        var marker: UInt8 = 0
        resolver.stackBase = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        var resolved = script
        let layout = topLevel.adding(definedNames(script.statements))
        resolved.layout = layout
        resolver.scopes.append(layout)
        resolver.resolve(&resolved.statements)
        if let span = resolver.tooDeep {
            throw EvaluationError(
                "expression nested too deeply for the evaluation stack", at: span,
                hint: "split the expression with 'let' bindings, or sum a list with sum() instead of a long chain of operators")
        }
        return resolved
    }

    /// Whether the pass must stop because the stack is nearly used up. Records `span` the first time.
    private mutating func isOutOfStack(at span: SourceSpan) -> Bool {
        if tooDeep != nil { return true }
        var marker: UInt8 = 0
        let address = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        guard stackBase > address, stackBase - address > LargeStack.evaluationBudget else { return false }
        tooDeep = span
        return true
    }

    /// Returns the names that `statements` define in the scope they run in.
    private static func definedNames(_ statements: [Statement]) -> [String] {
        statements.compactMap { statement in
            switch statement.kind {
            case .binding(let name, _, _), .function(let name, _): return name.text
            case .import(_, _, let alias): return alias.text
            default: return nil
            }
        }
    }

    /// Returns the address of `name` from the innermost scope.
    private func address(of name: String) -> NameAddress {
        for (depth, layout) in scopes.reversed().enumerated() {
            guard let index = layout.index(of: name) else { continue }
            if globalsMayBeShadowed, depth == scopes.count - 1 {
                return .unresolved
            }
            return NameAddress(depth: Int32(depth), index: Int32(index))
        }
        return .unresolved
    }

    /// Resolves a block that runs in a scope of its own. A loop body's scope, made anew for every
    /// iteration, starts with the loop names. Any other block that defines no names gets an
    /// empty layout and no scope, because the evaluator runs it in the enclosing scope (see
    /// `Interpreter.scope(for:in:)`).
    private mutating func resolveScope(_ block: inout Block, loopNames: [Name]? = nil) {
        let names = (loopNames ?? []).map(\.text) + Resolver.definedNames(block.statements)
        if names.isEmpty, loopNames == nil {
            block.layout = .empty
            resolve(&block.statements)
            return
        }
        let layout = ScopeLayout(names: names)
        block.layout = layout
        scopes.append(layout)
        resolve(&block.statements)
        scopes.removeLast()
    }

    // MARK: - Statements

    private mutating func resolve(_ statements: inout [Statement]) {
        for index in statements.indices {
            resolve(&statements[index])
        }
    }

    private mutating func resolve(_ statement: inout Statement) {
        if isOutOfStack(at: statement.span) { return }
        switch statement.kind {
        case .expression(var expression):
            resolve(&expression)
            statement.kind = .expression(expression)
        case .binding(var name, var value, let isMutable):
            resolve(&value)
            name.address = address(of: name.text)
            statement.kind = .binding(name: name, value: value, isMutable: isMutable)
        case .assignment(var name, let compound, var value):
            resolve(&value)
            name.address = address(of: name.text)
            statement.kind = .assignment(name: name, compound: compound, value: value)
        case .function(var name, var literal):
            name.address = address(of: name.text)
            resolve(&literal)
            statement.kind = .function(name: name, literal)
        case .loop(let names, var iterable, var body):
            resolve(&iterable)
            resolveScope(&body, loopNames: names)
            statement.kind = .loop(names: names, iterable: iterable, body: body)
        case .return(.some(var expression)):
            resolve(&expression)
            statement.kind = .return(expression)
        case .return(.none):
            break
        case .import(let path, let pathSpan, var alias):
            alias.address = address(of: alias.text)
            statement.kind = .import(path: path, pathSpan: pathSpan, alias: alias)
        case .field(var key, var value):
            resolve(&key)
            resolve(&value)
            statement.kind = .field(key: key, value: value)
        case .service(var expression):
            resolve(&expression)
            statement.kind = .service(expression)
        case .provider(var block):
            resolveScope(&block)
            statement.kind = .provider(block)
        case .resources(var block):
            resolveScope(&block)
            statement.kind = .resources(block)
        case .functionDeclaration(var name, var body):
            resolve(&name)
            resolveScope(&body)
            statement.kind = .functionDeclaration(name: name, body: body)
        case .stream(.expression(var expression)):
            resolve(&expression)
            statement.kind = .stream(.expression(expression))
        case .stream(.body(var block)):
            resolveScope(&block)
            statement.kind = .stream(.body(block))
        case .event(var block):
            resolveScope(&block)
            statement.kind = .event(block)
        }
    }

    // MARK: - Expressions

    private mutating func resolve(_ expression: inout Expression) {
        if isOutOfStack(at: expression.span) { return }
        switch expression.kind {
        case .null, .bool, .int, .float, .string:
            break
        case .interpolatedString(var parts):
            resolve(&parts)
            expression = expression.replacingKind(.interpolatedString(parts))
        case .list(var elements):
            for index in elements.indices {
                resolve(&elements[index])
            }
            expression = expression.replacingKind(.list(elements))
        case .map(var entries):
            for index in entries.indices {
                resolve(&entries[index].key)
                resolve(&entries[index].value)
            }
            expression = expression.replacingKind(.map(entries))
        case .listComprehension(let node):
            var clauses = node.clauses
            var element = node.element
            let pushed = resolve(&clauses)
            resolve(&element)
            scopes.removeLast(pushed)
            expression = expression.replacingKind(.listComprehension(.init(element: element, clauses: clauses)))
        case .mapComprehension(let node):
            var clauses = node.clauses
            var key = node.key
            var value = node.value
            let pushed = resolve(&clauses)
            resolve(&key)
            resolve(&value)
            scopes.removeLast(pushed)
            expression = expression.replacingKind(.mapComprehension(.init(key: key, value: value, clauses: clauses)))
        case .identifier(let name):
            expression = Expression(expression.kind, span: expression.span, address: address(of: name))
        case .unary(let node):
            var operand = node.operand
            resolve(&operand)
            expression = expression.replacingKind(.unary(.init(node.op, operand)))
        case .binary(let node):
            var left = node.left
            var right = node.right
            resolve(&left)
            resolve(&right)
            expression = expression.replacingKind(.binary(.init(node.op, left, right)))
        case .range(let node):
            var lower = node.lower
            var upper = node.upper
            resolve(&lower)
            resolve(&upper)
            expression = expression.replacingKind(.range(.init(lower: lower, upper: upper, isClosed: node.isClosed)))
        case .member(let node):
            var base = node.base
            resolve(&base)
            expression = expression.replacingKind(.member(.init(base, name: node.name, nameSpan: node.nameSpan, isOptional: node.isOptional)))
        case .index(let node):
            var base = node.base
            var index = node.index
            resolve(&base)
            resolve(&index)
            expression = expression.replacingKind(.index(.init(base, index, isOptional: node.isOptional)))
        case .call(let node):
            var callee = node.callee
            var arguments = node.arguments
            resolve(&callee)
            for index in arguments.indices {
                resolve(&arguments[index].value)
            }
            expression = expression.replacingKind(.call(.init(callee, arguments)))
        case .conditional(let node):
            var condition = node.condition
            var then = node.then
            var otherwise = node.otherwise
            resolve(&condition)
            resolveScope(&then)
            if var block = otherwise {
                resolveScope(&block)
                otherwise = block
            }
            expression = expression.replacingKind(.conditional(.init(condition: condition, then: then, otherwise: otherwise)))
        case .function(var literal):
            resolve(&literal)
            expression = expression.replacingKind(.function(literal))
        }
    }

    /// Resolves the clauses of a comprehension in order. Each `for` clause opens the scope of its
    /// iterations, in which the later clauses and the element run. Returns the number of scopes
    /// opened, which the caller closes after resolving the element.
    private mutating func resolve(_ clauses: inout [ComprehensionClause]) -> Int {
        var pushed = 0
        for index in clauses.indices {
            switch clauses[index] {
            case .loop(let names, var iterable):
                resolve(&iterable)
                clauses[index] = .loop(names: names, iterable: iterable)
                scopes.append(ScopeLayout(names: names.map(\.text)))
                pushed += 1
            case .filter(var condition):
                resolve(&condition)
                clauses[index] = .filter(condition)
            }
        }
        return pushed
    }

    /// Resolves a function literal in the scope of its calls: the parameters in order (a default
    /// value runs there and can read the parameters before it), then the names a block body defines.
    private mutating func resolve(_ literal: inout FunctionLiteral) {
        var names = literal.parameters.map(\.name.text)
        if case .block(let block) = literal.body {
            names += Resolver.definedNames(block.statements)
        }
        let layout = ScopeLayout(names: names)
        literal.layout = layout
        scopes.append(layout)
        for index in literal.parameters.indices {
            if var defaultValue = literal.parameters[index].defaultValue {
                resolve(&defaultValue)
                literal.parameters[index].defaultValue = defaultValue
            }
        }
        switch literal.body {
        case .expression(var body):
            resolve(&body)
            literal.body = .expression(body)
        case .block(var block):
            resolve(&block.statements)
            literal.body = .block(block)
        }
        scopes.removeLast()
    }

    private mutating func resolve(_ parts: inout [StringPart]) {
        for index in parts.indices {
            if case .expression(var expression) = parts[index] {
                resolve(&expression)
                parts[index] = .expression(expression)
            }
        }
    }

    private mutating func resolve(_ key: inout MapKey) {
        switch key {
        case .name:
            break
        case .interpolated(var parts, let span):
            resolve(&parts)
            key = .interpolated(parts, span: span)
        case .computed(var expression):
            resolve(&expression)
            key = .computed(expression)
        }
    }
}

extension Expression {
    /// Returns a node of `kind` with this node's span and address. An expression is immutable,
    /// so `Resolver` replaces each node whose operands it resolved.
    fileprivate func replacingKind(_ kind: Kind) -> Expression {
        Expression(kind, span: span, address: address)
    }
}
