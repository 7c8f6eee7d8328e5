import SlsxSource

/// The interpreter that runs the second part of a loop on two threads, with the loop as that
/// interpreter parsed and evaluated it.
struct LoopReplica {
    let interpreter: Interpreter
    let items: Interpreter.LoopItems
    let names: [Name]
    let body: Block
    /// The span of the loop's iterable, where each iteration counts its step.
    let iterableSpan: SourceSpan
    let environment: Environment
}

extension Interpreter {
    /// The state of the main interpreter when a top-level loop starts, after its items were
    /// evaluated. A replica must reach exactly this state before it runs the second part.
    struct LoopStart {
        /// The span of the loop statement among the script's top-level statements.
        var statementSpan: SourceSpan
        var steps: Int
        var printedCount: Int
        var printedBytes: Int
        var fieldCount: Int
        var functionCount: Int
        var itemCount: Int
    }

    /// Makes, on the calling thread, an interpreter that shares no objects with the main one and
    /// that has run the script up to the start of a top-level loop. It parses `file` again,
    /// imports modules from `moduleFiles`, which the main interpreter read, and never from the
    /// disk. It runs the statements before the loop and the loop's items with `print` output
    /// dropped. Returns `nil` when the loop is not a statement at the top level of the script, or
    /// when the replica does not reach `start` exactly: the same steps, printed lines, document
    /// fields, functions and item count. Evaluation is deterministic, so a difference means a
    /// failure, not a result.
    ///
    /// The replica exists because objects that both threads use (AST nodes, closures, scopes and
    /// their layouts) have atomic reference counts that every expression and call changes. When
    /// the second half used this interpreter's objects, each half took about as much CPU time as
    /// the whole loop on one thread.
    ///
    /// NOTE: the replica runs the statements before the loop a second time. It gives up at the
    /// next statement once the first part has ended, and `runLoopOnTwoThreads` makes a replica
    /// only after at most `replicaStepsPerItem` steps per item of the loop. A single long
    /// statement before the loop can still make the main thread wait for the replica.
    static func makeLoopReplica(
        file: SourceFile, moduleFiles: [SourceFile], options: EvaluationOptions, importRoot: String?, start: LoopStart,
        progress: LoopProgress, givesUpEarly: Bool, stackInUse: UInt
    ) -> LoopReplica? {
        var replicaOptions = options
        replicaOptions.output = nil
        replicaOptions.parallelLoops = false
        let replica = Interpreter(options: replicaOptions, importRoot: importRoot)
        replica.modules.preloaded = Dictionary(moduleFiles.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        replica.markStackBase(alreadyUsed: stackInUse)

        let parsed = Parser.parse(file, maximumDepth: options.limits.parserDepth)
        guard !parsed.diagnostics.containsError else { return nil }
        do {
            let script = try Resolver.resolve(parsed.script, globals: replica.globals.layout)
            let scope = Environment.make(parent: replica.globals, layout: script.layout ?? .empty)
            guard let index = script.statements.firstIndex(where: { $0.span == start.statementSpan }),
                case .loop(let names, let iterable, let body) = script.statements[index].kind
            else { return nil }

            // The replica gives up when the first part ends before the replica reaches the loop,
            // so that the main thread waits at most for the statement that runs then.
            for position in 0..<index {
                if givesUpEarly, progress.hasFirstPartEnded {
                    return nil
                }
                try replica.runCatchingReturn {
                    try replica.execute(script.statements[position], in: scope, context: .topLevel)
                }
            }
            // `execute` counts a step for the loop statement before it evaluates the items.
            try replica.tick(script.statements[index].span)
            let items = try replica.loopItems(iterable, in: scope)
            guard replica.steps == start.steps, replica.printed.count == start.printedCount,
                replica.printedBytes == start.printedBytes, replica.document.body.map.count == start.fieldCount,
                Interpreter.functionCount(replica.document) == start.functionCount, items.count == start.itemCount
            else { return nil }

            // Like this interpreter's, the replica's scopes from before the loop are read-only
            // in the loop, because a write would change what the first part's iterations see.
            replica.generation += 1
            replica.readOnlyBelow = replica.generation
            return LoopReplica(interpreter: replica, items: items, names: names, body: body, iterableSpan: iterable.span, environment: scope)
        } catch {
            return nil
        }
    }

    /// Returns the number of entries in the `functions` field of `document`.
    static func functionCount(_ document: DocumentBuilder) -> Int {
        guard let field = document.body.map["functions"], case .map(let functions) = field.kind else { return 0 }
        return functions.count
    }
}
