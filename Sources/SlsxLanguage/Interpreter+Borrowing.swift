import SlsxSource

extension Interpreter {
    /// Evaluates `expression` and runs `body` on its value. A name's value is lent to `body` in
    /// place instead of being copied out of its slot. Steps, limit checks and errors are those of
    /// `evaluate`, in the same order.
    ///
    /// Most names are read only to be formatted, compared, searched or called, and a copy of a
    /// `Value` with its later destroy takes about 120 instructions. `body` must not define or
    /// assign a name, and must not evaluate anything that could, because a lent value is not
    /// retained: changing its slot would free it while `body` still reads it.
    @inline(__always)
    func withEvaluated<Result>(
        _ expression: Expression, in environment: Environment, _ body: (borrowing Value) throws -> Result
    ) throws -> Result {
        guard case .identifier(let name) = expression.kind else {
            return try body(try evaluate(expression, in: environment))
        }
        let span = expression.span
        try tick(span)
        try checkStack(span)
        let lent = try environment.withValue(at: expression.address, named: name) { value in
            try checkDepth(value.depth, span)
            try checkSize(value.size, span)
            return try body(value)
        }
        if let lent {
            return lent
        }
        // A name without an address, or whose slot is not defined yet, is looked up by its text,
        // as `evaluate` does.
        let value = try lookUp(name, span: span, in: environment)
        try checkDepth(value.depth, span)
        try checkSize(value.size, span)
        return try body(value)
    }

    /// Evaluates `expression` when it is an int literal or a name whose value is an int, and
    /// returns the number. Returns `nil`, having evaluated nothing, for any other expression.
    ///
    /// The slot is read in place before anything is counted, which changes nothing, so the
    /// caller then evaluates the expression as usual. Steps, limit checks and errors are those of
    /// `evaluate`: an int has depth 0 and size 1.
    @inline(__always)
    func intOperand(_ expression: Expression, in environment: Environment) throws -> Int64? {
        let number: Int64
        switch expression.kind {
        case .int(let literal):
            number = literal
        case .identifier(let name):
            guard let stored = environment.intValue(at: expression.address, named: name) else { return nil }
            number = stored
        default:
            return nil
        }
        try countScalar(at: expression.span, size: 1)
        return number
    }

    /// Evaluates the name `name` at `address`, written at `span`, when its value is a string, and
    /// returns the text, like `intOperand`. A string has depth 0 and a size of 1 plus its UTF-8
    /// bytes.
    @inline(__always)
    func stringOperand(named name: String, at address: NameAddress, span: SourceSpan, in environment: Environment) throws -> String? {
        guard let text = environment.stringValue(at: address, named: name) else { return nil }
        try countScalar(at: span, size: Value.sum(1, text.utf8.count))
        return text
    }

    /// Evaluates `callee` when it is a name whose value is a closure that `arguments` fill by
    /// position, and returns the closure, like `intOperand`. A function has depth 0 and size 1.
    @inline(__always)
    func positionalClosure(_ callee: Expression, for arguments: [Argument], in environment: Environment) throws -> FunctionValue.Closure? {
        guard case .identifier(let name) = callee.kind,
            let closure = environment.closureValue(at: callee.address, named: name),
            Interpreter.arePositional(arguments, upTo: closure.literal.parameters.count)
        else { return nil }
        try countScalar(at: callee.span, size: 1)
        return closure
    }

    /// Evaluates `callee` when it is `base.name`, where `base` is a name whose value is a map
    /// (such as an imported module) with a closure at the key `name` that `arguments` fill by
    /// position, and returns the closure, like `intOperand`. The closure is read in place, where
    /// evaluating the member copied the whole function value out of the map and destroyed it
    /// after the call.
    ///
    /// Steps, limit checks and errors are those of `evaluate` on the member expression. It counts
    /// a step and checks the stack at the member, then counts and checks the base as `mapMember`
    /// does. Last come the checks of a function value (depth 0, size 1) at the member.
    @inline(__always)
    func positionalMemberClosure(
        _ callee: Expression, for arguments: [Argument], in environment: Environment
    ) throws -> FunctionValue.Closure? {
        guard case .member(let node) = callee.kind, case .identifier(let name) = node.base.kind,
            let found = environment.memberClosure(at: node.base.address, named: name, key: node.name),
            Interpreter.arePositional(arguments, upTo: found.closure.literal.parameters.count)
        else { return nil }
        try tick(callee.span)
        try checkStack(callee.span)
        let baseSpan = node.base.span
        try tick(baseSpan)
        try checkStack(baseSpan)
        try checkDepth(found.depth, baseSpan)
        try checkSize(found.size, baseSpan)
        try checkDepth(0, callee.span)
        try checkSize(1, callee.span)
        return found.closure
    }

    /// Evaluates `base.name` when `base` is a name whose value is a map with the key `name`, and
    /// returns the value at that key, like `intOperand`. The map is counted and checked as
    /// `evaluate` counts and checks it, from its depth and size.
    @inline(__always)
    func mapMember(_ node: Expression.MemberAccess, in environment: Environment) throws -> Value? {
        guard case .identifier(let name) = node.base.kind,
            let stored = environment.withValue(
                at: node.base.address, named: name,
                { map in map.mapEntryValue(node.name).map { (value: $0, depth: map.depth, size: map.size) } }),
            let found = stored
        else { return nil }
        let span = node.base.span
        try tick(span)
        try checkStack(span)
        try checkDepth(found.depth, span)
        try checkSize(found.size, span)
        return found.value
    }

    /// Evaluates the expression of call argument `index`, as `evaluate` does. A name's
    /// value is read straight from its slot, without calling `evaluate`.
    ///
    /// Reading the slot changes nothing, so doing it before counting the step gives the same
    /// steps, checks and errors as `evaluate`, which counts first.
    @inline(__always)
    func evaluateArgument(
        _ arguments: UnsafeBufferPointer<Argument>, _ index: Int, in environment: Environment
    ) throws -> Value {
        if case .identifier(let name) = arguments[index].value.kind,
            let value = environment.value(at: arguments[index].value.address, named: name) {
            let span = arguments[index].value.span
            try tick(span)
            try checkStack(span)
            try checkDepth(value.depth, span)
            try checkSize(value.size, span)
            return value
        }
        return try evaluate(arguments[index].value, in: environment)
    }

    /// Evaluates `left op right` when `left` is arithmetic on two ints, as in `k % 3 == 0` or
    /// `i * m + j`, and `right` is an int. Each of the three operands must be an int literal or a
    /// name whose value is an int. Returns `nil`, having evaluated nothing, for any other
    /// operation.
    ///
    /// The value of `left` is never built. Steps, limit checks, results and errors are those of
    /// `evaluateBinary`, which evaluates `left` with `evaluate` and then combines it with
    /// `right` in `intBinary`. The operands are read before anything is counted, which is safe
    /// because arithmetic on ints runs no code of the script that could change them.
    @inline(__always)
    func nestedIntOperation(_ node: Expression.BinaryOperation, span: SourceSpan, in environment: Environment) throws -> Value? {
        guard case .binary(let inner) = node.left.kind,
            inner.op == .add || inner.op == .subtract || inner.op == .multiply || inner.op == .divide
                || inner.op == .remainder,
            let innerLeft = Interpreter.peekInt(inner.left, in: environment),
            let innerRight = Interpreter.peekInt(inner.right, in: environment),
            let right = Interpreter.peekInt(node.right, in: environment)
        else { return nil }
        // `evaluate` on `left`: its step, the steps of its operands, the arithmetic, then the
        // checks of an int value (depth 0, size 1).
        let leftSpan = node.left.span
        try tick(leftSpan)
        try checkStack(leftSpan)
        try countScalar(at: inner.left.span, size: 1)
        try countScalar(at: inner.right.span, size: 1)
        // `intBinary` passes no right span for `+`, which cannot divide by zero.
        let leftNumber = try intArithmetic(
            inner.op, innerLeft, innerRight, span: leftSpan, rightSpan: inner.op == .add ? nil : inner.right.span)
        try checkDepth(0, leftSpan)
        try checkSize(1, leftSpan)
        try countScalar(at: node.right.span, size: 1)
        return try intBinary(node.op, leftNumber, right, span: span, rightSpan: node.right.span)
    }

    /// Returns the number of `expression` when it is an int literal or a name whose slot
    /// contains an int, without counting a step. Returns `nil` for any other expression.
    @inline(__always)
    static func peekInt(_ expression: Expression, in environment: Environment) -> Int64? {
        switch expression.kind {
        case .int(let literal):
            return literal
        case .identifier(let name):
            return environment.intValue(at: expression.address, named: name)
        default:
            return nil
        }
    }

    /// Evaluates `expression` when it is an int or string literal without interpolation, and
    /// returns its value. Returns `nil`, having evaluated nothing, for any other expression.
    ///
    /// Steps, limit checks and errors are those of `evaluate`, in the same order. The value is
    /// built with its depth and size, where `evaluate` dispatches on the kind of the expression
    /// and measures the new value. Literals are common as the values of map entries and as
    /// default parameter values, such as `partition = "aws"`.
    @inline(__always)
    func literalValue(_ expression: Expression) throws -> Value? {
        let span = expression.span
        switch expression.kind {
        case .int(let number):
            try countScalar(at: span, size: 1)
            return Value(.int(number), depth: 0, size: 1, span: span)
        case .string(let text):
            try tick(span)
            try checkStack(span)
            try checkString(text, span)
            let size = Value.sum(1, text.utf8.count)
            try checkDepth(0, span)
            try checkSize(size, span)
            return Value(.string(text), depth: 0, size: size, span: span)
        default:
            return nil
        }
    }

    /// Counts the step and runs the limit checks of `evaluate` for a scalar value of `size`.
    @inline(__always)
    private func countScalar(at span: SourceSpan, size: Int) throws {
        try tick(span)
        try checkStack(span)
        try checkDepth(0, span)
        try checkSize(size, span)
    }

    /// Returns whether evaluating `expression` can run no code that changes a scope: it is a name
    /// or a literal without interpolation. Such an operand may be evaluated while another
    /// operand's value is lent by `withEvaluated`.
    static func isInert(_ expression: Expression) -> Bool {
        switch expression.kind {
        case .identifier, .int, .float, .bool, .string, .null:
            return true
        default:
            return false
        }
    }
}

extension StringPart {
    /// The name, address and span of a part that is a name alone, as in `"\(name)"`, which
    /// `interpolate` reads from its slot without evaluating the part's expression.
    @inline(__always)
    var loneName: (text: String, address: NameAddress, span: SourceSpan)? {
        if case .expression(let expression) = self, case .identifier(let name) = expression.kind {
            return (name, expression.address, expression.span)
        }
        return nil
    }
}
