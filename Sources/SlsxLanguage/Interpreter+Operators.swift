import SlsxSource

extension Interpreter {
    func unary(_ op: UnaryOperator, _ operand: Value, span: SourceSpan) throws -> Value {
        switch (op, operand.kind) {
        case (.negate, .int(let number)):
            let (result, overflow) = Int64(0).subtractingReportingOverflow(number)
            if overflow {
                throw EvaluationError("integer overflow: -(\(number)) does not fit in 64 bits", at: span, hint: "use a float")
            }
            return Value(.int(result), span: span)
        case (.negate, .float(let number)):
            return Value(.float(-number), span: span)
        case (.not, .bool(let flag)):
            return Value(.bool(!flag), span: span)
        default:
            throw EvaluationError(
                "operator '\(op.rawValue)' cannot be applied to a value of type \(operand.typeName)", at: span,
                hint: op == .negate ? "'-' takes an int or a float" : "'!' takes a bool")
        }
    }

    /// Applies an arithmetic or comparison operator. Int with int stays int and reports overflow;
    /// an int with a float gives a float; `+` also joins strings and lists and merges maps (the
    /// right map's values win).
    func binary(
        _ op: BinaryOperator, _ left: Value, _ right: Value, span: SourceSpan,
        leftSpan: SourceSpan? = nil, rightSpan: SourceSpan? = nil
    ) throws -> Value {
        switch op {
        case .equal, .notEqual:
            // Equality walks both values until they differ, so it costs at most the smaller one,
            // with lists and maps charged per item compared like `contains`.
            let walked = Swift.min(left.size, right.size)
            let isCollection = left.depth > 0 && right.depth > 0
            try tick(span, cost: Value.sum(Interpreter.walkCost(walked), isCollection ? Interpreter.compareCost(walked) : 0))
            let isEqual = left.isEqual(to: right)
            return Value(.bool(op == .equal ? isEqual : !isEqual), span: span)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            try chargeComparison(left, right, span)
            let order = try compare(left, right, op, span: span)
            let result: Bool
            switch op {
            case .less: result = order < 0
            case .lessOrEqual: result = order <= 0
            case .greater: result = order > 0
            default: result = order >= 0
            }
            return Value(.bool(result), span: span)
        case .add:
            switch (left.kind, right.kind) {
            case (.string(let a), .string(let b)):
                let size = Value.sum(a.utf8.count, b.utf8.count)
                try checkStringBytes(size, span)
                try chargeWalk(size, span)
                return Value(.string(a + b), span: span)
            case (.list(let a), .list(let b)):
                let count = Value.sum(a.count, b.count)
                try checkCount(count, span)
                try chargeWalk(count, span)
                return Value(.list(a + b), span: span)
            case (.map(let a), .map(let b)):
                try chargeWalk(Value.sum(a.count, b.count), span)
                // Merging with an empty map gives the other map as it is, so its depth and size
                // carry over instead of being measured again.
                if b.isEmpty {
                    try checkCount(a.count, span)
                    return Value(.map(a), depth: left.depth, size: left.size, span: span)
                }
                if a.isEmpty {
                    try checkCount(b.count, span)
                    return Value(.map(b), depth: right.depth, size: right.size, span: span)
                }
                var merged = a
                // One copy of the left map's entries, at the size the merge can reach, instead
                // of a copy when the first key is set and more as the map grows.
                merged.reserveCapacity(a.count + b.count)
                let added = b.entries
                for index in added.indices {
                    merged.set(added[index].key, added[index].value, keySpan: added[index].keySpan)
                }
                try checkCount(merged.count, span)
                if merged.count == a.count + b.count {
                    // Every key of the right map was new, so the merged map contains the values and
                    // keys of both maps and one map node. Its depth and size therefore follow from
                    // theirs, as `Value.measure` would compute them, without walking the entries.
                    return Value(
                        .map(merged), depth: Swift.max(left.depth, right.depth), size: Value.sum(left.size, right.size - 1),
                        span: span)
                }
                return Value(.map(merged), span: span)
            default:
                return try arithmetic(op, left, right, span: span)
            }
        case .subtract, .multiply, .divide, .remainder:
            return try arithmetic(op, left, right, span: span, rightSpan: rightSpan)
        case .and, .or, .coalesce:
            throw EvaluationError("internal error: '\(op.rawValue)' reached binary() (this is a bug in slsx)", at: span)
        }
    }

    /// Applies `op` to two ints as `binary` does to two int values, with the same steps, results
    /// and errors, without building a `Value` for either operand. Most operators in a script
    /// combine ints, as in `k % 3 == 0`, and building, passing and destroying the two values took
    /// about 150 instructions per operator in callgrind.
    func intBinary(_ op: BinaryOperator, _ a: Int64, _ b: Int64, span: SourceSpan, rightSpan: SourceSpan?) throws -> Value {
        let result: Bool
        switch op {
        case .equal, .notEqual:
            // `binary` charges the walk of two scalars, which is no step, and then checks the limit.
            try tick(span, cost: 0)
            result = (a == b) == (op == .equal)
        case .less: result = a < b
        case .lessOrEqual: result = a <= b
        case .greater: result = a > b
        case .greaterOrEqual: result = a >= b
        case .add, .subtract, .multiply, .divide, .remainder:
            // `binary` passes no right span to `arithmetic` for `+`, which cannot divide by zero.
            let number = try intArithmetic(op, a, b, span: span, rightSpan: op == .add ? nil : rightSpan)
            return Value(.int(number), depth: 0, size: 1, span: span)
        case .and, .or, .coalesce:
            throw EvaluationError("internal error: '\(op.rawValue)' reached binary() (this is a bug in slsx)", at: span)
        }
        return Value(.bool(result), depth: 0, size: 1, span: span)
    }

    /// Returns `a op b` for an arithmetic operator, or throws on overflow or a zero divisor.
    func intArithmetic(_ op: BinaryOperator, _ a: Int64, _ b: Int64, span: SourceSpan, rightSpan: SourceSpan?) throws -> Int64 {
        let result: (partialValue: Int64, overflow: Bool)
        switch op {
        case .add: result = a.addingReportingOverflow(b)
        case .subtract: result = a.subtractingReportingOverflow(b)
        case .multiply: result = a.multipliedReportingOverflow(by: b)
        case .divide, .remainder:
            if b == 0 {
                throw EvaluationError(
                    op == .divide ? "division by zero" : "remainder by zero", at: rightSpan ?? span,
                    hint: "check that the divisor is not 0 before dividing")
            }
            result = op == .divide ? a.dividedReportingOverflow(by: b) : a.remainderReportingOverflow(dividingBy: b)
        default:
            throw EvaluationError("internal error: '\(op.rawValue)' is not arithmetic (this is a bug in slsx)", at: span)
        }
        if result.overflow {
            throw EvaluationError(
                "integer overflow: \(a) \(op.rawValue) \(b) does not fit in 64 bits", at: span,
                hint: "integers range from -9223372036854775808 to 9223372036854775807; use floats for larger numbers")
        }
        return result.partialValue
    }

    private func arithmetic(_ op: BinaryOperator, _ left: Value, _ right: Value, span: SourceSpan, rightSpan: SourceSpan? = nil) throws -> Value {
        switch (left.kind, right.kind) {
        case (.int(let a), .int(let b)):
            return Value(.int(try intArithmetic(op, a, b, span: span, rightSpan: rightSpan)), span: span)
        case (.int, .float), (.float, .int), (.float, .float):
            guard let a = Interpreter.double(left), let b = Interpreter.double(right) else { break }
            let result: Double
            switch op {
            case .add: result = a + b
            case .subtract: result = a - b
            case .multiply: result = a * b
            case .divide, .remainder:
                if b == 0 {
                    throw EvaluationError(
                        op == .divide ? "division by zero" : "remainder by zero", at: rightSpan ?? span,
                        hint: "check that the divisor is not 0 before dividing")
                }
                result = op == .divide ? a / b : a.truncatingRemainder(dividingBy: b)
            default:
                throw EvaluationError("internal error: '\(op.rawValue)' is not arithmetic (this is a bug in slsx)", at: span)
            }
            guard result.isFinite else {
                throw EvaluationError(
                    "float overflow: the result of '\(op.rawValue)' is not a finite number", at: span,
                    hint: "keep numbers within about ±1.8e308, the range of a 64-bit float")
            }
            return Value(.float(result), span: span)
        default:
            break
        }
        var hint = "'\(op.rawValue)' takes two numbers"
        if op == .add {
            hint = "'+' adds numbers and joins two strings, two lists or two maps; convert with str(x) or write \"\\(x)\""
        }
        throw EvaluationError(
            "operator '\(op.rawValue)' cannot be applied to \(left.typeName) and \(right.typeName)", at: span, hint: hint)
    }

    /// Returns a negative number, zero or a positive number as `left` sorts before, with or
    /// after `right`. Numbers compare with numbers and strings with strings.
    func compare(_ left: Value, _ right: Value, _ op: BinaryOperator?, span: SourceSpan) throws -> Int {
        switch (left.kind, right.kind) {
        case (.int(let a), .int(let b)):
            return a < b ? -1 : (a == b ? 0 : 1)
        case (.string(let a), .string(let b)):
            return a < b ? -1 : (a == b ? 0 : 1)
        case (.int, .float), (.float, .int), (.float, .float):
            if let a = Interpreter.double(left), let b = Interpreter.double(right) {
                return a < b ? -1 : (a == b ? 0 : 1)
            }
        default:
            break
        }
        let what = op.map { "operator '\($0.rawValue)'" } ?? "comparison"
        throw EvaluationError(
            "\(what) cannot compare \(left.typeName) and \(right.typeName)", at: span,
            hint: "compare two numbers or two strings")
    }

    /// Charges the steps for ordering `left` and `right` with `compare`: two strings are walked
    /// until they differ, so at most the shorter one. Numbers cost nothing beyond the operator's
    /// own step.
    func chargeComparison(_ left: Value, _ right: Value, _ span: SourceSpan) throws {
        if case .string(let a) = left.kind, case .string(let b) = right.kind {
            try chargeWalk(Swift.min(a.utf8.count, b.utf8.count), span)
        }
    }

    static func double(_ value: Value) -> Double? {
        switch value.kind {
        case .int(let number): return Double(number)
        case .float(let number): return number
        default: return nil
        }
    }
}
