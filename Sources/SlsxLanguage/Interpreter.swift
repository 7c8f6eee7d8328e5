import SlsxSource

/// The tree-walking evaluator: runs statements, evaluates expressions and builds the document.
///
/// An interpreter runs on one thread at a time: the thread with the 512 MiB stack from `LargeStack`.
/// `Limits.callDepth` and `Limits.parserDepth` bound the recursion, and `checkStack` stops
/// evaluation before the stack runs out when raised limits would let it grow further.
final class Interpreter {
    /// Where statements run, which decides the declarations they may contain.
    enum Context {
        /// The top level of the entry script (or a REPL entry): every declaration is allowed.
        case topLevel
        /// The top level of an imported module: only bindings.
        case module
        /// Inside a `provider`, `resources`, `function`, `stream` or `event` body: fields, and
        /// `stream`/`event` inside a function body.
        case body(BodyBuilder)
        /// Inside a call of a function value.
        case call
        /// Inside an `if` used as a value.
        case expression
    }

    let options: EvaluationOptions
    let globals: Environment
    let modules: ModuleLoader
    var document = DocumentBuilder()
    // `steps`, `callStack` and `stackBase` change or are read for every expression or call. They
    // skip the runtime's dynamic exclusivity check, which cost more than the update itself. The
    // check cannot fire, because one thread runs an interpreter at a time and no access to them
    // calls out to other code.
    @exclusivity(unchecked) var steps = 0
    @exclusivity(unchecked) var callStack: [(name: String, span: SourceSpan)] = []
    /// The lines written by `print` in this run or REPL entry, for the REPL to show.
    var printed: [String] = [] {
        didSet {
            if printed.isEmpty { printedBytes = 0 }
        }
    }
    /// The UTF-8 bytes of `printed`, which `recordPrinted` keeps within `Limits.stringBytes`.
    private(set) var printedBytes = 0
    /// The top-level declarations run so far, kept only when `recordsDeclarations` is set.
    var declarations: [DeclarationSummary] = []
    /// Whether to build a `DeclarationSummary` for each top-level declaration. Only the REPL shows
    /// them, and summarizing every stream ARN costs about 8 % of evaluating the benchmark workload.
    var recordsDeclarations = false
    /// The address of the evaluation thread's stack near its top, or 0 before `markStackBase()`.
    @exclusivity(unchecked) private var stackBase: UInt = 0
    /// `LargeStack.evaluationBudget`, kept here because reading a static property checks that it
    /// was initialized on every read.
    private let stackBudget = LargeStack.evaluationBudget
    /// The generation stamped on the scopes this interpreter makes. It grows by one for each loop
    /// that runs on two threads.
    @exclusivity(unchecked) var generation = 0
    /// Scopes of a generation below this one are read-only. It is the loop's generation while a
    /// loop runs on two threads, and 0 otherwise, so that no scope is read-only.
    @exclusivity(unchecked) var readOnlyBelow = 0
    /// The number of loops that ran on two threads and were kept, for tests.
    var parallelLoopCount = 0
    /// The number of replicas that loops on two threads started, for tests.
    var replicaStartCount = 0
    /// The statements of the script that `runTopLevel` runs. A loop runs on two threads only when
    /// it is one of them, because the replica looks for the loop among them (`makeLoopReplica`)
    /// and gives up on a loop nested in a top-level `if`.
    var topLevelStatements: [Statement] = []
    /// The keyword span of the first function that `addFunction` added since this was last set
    /// to `nil`. The second part of a loop on two threads reads it for each chunk, because it
    /// runs its chunks out of position order. A run on one thread makes the `functions` field at
    /// the keyword of the first function in position order.
    var firstAddedFunctionKeyword: SourceSpan?
    /// The script that `Evaluator` runs, which the second thread of a loop parses again for
    /// objects of its own. Without it, no loop runs on two threads.
    var entryFile: SourceFile?
    /// Whether the replica of a loop on two threads stops before the loop once the first part
    /// has ended (see `makeLoopReplica`). Only tests turn it off, so that the path taken does not
    /// depend on the timing.
    var replicaGivesUpEarly = true
    /// The names this evaluation passed to `option(...)`, with those of a loop's second part
    /// once the join keeps it.
    let optionReads = OptionReadLog()

    var limits: Limits { options.limits }

    init(options: EvaluationOptions, importRoot: String?) {
        self.options = options
        self.modules = ModuleLoader(root: importRoot)
        self.globals = Environment.make(parent: nil, layout: Interpreter.globalLayout)
        for builtin in Builtins.table {
            globals.define(builtin.name, Value(.function(FunctionValue(implementation: .builtin(builtin)))))
        }
        globals.define("AWS", Intrinsics.pseudoParameters)
    }

    /// The names of the globals: the built-ins in table order, then `AWS`.
    static let globalLayout = ScopeLayout(names: Builtins.table.map(\.name) + ["AWS"])

    /// Records the current stack address as the base for `checkStack`. Call it at the start of
    /// every evaluation, on the thread that runs it. `alreadyUsed` bytes count as used from the
    /// start: the second part of a loop on two threads starts on a fresh thread, and must not get
    /// more room than the same iterations would have on the thread that runs the whole loop.
    func markStackBase(alreadyUsed: UInt = 0) {
        var marker: UInt8 = 0
        let address = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        let (charged, overflow) = address.addingReportingOverflow(alreadyUsed)
        stackBase = overflow ? UInt.max : charged
    }

    /// The bytes of the evaluation stack in use at the caller, as `checkStack` counts them.
    var stackInUse: UInt {
        var marker: UInt8 = 0
        let address = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        return stackBase > address ? stackBase - address : 0
    }

    /// Stops evaluation before the native stack runs out. Debug builds use about 50 KB of stack per
    /// slsx call. A raised call depth limit, or deeply nested expressions inside deep recursion,
    /// could therefore exhaust even the large stack, and this check turns that into an error.
    ///
    /// This check, `tick`, `checkDepth` and `checkSize` run for every expression, so they are
    /// inlined and build and throw their errors in separate functions that are never inlined.
    /// Returning an error to the check instead would take a slot of about 90 bytes in the frame
    /// of `evaluate` for each check, plus the code that boxes it.
    @inline(__always)
    func checkStack(_ span: SourceSpan) throws {
        var marker: UInt8 = 0
        let address = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        guard stackBase > address, stackBase - address > stackBudget else { return }
        try throwStackExhausted(at: span)
    }

    @inline(never)
    private func throwStackExhausted(at span: SourceSpan) throws -> Never {
        var error = EvaluationError(
            "evaluation nested too deeply for the evaluation stack at call depth \(callStack.count)", at: span,
            hint: callStack.isEmpty
                ? "split the expression into smaller parts with let, such as one let per hundred terms"
                : "reduce the recursion depth or the nesting of expressions inside recursive calls",
            notes: callTrace())
        error.exhaustedStack = true
        throw error
    }

    /// Counts one step and stops the run when the step limit is exceeded.
    @inline(__always)
    func tick(_ span: SourceSpan) throws {
        try tick(span, cost: 1)
    }

    /// Counts `cost` steps at once, for work that grows with the size of a value, such as walking
    /// along a string.
    @inline(__always)
    func tick(_ span: SourceSpan, cost: Int) throws {
        steps = Value.sum(steps, cost)
        if steps > limits.steps {
            try throwStepLimitExceeded(at: span)
        }
    }

    /// Makes a scope of this interpreter's generation.
    @inline(__always)
    func makeScope(parent: Environment?, layout: ScopeLayout = .empty) -> Environment {
        Environment.make(parent: parent, layout: layout, generation: generation)
    }

    /// Returns the scope in `spare`, emptied by `keepForReuse`, when it has this interpreter's
    /// current generation, and otherwise a new scope inside `parent`. `spare` is `nil` afterwards.
    @inline(__always)
    func reusedScope(_ spare: inout Environment?, parent: Environment, layout: ScopeLayout) -> Environment {
        if let scope = spare {
            spare = nil
            if scope.generation == generation {
                return scope
            }
        }
        return makeScope(parent: parent, layout: layout)
    }

    /// Empties `scope` and keeps it in `spare` for the next call or loop iteration when nothing
    /// else references it, which saves allocating, initializing and freeing a scope object (about
    /// 250 instructions in callgrind). A scope that a closure or value kept is left alone.
    @inline(__always)
    func keepForReuse(_ scope: inout Environment, in spare: inout Environment?, layout: ScopeLayout) {
        if isKnownUniquelyReferenced(&scope), scope.emptyForReuse(layout: layout) {
            spare = scope
        }
    }

    /// Stops a loop running on two threads before it changes `scope`, a scope made before the
    /// loop. The second part runs from a replica of those scopes as they were when the loop
    /// started. Outside such a loop, `readOnlyBelow` is 0 and the check always passes.
    @inline(__always)
    func checkWritable(_ scope: Environment) throws {
        if scope.generation < readOnlyBelow {
            throw ParallelLoopAbort()
        }
    }

    @inline(never)
    private func throwStepLimitExceeded(at span: SourceSpan) throws -> Never {
        throw EvaluationError(
            "evaluation step limit (\(limits.steps)) exceeded", at: span, hint: "look for a loop or recursion that does not end")
    }

    // MARK: - Scripts and statements

    /// Runs a whole script or REPL entry at the top level and returns the value of its last
    /// statement when that statement is an expression. With `loneMapIsDocument`, a script that is
    /// a single map literal becomes the document's fields.
    func runTopLevel(_ script: Block, in environment: Environment, loneMapIsDocument: Bool) throws -> Value? {
        if loneMapIsDocument, script.statements.count == 1, case .expression(let expression) = script.statements[0].kind,
            case .map = expression.kind {
            // A script that is one map literal, such as a pasted serverless.yml in JSON form, is
            // the document itself.
            let value = try evaluate(expression, in: environment)
            if case .map(let map) = value.kind {
                for entry in map.entries {
                    try document.body.setField(entry.key, entry.value, keySpan: entry.keySpan)
                }
            }
            return value
        }
        topLevelStatements = script.statements
        return try runCatchingReturn { try executeStatements(script.statements, in: environment, context: .topLevel) }
    }

    /// Runs an imported module's statements in a new scope inside the globals and returns that
    /// scope, whose names are the module's exports.
    func runModule(_ script: Block) throws -> Environment {
        let resolved = try Resolver.resolve(script, globals: globals.layout)
        let scope = makeScope(parent: globals, layout: resolved.layout ?? .empty)
        try runCatchingReturn {
            try executeStatements(resolved.statements, in: scope, context: .module)
        }
        return scope
    }

    /// Runs statements where `return` is not allowed.
    @discardableResult
    func runCatchingReturn(_ body: () throws -> Value?) throws -> Value? {
        do {
            return try body()
        } catch let signal as ReturnSignal {
            throw EvaluationError(
                "'return' outside a function", at: signal.span,
                hint: "'return' ends a fn body; at the top level, just write the statements")
        }
    }

    @discardableResult
    func executeStatements(_ statements: [Statement], in environment: Environment, context: Context) throws -> Value? {
        var last: Value?
        // Indexing lends each statement, where `for statement in statements` would copy it.
        for index in statements.indices {
            last = try execute(statements[index], in: environment, context: context)
        }
        return last
    }

    /// Runs one statement. Returns its value when it is an expression statement.
    func execute(_ statement: Statement, in environment: Environment, context: Context) throws -> Value? {
        try tick(statement.span)
        switch statement.kind {
        case .expression(let expression):
            if case .conditional(let node) = expression.kind {
                return try evaluateConditional(node, span: expression.span, in: environment, context: context)
            }
            return try evaluate(expression, in: environment)

        case .binding(let name, let valueExpression, let isMutable):
            try checkWritable(environment)
            var value = try evaluate(valueExpression, in: environment)
            value = Interpreter.naming(value, name.text)
            environment.define(name.text, value, isMutable: isMutable, span: name.span, address: name.address)

        case .assignment(let name, let compound, let valueExpression):
            try assign(name, compound, valueExpression, in: environment)

        case .function(let name, let literal):
            try checkWritable(environment)
            let function = Value(.function(FunctionValue(implementation: .closure(.init(literal, scope: environment)))), span: literal.span)
            environment.define(name.text, function, span: name.span, address: name.address)

        case .loop(let names, let iterable, let body):
            let items = try loopItems(iterable, in: environment)
            // The iterations that a loop on two threads leaves to this thread run here, in the frame
            // where a loop on one thread runs, so the stack check fires at the same depth.
            var remaining: Range<Int>?
            if case .topLevel = context, canRunLoopOnTwoThreads, let count = items.count {
                remaining = try runLoopOnTwoThreads(
                    items, names: names, body: body, span: iterable.span, statementSpan: statement.span, in: environment
                ).map { $0..<count }
                if remaining?.isEmpty == true { return nil }
            }
            try iterate(items, names: names, layout: body.layout, span: iterable.span, positions: remaining, in: environment) {
                scope in
                try executeStatements(body.statements, in: scope, context: context)
            }

        case .return(let expression):
            let value = try expression.map { try evaluate($0, in: environment) } ?? Value(.null, span: statement.span)
            throw ReturnSignal(value: value, span: statement.span)

        case .import(let path, let pathSpan, let alias):
            // A replica imports only the files read before the loop, so an import stops a loop on
            // two threads.
            if readOnlyBelow > 0 { throw ParallelLoopAbort() }
            try checkWritable(environment)
            let module = try modules.load(path, at: pathSpan, interpreter: self)
            environment.define(alias.text, module, span: alias.span, isImport: true, address: alias.address)

        case .field(let key, let valueExpression):
            guard let builder = fieldTarget(context) else {
                throw EvaluationError(
                    "a field can only appear at the top level of a script or inside a declaration body", at: statement.span,
                    hint: "to build a map value, write a map literal: { key: value }")
            }
            let (keyText, keySpan) = try evaluateKey(key, in: environment)
            let value = try evaluate(valueExpression, in: environment)
            try builder.setField(keyText, value, keySpan: keySpan)
            if case .topLevel = context {
                record(DeclarationSummary(kind: .field, name: keyText))
            }

        case .service, .provider, .resources, .functionDeclaration, .stream, .event:
            try executeDeclaration(statement, in: environment, context: context)
        }
        return nil
    }

    /// Appends a declaration summary when the REPL requested them. Otherwise `summary` is not built.
    func record(_ summary: @autoclosure () -> DeclarationSummary) {
        if recordsDeclarations {
            declarations.append(summary())
        }
    }

    private func fieldTarget(_ context: Context) -> BodyBuilder? {
        switch context {
        case .topLevel: return document.body
        case .body(let builder): return builder
        case .module, .call, .expression: return nil
        }
    }

    /// Gives an anonymous function bound with `let` the binding's name, for messages.
    private static func naming(_ value: Value, _ name: String) -> Value {
        guard case .function(let function) = value.kind, case .closure(let closure) = function.implementation,
            closure.literal.name == nil
        else { return value }
        var literal = closure.literal
        literal.name = name
        return Value(.function(FunctionValue(implementation: .closure(.init(literal, scope: closure.scope)))), span: value.span)
    }

    private func assign(_ name: Name, _ compound: BinaryOperator?, _ valueExpression: Expression, in environment: Environment) throws {
        guard let scope = environment.scope(defining: name.text), scope !== globals else {
            // `handler = "h"` inside a function body is usually a field written with `=` for `:`.
            let fieldHint = compound == nil ? ", or write '\(name.text): ...' to set a field of the document or declaration" : ""
            let hint = NameSuggester.didYouMean(name.text, among: environment.visibleNames())
                ?? "declare it first with 'var \(name.text) = ...'\(fieldHint)"
            throw EvaluationError("cannot assign to unknown name '\(name.text)'", at: name.span, hint: hint)
        }
        try checkWritable(scope)
        // Only the flags are read, so no second reference to a stored list keeps `+=` from
        // appending in place.
        let isMutable = scope.localSlot(name.text)?.isMutable ?? false
        let declaredAt = scope.localSlot(name.text)?.span
        guard isMutable else {
            throw EvaluationError(
                "cannot assign to '\(name.text)' because it is a constant", at: name.span,
                hint: "declare it with 'var' instead of 'let' to change it",
                notes: [.init("'\(name.text)' is declared here", at: declaredAt)])
        }
        let value = try evaluate(valueExpression, in: environment)
        guard let compound else {
            scope.define(name.text, value, isMutable: true, span: declaredAt)
            return
        }
        let span = name.span.merged(with: valueExpression.span)
        try scope.modify(name.text) { current in
            if compound == .add {
                try appendInPlace(&current, value, span: span)
            } else {
                current = try binary(compound, current, value, span: span)
            }
        }
    }

    /// `current += value`, appending to a list or string without copying it.
    private func appendInPlace(_ current: inout Value, _ value: Value, span: SourceSpan) throws {
        // Each case moves the stored list or string out of `current` before changing it, so
        // the buffer is uniquely referenced and grows in place instead of being copied.
        if case .list(let more) = value.kind, case .list(var items) = current.kind {
            let depth = max(current.depth, value.depth)
            try checkDepth(depth, span)
            // The appended list's own node is not kept, only its items.
            let size = Value.sum(current.size, value.size - 1)
            try checkSize(size, span)
            current.kind = .null
            try checkCount(items.count + more.count, span)
            items.append(contentsOf: more)
            current.setList(items, depth: depth, size: size)
            return
        }
        if case .string(let more) = value.kind, case .string(var text) = current.kind {
            current.kind = .null
            text += more
            try checkString(text, span)
            current.kind = .string(text)
            return
        }
        current = try binary(.add, current, value, span: span)
    }

    // MARK: - Loops and conditionals

    /// The items a loop runs over, evaluated once before the first iteration.
    enum LoopItems {
        /// No items: an empty range.
        case none
        /// The ints `first...last`, where `first <= last`.
        case range(first: Int64, last: Int64)
        case list([Value])
        case map(OrderedMap)

        /// The number of items, or `nil` for a range of more than `Int.max` items.
        var count: Int? {
            switch self {
            case .none: return 0
            case .range(let first, let last):
                let (difference, overflow) = last.subtractingReportingOverflow(first)
                return overflow || difference == Int64.max ? nil : Int(difference) + 1
            case .list(let items): return items.count
            case .map(let map): return map.count
            }
        }
    }

    /// Evaluates what a loop runs over: the bounds of a range, which is iterated without building
    /// a list, or a list or map value.
    func loopItems(_ iterable: Expression, in environment: Environment) throws -> LoopItems {
        if case .range(let range) = iterable.kind {
            let lower = try integer(try evaluate(range.lower, in: environment), "a range bound", at: range.lower.span)
            let upper = try integer(try evaluate(range.upper, in: environment), "a range bound", at: range.upper.span)
            if range.isClosed {
                return lower > upper ? .none : .range(first: lower, last: upper)
            }
            // `upper > lower`, so `upper - 1` cannot overflow.
            return lower >= upper ? .none : .range(first: lower, last: upper - 1)
        }
        let collection = try evaluate(iterable, in: environment)
        switch collection.kind {
        case .list(let items):
            return .list(items)
        case .map(let map):
            return .map(map)
        default:
            throw EvaluationError(
                "cannot iterate over a value of type \(collection.typeName)", at: iterable.span,
                hint: "a 'for' loop takes a list, a map or a range such as 0..<n")
        }
    }

    /// Runs `body` once per item of `iterable`, each time in a new scope of `layout` that binds
    /// the loop names.
    func iterate(
        _ iterable: Expression, names: [Name], layout: ScopeLayout?, in environment: Environment, body: (Environment) throws -> Void
    ) throws {
        let items = try loopItems(iterable, in: environment)
        try iterate(items, names: names, layout: layout, span: iterable.span, in: environment, body: body)
    }

    /// Runs `body` once per item of `items` whose position is in `positions` (all of them by
    /// default), in order. Each iteration counts a step at `span` and runs in a new scope of
    /// `layout` that binds the loop names: the position and the item, or the item alone (the key
    /// alone, for a map).
    func iterate(
        _ items: LoopItems, names: [Name], layout: ScopeLayout?, span: SourceSpan, positions: Range<Int>? = nil,
        in environment: Environment, body: (Environment) throws -> Void
    ) throws {
        let layout = layout ?? .empty
        switch items {
        case .none:
            return
        case .range(let first, let last):
            var position: Int64 = 0
            var current = first
            var end = last
            if let positions {
                // The caller took `positions` from `items.count`, so these stay within `first...last`.
                position = Int64(positions.lowerBound)
                current = first + position
                end = first + Int64(positions.upperBound - 1)
            }
            if current > end { return }
            // An iteration's scope that no closure kept serves the next iteration.
            var spare: Environment?
            while true {
                try tick(span)
                var scope = reusedScope(&spare, parent: environment, layout: layout)
                let item = Value(.int(current), span: span)
                if names.count == 2 {
                    scope.define(names[0].text, Value(.int(position), span: span), span: names[0].span, address: Interpreter.first)
                    scope.define(names[1].text, item, span: names[1].span, address: Interpreter.second)
                } else {
                    scope.define(names[0].text, item, span: names[0].span, address: Interpreter.first)
                }
                try body(scope)
                keepForReuse(&scope, in: &spare, layout: layout)
                if current == end { return }
                current += 1
                position += 1
            }

        case .list(let items):
            var spare: Environment?
            for position in positions ?? items.indices {
                try tick(span)
                let item = items[position]
                var scope = reusedScope(&spare, parent: environment, layout: layout)
                if names.count == 2 {
                    scope.define(names[0].text, Value(.int(Int64(position)), span: item.span), span: names[0].span, address: Interpreter.first)
                    scope.define(names[1].text, item, span: names[1].span, address: Interpreter.second)
                } else {
                    scope.define(names[0].text, item, span: names[0].span, address: Interpreter.first)
                }
                try body(scope)
                keepForReuse(&scope, in: &spare, layout: layout)
            }

        case .map(let map):
            let entries = map.entries
            var spare: Environment?
            for position in positions ?? entries.indices {
                try tick(span)
                let entry = entries[position]
                var scope = reusedScope(&spare, parent: environment, layout: layout)
                scope.define(names[0].text, Value(.string(entry.key), span: entry.keySpan), span: names[0].span, address: Interpreter.first)
                if names.count == 2 {
                    scope.define(names[1].text, entry.value, span: names[1].span, address: Interpreter.second)
                }
                try body(scope)
                keepForReuse(&scope, in: &spare, layout: layout)
            }
        }
    }

    /// Returns the scope that `block` runs in: a new one inside `environment`, or `environment`
    /// itself when the resolver found that the block defines no names. Such a scope would stay
    /// empty, and the resolver counted no scope for it in the addresses inside the block. A
    /// block the resolver did not visit gets a new scope, which may gain names as it runs.
    func scope(for block: Block, in environment: Environment) -> Environment {
        guard let layout = block.layout else {
            return makeScope(parent: environment)
        }
        return layout.count == 0 ? environment : makeScope(parent: environment, layout: layout)
    }

    /// The slots of the first and second loop name, which every loop scope's layout starts with.
    /// `define` checks the name in the slot, so a repeated loop name falls back to its lookup.
    private static let first = NameAddress(depth: 0, index: 0)
    private static let second = NameAddress(depth: 0, index: 1)

    func evaluateConditional(
        _ conditional: Expression.Conditional, span: SourceSpan, in environment: Environment, context: Context
    ) throws -> Value {
        let test = try evaluate(conditional.condition, in: environment)
        guard let isTrue = test.boolPayload else {
            throw EvaluationError(
                "the 'if' condition must be a bool, but it is \(test.typeName)", at: conditional.condition.span,
                hint: "compare explicitly, for example x != null or len(xs) > 0")
        }
        if isTrue {
            return try runBranch(conditional.then, span: span, in: environment, context: context)
        }
        // The `else` block is unwrapped where it is passed, which lends it to `runBranch`.
        // `if let` copied the block, retaining its statements and layout.
        guard conditional.otherwise != nil else {
            return Value(.null, span: span)
        }
        return try runBranch(conditional.otherwise!, span: span, in: environment, context: context)
    }

    /// Runs a branch of an `if` and returns the value of its last statement when that statement
    /// is an expression, otherwise null at `span`.
    private func runBranch(_ block: Block, span: SourceSpan, in environment: Environment, context: Context) throws -> Value {
        // Most branches define no names and run in `environment` itself, as `scope(for:in:)`
        // decides. Checking that here lends `environment` to the branch, where taking it from
        // `scope(for:in:)` retained and released it and the layout.
        if block.layout?.count == 0 {
            return try runStatements(of: block, span: span, in: environment, context: context)
        }
        return try runStatements(of: block, span: span, in: scope(for: block, in: environment), context: context)
    }

    /// Runs the statements of a branch in `scope` for `runBranch`.
    private func runStatements(of block: Block, span: SourceSpan, in scope: Environment, context: Context) throws -> Value {
        // Most branches are one expression, as in `if n < 10 { "0\(n)" } else { ... }`. Running
        // it directly, as `executeStatements` would, skips that function's loop and optional.
        // `if let` moves the value out of the optional, where `??` copied it and destroyed the
        // optional (about 85 instructions per branch in callgrind).
        if block.statements.count == 1 {
            if let value = try execute(block.statements[0], in: scope, context: context) {
                return value
            }
            return Value(.null, span: span)
        }
        if let value = try executeStatements(block.statements, in: scope, context: context) {
            return value
        }
        return Value(.null, span: span)
    }

    // MARK: - Limits and conversions

    /// Returns the steps charged for walking `characters` characters of a string: one per 16. A
    /// release build (x86-64 Linux, 2 loaded cores) stopped a loop indexing a 10 MB string at the
    /// default step limit after 0.83 s of CPU time, and a plain counting loop after 4.65 s.
    static func walkCost(_ characters: Int) -> Int {
        characters / 16
    }

    /// Returns the steps charged for comparing `count` values one by one, as `contains` and `==`
    /// on lists do: one per 4. A release build (x86-64 Linux, 2 loaded cores) compared about 25
    /// million ints a second in `contains`, about 5 times as many as the plain loop steps it ran.
    /// With the walk cost of one per 16 alone, a loop of `contains` ran three times longer than a
    /// plain loop at the same step limit.
    static func compareCost(_ count: Int) -> Int {
        count / 4
    }

    /// Charges the steps for walking a value of `size` (a `Value.size`, a byte count or an item
    /// count), so that built-ins and operators that visit every item or byte count towards the
    /// step limit like `s[i]` does.
    func chargeWalk(_ size: Int, _ span: SourceSpan) throws {
        try tick(span, cost: Interpreter.walkCost(size))
    }

    func checkString(_ text: String, _ span: SourceSpan) throws {
        try checkStringBytes(text.utf8.count, span)
    }

    /// Rejects a string of `bytes` UTF-8 bytes before it is built. Callers compute `bytes` with
    /// `Value.sum` or `Interpreter.product`, which saturate at `Int.max` instead of overflowing.
    func checkStringBytes(_ bytes: Int, _ span: SourceSpan) throws {
        if bytes > limits.stringBytes {
            throw EvaluationError(
                "string longer than \(limits.stringBytes) bytes", at: span,
                hint: "the string size limit stops runaway concatenation")
        }
    }

    /// Multiplies two sizes, saturating at `Int.max` instead of overflowing. Both must be at least 0.
    static func product(_ a: Int, _ b: Int) -> Int {
        let (total, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : total
    }

    /// Keeps a line written by `print`, and rejects it when the lines kept in this run or REPL
    /// entry would take more than `Limits.stringBytes` in total.
    func recordPrinted(_ line: String, _ span: SourceSpan) throws {
        let total = Value.sum(printedBytes, line.utf8.count)
        guard total <= limits.stringBytes else {
            throw EvaluationError(
                "printed output longer than \(limits.stringBytes) bytes in total", at: span,
                hint: "the limit on printed text stops a loop that prints without end; print less, or print inside a shorter loop")
        }
        printed.append(line)
        printedBytes = total
    }

    /// Passes a line that `recordPrinted` kept to `EvaluationOptions.output`. While a loop runs
    /// on two threads, the lines wait in `printed` until both parts end. They then pass on in
    /// order, unless the whole loop runs again on one thread (see `runLoopOnTwoThreads`).
    func forwardPrinted(_ line: String) {
        if readOnlyBelow == 0 {
            options.output?(line)
        }
    }

    /// Replaces `printed` and its UTF-8 byte count, when a loop that ran on two threads joins its
    /// parts or undoes them.
    func replacePrinted(_ lines: [String], bytes: Int) {
        printed = lines
        printedBytes = bytes
    }

    /// Rejects a value that nests lists and maps more deeply than `Limits.valueDepth`.
    @inline(__always)
    func checkDepth(_ depth: Int, _ span: SourceSpan) throws {
        if depth > limits.valueDepth {
            try throwDepthLimitExceeded(at: span)
        }
    }

    @inline(never)
    private func throwDepthLimitExceeded(at span: SourceSpan) throws -> Never {
        throw EvaluationError(
            "value nested more than \(limits.valueDepth) levels deep", at: span,
            hint: "a loop or recursion probably wraps a value in a list or map on every step")
    }

    /// Rejects a value whose `Value.size` is larger than `Limits.valueSize`.
    @inline(__always)
    func checkSize(_ size: Int, _ span: SourceSpan) throws {
        if size > limits.valueSize {
            try throwSizeLimitExceeded(at: span)
        }
    }

    @inline(never)
    private func throwSizeLimitExceeded(at span: SourceSpan) throws -> Never {
        throw EvaluationError(
            "value larger than the size limit of \(limits.valueSize) (one per item plus the bytes of its strings)", at: span,
            hint: "a loop probably puts a value into itself on every step, as in 'l = [l, l]'; such a value would be too large to write")
    }

    func checkCount(_ count: Int, _ span: SourceSpan) throws {
        if count > limits.listItems {
            throw EvaluationError(
                "list or map longer than \(limits.listItems) items", at: span,
                hint: "the item limit stops runaway loops; iterate over a range directly instead of storing it")
        }
    }

    func integer(_ value: Value, _ role: String, at span: SourceSpan) throws -> Int64 {
        guard case .int(let number) = value.kind else {
            throw EvaluationError("\(role) must be an int, but it is \(value.typeName)", at: span)
        }
        return number
    }
}
