import SlsxSource
import Synchronization

/// The error that stops a part of a loop running on two threads before it changes a scope made
/// before the loop, which the other part must see unchanged, or imports a module. It never
/// reaches the user, because the loop then runs again on one thread.
struct ParallelLoopAbort: Error {}

/// The state that the first part of a loop running on two threads publishes for the second:
/// whether it failed or ended, and how many steps it has taken. The second part reads the failure
/// and the steps before every iteration. Its replica reads whether the first part ended before
/// each statement that comes before the loop.
final class LoopProgress: Sendable {
    private let failed = Atomic<Bool>(false)
    private let ended = Atomic<Bool>(false)
    private let firstPartSteps = Atomic<Int>(0)

    var hasFailed: Bool { failed.load(ordering: .relaxed) }

    func fail() {
        failed.store(true, ordering: .relaxed)
    }

    /// Whether the first part ended, with or without an error.
    var hasFirstPartEnded: Bool { ended.load(ordering: .relaxed) }

    func endFirstPart() {
        ended.store(true, ordering: .relaxed)
    }

    /// The steps the first part has taken since the loop started, as last published.
    var stepsOfFirstPart: Int { firstPartSteps.load(ordering: .relaxed) }

    func publishFirstPart(steps: Int) {
        firstPartSteps.store(steps, ordering: .relaxed)
    }
}

extension Interpreter {
    /// The minimum number of iterations for which a loop runs on two threads. Below it, starting a
    /// thread and copying the document are assumed to cost about as much as they save. The value
    /// is an estimate, not a measurement.
    static let parallelLoopMinimumIterations = 64

    /// The number of chunks that a loop on two threads is cut into (`LoopChunks`). With 32, the
    /// last chunk is about 3 % of the loop, and a loop of the minimum length still has two
    /// iterations per chunk.
    static let loopChunkCount = 32

    /// The maximum number of steps before a loop, per item of the loop, for which it runs on two
    /// threads, because the second thread runs those steps again first.
    static let replicaStepsPerItem = 8

    /// The stack that the second part counts as used on top of what the first thread used at the
    /// loop. It covers frames that the compiler lays out differently in the two threads' calls of
    /// `iterate`, so that the second part never has more room than a run on one thread. A second
    /// part stopped by it runs again on this thread, which gives the one-thread result.
    static let secondHalfStackMargin: UInt = 64 * 1024

    /// Whether a top-level loop may run on two threads now: the option is on, this is not a REPL
    /// entry, no such loop is running already, and `entryFile` is set.
    var canRunLoopOnTwoThreads: Bool {
        options.parallelLoops && !recordsDeclarations && readOnlyBelow == 0 && entryFile != nil
    }

    /// Runs a loop at the top level of the script on this thread and a new one. Its positions are
    /// cut into chunks (`LoopChunks`). This thread takes them from the start and runs them in
    /// order, and the new thread takes them from the end, each the next chunk that no thread has
    /// taken. So a thread that runs slower takes fewer chunks. This thread's chunks are called
    /// the first part, the new thread's the second part. Returns the position of the first iteration
    /// that the caller must still run on one thread (the item count when none is left), or `nil`
    /// when the caller must run the whole loop, having changed nothing. It declines (returns
    /// `nil`) below `parallelLoopMinimumIterations` items, and after more than
    /// `replicaStepsPerItem` steps per item before the loop. It also declines when the body could
    /// declare anything but functions (`Interpreter.declaresOnlyFunctions`), when the loop is not
    /// itself a statement of the script (`topLevelStatements`), or when the thread cannot be
    /// started.
    ///
    /// The result is the same as on one thread, whatever the timing: the same document, the same
    /// errors, the same printed lines in the same order, the same step count. This interpreter
    /// runs the first part exactly as a run on one thread would run its beginning, from the same
    /// state. The second part runs in a replica (`makeLoopReplica`): an interpreter that parses
    /// the script again and runs it up to the loop, with objects of its own. It runs its chunks
    /// from the last one down, each in order, and notes where each chunk's functions and printed
    /// lines start. After both parts end, the second part's functions are added to this document
    /// in order of position, after the same duplicate checks as a declaration, and the printed
    /// lines of both parts pass on in that order too.
    ///
    /// Contract on failure. Only a second part that succeeds and passes every check of the join
    /// is kept. Otherwise:
    /// - An error in the first part (a script error or a limit) is the error of a run on one
    ///   thread, because the first part is that run's beginning. It is thrown after the lines
    ///   printed before it pass on.
    /// - When the replica cannot be made or the second part fails, or the join finds a duplicate
    ///   function or step or printed-output totals over their limits, the second part is
    ///   discarded. The method returns the second part's first position, and the caller runs those
    ///   iterations on one thread, from where the first part ended, which gives the error of a
    ///   run on one thread. The second part runs its chunks from the last one down, so it reports a
    ///   duplicate within its chunks at the earlier of the two declarations. That too only makes
    ///   the caller run those iterations again.
    /// - A `ParallelLoopAbort` in the first part discards both parts: a write to a scope made
    ///   before the loop, which the replica copied as it was, or an import. So does the evaluation
    ///   stack's check in the first part (`EvaluationError.exhaustedStack`), because the first
    ///   part runs below more native frames than the caller's loop, with less room. The document,
    ///   step count and printed lines go back to their state after the loop's items were
    ///   evaluated, and the method returns `nil`, so that the caller runs the whole loop again.
    /// The iterations that the caller runs have the same native frames below them as in a run on
    /// one thread, so the stack check fires where it would there. The second part's interpreter
    /// counts the stack that this thread used at the loop, plus `secondHalfStackMargin`, as used
    /// (`markStackBase(alreadyUsed:)`), so it has less room than the same iterations on one thread. Where the check would fire on
    /// one thread, it therefore fires in the second part too, and the caller runs that part again.
    /// The second part stops at its next iteration when the first part has failed, or when both
    /// parts together have taken more steps than the limit. A runaway loop therefore takes as
    /// many steps on this thread as on one thread, and the second part adds about as many
    /// on the other thread as it runs meanwhile.
    ///
    /// Thread safety: the parts share no object that either changes, other than the atomics of
    /// `LoopChunks` and `LoopProgress`. The replica has its own
    /// AST, scopes, closures, module values, document, step count, call stack, printed lines and
    /// stack base. Both threads only read the `SourceFile`s, the dictionaries of
    /// `EvaluationOptions` (the replica's copy has no `output`), the static built-in table, the
    /// globals' `ScopeLayout` and the `AWS` value, and Swift's reference counts are atomic.
    /// `SourceFileTable` takes a lock. This interpreter reads
    /// the replica's document and printed lines only after the thread ended.
    func runLoopOnTwoThreads(
        _ items: LoopItems, names: [Name], body: Block, span: SourceSpan, statementSpan: SourceSpan, in environment: Environment
    ) throws -> Int? {
        // The replica runs the statements before the loop again (`steps` steps) while the first
        // part runs, and an iteration that declares a function takes a few steps at least.
        // Building the loop's list with a comprehension also takes a few steps per item. The
        // bound of `replicaStepsPerItem` is an estimate that keeps this thread from waiting long
        // for the replica.
        guard let count = items.count, count >= Interpreter.parallelLoopMinimumIterations,
            steps / Interpreter.replicaStepsPerItem <= count,
            Interpreter.declaresOnlyFunctions(body.statements), let entryFile,
            topLevelStatements.contains(where: { $0.span == statementSpan })
        else { return nil }

        let savedDocument = document.copy()
        let savedSteps = steps
        let savedPrinted = printed
        let savedPrintedBytes = printedBytes
        // Scopes made from here on have a new generation, and older ones are read-only until
        // both parts end.
        generation += 1
        readOnlyBelow = generation
        let chunks = LoopChunks(positionCount: count, count: Interpreter.loopChunkCount)
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

        let outcome: (worker: SecondPart??, firstPartError: Error?)
        replicaStartCount += 1
        do {
            outcome = try ScopedThread.run(
                stackSize: LargeStack.stackSize,
                { () -> SecondPart? in
                    guard let replica = Interpreter.makeLoopReplica(
                        file: entryFile, moduleFiles: moduleFiles, options: replicaOptions, importRoot: importRoot, start: start,
                        progress: progress, givesUpEarly: givesUpEarly, stackInUse: usedStack)
                    else { return nil }
                    let worker = replica.interpreter
                    // The replica marked its base inside `makeLoopReplica`, below the frames that
                    // the second part starts from. Marked again here, all of them count.
                    worker.markStackBase(alreadyUsed: usedStack)
                    let chunkStarts = worker.runSecondPart(
                        replica.items, chunks: chunks, names: replica.names, body: replica.body, span: replica.iterableSpan,
                        in: replica.environment, progress: progress)
                    return chunkStarts.map { SecondPart(interpreter: worker, chunkStarts: $0) }
                },
                meanwhile: {
                    runFirstPart(
                        items, chunks: chunks, names: names, body: body, span: span, in: environment,
                        stepsBefore: savedSteps, progress: progress)
                })
        } catch {
            readOnlyBelow = 0
            return nil
        }
        readOnlyBelow = 0

        if outcome.firstPartError is ParallelLoopAbort || (outcome.firstPartError as? EvaluationError)?.exhaustedStack == true {
            document = savedDocument
            steps = savedSteps
            replacePrinted(savedPrinted, bytes: savedPrintedBytes)
            return nil
        }
        var joined = false
        if outcome.firstPartError == nil, let second = outcome.worker ?? nil {
            joined = join(second, stepsBefore: savedSteps, printedBytesBefore: savedPrintedBytes)
        }
        for line in printed.dropFirst(savedPrinted.count) {
            options.output?(line)
        }
        if let error = outcome.firstPartError {
            throw error
        }
        if joined {
            parallelLoopCount += 1
            return count
        }
        // Both threads have ended, so the chunks that the first part took are final.
        return chunks.endOfStartChunks
    }

    /// Runs the chunks that this thread takes from the start, in order, and returns the error
    /// that stopped them, or `nil`. It publishes its steps in `progress` before each iteration,
    /// and marks it as failed on an error, so that the second part stops early.
    private func runFirstPart(
        _ items: LoopItems, chunks: LoopChunks, names: [Name], body: Block, span: SourceSpan, in environment: Environment,
        stepsBefore: Int, progress: LoopProgress
    ) -> Error? {
        do {
            defer { progress.endFirstPart() }
            while let chunk = chunks.takeFromStart() {
                try iterate(
                    items, names: names, layout: body.layout, span: span, positions: chunks.positions(of: chunk), in: environment
                ) { scope in
                    progress.publishFirstPart(steps: steps - stepsBefore)
                    try executeStatements(body.statements, in: scope, context: .topLevel)
                }
            }
            return nil
        } catch {
            progress.fail()
            return error
        }
    }

    /// Runs the chunks that this replica takes from the end, the highest first, and returns where
    /// each chunk's functions and printed lines start, in the order run, or `nil` when an
    /// iteration failed. Before each iteration it stops, as failed, when the first part failed or
    /// when both parts together have taken more steps than the limit.
    private func runSecondPart(
        _ items: LoopItems, chunks: LoopChunks, names: [Name], body: Block, span: SourceSpan, in environment: Environment,
        progress: LoopProgress
    ) -> [SecondPart.ChunkStart]? {
        var starts: [SecondPart.ChunkStart] = []
        do {
            while let chunk = chunks.takeFromEnd() {
                starts.append(SecondPart.ChunkStart(functionCount: Interpreter.functionCount(document), printedCount: printed.count))
                firstAddedFunctionKeyword = nil
                defer { starts[starts.count - 1].firstFunctionKeyword = firstAddedFunctionKeyword }
                try iterate(
                    items, names: names, layout: body.layout, span: span, positions: chunks.positions(of: chunk), in: environment
                ) { scope in
                    // `steps` counts from `stepsBefore`, so adding the first part's gives the total.
                    if progress.hasFailed || Value.sum(steps, progress.stepsOfFirstPart) > limits.steps {
                        throw ParallelLoopAbort()
                    }
                    try executeStatements(body.statements, in: scope, context: .topLevel)
                }
            }
            return starts
        } catch {
            // The caller discards this part. Releasing its functions now keeps them from adding
            // to the memory that the first part still uses, as in a runaway loop.
            document = DocumentBuilder()
            replacePrinted([], bytes: 0)
            return nil
        }
    }

    /// Adds the second part's steps, printed lines and functions to this interpreter's, in order
    /// of position. Returns false, having changed nothing, when a check that a run on one thread
    /// makes would fail: the step limit, the limit on printed output, or the duplicate check of a
    /// function.
    private func join(
        _ second: SecondPart, stepsBefore: Int, printedBytesBefore: Int
    ) -> Bool {
        let worker = second.interpreter
        // Both parts started counting at `stepsBefore`, so the total counts those steps once.
        let totalSteps = Value.sum(steps, worker.steps - stepsBefore)
        guard totalSteps <= limits.steps else { return false }
        let totalPrintedBytes = Value.sum(printedBytes, worker.printedBytes - printedBytesBefore)
        guard totalPrintedBytes <= limits.stringBytes else { return false }

        // The second part started from a copy of the document, so its functions follow those
        // declared before the loop, where its first chunk started. It checked them against each
        // other and against those.
        var added: [OrderedMap.Entry] = []
        var keywordSpan: SourceSpan?
        if let field = worker.document.body.map.entry("functions"), case .map(let functions) = field.value.kind {
            added = second.inPositionOrder(functions.entries, startOfChunk: \.functionCount)
            // The replica made the field at the first function of the chunk it ran first, but a
            // run on one thread makes it at the first function in position order.
            keywordSpan = second.chunkStarts.reversed().lazy.compactMap(\.firstFunctionKeyword).first ?? field.keySpan
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
        // Dropping this copy leaves the document's map one reference, so adding to it copies nothing.
        existing = nil

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
        let workerPrinted = second.inPositionOrder(worker.printed, startOfChunk: \.printedCount)
        replacePrinted(printed + workerPrinted, bytes: totalPrintedBytes)
        // The second part's option reads count only now that its iterations are kept. When they
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

extension Interpreter {
    /// The replica that ran the second part of a loop on two threads, with where each of its
    /// chunks starts in the replica's functions and printed lines.
    struct SecondPart {
        /// The start of a chunk's functions and printed lines: the number of each before it.
        struct ChunkStart {
            var functionCount: Int
            var printedCount: Int
            /// The keyword span of the chunk's first function, once the chunk has run; `nil` when
            /// it declared none.
            var firstFunctionKeyword: SourceSpan?
        }

        let interpreter: Interpreter
        /// The chunks in the order run, from the highest down.
        let chunkStarts: [ChunkStart]

        /// Returns the elements that the chunks appended to `elements`, whose starts
        /// `startOfChunk` reads, in order of position: the lowest chunk's first.
        func inPositionOrder<Element>(_ elements: [Element], startOfChunk: KeyPath<ChunkStart, Int>) -> [Element] {
            guard let first = chunkStarts.first?[keyPath: startOfChunk] else { return [] }
            var ordered: [Element] = []
            ordered.reserveCapacity(elements.count - first)
            // Each chunk's elements end where the chunk run after it starts, and the last chunk
            // run, which is the lowest, ends at the end of `elements`.
            var end = elements.count
            for start in chunkStarts.reversed() {
                let begin = start[keyPath: startOfChunk]
                ordered.append(contentsOf: elements[begin..<end])
                end = begin
            }
            return ordered
        }
    }
}
