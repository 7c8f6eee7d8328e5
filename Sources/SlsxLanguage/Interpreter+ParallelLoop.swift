import SlsxSource
import Synchronization

/// The error that stops a half of a loop running on two threads before it changes a scope made
/// before the loop, which the other half must see unchanged, or imports a module. It never
/// reaches the user, because the loop then runs again on one thread.
struct ParallelLoopAbort: Error {}

/// The state that the first half of a loop running on two threads publishes for the second:
/// whether it failed or ended, and how many steps it has taken. The second half reads the failure
/// and the steps before every iteration. Its replica reads whether the first half ended before
/// each statement that comes before the loop.
final class LoopProgress: Sendable {
    private let failed = Atomic<Bool>(false)
    private let ended = Atomic<Bool>(false)
    private let firstHalfSteps = Atomic<Int>(0)

    var hasFailed: Bool { failed.load(ordering: .relaxed) }

    func fail() {
        failed.store(true, ordering: .relaxed)
    }

    /// Whether the first half ended, with or without an error.
    var hasFirstHalfEnded: Bool { ended.load(ordering: .relaxed) }

    func endFirstHalf() {
        ended.store(true, ordering: .relaxed)
    }

    /// The steps the first half has taken since the loop started, as last published.
    var stepsOfFirstHalf: Int { firstHalfSteps.load(ordering: .relaxed) }

    func publishFirstHalf(steps: Int) {
        firstHalfSteps.store(steps, ordering: .relaxed)
    }
}

extension Interpreter {
    /// The minimum number of iterations for which a loop runs on two threads. Below it, starting a
    /// thread and copying the document are assumed to cost about as much as they save. The value
    /// is an estimate, not a measurement.
    static let parallelLoopMinimumIterations = 64

    /// The maximum number of steps before a loop, per item of the loop, for which it runs on two
    /// threads, because the second thread runs those steps again first.
    static let replicaStepsPerItem = 8

    /// The stack that the second half counts as used on top of what the first thread used at the
    /// loop. It covers frames that the compiler lays out differently in the two threads' calls of
    /// `iterate`, so that the second half never has more room than a run on one thread. A second
    /// half stopped by it runs again on this thread, which gives the one-thread result.
    static let secondHalfStackMargin: UInt = 64 * 1024

    /// Whether a top-level loop may run on two threads now: the option is on, this is not a REPL
    /// entry, no such loop is running already, and `entryFile` is set.
    var canRunLoopOnTwoThreads: Bool {
        options.parallelLoops && !recordsDeclarations && readOnlyBelow == 0 && entryFile != nil
    }

    /// Runs a loop at the top level of the script with the first half of its iterations on this
    /// thread and the second half on a new one. Returns the position of the first iteration that
    /// the caller must still run on one thread (the item count when none is left), or `nil` when
    /// the caller must run the whole loop, having changed nothing. It declines (returns `nil`)
    /// below `parallelLoopMinimumIterations` items, after more than `replicaStepsPerItem` steps
    /// per item before the loop, when the body could declare anything but functions
    /// (`Interpreter.declaresOnlyFunctions`), or when the thread cannot be started.
    ///
    /// The result is the same as on one thread, whatever the timing: the same document, the same
    /// errors, the same printed lines in the same order, the same step count. This interpreter
    /// runs the first half exactly as a run on one thread would, from the same state. The second
    /// half runs in a replica (`makeLoopReplica`): an interpreter that parses the script again and
    /// runs it up to the loop, with objects of its own. After both halves end, the second half's
    /// functions are added to this document in order, after the same duplicate checks as a
    /// declaration, and the printed lines of both halves pass on in order.
    ///
    /// Contract on failure. Only a second half that succeeds and passes every check of the join
    /// is kept. Otherwise:
    /// - An error in the first half (a script error or a limit) is the error of a run on one
    ///   thread, because the first half is that run's beginning. It is thrown after the lines
    ///   printed before it pass on.
    /// - When the replica cannot be made or the second half fails, or the join finds a duplicate
    ///   function or step or printed-output totals over their limits, the second half is
    ///   discarded. The method returns the second half's first position, and the caller runs those
    ///   iterations on one thread, from where the first half ended, which gives the error of a
    ///   run on one thread.
    /// - A `ParallelLoopAbort` in the first half discards both halves: a write to a scope made
    ///   before the loop, which the replica copied as it was, or an import. So does the evaluation
    ///   stack's check in the first half (`EvaluationError.exhaustedStack`), because the first
    ///   half runs below more native frames than the caller's loop, with less room. The document,
    ///   step count and printed lines go back to their state after the loop's items were
    ///   evaluated, and the method returns `nil`, so that the caller runs the whole loop again.
    /// The iterations that the caller runs have the same native frames below them as in a run on
    /// one thread, so the stack check fires where it would there. The second half's interpreter
    /// counts the stack that this thread used at the loop, plus `secondHalfStackMargin`, as used
    /// (`markStackBase(alreadyUsed:)`), so it has less room than the same iterations on one thread. Where the check would fire on
    /// one thread, it therefore fires in the second half too, and the caller runs that half again.
    /// The second half stops at its next iteration when the first half has failed, or when both
    /// halves together have taken more steps than the limit. A runaway loop therefore takes as
    /// many steps on this thread as on one thread, and the second half adds about half as many
    /// on the other thread.
    ///
    /// Thread safety: the halves share no object that either changes. The replica has its own
    /// AST, scopes, closures, module values, document, step count, call stack, printed lines and
    /// stack base. Both threads only read the `SourceFile`s, the dictionaries of
    /// `EvaluationOptions` (the replica's copy has no `output`), the static built-in table, the
    /// globals' `ScopeLayout` and the `AWS` value, and Swift's reference counts are atomic.
    /// `SourceFileTable` takes a lock, and `LoopProgress` holds atomics. This interpreter reads
    /// the replica's document and printed lines only after the thread ended.
    func runLoopOnTwoThreads(
        _ items: LoopItems, names: [Name], body: Block, span: SourceSpan, statementSpan: SourceSpan, in environment: Environment
    ) throws -> Int? {
        // The replica runs the statements before the loop again (`steps` steps) while the first
        // half runs, and an iteration that declares a function takes a few steps at least.
        // Building the loop's list with a comprehension also takes a few steps per item. The
        // bound of `replicaStepsPerItem` is an estimate that keeps this thread from waiting long
        // for the replica.
        guard let count = items.count, count >= Interpreter.parallelLoopMinimumIterations,
            steps / Interpreter.replicaStepsPerItem <= count,
            Interpreter.declaresOnlyFunctions(body.statements), let entryFile
        else { return nil }

        let savedDocument = document.copy()
        let savedSteps = steps
        let savedPrinted = printed
        let savedPrintedBytes = printedBytes
        // Scopes made from here on have a new generation, and older ones are read-only until
        // both halves end.
        generation += 1
        readOnlyBelow = generation
        let half = count / 2
        let progress = LoopProgress()
        let start = LoopStart(
            statementSpan: statementSpan, steps: steps, printedCount: printed.count, printedBytes: printedBytes,
            fieldCount: document.body.map.count, functionCount: Interpreter.functionCount(document), itemCount: count)
        let moduleFiles = modules.files
        let replicaOptions = options
        let importRoot = modules.root
        let givesUpEarly = replicaGivesUpEarly
        let (charged, overflow) = stackInUse.addingReportingOverflow(Interpreter.secondHalfStackMargin)
        let usedStack = overflow ? UInt.max : charged

        let outcome: (worker: Interpreter??, firstHalfError: Error?)
        do {
            outcome = try ScopedThread.run(
                stackSize: LargeStack.stackSize,
                { () -> Interpreter? in
                    guard let replica = Interpreter.makeLoopReplica(
                        file: entryFile, moduleFiles: moduleFiles, options: replicaOptions, importRoot: importRoot, start: start,
                        progress: progress, givesUpEarly: givesUpEarly, stackInUse: usedStack)
                    else { return nil }
                    let worker = replica.interpreter
                    // The replica marked its base inside `makeLoopReplica`, below the frames that
                    // the second half starts from. Marked again here, all of them count.
                    worker.markStackBase(alreadyUsed: usedStack)
                    let succeeded = worker.runSecondHalf(
                        replica.items, positions: half..<count, names: replica.names, body: replica.body, span: replica.iterableSpan,
                        in: replica.environment, progress: progress)
                    return succeeded ? worker : nil
                },
                meanwhile: {
                    runFirstHalf(
                        items, positions: 0..<half, names: names, body: body, span: span, in: environment,
                        stepsBefore: savedSteps, progress: progress)
                })
        } catch {
            readOnlyBelow = 0
            return nil
        }
        readOnlyBelow = 0

        if outcome.firstHalfError is ParallelLoopAbort || (outcome.firstHalfError as? EvaluationError)?.exhaustedStack == true {
            document = savedDocument
            steps = savedSteps
            replacePrinted(savedPrinted, bytes: savedPrintedBytes)
            return nil
        }
        var joined = false
        if outcome.firstHalfError == nil, let worker = outcome.worker ?? nil {
            joined = join(
                worker, functionsBefore: start.functionCount, stepsBefore: savedSteps, printedBefore: savedPrinted.count,
                printedBytesBefore: savedPrintedBytes)
        }
        for line in printed.dropFirst(savedPrinted.count) {
            options.output?(line)
        }
        if let error = outcome.firstHalfError {
            throw error
        }
        if joined {
            parallelLoopCount += 1
            return count
        }
        return half
    }

    /// Runs the first half's iterations and returns the error that stopped them, or `nil`. It
    /// publishes its steps in `progress` before each iteration, and marks it as failed on an
    /// error, so that the second half stops early.
    private func runFirstHalf(
        _ items: LoopItems, positions: Range<Int>, names: [Name], body: Block, span: SourceSpan, in environment: Environment,
        stepsBefore: Int, progress: LoopProgress
    ) -> Error? {
        do {
            defer { progress.endFirstHalf() }
            try iterate(items, names: names, layout: body.layout, span: span, positions: positions, in: environment) { scope in
                progress.publishFirstHalf(steps: steps - stepsBefore)
                try executeStatements(body.statements, in: scope, context: .topLevel)
            }
            return nil
        } catch {
            progress.fail()
            return error
        }
    }

    /// Runs the second half's iterations and returns whether all of them succeeded. Before each
    /// iteration it stops, as failed, when the first half failed or when both halves together
    /// have taken more steps than the limit.
    private func runSecondHalf(
        _ items: LoopItems, positions: Range<Int>, names: [Name], body: Block, span: SourceSpan, in environment: Environment,
        progress: LoopProgress
    ) -> Bool {
        do {
            try iterate(items, names: names, layout: body.layout, span: span, positions: positions, in: environment) { scope in
                // `steps` counts from `stepsBefore`, so adding the first half's gives the total.
                if progress.hasFailed || Value.sum(steps, progress.stepsOfFirstHalf) > limits.steps {
                    throw ParallelLoopAbort()
                }
                try executeStatements(body.statements, in: scope, context: .topLevel)
            }
            return true
        } catch {
            // The caller discards this half. Releasing its functions now keeps them from adding
            // to the memory that the first half still uses, as in a runaway loop.
            document = DocumentBuilder()
            replacePrinted([], bytes: 0)
            return false
        }
    }

    /// Adds the second half's steps, printed lines and functions to this interpreter's. Returns
    /// false, having changed nothing, when a check that a run on one thread makes would fail: the
    /// step limit, the limit on printed output, or the duplicate check of a function.
    private func join(
        _ worker: Interpreter, functionsBefore: Int, stepsBefore: Int, printedBefore: Int, printedBytesBefore: Int
    ) -> Bool {
        // Both halves started counting at `stepsBefore`, so the total counts those steps once.
        let totalSteps = Value.sum(steps, worker.steps - stepsBefore)
        guard totalSteps <= limits.steps else { return false }
        let totalPrintedBytes = Value.sum(printedBytes, worker.printedBytes - printedBytesBefore)
        guard totalPrintedBytes <= limits.stringBytes else { return false }

        // The second half started from a copy of the document, so its functions follow those
        // declared before the loop. It checked them against each other and against those.
        var added: ArraySlice<OrderedMap.Entry> = []
        var keywordSpan: SourceSpan?
        if let field = worker.document.body.map.entry("functions"), case .map(let functions) = field.value.kind {
            added = functions.entries.dropFirst(functionsBefore)
            keywordSpan = field.keySpan
        }
        var existing: OrderedMap?
        if let field = document.body.map["functions"] {
            // A `functions` field that is not a map takes no function, and a run on one thread
            // reports the first one declared after it.
            if case .map(let functions) = field.kind {
                existing = functions
            } else if !added.isEmpty {
                return false
            }
        }
        for entry in added {
            guard entry.keySpan != nil, document.functionNameSpans[entry.key] == nil, existing?[entry.key] == nil else {
                return false
            }
        }

        if let keywordSpan {
            for entry in added {
                if let nameSpan = entry.keySpan {
                    addFunction(entry.key, entry.value, nameSpan: nameSpan, keywordSpan: keywordSpan)
                }
            }
        } else if !added.isEmpty {
            return false
        }
        steps = totalSteps
        replacePrinted(printed + worker.printed.dropFirst(printedBefore), bytes: totalPrintedBytes)
        // The second half's option reads count only now that its iterations are kept. When they
        // run again on this thread instead, they record their reads here.
        for name in worker.optionReads.recorded {
            optionReads.record(name)
        }
        return true
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
