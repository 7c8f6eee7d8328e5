import SlsxSource
import Synchronization

/// The error that stops a loop running on two threads before an iteration changes state that
/// both threads share. It never reaches the user, because the loop then runs again on one thread.
struct ParallelLoopAbort: Error {}

/// The flag that the failing half of a loop sets so that the other half stops early.
private final class LoopCancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    var isCancelled: Bool { flag.load(ordering: .relaxed) }

    func cancel() {
        flag.store(true, ordering: .relaxed)
    }
}

extension Interpreter {
    /// The fewest iterations for which a loop runs on two threads. Below it, starting a thread and
    /// copying the document are not worth it (an estimate: a few hundred microseconds for both).
    static let parallelLoopMinimumIterations = 64

    /// Whether a top-level loop may run on two threads now: the option is on, this is not a REPL
    /// entry, and no such loop is running already.
    var runsLoopsOnTwoThreads: Bool {
        options.parallelLoops && !recordsDeclarations && readOnlyBelow == 0
    }

    /// Runs a loop at the top level of the script with the first half of its iterations on this
    /// thread and the second half on a new one, and returns whether it did. It declines (returns
    /// false, having changed nothing) below `parallelLoopMinimumIterations` items, when the
    /// body could declare anything but functions (`Interpreter.declaresOnlyFunctions`), or when
    /// the thread cannot be started. The caller then runs the loop on one thread.
    ///
    /// The result is the same as on one thread, whatever the timing: the same document, the same
    /// printed lines in the same order, the same step count. Each half runs in its own interpreter
    /// state: this interpreter runs the first half, and an interpreter made by
    /// `init(secondHalfOf:)` runs the second half with its own document copy, step count, call
    /// stack, printed lines and stack base. After both halves end, the second half's functions are
    /// added to this document in order, through the same duplicate check as a declaration.
    ///
    /// Contract on failure: any error in either half (a script error, a limit, or a
    /// `ParallelLoopAbort`), a duplicate function across the halves, or step or printed-output
    /// totals over their limits discard both halves. This interpreter's document, step count
    /// and printed lines go back to their state after the loop's items were evaluated, and the
    /// method returns false, so that the caller runs the whole loop again on one thread. That run
    /// reports exactly the error that a run on one thread reports. A half that fails makes the
    /// other stop at its next iteration, but a failing loop can still take up to about twice as
    /// long as on one thread.
    ///
    /// Thread safety (what the two halves share while both run):
    /// - Scopes made before the loop: the globals, the script's top-level scope, module scopes and
    ///   the scopes that closures captured. Both halves read them. A write to one (an assignment,
    ///   `+=`, or a definition) would race, so `checkWritable` throws `ParallelLoopAbort` before it
    ///   happens. Each scope made during the loop has the loop's `generation` and belongs to the
    ///   half that made it, because values reach the other half only through older scopes, the
    ///   module cache or the document, and none of those changes during the loop.
    /// - The module loader's cache: `import` throws `ParallelLoopAbort`.
    /// - The `print` callback of `EvaluationOptions`: not called during the loop. Each half keeps
    ///   its lines in its own `printed`, and they pass on in order after the join.
    /// - AST nodes, `ScopeLayout`s, `SourceFile`s, built-ins and `Limits`: immutable (the compiler
    ///   checks that the `Sendable` AST classes have only constant properties). `SourceFileTable`
    ///   takes a lock.
    /// - Values (lists, maps, strings) read from shared scopes: copy-on-write storage with atomic
    ///   reference counts. Such storage is also referenced by the shared scope for the whole loop,
    ///   so neither half sees it uniquely referenced and changes it in place.
    func runLoopOnTwoThreads(
        _ items: LoopItems, names: [Name], body: Block, span: SourceSpan, in environment: Environment
    ) throws -> Bool {
        guard let count = items.count, count >= Interpreter.parallelLoopMinimumIterations,
            Interpreter.declaresOnlyFunctions(body.statements)
        else { return false }

        let savedDocument = document.copy()
        let savedSteps = steps
        let savedPrinted = printed
        let savedPrintedBytes = printedBytes
        // Scopes made from here on have a new generation, and older ones are read-only until
        // both halves end.
        generation += 1
        readOnlyBelow = generation
        let worker = Interpreter(secondHalfOf: self)
        let half = count / 2
        let cancellation = LoopCancellation()

        let outcome: (workerSucceeded: Bool?, mainSucceeded: Bool)
        do {
            outcome = try ScopedThread.run(
                stackSize: LargeStack.stackSize,
                {
                    worker.markStackBase()
                    return worker.runHalf(items, positions: half..<count, names: names, body: body, span: span, in: environment, cancellation)
                },
                meanwhile: {
                    runHalf(items, positions: 0..<half, names: names, body: body, span: span, in: environment, cancellation)
                })
        } catch {
            readOnlyBelow = 0
            return false
        }
        readOnlyBelow = 0

        if outcome.mainSucceeded, outcome.workerSucceeded == true,
            join(
                worker, functionsBefore: Interpreter.functionCount(savedDocument), stepsBefore: savedSteps,
                printedBefore: savedPrinted.count, printedBytesBefore: savedPrintedBytes) {
            parallelLoopCount += 1
            for line in printed.dropFirst(savedPrinted.count) {
                options.output?(line)
            }
            return true
        }
        document = savedDocument
        steps = savedSteps
        replacePrinted(savedPrinted, bytes: savedPrintedBytes)
        return false
    }

    /// Runs the iterations at `positions` and returns whether all of them succeeded. On failure
    /// it cancels the other half. It stops early, as failed, when the other half failed.
    private func runHalf(
        _ items: LoopItems, positions: Range<Int>, names: [Name], body: Block, span: SourceSpan, in environment: Environment,
        _ cancellation: LoopCancellation
    ) -> Bool {
        do {
            try iterate(items, names: names, layout: body.layout, span: span, positions: positions, in: environment) { scope in
                if cancellation.isCancelled {
                    throw ParallelLoopAbort()
                }
                try executeStatements(body.statements, in: scope, context: .topLevel)
            }
            return true
        } catch {
            cancellation.cancel()
            return false
        }
    }

    /// Adds the second half's steps, printed lines and functions to this interpreter's. Returns
    /// false when a check that a run on one thread makes fails: the step limit, the limit on
    /// printed output, or the duplicate check of a function. The caller then discards this
    /// interpreter's document, steps and printed lines.
    private func join(
        _ worker: Interpreter, functionsBefore: Int, stepsBefore: Int, printedBefore: Int, printedBytesBefore: Int
    ) -> Bool {
        // Both halves started counting at `stepsBefore`, so the total counts those steps once.
        let totalSteps = Value.sum(steps, worker.steps - stepsBefore)
        guard totalSteps <= limits.steps else { return false }
        let totalPrintedBytes = Value.sum(printedBytes, worker.printedBytes - printedBytesBefore)
        guard totalPrintedBytes <= limits.stringBytes else { return false }

        if let field = worker.document.body.map.entry("functions"), let keywordSpan = field.keySpan,
            case .map(let functions) = field.value.kind {
            // The second half started from a copy of the document, so its functions follow those
            // declared before the loop.
            for entry in functions.entries.dropFirst(functionsBefore) {
                guard let nameSpan = entry.keySpan, document.functionNameSpans[entry.key] == nil,
                    (try? checkFunctionsField(canAdd: entry.key, at: nameSpan)) != nil
                else { return false }
                addFunction(entry.key, entry.value, nameSpan: nameSpan, keywordSpan: keywordSpan)
            }
        }

        steps = totalSteps
        replacePrinted(printed + worker.printed.dropFirst(printedBefore), bytes: totalPrintedBytes)
        return true
    }

    /// Returns the number of entries in the `functions` field of `document`.
    private static func functionCount(_ document: DocumentBuilder) -> Int {
        guard let field = document.body.map["functions"], case .map(let functions) = field.kind else { return 0 }
        return functions.count
    }

    /// Returns whether running `statements` at the top level can only declare functions, bind
    /// names and assign: no `service`, `provider`, `resources`, field, `import`, `stream`,
    /// `event` or `return`, also inside nested `if` statements and loops. A loop whose body
    /// declares anything else changes the document in ways the join does not merge, so it runs
    /// on one thread.
    static func declaresOnlyFunctions(_ statements: [Statement]) -> Bool {
        for index in statements.indices {
            switch statements[index].kind {
            case .functionDeclaration, .binding, .assignment, .function:
                continue
            case .expression(let expression):
                guard case .conditional(let conditional) = expression.kind else { continue }
                guard declaresOnlyFunctions(conditional.then.statements) else { return false }
                if let otherwise = conditional.otherwise, !declaresOnlyFunctions(otherwise.statements) {
                    return false
                }
            case .loop(_, _, let body):
                guard declaresOnlyFunctions(body.statements) else { return false }
            case .return, .import, .field, .service, .provider, .resources, .stream, .event:
                return false
            }
        }
        return true
    }
}
