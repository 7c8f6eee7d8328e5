import SlsxSource

// The syntax tree. Every node carries the span of the text it was parsed from, so the evaluator
// can point diagnostics and values at what the user wrote.

/// An expression node.
///
/// A final class with `let` properties, not a struct, so that copying an expression is one
/// retain. The evaluator copies an expression wherever it binds one from an enum payload or reads
/// one from an array, as for a function's body, a map entry's value or a call's argument. A
/// struct's copy went through an outlined function that switched over the cases of `Kind`, and
/// with its destroy it took about 75 instructions more than a retain and a release. The benchmark
/// workload at N = 1,000 made about 110,000 such copies (callgrind).
public final class Expression: Sendable {
    public enum Kind: Sendable {
        case null
        case bool(Bool)
        case int(Int64)
        case float(Double)
        /// A string literal without interpolation. Most literals are one, and storing the text
        /// itself saves a `[StringPart]` array, a heap allocation, per literal.
        case string(String)
        /// A string literal with interpolation: its text and expressions in order.
        case interpolatedString([StringPart])
        case list([Expression])
        case map([MapEntry])
        /// `[element for x in xs if condition]`
        case listComprehension(ListComprehension)
        /// `{key: value for x in xs if condition}`
        case mapComprehension(MapComprehension)
        case identifier(String)
        case unary(UnaryOperation)
        case binary(BinaryOperation)
        /// `lower..<upper` or `lower...upper`.
        case range(RangeOperation)
        /// `base.name` or `base?.name`.
        case member(MemberAccess)
        /// `base[index]` or `base?[index]`.
        case index(IndexAccess)
        case call(Call)
        /// `if condition { ... } else { ... }`; the value is the value of the block that runs.
        case conditional(Conditional)
        indirect case function(FunctionLiteral)
    }

    public let kind: Kind
    public let span: SourceSpan
    /// For an `.identifier`, the slot that `Resolver` found for the name; `.unresolved` until then.
    public let address: NameAddress

    public init(_ kind: Kind, span: SourceSpan, address: NameAddress = .unresolved) {
        self.kind = kind
        self.span = span
        self.address = address
    }
}

// MARK: - The operands of compound expressions

// Each compound expression keeps its operands in a final class with `let` properties, whereas an
// `indirect` case would keep them in a box the compiler allocates. Both cost one allocation per
// node. But binding an `indirect` case's payload in a `switch` copies every operand out of the
// box and retains its contents. The evaluator reads a class's `let` properties in place.

extension Expression {
    /// The operand of `-operand` or `!operand`.
    public final class UnaryOperation: Sendable {
        public let op: UnaryOperator
        public let operand: Expression

        public init(_ op: UnaryOperator, _ operand: Expression) {
            self.op = op
            self.operand = operand
        }
    }

    /// The operands of `left op right`.
    public final class BinaryOperation: Sendable {
        public let op: BinaryOperator
        public let left: Expression
        public let right: Expression

        public init(_ op: BinaryOperator, _ left: Expression, _ right: Expression) {
            self.op = op
            self.left = left
            self.right = right
        }
    }

    /// The bounds of `lower..<upper` (`isClosed` false) or `lower...upper` (`isClosed` true).
    public final class RangeOperation: Sendable {
        public let lower: Expression
        public let upper: Expression
        public let isClosed: Bool

        public init(lower: Expression, upper: Expression, isClosed: Bool) {
            self.lower = lower
            self.upper = upper
            self.isClosed = isClosed
        }
    }

    /// The parts of `base.name` or, with `isOptional`, `base?.name`.
    public final class MemberAccess: Sendable {
        public let base: Expression
        public let name: String
        public let nameSpan: SourceSpan
        public let isOptional: Bool

        public init(_ base: Expression, name: String, nameSpan: SourceSpan, isOptional: Bool) {
            self.base = base
            self.name = name
            self.nameSpan = nameSpan
            self.isOptional = isOptional
        }
    }

    /// The operands of `base[index]` or, with `isOptional`, `base?[index]`.
    public final class IndexAccess: Sendable {
        public let base: Expression
        public let index: Expression
        public let isOptional: Bool

        public init(_ base: Expression, _ index: Expression, isOptional: Bool) {
            self.base = base
            self.index = index
            self.isOptional = isOptional
        }
    }

    /// The callee and arguments of `callee(arguments)`.
    public final class Call: Sendable {
        public let callee: Expression
        public let arguments: [Argument]

        public init(_ callee: Expression, _ arguments: [Argument]) {
            self.callee = callee
            self.arguments = arguments
        }
    }

    /// The condition and blocks of `if condition { then } else { otherwise }`.
    public final class Conditional: Sendable {
        public let condition: Expression
        public let then: Block
        public let otherwise: Block?

        public init(condition: Expression, then: Block, otherwise: Block?) {
            self.condition = condition
            self.then = then
            self.otherwise = otherwise
        }
    }

    /// The element and clauses of `[element for x in xs if condition]`.
    public final class ListComprehension: Sendable {
        public let element: Expression
        public let clauses: [ComprehensionClause]

        public init(element: Expression, clauses: [ComprehensionClause]) {
            self.element = element
            self.clauses = clauses
        }
    }

    /// The key, value and clauses of `{key: value for x in xs if condition}`.
    public final class MapComprehension: Sendable {
        public let key: MapKey
        public let value: Expression
        public let clauses: [ComprehensionClause]

        public init(key: MapKey, value: Expression, clauses: [ComprehensionClause]) {
            self.key = key
            self.value = value
            self.clauses = clauses
        }
    }
}

/// The slot of a name: `depth` scopes out from the scope where the name is used, at `index` in
/// that scope's `ScopeLayout`.
///
/// An address is a shortcut, not the rule. When the slot is not defined yet at run time, the
/// evaluator looks the name up by text through the enclosing scopes, as it does for an
/// unresolved name.
public struct NameAddress: Sendable, Equatable {
    public var depth: Int32
    public var index: Int32

    /// The address of a name that the resolver did not find, or of a node it has not visited.
    public static let unresolved = NameAddress(depth: -1, index: -1)

    public var isResolved: Bool { depth >= 0 }
}

/// A piece of a string literal after parsing.
public enum StringPart: Sendable {
    case text(String)
    case expression(Expression)
}

/// The key of a map entry or a body field.
public enum MapKey: Sendable {
    /// A bare identifier or keyword, or a string without interpolation.
    case name(String, span: SourceSpan)
    /// A string with interpolation.
    case interpolated([StringPart], span: SourceSpan)
    /// `[expression]: value`
    case computed(Expression)

    public var span: SourceSpan {
        switch self {
        case .name(_, let span), .interpolated(_, let span): return span
        case .computed(let expression): return expression.span
        }
    }
}

/// One `key: value` entry of a map literal.
public struct MapEntry: Sendable {
    public var key: MapKey
    public var value: Expression
    /// Whether the parser proved this key different from every earlier key of its literal:
    /// they are all plain names, none equal to this one, so evaluating the literal needs no
    /// search for a duplicate. `false` when the parser did not check, as for an interpolated or
    /// computed key, or any key after one.
    public var isKnownDistinct = false
}

/// One clause of a comprehension: `for a, b in xs` or `if condition`.
public enum ComprehensionClause: Sendable {
    case loop(names: [Name], iterable: Expression)
    case filter(Expression)
}

/// A name as written, with its span.
public struct Name: Sendable {
    public var text: String
    public var span: SourceSpan
    /// For a name that a statement defines or assigns, its slot as `Resolver` found it.
    public var address: NameAddress = .unresolved
}

/// A call argument, positional or named (`label: value`).
public struct Argument: Sendable {
    public var label: Name?
    public var value: Expression
}

public enum UnaryOperator: String, Sendable {
    case negate = "-"
    case not = "!"
}

public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case and = "&&", or = "||", coalesce = "??"
}

/// A parameter of a function literal, with its default value if it has one.
public struct Parameter: Sendable {
    public var name: Name
    public var defaultValue: Expression?
}

/// `fn name(params) = expression`, `fn name(params) { block }` or the anonymous forms.
public struct FunctionLiteral: Sendable {
    public enum Body: Sendable {
        case expression(Expression)
        case block(Block)
    }

    public var name: String?
    public var parameters: [Parameter]
    public var body: Body
    public var span: SourceSpan
    /// Whether the literal is written in a standard-library module. A call of such a function
    /// locates the values the function makes at the call (`Interpreter.locatedAtCall`).
    public var isInStandardLibrary = false
    /// The names of a call's scope: the parameters, then the names a block body defines. Set by
    /// `Resolver`.
    public var layout: ScopeLayout?
}

/// A sequence of statements between braces, or a whole script.
public struct Block: Sendable {
    public var statements: [Statement]
    public var span: SourceSpan
    /// The names of the scope the block runs in, when it has one of its own. A loop body's layout
    /// starts with the loop names. Set by `Resolver`. A function's block body has none, because
    /// it runs in the call's scope, which uses the function's layout.
    public var layout: ScopeLayout?
}

/// A statement node.
public struct Statement: Sendable {
    public indirect enum Kind: Sendable {
        case expression(Expression)
        /// `let name = value` (`isMutable` false) or `var name = value`.
        case binding(name: Name, value: Expression, isMutable: Bool)
        /// `name = value`, or `name += value` when `compound` is `.add`.
        case assignment(name: Name, compound: BinaryOperator?, value: Expression)
        case function(name: Name, FunctionLiteral)
        case loop(names: [Name], iterable: Expression, body: Block)
        case `return`(Expression?)
        case `import`(path: String, pathSpan: SourceSpan, alias: Name)
        /// `key: value` inside a declaration body or at the top level.
        case field(key: MapKey, value: Expression)
        case service(Expression)
        case provider(Block)
        case resources(Block)
        /// `function NAME { body }`
        case functionDeclaration(name: Expression, body: Block)
        /// `stream EXPRESSION` (an ARN string or a map) or `stream { body }`.
        case stream(StreamSource)
        /// `event { http: {...} }`: appends the body map to `events` as written.
        case event(Block)
    }

    public enum StreamSource: Sendable {
        case expression(Expression)
        case body(Block)
    }

    public var kind: Kind
    /// From the first token of the statement through its last.
    public var span: SourceSpan
    /// The span of the leading keyword (`stream`, `function`, `provider`, ...), for notes.
    public var keywordSpan: SourceSpan

    public init(_ kind: Kind, span: SourceSpan, keywordSpan: SourceSpan? = nil) {
        self.kind = kind
        self.span = span
        self.keywordSpan = keywordSpan ?? span
    }
}
