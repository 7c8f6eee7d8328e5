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
