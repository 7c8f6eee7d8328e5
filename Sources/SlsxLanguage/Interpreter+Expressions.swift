import SlsxSource

extension Interpreter {
    /// Evaluates an expression. Literals carry their own span, and computed values carry the span
    /// of the expression that computed them. Names, members and indexes pass the stored value on
    /// with its original span.
    ///
    /// Never inlined, because `evaluateUnchecked` calls it in many places and every inlined copy
    /// of the limit checks adds to that frame, which each level of nesting takes. In a release
    /// build (x86-64 Linux) the frame grew from 3 KB to 8 KB that way, and a chain of `+` ran out
    /// of stack at about 46,600 operators instead of over 100,000.
    @inline(never)
    func evaluate(_ expression: Expression, in environment: Environment) throws -> Value {
        try tick(expression.span)
        try checkStack(expression.span)
        let value = try evaluateUnchecked(expression, in: environment)
        try checkDepth(value.depth, expression.span)
        try checkSize(value.size, expression.span)
        return value
    }

    /// Dispatches on the kind of `expression`. Each case that evaluates operands calls a function
    /// of its own that borrows the node or array, which keeps this frame small.
    ///
    /// `default` covers `.null`, the one kind not listed. Without `default`, Swift 6.3
    /// compiles this exhaustive `switch` by copying the kind first, which retains its payload.
    /// With `default` it borrows the kind. So a new kind of expression needs a case of its own
    /// here, or it evaluates to null.
    private func evaluateUnchecked(_ expression: Expression, in environment: Environment) throws -> Value {
        let span = expression.span
        switch expression.kind {
        case .bool(let value):
            return Value(.bool(value), span: span)
        case .int(let value):
            return Value(.int(value), span: span)
        case .float(let value):
            return Value(.float(value), span: span)
        case .string(let text):
            try checkString(text, span)
            return Value(.string(text), span: span)
        case .interpolatedString(let parts):
            return Value(.string(try interpolate(parts, in: environment, span: span)), span: span)
        case .list(let elements):
            return try evaluateList(elements, span: span, in: environment)
        case .map(let entries):
            return try evaluateMap(entries, span: span, in: environment)
        case .listComprehension(let node):
            return try evaluateListComprehension(node, span: span, in: environment)
        case .mapComprehension(let node):
            return try evaluateMapComprehension(node, span: span, in: environment)
        case .identifier(let name):
            if let value = environment.value(at: expression.address, named: name) {
                return value
            }
            return try lookUp(name, span: span, in: environment)
        case .unary(let node):
            return try evaluateUnary(node, span: span, in: environment)
        case .binary(let node):
            return try evaluateBinary(node, span: span, in: environment)
        case .range(let node):
            return try evaluateRange(node, span: span, in: environment)
        case .member(let node):
            return try evaluateMember(node, span: span, in: environment)
        case .index(let node):
            return try evaluateIndex(node, span: span, in: environment)
        case .call(let node):
            return try evaluateCall(node, span: span, in: environment)
        case .conditional(let node):
            return try evaluateConditional(node, span: span, in: environment, context: .expression)
        case .function(let literal):
            return Value(.function(FunctionValue(implementation: .closure(.init(literal, scope: environment)))), span: span)
        default:
            return Value(.null, span: span)
        }
    }

    // MARK: - Names

    /// Looks up a name that has no address, or whose slot is not defined yet, by its text.
    @inline(never)
    func lookUp(_ name: String, span: SourceSpan, in environment: Environment) throws -> Value {
        guard let value = environment.lookup(name) else {
            let hint = NameSuggester.didYouMean(name, among: environment.visibleNames())
                ?? "define it with 'let \(name) = ...' before this line"
            throw EvaluationError("unknown name '\(name)'", at: span, hint: hint)
        }
        return value
    }

    // MARK: - Compound expressions

    @inline(never)
    private func evaluateList(_ elements: [Expression], span: SourceSpan, in environment: Environment) throws -> Value {
        var items: [Value] = []
        items.reserveCapacity(elements.count)
        // Indexing lends each element, whereas `for element in elements` would copy (retain)
        // every one. The loops below index for the same reason.
        for index in elements.indices {
            items.append(try evaluate(elements[index], in: environment))
        }
        return Value(.list(items), span: span)
    }

    @inline(never)
    private func evaluateMap(_ entries: [MapEntry], span: SourceSpan, in environment: Environment) throws -> Value {
        var map = OrderedMap(capacity: entries.count)
        // The depth and size that `Value.measure` would compute, summed as the entries are
        // added, so that the new map is not walked again.
        var deepest = 0
        var size = 1
        // Through a buffer pointer, each entry's key is read in place. Indexing the array copied
        // the key and released it again.
        try entries.withUnsafeBufferPointer { entries in
            for index in entries.indices {
                let (key, keySpan) = try evaluateKey(entries[index].key, in: environment)
                // The parser proved most keys of a literal distinct, which saves comparing each
                // key with all earlier ones.
                if !entries[index].isKnownDistinct, let earlier = map.entry(key) {
                    throw EvaluationError(
                        "duplicate key '\(key)' in a map", at: keySpan, hint: "remove one of the entries, or merge the values",
                        notes: [.init("'\(key)' is first set here", at: earlier.keySpan)])
                }
                let value = try literalValue(entries[index].value) ?? evaluate(entries[index].value, in: environment)
                deepest = max(deepest, value.depth)
                size = Value.sum(Value.sum(size, value.size), key.utf8.count)
                map.appendNew(key, value, keySpan: keySpan)
            }
        }
        return Value(.map(map), depth: 1 + deepest, size: size, span: span)
    }

    @inline(never)
    private func evaluateListComprehension(
        _ node: Expression.ListComprehension, span: SourceSpan, in environment: Environment
    ) throws -> Value {
        var items: [Value] = []
        try runClauses(node.clauses[...], in: environment) { scope in
            items.append(try evaluate(node.element, in: scope))
            try checkCount(items.count, span)
        }
        return Value(.list(items), span: span)
    }

    @inline(never)
    private func evaluateMapComprehension(
        _ node: Expression.MapComprehension, span: SourceSpan, in environment: Environment
    ) throws -> Value {
        var map = OrderedMap()
        try runClauses(node.clauses[...], in: environment) { scope in
            let (text, keySpan) = try evaluateKey(node.key, in: scope)
            map.set(text, try evaluate(node.value, in: scope), keySpan: keySpan)
            try checkCount(map.count, span)
        }
        return Value(.map(map), span: span)
    }

    @inline(never)
    private func evaluateUnary(_ node: Expression.UnaryOperation, span: SourceSpan, in environment: Environment) throws -> Value {
        let operand = try evaluate(node.operand, in: environment)
        return try unary(node.op, operand, span: span)
    }

    @inline(never)
    private func evaluateBinary(_ node: Expression.BinaryOperation, span: SourceSpan, in environment: Environment) throws -> Value {
        switch node.op {
        case .and, .or:
            let leftValue = try boolean(try evaluate(node.left, in: environment), node.op, node.left.span)
            if node.op == .and ? !leftValue : leftValue {
                return Value(.bool(leftValue), span: span)
            }
            return Value(.bool(try boolean(try evaluate(node.right, in: environment), node.op, node.right.span)), span: span)
        case .coalesce:
            let leftValue = try evaluate(node.left, in: environment)
            if case .null = leftValue.kind {
                return try evaluate(node.right, in: environment)
            }
            return leftValue
        default:
            // Most operands in a script are ints, such as `k % 3 == 0`, and are read without a
            // copy of their values.
            if let left = try intOperand(node.left, in: environment) {
                if let right = try intOperand(node.right, in: environment) {
                    return try intBinary(node.op, left, right, span: span, rightSpan: node.right.span)
                }
                let leftValue = Value(.int(left), depth: 0, size: 1, span: node.left.span)
                let rightValue = try evaluate(node.right, in: environment)
                return try binary(node.op, leftValue, rightValue, span: span, leftSpan: node.left.span, rightSpan: node.right.span)
            }
            if let value = try nestedIntOperation(node, span: span, in: environment) {
                return value
            }
            // The operands are lent to `binary`, which runs no code of the script. The left one
            // is copied only when evaluating the right one could change the left one's slot.
            guard Interpreter.isInert(node.right) else {
                let leftValue = try evaluate(node.left, in: environment)
                return try withEvaluated(node.right, in: environment) { rightValue in
                    try binary(node.op, leftValue, rightValue, span: span, leftSpan: node.left.span, rightSpan: node.right.span)
                }
            }
            return try withEvaluated(node.left, in: environment) { leftValue in
                // An int on the right, as in `k % 3 == 0`, is read without `evaluate`.
                if let right = try intOperand(node.right, in: environment) {
                    if let left = leftValue.intPayload {
                        return try intBinary(node.op, left, right, span: span, rightSpan: node.right.span)
                    }
                    let rightValue = Value(.int(right), depth: 0, size: 1, span: node.right.span)
                    return try binary(node.op, leftValue, rightValue, span: span, leftSpan: node.left.span, rightSpan: node.right.span)
                }
                return try withEvaluated(node.right, in: environment) { rightValue in
                    try binary(node.op, leftValue, rightValue, span: span, leftSpan: node.left.span, rightSpan: node.right.span)
                }
            }
        }
    }

    /// Evaluates a range used as a value, which becomes a list. `for` loops and comprehensions
    /// iterate a range without building one.
    @inline(never)
    private func evaluateRange(_ node: Expression.RangeOperation, span: SourceSpan, in environment: Environment) throws -> Value {
        let lower = try integer(try evaluate(node.lower, in: environment), "a range bound", at: node.lower.span)
        let upper = try integer(try evaluate(node.upper, in: environment), "a range bound", at: node.upper.span)
        return Value(.list(try rangeItems(lower, upper, isClosed: node.isClosed, span: span)), span: span)
    }

    @inline(never)
    private func evaluateMember(_ node: Expression.MemberAccess, span: SourceSpan, in environment: Environment) throws -> Value {
        // A module or map in a variable that has the key, as in `arn.kinesisStream`, is read
        // in place.
        if let value = try mapMember(node, in: environment) {
            return value
        }
        // `member` only searches the base, so a module or map in a variable is lent, not copied.
        return try withEvaluated(node.base, in: environment) { base in
            try member(of: base, node.name, nameSpan: node.nameSpan, isOptional: node.isOptional, span: span)
        }
    }

    @inline(never)
    private func evaluateIndex(_ node: Expression.IndexAccess, span: SourceSpan, in environment: Environment) throws -> Value {
        let base = try evaluate(node.base, in: environment)
        if node.isOptional, case .null = base.kind {
            return Value(.null, span: span)
        }
        let index = try evaluate(node.index, in: environment)
        return try subscripted(base, index, indexSpan: node.index.span, baseSpan: node.base.span)
    }

    @inline(never)
    private func evaluateCall(_ node: Expression.Call, span: SourceSpan, in environment: Environment) throws -> Value {
        let argumentExpressions = node.arguments
        if let closure = try positionalClosure(node.callee, for: argumentExpressions, in: environment) {
            return try callClosure(closure, positional: argumentExpressions, span: span, in: environment)
        }
        // A function of an imported module, as in `arn.kinesisStream(...)`.
        if let closure = try positionalMemberClosure(node.callee, for: argumentExpressions, in: environment) {
            return try callClosure(closure, positional: argumentExpressions, span: span, in: environment)
        }
        // A closure in a variable is lent while its object is taken out, so the call retains only
        // that object instead of copying the whole value. Any other callee is copied for `call`.
        let callee: Callee = try withEvaluated(node.callee, in: environment) { value in
            if case .function(let function) = value.kind, case .closure(let closure) = function.implementation,
                Interpreter.arePositional(argumentExpressions, upTo: closure.literal.parameters.count) {
                return .positionalClosure(closure)
            }
            return .value(copy value)
        }
        let calleeValue: Value
        switch callee {
        case .positionalClosure(let closure):
            return try callClosure(closure, positional: argumentExpressions, span: span, in: environment)
        case .value(let value):
            calleeValue = value
        }
        var arguments: [ArgumentValue] = []
        arguments.reserveCapacity(argumentExpressions.count)
        for index in argumentExpressions.indices {
            let value = try evaluate(argumentExpressions[index].value, in: environment)
            arguments.append(ArgumentValue(
                label: argumentExpressions[index].label, value: value, span: argumentExpressions[index].value.span))
        }
        return try call(calleeValue, arguments, span: span, calleeSpan: node.callee.span)
    }

    /// The target of a call in `evaluateCall`: a closure that takes its arguments by position, or
    /// any other value.
    private enum Callee {
        case positionalClosure(FunctionValue.Closure)
        case value(Value)
    }

    /// Calls `closure` with arguments that `arePositional` accepted. Each argument goes straight
    /// into its parameter's slot, in the same order and scope as the general path of
    /// `evaluateCall` evaluates it. This is a function of its own that borrows `closure`,
    /// because inside `evaluateCall` the optimizer copies the whole literal out of the closure.
    @inline(never)
    private func callClosure(
        _ closure: FunctionValue.Closure, positional arguments: [Argument], span: SourceSpan,
        in environment: Environment
    ) throws -> Value {
        let layout = closure.literal.layout ?? .empty
        var callScope = reusedScope(&closure.spareCallScope, parent: closure.scope, layout: layout)
        // Through buffer pointers, each evaluated value moves into its slot and the parameter's
        // name is read in place. Indexing the arrays, or binding the name to a local, copied the
        // value and the name once more (about 300 instructions per argument in callgrind).
        try arguments.withUnsafeBufferPointer { arguments in
            try closure.literal.parameters.withUnsafeBufferPointer { parameters in
                for index in arguments.indices {
                    let value = try evaluateArgument(arguments, index, in: environment)
                    callScope.defineParameter(parameters[index].name.text, at: index, value, span: parameters[index].name.span)
                }
            }
        }
        let result = try callClosure(closure.literal, in: callScope, givenCount: arguments.count, span: span)
        keepForReuse(&callScope, in: &closure.spareCallScope, layout: layout)
        return result
    }

    /// Returns whether `arguments` has no labels and at most `count` entries, so that each
    /// argument fills the parameter at its position.
    static func arePositional(_ arguments: [Argument], upTo count: Int) -> Bool {
        guard arguments.count <= count else { return false }
        for index in arguments.indices where arguments[index].label != nil {
            return false
        }
        return true
    }

    /// Runs the `for` and `if` clauses of a comprehension, calling `body` for every combination
    /// that passes the filters.
    private func runClauses(_ clauses: ArraySlice<ComprehensionClause>, in environment: Environment, body: (Environment) throws -> Void) throws {
        guard let first = clauses.first else {
            try body(environment)
            return
        }
        let rest = clauses.dropFirst()
        switch first {
        case .loop(let names, let iterable):
            // A clause cannot carry a layout in the tree, so one is made per run of the clause,
            // still far cheaper than a dictionary per iteration. It lists the names in the order
            // `Resolver` gave them slots.
            let layout = ScopeLayout(names: names.map(\.text))
            try iterate(iterable, names: names, layout: layout, in: environment) { scope in
                try runClauses(rest, in: scope, body: body)
            }
        case .filter(let condition):
            let test = try evaluate(condition, in: environment)
            guard case .bool(let passes) = test.kind else {
                throw EvaluationError(
                    "the comprehension filter must be a bool, but it is \(test.typeName)", at: condition.span,
                    hint: "compare explicitly, for example x != null")
            }
            if passes {
                try runClauses(rest, in: environment, body: body)
            }
        }
    }

    func rangeItems(_ lower: Int64, _ upper: Int64, isClosed: Bool, span: SourceSpan) throws -> [Value] {
        if isClosed ? lower > upper : lower >= upper { return [] }
        let (difference, overflow) = upper.subtractingReportingOverflow(lower)
        if overflow || difference >= Int64(limits.listItems) {
            throw EvaluationError(
                "range \(lower)\(isClosed ? "..." : "..<")\(upper) is too long to store as a list (the limit is \(limits.listItems) items)",
                at: span, hint: "iterate over the range directly with 'for', which does not store it")
        }
        let items = isClosed ? Array(lower...upper) : Array(lower..<upper)
        return items.map { Value(.int($0), span: span) }
    }

    func evaluateKey(_ key: MapKey, in environment: Environment) throws -> (String, SourceSpan) {
        // `default` matches a computed key, so that Swift 6.3 borrows `key` where an exhaustive
        // `switch` copied it.
        switch key {
        case .name(let text, let span):
            return (text, span)
        case .interpolated(let parts, let span):
            return (try interpolate(parts, in: environment, span: span), span)
        default:
            return try evaluateComputedKey(key, in: environment)
        }
    }

    /// Evaluates a computed key, `[expression]: value`, which must be a string.
    private func evaluateComputedKey(_ key: MapKey, in environment: Environment) throws -> (String, SourceSpan) {
        guard case .computed(let expression) = key else {
            preconditionFailure("evaluateComputedKey evaluates only a computed key")
        }
        let value = try evaluate(expression, in: environment)
        guard case .string(let text) = value.kind else {
            throw EvaluationError(
                "a map key must be a string, but this one is \(value.typeName)", at: expression.span,
                hint: "convert it with str(...)")
        }
        // Hashing the key reads all of its bytes.
        try chargeWalk(text.utf8.count, expression.span)
        return (text, expression.span)
    }

    /// Evaluates the parts of an interpolated string in order and joins their text. The checks
    /// run after each part, on the length the text has reached, as if it were appended part by
    /// part.
    ///
    /// The text of each part waits in a buffer until all parts are evaluated, so that the result
    /// is allocated once at its final size. Appending part by part grew a typical ARN of 50 to
    /// 60 bytes through several reallocations. The buffer is a temporary allocation of this call,
    /// which the standard library places on the stack when it is small, because appending to and
    /// removing from an array in the interpreter checked its uniqueness and capacity for every
    /// piece.
    func interpolate(_ parts: [StringPart], in environment: Environment, span: SourceSpan) throws -> String {
        try withUnsafeTemporaryAllocation(of: String.self, capacity: parts.count) { pieces in
            var pieceCount = 0
            defer {
                // One piece at a time, each destroy is a direct release, where destroying them
                // together went through the runtime's generic array destroy.
                for index in 0..<pieceCount {
                    _ = pieces.moveElement(from: index)
                }
            }
            var byteCount = 0
            for index in parts.indices {
                if let name = parts[index].loneName,
                    let text = try stringOperand(named: name.text, at: name.address, span: name.span, in: environment) {
                    // A string in a variable, the most common part, is read without a copy of its
                    // value or of the part. It has no function to reject, and its size is 1 plus
                    // its bytes.
                    try chargeWalk(Value.sum(1, text.utf8.count), span)
                    try checkStringBytes(Value.sum(byteCount, text.utf8.count), span)
                    byteCount = Value.sum(byteCount, text.utf8.count)
                    pieces.initializeElement(at: pieceCount, to: text)
                    pieceCount += 1
                    try checkStringBytes(byteCount, span)
                    continue
                }
                switch parts[index] {
                case .text(let literal):
                    byteCount = Value.sum(byteCount, literal.utf8.count)
                    pieces.initializeElement(at: pieceCount, to: literal)
                    pieceCount += 1
                case .expression(let expression):
                    let piece: String
                    if let number = try intOperand(expression, in: environment) {
                        // An int, as in `"\(j)"`, is read and formatted without a copy of its
                        // value, with the checks of the branch below for a value of size 1.
                        try chargeWalk(1, span)
                        try checkStringBytes(byteCount, span)
                        piece = String(number)
                    } else {
                        // A name's value is lent, because only its text is kept.
                        piece = try withEvaluated(expression, in: environment) { value in
                            if case .function = value.kind {
                                throw EvaluationError(
                                    "cannot put a function into a string", at: expression.span,
                                    hint: "call the function: \\(\(expression.span.text)(...))")
                            }
                            try chargeWalk(value.size, span)
                            // The value's text takes at least `size - 1` bytes (see `BuiltinCall.text(of:)`).
                            try checkStringBytes(Value.sum(byteCount, value.size - 1), span)
                            return ValueFormatter.text(of: value)
                        }
                    }
                    byteCount = Value.sum(byteCount, piece.utf8.count)
                    pieces.initializeElement(at: pieceCount, to: piece)
                    pieceCount += 1
                }
                try checkStringBytes(byteCount, span)
            }
            if pieceCount == 1 {
                // The text of a lone part is the result, with no copy of its bytes.
                return pieces[0]
            }
            return Interpreter.joined(UnsafeBufferPointer(rebasing: pieces[..<pieceCount]), byteCount: byteCount)
        }
    }

    /// Joins `pieces` into one string of `byteCount` UTF-8 bytes, which must be the sum of their
    /// UTF-8 counts.
    private static func joined(_ pieces: UnsafeBufferPointer<String>, byteCount: Int) -> String {
        String(unsafeUninitializedCapacity: byteCount) { buffer in
            var end = 0
            for index in pieces.indices {
                // `initialize(fromContentsOf:)` returns the count copied, and stops the process
                // if the piece does not fit.
                let copied = pieces[index].utf8.withContiguousStorageIfAvailable { bytes in
                    UnsafeMutableBufferPointer(rebasing: buffer[end...]).initialize(fromContentsOf: bytes)
                }
                if let copied {
                    end += copied
                } else {
                    // A string without contiguous UTF-8 storage (a bridged string, on platforms
                    // with Objective-C) is copied byte by byte.
                    for byte in pieces[index].utf8 {
                        buffer[end] = byte
                        end += 1
                    }
                }
            }
            return end
        }
    }

    private func boolean(_ value: Value, _ op: BinaryOperator, _ span: SourceSpan) throws -> Bool {
        guard case .bool(let flag) = value.kind else {
            throw EvaluationError(
                "the operands of '\(op.rawValue)' must be bools, but this one is \(value.typeName)", at: span,
                hint: "compare explicitly, for example x != null")
        }
        return flag
    }

    // MARK: - Members and indexes

    func member(of base: Value, _ name: String, nameSpan: SourceSpan, isOptional: Bool, span: SourceSpan) throws -> Value {
        switch base.kind {
        case .null where isOptional:
            return Value(.null, span: span)
        case .map(let map):
            if let value = map[name] {
                return value
            }
            if isOptional {
                return Value(.null, span: span)
            }
            let hint = Interpreter.missingKeyHint(name, in: map, fallback: "use ?. to get null for a missing key")
            throw EvaluationError("the map has no key '\(name)'", at: nameSpan, hint: hint)
        default:
            throw EvaluationError(
                "cannot read member '\(name)' of a value of type \(base.typeName)", at: nameSpan,
                hint: base.typeName == "null" ? "use ?. to read a member of a value that may be null" : "only maps have members")
        }
    }

    func subscripted(_ base: Value, _ index: Value, indexSpan: SourceSpan, baseSpan: SourceSpan) throws -> Value {
        switch (base.kind, index.kind) {
        case (.list(let items), .int(let position)):
            guard position >= 0, position < Int64(items.count) else {
                throw EvaluationError(
                    "index \(position) is out of range for a list of \(items.count) items", at: indexSpan,
                    hint: items.isEmpty ? "the list is empty" : "valid indexes are 0 to \(items.count - 1)")
            }
            return items[Int(position)]
        case (.string(let text), .int(let position)):
            // A string is indexed by Character, walking from its start, so the walk is charged to
            // the step limit by its length. A loop that indexes a huge string then stops at the
            // limit instead of doing quadratic work. A string has at most as many characters as
            // UTF-8 bytes, so a larger index is out of range without a walk.
            if position >= 0, position < Int64(text.utf8.count) {
                try tick(indexSpan, cost: Interpreter.walkCost(Int(position)))
                if let index = text.index(text.startIndex, offsetBy: Int(position), limitedBy: text.endIndex), index < text.endIndex {
                    return Value(.string(String(text[index])), span: indexSpan)
                }
            }
            try tick(indexSpan, cost: Interpreter.walkCost(text.utf8.count))
            throw EvaluationError(
                "index \(position) is out of range for a string of \(text.count) characters", at: indexSpan,
                hint: text.isEmpty ? "the string is empty" : "valid indexes are 0 to \(text.count - 1); count from the end with len(s) - 1")
        case (.map(let map), .string(let key)):
            // Hashing the key reads all of its bytes.
            try chargeWalk(key.utf8.count, indexSpan)
            guard let value = map[key] else {
                let hint = Interpreter.missingKeyHint(key, in: map, fallback: "use get(map, key, default) to allow a missing key")
                throw EvaluationError("the map has no key \"\(key)\"", at: indexSpan, hint: hint)
            }
            return value
        default:
            throw EvaluationError(
                "cannot index a value of type \(base.typeName) with a value of type \(index.typeName)", at: indexSpan,
                hint: "index lists and strings with an int, and maps with a string")
        }
    }
}

extension Interpreter {
    /// Returns the hint for a missing map key: a near key as "did you mean", otherwise the keys
    /// the map has (up to twelve), then `fallback`.
    static func missingKeyHint(_ key: String, in map: OrderedMap, fallback: String) -> String {
        if let suggestion = NameSuggester.didYouMean(key, among: map.keys) {
            return suggestion
        }
        if map.isEmpty {
            return "the map is empty; " + fallback
        }
        let shown = map.keys.prefix(12).map { "'\($0)'" }.joined(separator: ", ")
        let more = map.count > 12 ? " and \(map.count - 12) more" : ""
        return "the keys are \(shown)\(more); " + fallback
    }
}

/// An evaluated call argument.
struct ArgumentValue {
    var label: Name?
    var value: Value
    var span: SourceSpan
}
