import SlsxSource

extension Interpreter {
    /// Calls a function value with evaluated arguments.
    func call(_ callee: Value, _ arguments: [ArgumentValue], span: SourceSpan, calleeSpan: SourceSpan) throws -> Value {
        guard case .function(let function) = callee.kind else {
            throw EvaluationError(
                "cannot call a value of type \(callee.typeName)", at: calleeSpan, hint: "only functions can be called")
        }
        if callStack.count >= limits.callDepth {
            throw recursionError(at: span)
        }
        callStack.append((function.name, span))
        defer { callStack.removeLast() }

        switch function.implementation {
        case .closure(let closure):
            do {
                return try callClosure(closure.literal, closure.scope, arguments, span: span)
            } catch var error as EvaluationError {
                error.noteCall(to: function.name, at: span, traced: !error.diagnostic.notes.isEmpty && error.unwoundCalls == 0)
                throw error
            }
        case .builtin(let builtin):
            let names = builtin.parameters.map(\.name)
            let variadic = builtin.parameters.lastIndex(where: \.isVariadic)
            let bound = try bind(arguments, to: names, variadicIndex: variadic, functionName: builtin.name, span: span)
            var values: [Value] = []
            var spans: [SourceSpan] = []
            var given: [Bool] = []
            for (position, parameter) in builtin.parameters.enumerated() {
                if let argument = bound[position] {
                    values.append(argument.value)
                    spans.append(argument.span)
                    given.append(true)
                } else if let defaultValue = parameter.defaultValue {
                    values.append(defaultValue.at(span))
                    spans.append(span)
                    given.append(false)
                } else {
                    throw missingArgument(parameter.name, builtin.name, span: span)
                }
            }
            var builtinCall = BuiltinCall(interpreter: self, name: builtin.name, arguments: values, argumentSpans: spans, given: given, span: span)
            return try builtin.implementation(&builtinCall)
        }
    }

    /// Calls a function value from a built-in such as `map` or `filter`.
    func call(_ callee: Value, positional: [Value], span: SourceSpan) throws -> Value {
        let arguments = positional.map { ArgumentValue(label: nil, value: $0, span: $0.span ?? span) }
        return try call(callee, arguments, span: span, calleeSpan: callee.span ?? span)
    }

    private func callClosure(_ literal: FunctionLiteral, _ scope: Environment, _ arguments: [ArgumentValue], span: SourceSpan) throws -> Value {
        let parameters = literal.parameters
        // Positional arguments fill the first parameters in order, so the general matching in
        // `bind`, with its arrays of names and optionals, is needed only for labels or extras.
        let isPositional = arguments.count <= parameters.count && arguments.allSatisfy { $0.label == nil }
        let bound = isPositional
            ? nil
            : try bind(
                arguments, to: parameters.map(\.name.text), variadicIndex: nil, functionName: literal.name ?? "<anonymous>",
                span: span)
        let callScope = makeScope(parent: scope, layout: literal.layout ?? .empty)
        // Indexing lends each parameter, where `for parameter in parameters` would copy its name,
        // span and default value for every call.
        for position in parameters.indices {
            let value: Value
            if let bound, let given = bound[position] {
                value = given.value
            } else if bound == nil, position < arguments.count {
                value = arguments[position].value
            } else if let defaultExpression = parameters[position].defaultValue {
                value = try evaluate(defaultExpression, in: callScope)
            } else {
                throw missingArgument(parameters[position].name.text, literal.name ?? "<anonymous>", span: span)
            }
            callScope.define(
                parameters[position].name.text, value, span: parameters[position].name.span, address: Interpreter.slot(position))
        }

        let result = try runBody(of: literal, in: callScope)
        return literal.isInStandardLibrary ? locatedAtCall(result, of: literal, span: span) : result
    }

    /// Calls the closure of `literal` after the caller defined its first `givenCount` parameters
    /// in `callScope` from positional arguments, which must be no more than the parameters. It
    /// checks the call depth, evaluates the remaining defaults and runs the body as `call` does.
    /// The caller skips the array of `ArgumentValue`s, one allocation and a copy of each argument.
    func callClosure(
        _ literal: FunctionLiteral, in callScope: Environment, givenCount: Int, span: SourceSpan
    ) throws -> Value {
        if callStack.count >= limits.callDepth {
            throw recursionError(at: span)
        }
        // The name is the literal's, as `FunctionValue.name` gives it for a closure. Reading it
        // through a `FunctionValue` made the compiler retain and release the closure around
        // every call.
        let name = literal.name ?? "<anonymous>"
        callStack.append((name, span))
        defer { callStack.removeLast() }

        do {
            let parameters = literal.parameters
            for position in givenCount..<parameters.count {
                guard let defaultExpression = parameters[position].defaultValue else {
                    throw missingArgument(parameters[position].name.text, literal.name ?? "<anonymous>", span: span)
                }
                let value = try literalValue(defaultExpression) ?? evaluate(defaultExpression, in: callScope)
                callScope.defineParameter(parameters[position].name.text, at: position, value, span: parameters[position].name.span)
            }
            let result = try runBody(of: literal, in: callScope)
            return literal.isInStandardLibrary ? locatedAtCall(result, of: literal, span: span) : result
        } catch var error as EvaluationError {
            error.noteCall(to: name, at: span, traced: !error.diagnostic.notes.isEmpty && error.unwoundCalls == 0)
            throw error
        }
    }

    /// Returns `value`, which a standard-library function `literal` returned from the call at
    /// `span`, with the spans of what the function made moved to `span`. A user cannot change the
    /// module's text, so a later error in such a value (an ARN of the wrong kind, say) points at
    /// the call that asked for it, in the user's script, instead of into `<stdlib>/arn.slsx`.
    private func locatedAtCall(_ value: consuming Value, of literal: FunctionLiteral, span: SourceSpan) -> Value {
        var value = value
        value.relocateSpans(inFileOf: literal.span, to: span)
        return value
    }

    private func runBody(of literal: FunctionLiteral, in callScope: Environment) throws -> Value {
        // `default` matches the block body, which runs in a function of its own. So Swift 6.3
        // borrows `literal.body` where an exhaustive `switch` copied it, and the path of an
        // expression body carries no `catch`. That saved about 110 instructions per call of an
        // expression body (callgrind, benchmark workload at N = 1,000).
        switch literal.body {
        case .expression(let body):
            return try evaluate(body, in: callScope)
        default:
            return try runBlockBody(of: literal, in: callScope)
        }
    }

    /// Runs the block body of `literal` and returns the value of its `return`, else of its last
    /// statement when that is an expression, else null.
    private func runBlockBody(of literal: FunctionLiteral, in callScope: Environment) throws -> Value {
        guard case .block(let block) = literal.body else {
            preconditionFailure("runBlockBody runs only a block body")
        }
        do {
            return try executeStatements(block.statements, in: callScope, context: .call) ?? Value(.null, span: block.span)
        } catch let signal as ReturnSignal {
            return signal.value
        }
    }

    /// Returns the address of the parameter at `position` in its call's scope, whose layout starts
    /// with the parameters in order.
    static func slot(_ position: Int) -> NameAddress {
        NameAddress(depth: 0, index: Int32(truncatingIfNeeded: position))
    }

    /// Matches positional and named arguments to parameters. Returns one slot per parameter,
    /// `nil` where the caller gave nothing; a variadic parameter receives the extra positional
    /// arguments as a list.
    private func bind(
        _ arguments: [ArgumentValue], to names: [String], variadicIndex: Int?, functionName: String, span: SourceSpan
    ) throws -> [ArgumentValue?] {
        var bound = [ArgumentValue?](repeating: nil, count: names.count)
        var extra: [Value] = []
        var nextPositional = 0
        for argument in arguments {
            if let label = argument.label {
                guard let position = names.firstIndex(of: label.text) else {
                    let hint = NameSuggester.didYouMean(label.text, among: names)
                        ?? (names.isEmpty ? "'\(functionName)' takes no arguments" : "the parameters are \(names.joined(separator: ", "))")
                    throw EvaluationError("unknown argument '\(label.text)' in call to '\(functionName)'", at: label.span, hint: hint)
                }
                if bound[position] != nil {
                    throw EvaluationError("argument '\(label.text)' is given twice in call to '\(functionName)'", at: label.span)
                }
                bound[position] = argument
                continue
            }
            if let variadicIndex, nextPositional >= variadicIndex {
                extra.append(argument.value)
                continue
            }
            while nextPositional < names.count, bound[nextPositional] != nil {
                nextPositional += 1
            }
            guard nextPositional < names.count else {
                throw EvaluationError(
                    "too many arguments in call to '\(functionName)': it takes \(names.count) but got \(arguments.count)",
                    at: argument.span,
                    hint: names.isEmpty
                        ? "call it with no arguments, or give the function a parameter for each argument, as in fn(x) = ..."
                        : "the parameters are \(names.joined(separator: ", "))")
            }
            bound[nextPositional] = argument
            nextPositional += 1
        }
        if let variadicIndex {
            if let single = bound[variadicIndex], extra.isEmpty {
                bound[variadicIndex] = single
            } else {
                if let given = bound[variadicIndex] {
                    extra.insert(given.value, at: 0)
                }
                bound[variadicIndex] = ArgumentValue(label: nil, value: Value(.list(extra), span: span), span: span)
            }
        }
        return bound
    }

    private func missingArgument(_ parameter: String, _ function: String, span: SourceSpan) -> EvaluationError {
        EvaluationError(
            "missing argument '\(parameter)' in call to '\(function)'", at: span,
            hint: "pass it by position or as \(parameter): value")
    }

    /// The error for exceeding the call depth, with the outermost and innermost calls as notes
    /// and the frames between them counted but not listed.
    private func recursionError(at span: SourceSpan) -> EvaluationError {
        EvaluationError(
            "recursion depth limit (\(limits.callDepth)) exceeded", at: span,
            hint: "check that the recursion reaches its base case, or use a 'for' loop", notes: callTrace())
    }

    /// The maximum number of call sites an error names as it leaves nested calls. The innermost
    /// ones are kept.
    static let maximumCallNotes = 3

    /// Returns the current calls as notes: the three innermost and the three outermost, with the
    /// number of calls between them.
    func callTrace() -> [Diagnostic.Note] {
        let frames = callStack
        var notes: [Diagnostic.Note] = []
        let shown = 3
        if frames.count <= shown * 2 {
            notes = frames.reversed().map { .init("in a call to '\($0.name)'", at: $0.span) }
        } else {
            notes += frames.suffix(shown).reversed().map { .init("in a call to '\($0.name)'", at: $0.span) }
            notes.append(.init("... \(frames.count - shown * 2) more calls ..."))
            notes += frames.prefix(shown).reversed().map { .init("in a call to '\($0.name)'", at: $0.span) }
        }
        return notes
    }
}
