import SlsxSource

/// A function provided by the language: its name, its parameters and its implementation.
public struct Builtin: Sendable {
    public struct Parameter: Sendable {
        public var name: String
        /// The value used when the caller omits the argument; `nil` makes the argument required,
        /// unless the parameter is variadic.
        public var defaultValue: Value?
        /// Whether the parameter collects the remaining positional arguments as a list.
        public var isVariadic: Bool

        static func required(_ name: String) -> Parameter {
            Parameter(name: name, defaultValue: nil, isVariadic: false)
        }

        static func optional(_ name: String, _ defaultValue: Value.Kind) -> Parameter {
            Parameter(name: name, defaultValue: Value(defaultValue), isVariadic: false)
        }

        static func variadic(_ name: String) -> Parameter {
            Parameter(name: name, defaultValue: Value(.list([])), isVariadic: true)
        }
    }

    public let name: String
    public let parameters: [Parameter]
    /// One line for the REPL's help and the docs.
    public let summary: String
    let implementation: @Sendable (inout BuiltinCall) throws -> Value

    init(
        _ name: String, _ parameters: [Parameter], _ summary: String,
        _ implementation: @escaping @Sendable (inout BuiltinCall) throws -> Value
    ) {
        self.name = name
        self.parameters = parameters
        self.summary = summary
        self.implementation = implementation
    }
}

/// The arguments of one built-in call, in parameter order, with helpers that check their types
/// and report a located error naming the parameter.
struct BuiltinCall {
    let interpreter: Interpreter
    let name: String
    let arguments: [Value]
    let argumentSpans: [SourceSpan]
    /// Whether the caller passed each argument, as opposed to its default being used.
    let given: [Bool]
    /// The span of the whole call; results carry it.
    let span: SourceSpan

    func value(_ position: Int) -> Value {
        arguments[position]
    }

    func result(_ kind: Value.Kind) -> Value {
        Value(kind, span: span)
    }

    func string(_ position: Int) throws -> String {
        guard case .string(let text) = arguments[position].kind else { throw typeError(position, "a string") }
        return text
    }

    func int(_ position: Int) throws -> Int64 {
        guard case .int(let number) = arguments[position].kind else { throw typeError(position, "an int") }
        return number
    }

    func list(_ position: Int) throws -> [Value] {
        guard case .list(let items) = arguments[position].kind else { throw typeError(position, "a list") }
        return items
    }

    func map(_ position: Int) throws -> OrderedMap {
        guard case .map(let map) = arguments[position].kind else { throw typeError(position, "a map") }
        return map
    }

    func function(_ position: Int) throws -> Value {
        guard case .function = arguments[position].kind else { throw typeError(position, "a function") }
        return arguments[position]
    }

    /// Calls a function argument, such as the closure given to `map`.
    func call(_ function: Value, _ positional: [Value]) throws -> Value {
        try interpreter.call(function, positional: positional, span: span)
    }

    /// Charges the steps for walking `size` items or bytes of the arguments.
    func chargeWalk(_ size: Int) throws {
        try interpreter.chargeWalk(size, span)
    }

    /// Returns the first argument, a string, changed by `transform` (upper or lower case). One
    /// character may become several, as "ΐ" becomes three scalars in upper case, so the result
    /// is checked against the string limit.
    func caseMapped(_ transform: (String) -> String) throws -> Value {
        let text = try string(0)
        try chargeWalk(text.utf8.count)
        let result = transform(text)
        try interpreter.checkString(result, span)
        return self.result(.string(result))
    }

    /// Returns `value` as `str` shows it, after charging the steps for walking it, and rejects a
    /// text longer than the string limit.
    func text(of value: Value) throws -> String {
        try chargeWalk(value.size)
        // The text takes at least `size - 1` bytes: every item and map writes at least one byte
        // per unit of its size, and only a string on its own is written without its quotes. So a
        // value this large is rejected before it is formatted.
        try interpreter.checkStringBytes(value.size - 1, span)
        let text = ValueFormatter.text(of: value)
        try interpreter.checkString(text, span)
        return text
    }

    func typeError(_ position: Int, _ expected: String) -> EvaluationError {
        let parameter = interpreter.builtinParameterName(name, position)
        let signature = Builtins.byName[name].map { "\(name)(\($0.parameters.map(\.name).joined(separator: ", ")))" } ?? name
        return EvaluationError(
            "argument '\(parameter)' of '\(name)' must be \(expected), but it is \(arguments[position].typeName)",
            at: argumentSpans[position], hint: "convert the argument, for example with str() or int(); the call is \(signature)")
    }

    func failure(_ message: String, at position: Int? = nil, hint: String? = nil) -> EvaluationError {
        EvaluationError(message, at: position.map { argumentSpans[$0] } ?? span, hint: hint)
    }
}

extension Interpreter {
    func builtinParameterName(_ builtin: String, _ position: Int) -> String {
        guard let entry = Builtins.byName[builtin], position < entry.parameters.count else { return "#\(position + 1)" }
        return entry.parameters[position].name
    }
}
