import SlsxSource

/// A value of the language, with the span where it was written.
///
/// The span travels with the value through variables, function returns and loops, so a check on a
/// value in the built document points at the literal the user typed. Values computed by an
/// operator or a built-in carry the span of that expression.
public struct Value: Sendable {
    public enum Kind: Sendable {
        case null
        case bool(Bool)
        case int(Int64)
        case float(Double)
        case string(String)
        case list([Value])
        case map(OrderedMap)
        case function(FunctionValue)
    }

    private var storage: Kind
    // Values are made by the million, and the packed span keeps a value at 48 bytes instead of 56.
    private var packedSpan: PackedSourceSpan
    /// The nesting of lists and maps in this value: 0 for a scalar or a function, 1 for a list or
    /// map of scalars. Every change updates it, so checking the nesting limit is O(1).
    public private(set) var depth: Int
    /// The size of the value as the writers see it: 1 for every value in the tree plus the UTF-8
    /// bytes of its strings and map keys, saturating at `Int.max`. A list that holds the same
    /// list twice counts it twice, so a loop that doubles a value by sharing (`l = [l, l]`) grows
    /// this number exponentially even though memory grows linearly. Every change updates it, so
    /// checking the size limit is O(1).
    public private(set) var size: Int
    public var span: SourceSpan? {
        get { packedSpan.span }
        set { packedSpan.span = newValue }
    }

    public var kind: Kind {
        get { storage }
        set {
            storage = newValue
            (depth, size) = Value.measure(newValue)
        }
    }

    public init(_ kind: Kind, span: SourceSpan? = nil) {
        self.storage = kind
        self.packedSpan = PackedSourceSpan(span)
        (self.depth, self.size) = Value.measure(kind)
    }

    /// Creates a list or map value with the depth and size the caller computed from the value it
    /// extends, so adding one entry to a long map does not rescan it. The figures must be those
    /// that `measure` would return for `kind`.
    init(_ kind: Kind, depth: Int, size: Int, span: SourceSpan?) {
        self.storage = kind
        self.packedSpan = PackedSourceSpan(span)
        self.depth = depth
        self.size = size
    }

    /// Stores a list with a depth and size the caller computed, so appending to a long list in
    /// place does not rescan it.
    mutating func setList(_ items: [Value], depth: Int, size: Int) {
        storage = .list(items)
        self.depth = depth
        self.size = size
    }

    /// Replaces every span in the file of `origin` with `target`: the value's own span, and the
    /// spans of the items, entries and keys that were made in that file too. A part made in
    /// another file, such as a value the caller passed in, keeps its spans and is not walked, so
    /// the walk visits only what the file's code built. Depth and size do not change.
    mutating func relocateSpans(inFileOf origin: SourceSpan, to target: SourceSpan) {
        if let own = span, own.isInSameFile(as: origin) { span = target }
        switch storage {
        case .list(var items):
            // Null is stored meanwhile, so that the list's buffer is not shared and changes in place.
            storage = .null
            for index in items.indices where items[index].span?.isInSameFile(as: origin) == true {
                items[index].relocateSpans(inFileOf: origin, to: target)
            }
            storage = .list(items)
        case .map(var map):
            storage = .null
            map.relocateSpans(inFileOf: origin, to: target)
            storage = .map(map)
        default:
            break
        }
    }

    /// Returns the depth and size of a value of `kind`, from the cached figures of its items.
    private static func measure(_ kind: Kind) -> (depth: Int, size: Int) {
        switch kind {
        case .list(let items):
            var deepest = 0
            var size = 1
            for item in items {
                deepest = max(deepest, item.depth)
                size = sum(size, item.size)
            }
            return (1 + deepest, size)
        case .map(let map):
            var deepest = 0
            var size = 1
            for entry in map.entries {
                deepest = max(deepest, entry.value.depth)
                size = sum(sum(size, entry.value.size), entry.key.utf8.count)
            }
            return (1 + deepest, size)
        case .string(let text):
            return (0, sum(1, text.utf8.count))
        default:
            return (0, 1)
        }
    }

    /// The number of an int value, read from the stored kind in place. `kind` returns a copy of
    /// the whole kind, which goes through an outlined copy function for every case.
    @inline(__always)
    var intPayload: Int64? {
        if case .int(let number) = storage { return number }
        return nil
    }

    /// The flag of a bool value, read from the stored kind in place like `intPayload`.
    @inline(__always)
    var boolPayload: Bool? {
        if case .bool(let flag) = storage { return flag }
        return nil
    }

    /// The text of a string value, read from the stored kind in place like `intPayload`.
    @inline(__always)
    var stringPayload: String? {
        if case .string(let text) = storage { return text }
        return nil
    }

    /// The closure of a function value written in slsx, read from the stored kind in place like
    /// `intPayload`.
    @inline(__always)
    var closurePayload: FunctionValue.Closure? {
        if case .function(let function) = storage, case .closure(let closure) = function.implementation {
            return closure
        }
        return nil
    }

    /// The map of a map value, read from the stored kind in place like `intPayload`.
    @inline(__always)
    var mapPayload: OrderedMap? {
        if case .map(let map) = storage { return map }
        return nil
    }

    /// Returns the value at `key` when this is a map that has the key, read in place like
    /// `intPayload`.
    @inline(__always)
    func mapEntryValue(_ key: String) -> Value? {
        if case .map(let map) = storage {
            return map[key]
        }
        return nil
    }

    /// Adds two sizes, saturating at `Int.max` instead of overflowing.
    static func sum(_ a: Int, _ b: Int) -> Int {
        let (total, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : total
    }

    public static let null = Value(.null)

    /// The type name used in messages and by `type()`: `null`, `bool`, `int`, `float`, `string`,
    /// `list`, `map` or `function`.
    public var typeName: String {
        switch kind {
        case .null: return "null"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "string"
        case .list: return "list"
        case .map: return "map"
        case .function: return "function"
        }
    }

    /// The type name with its indefinite article, for messages: "an int", "a string", "null".
    public var typeNameWithArticle: String {
        switch kind {
        case .null: return "null"
        case .int: return "an int"
        default: return "a \(typeName)"
        }
    }

    /// Returns the same value with another span.
    public func at(_ span: SourceSpan?) -> Value {
        var copy = self
        copy.span = span
        return copy
    }

    /// Returns whether two values are equal, ignoring spans. An int and a float are equal when they
    /// denote the same number. Maps are equal when they have the same entries in any order, and
    /// functions are never equal. It compares with an explicit work list, not recursion, so values
    /// nested 100000 levels deep compare without exhausting the stack.
    public func isEqual(to other: Value) -> Bool {
        // Two ints, as in `k % 3 == 0`, are compared without copying both values into the first pair.
        if case .int(let left) = storage, case .int(let right) = other.storage {
            return left == right
        }
        // The first pair is compared before the work list gets any element, so comparing two
        // scalars, as `contains(list, item)` does for every item, allocates nothing.
        var first: (Value, Value)? = (self, other)
        var pending: [(Value, Value)] = []
        while let (left, right) = first ?? pending.popLast() {
            first = nil
            switch (left.kind, right.kind) {
            case (.null, .null):
                continue
            case (.bool(let a), .bool(let b)):
                if a != b { return false }
            case (.int(let a), .int(let b)):
                if a != b { return false }
            case (.float(let a), .float(let b)):
                if a != b { return false }
            case (.int(let a), .float(let b)), (.float(let b), .int(let a)):
                guard let exact = Double(exactly: a), exact == b else { return false }
            case (.string(let a), .string(let b)):
                if a != b { return false }
            case (.function(let a), .function(let b)):
                if !a.isSame(as: b) { return false }
            case (.list(let a), .list(let b)):
                guard a.count == b.count else { return false }
                pending.append(contentsOf: zip(a, b))
            case (.map(let a), .map(let b)):
                guard a.count == b.count else { return false }
                for entry in a.entries {
                    guard let match = b[entry.key] else { return false }
                    pending.append((entry.value, match))
                }
            default:
                return false
            }
        }
        return true
    }
}

/// A callable value: a closure written in slsx, or a built-in.
public struct FunctionValue: Sendable {
    /// NOTE: `@unchecked Sendable` because a closure stores its `Environment`, which is not
    /// `Sendable`. One thread at a time evaluates with a closure's scope (see `Environment`).
    public enum Implementation: @unchecked Sendable {
        /// Stored in an object, like the boxed `builtin`, because a `FunctionLiteral` or `Builtin` stored
        /// inline would make every `Value` larger (144 bytes instead of 64 on x86-64), and values
        /// are copied everywhere. A class rather than an `indirect` case, because binding the
        /// payload of an `indirect` case copies the whole literal out of its box on every call.
        case closure(Closure)
        indirect case builtin(Builtin)
    }

    /// A function literal with the scope it was evaluated in.
    ///
    /// NOTE: `@unchecked Sendable` for the same reason as `Implementation`.
    public final class Closure: @unchecked Sendable {
        public let literal: FunctionLiteral
        public let scope: Environment
        /// The emptied scope of an earlier call that nothing else referenced when the call
        /// returned. The next call takes it instead of allocating a scope. Only the thread that
        /// evaluates with `scope` reads or changes it, so it skips the runtime's dynamic
        /// exclusivity check.
        @exclusivity(unchecked) var spareCallScope: Environment?

        init(_ literal: FunctionLiteral, scope: Environment) {
            self.literal = literal
            self.scope = scope
        }
    }

    public var implementation: Implementation

    /// The function's name, or `<anonymous>`.
    public var name: String {
        switch implementation {
        case .closure(let closure): return closure.literal.name ?? "<anonymous>"
        case .builtin(let builtin): return builtin.name
        }
    }

    /// The parameter names, in order.
    public var parameterNames: [String] {
        switch implementation {
        case .closure(let closure): return closure.literal.parameters.map(\.name.text)
        case .builtin(let builtin): return builtin.parameters.map(\.name)
        }
    }

    /// Returns whether `other` is the same function, which is how `==` compares functions: the
    /// same built-in, or closures made by the same function literal in the same scope. Two such
    /// closures always give the same results.
    /// NOTE: a literal is identified by its span, so after 2^32 source files, whose spans share
    /// one stand-in file identifier, two literals at the same offsets in one scope compare equal.
    public func isSame(as other: FunctionValue) -> Bool {
        switch (implementation, other.implementation) {
        case (.closure(let closure), .closure(let other)):
            return closure.literal.span == other.literal.span && closure.scope === other.scope
        case (.builtin(let builtin), .builtin(let otherBuiltin)):
            return builtin.name == otherBuiltin.name
        default:
            return false
        }
    }
}
