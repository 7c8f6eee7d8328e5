import Foundation
@testable import SlsxLanguage
import SlsxSource
import Testing

/// A long top-level loop runs its two halves on two threads. These tests run each script twice,
/// with `EvaluationOptions.parallelLoops` on and off, and expect the same document, diagnostics,
/// printed lines and step count. They also check whether the loop ran on two threads, so that
/// they cannot pass by always falling back to one thread.
@Suite struct ParallelLoopTests {
    /// What one evaluation produced.
    struct Run: Equatable {
        /// The document in slsx syntax, or the rendered diagnostics.
        var result: String
        /// The lines that reached `EvaluationOptions.output`, in order.
        var output: [String]
        var steps: Int
        /// The number of loops that ran on two threads and were kept.
        var loopsOnTwoThreads: Int
        /// The keys of the document's `functions` map, in order, or `[]` when the run failed.
        var functionNames: [String] = []
        /// The number of replicas that loops on two threads started, kept or not.
        var replicasStarted = 0
    }

    /// Collects the lines of `print` from the evaluation thread.
    final class Lines: @unchecked Sendable {
        private let lock = Lock()
        private var lines: [String] = []

        func append(_ line: String) {
            lock.locked { lines.append(line) }
        }

        var all: [String] { lock.locked { lines } }
    }

    /// Evaluates `text` as `Evaluator` does, keeping the interpreter to read its counters.
    static func run(
        _ text: String, parallel: Bool, limits: Limits = Limits(), path: String = "test.slsx", importRoot: String? = nil,
        replicaGivesUpEarly: Bool = false
    ) -> Run {
        let lines = Lines()
        let options = EvaluationOptions(limits: limits, output: { lines.append($0) }, parallelLoops: parallel)
        let file = SourceFile(path: path, text: text)
        let outcome = LargeStack.run { () -> (String, Int, Int, [String], Int) in
            let parsed = Parser.parse(file)
            let interpreter = Interpreter(options: options, importRoot: importRoot)
            interpreter.entryFile = file
            // When a replica may give up because the first half ended first, the loop count
            // depends on the timing. The results do not.
            interpreter.replicaGivesUpEarly = replicaGivesUpEarly
            interpreter.markStackBase()
            do {
                let script = try Resolver.resolve(parsed.script, globals: interpreter.globals.layout)
                let scope = Environment.make(parent: interpreter.globals, layout: script.layout ?? .empty)
                _ = try interpreter.runTopLevel(script, in: scope, loneMapIsDocument: true)
                let map = interpreter.document.body.map
                var names: [String] = []
                if case .map(let functions)? = map["functions"]?.kind {
                    names = functions.keys
                }
                return (
                    ValueFormatter.format(Value(.map(map))), interpreter.steps, interpreter.parallelLoopCount, names,
                    interpreter.replicaStartCount)
            } catch let error as EvaluationError {
                return (
                    DiagnosticRenderer().render(error.diagnostics), interpreter.steps, interpreter.parallelLoopCount, [],
                    interpreter.replicaStartCount)
            } catch {
                return ("unexpected error: \(error)", interpreter.steps, interpreter.parallelLoopCount, [], interpreter.replicaStartCount)
            }
        }
        guard case .success(let (result, steps, loops, names, replicas)) = outcome else {
            return Run(result: "no evaluation thread", output: [], steps: 0, loopsOnTwoThreads: 0)
        }
        return Run(
            result: result, output: lines.all, steps: steps, loopsOnTwoThreads: loops, functionNames: names,
            replicasStarted: replicas)
    }

    /// Runs `text` on one thread and twice with parallel loops, with and without replicas that
    /// give up early, and expects the same results. Returns the run whose replicas never give up.
    static func compare(
        _ text: String, limits: Limits = Limits(), path: String = "test.slsx", importRoot: String? = nil
    ) -> Run {
        let sequential = run(text, parallel: false, limits: limits, path: path, importRoot: importRoot)
        let parallel = run(text, parallel: true, limits: limits, path: path, importRoot: importRoot)
        let timed = run(text, parallel: true, limits: limits, path: path, importRoot: importRoot, replicaGivesUpEarly: true)
        #expect(sequential.loopsOnTwoThreads == 0)
        #expect(timed.result == sequential.result)
        #expect(timed.output == sequential.output)
        #expect(timed.steps == sequential.steps)
        #expect(parallel.result == sequential.result)
        #expect(parallel.output == sequential.output)
        #expect(parallel.steps == sequential.steps)
        #expect(parallel.functionNames == sequential.functionNames)
        return parallel
    }

    // MARK: - Loops that run on two threads

    @Test func rangeLoopWithNestedBlocks() {
        let run = Self.compare("""
            service "s"
            let region = "us-east-1"
            fn arn(name) = "arn:aws:kinesis:\\(region):123456789012:stream/\\(name)"
            for i in 0..<100 {
              let name = "f-\\(i)"
              if i % 10 == 0 {
                function name {
                  handler: "h.main"
                  for j in 0..<2 { stream arn("\\(name)-\\(j)") }
                }
              } else if i % 10 == 5 {
                for k in 0..<1 { function "\\(name)-\\(k)" { handler: "h.odd" } }
              }
            }
            """)
        #expect(run.loopsOnTwoThreads == 1)
        #expect(run.functionNames == [
            "f-0", "f-5-0", "f-10", "f-15-0", "f-20", "f-25-0", "f-30", "f-35-0", "f-40", "f-45-0",
            "f-50", "f-55-0", "f-60", "f-65-0", "f-70", "f-75-0", "f-80", "f-85-0", "f-90", "f-95-0",
        ])
        #expect(run.result.contains("\"f-90\": {handler: \"h.main\", events: [{stream: \"arn:aws:kinesis:us-east-1:123456789012:stream/f-90-0\"}, {stream: \"arn:aws:kinesis:us-east-1:123456789012:stream/f-90-1\"}]}"))
    }

    @Test func listLoopWithIndex() {
        let run = Self.compare("""
            let names = ["n\\(i)" for i in 0..<64]
            for i, name in names { function name { handler: "h\\(i)" } }
            """)
        #expect(run.loopsOnTwoThreads == 1)
        #expect(run.functionNames == (0..<64).map { "n\($0)" })
        #expect(run.result.hasSuffix("n63: {handler: \"h63\"}}}"))
    }

    @Test func mapLoopWithValues() {
        let run = Self.compare("""
            let sizes = {"m\\(i)": i * 10 for i in 0..<70}
            for key, size in sizes { function key { memorySize: size } }
            """)
        #expect(run.loopsOnTwoThreads == 1)
        #expect(run.functionNames == (0..<70).map { "m\($0)" })
        #expect(run.result.hasSuffix("m69: {memorySize: 690}}}"))
    }

    @Test func closureReadsOuterVariable() {
        // The closure reads `prefix`, a variable declared before the loop, without changing it.
        let run = Self.compare("""
            var prefix = "w"
            fn label(i) = "\\(prefix)-\\(i)"
            for i in 0..<80 { function label(i) { handler: label(i * 2) } }
            """)
        #expect(run.loopsOnTwoThreads == 1)
        #expect(run.functionNames.count == 80)
        #expect(run.result.hasSuffix("\"w-79\": {handler: \"w-158\"}}}"))
    }

    @Test func moduleFunctionsInLoop() {
        // The shape of the benchmark workload: functions of a module imported before the loop and
        // closures of the script, called in every iteration.
        let run = Self.compare("""
            import "arn" as arn
            let region = "us-east-1"
            fn streamArn(name, j) =
              if j % 2 == 0 { arn.kinesisStream(region, "123456789012", "\\(name)-\\(j)") }
              else { arn.dynamodbStream(region, "123456789012", "\\(name)-\\(j)", "2024-01-01T00:00:00.000") }
            for i in 0..<100 {
              let name = "worker-\\(i)"
              function name {
                handler: "src/worker.handle"
                for j in 0..<2 { stream { arn: streamArn(name, j), batchSize: 100 } }
              }
            }
            """)
        #expect(run.loopsOnTwoThreads == 1)
        #expect(run.functionNames == (0..<100).map { "worker-\($0)" })
        #expect(run.result.contains(
            "\"worker-99\": {handler: \"src/worker.handle\", events: [{stream: {arn: \"arn:aws:kinesis:us-east-1:123456789012:stream/worker-99-0\", batchSize: 100}}, "))
    }

    @Test func fileModuleImportedBeforeLoop() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("slsx-loop-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "fn handler(i) = \"src/h\\(i % 3).main\"\n".write(toFile: root + "/common.slsx", atomically: true, encoding: .utf8)

        let run = Self.compare("""
            import "./common.slsx" as common
            for i in 0..<90 { function "f\\(i)" { handler: common.handler(i) } }
            """, path: root + "/main.slsx", importRoot: root)
        #expect(run.loopsOnTwoThreads == 1)
        #expect(run.functionNames == (0..<90).map { "f\($0)" })
        #expect(run.result.hasSuffix("f89: {handler: \"src/h2.main\"}}}"))
    }

    @Test func printKeepsLineOrder() {
        let run = Self.compare("""
            print("before")
            for i in 0..<100 {
              print("line \\(i)")
              function "f\\(i)" {}
            }
            print("after")
            """)
        #expect(run.loopsOnTwoThreads == 1)
        #expect(run.output == ["before"] + (0..<100).map { "line \($0)" } + ["after"])
    }

    @Test func twoLoopsBothRunOnTwoThreads() {
        let run = Self.compare("""
            for i in 0..<64 { function "a\\(i)" {} }
            for i in 0..<300 { function "b\\(i)" {} }
            """)
        #expect(run.loopsOnTwoThreads == 2)
        #expect(run.functionNames == (0..<64).map { "a\($0)" } + (0..<300).map { "b\($0)" })
    }

    @Test func longWorkBeforeLoopStaysOnOneThread() {
        // The comprehension takes more than 8 steps per item of the loop, which the replica
        // would run again before the second half.
        let run = Self.compare("""
            let sizes = [i * 2 for i in 0..<5000]
            for i in 0..<100 { function "f\\(i)" { memorySize: sizes[i] } }
            """)
        #expect(run.loopsOnTwoThreads == 0)
        #expect(run.result.hasSuffix("f99: {memorySize: 198}}}"))
    }

    // MARK: - Loops that stay on one thread

    @Test func shortLoopStaysOnOneThread() {
        let run = Self.compare("for i in 0..<63 { function \"f\\(i)\" {} }")
        #expect(run.loopsOnTwoThreads == 0)
        #expect(run.functionNames.count == 63)
    }

    @Test func loopWithFieldStaysOnOneThread() {
        let run = Self.compare("""
            for i in 0..<100 {
              if i == 99 { service "s" }
              function "f\\(i)" {}
            }
            """)
        #expect(run.loopsOnTwoThreads == 0)
        #expect(run.result.hasSuffix("f99: {}}, service: \"s\"}"))
    }

    @Test func loopInsideIfStaysOnOneThread() {
        let run = Self.compare("if true { for i in 0..<100 { function \"f\\(i)\" {} } }")
        #expect(run.loopsOnTwoThreads == 0)
        #expect(run.replicasStarted == 0)
        #expect(run.functionNames.count == 100)
    }

    @Test func topLevelLoopStartsOneReplica() {
        let run = Self.compare("for i in 0..<100 { function \"f\\(i)\" {} }")
        #expect(run.replicasStarted == 1)
        #expect(run.loopsOnTwoThreads == 1)
    }

    @Test func replEntryStaysOnOneThread() {
        let session = Session(options: EvaluationOptions())
        let result = session.evaluate(SourceFile(path: "<repl>", text: "for i in 0..<100 { function \"f\\(i)\" {} }"))
        #expect(result.diagnostics.isEmpty)
        #expect(result.declarations.count == 100)
    }

    // MARK: - Chunks taken from both ends

    @Test func manyChunksKeepFunctionAndLineOrder() {
        let run = Self.compare("""
            for i in 0..<1000 {
              if i % 7 == 0 { print("seven \\(i)") }
              function "f\\(i)" { memorySize: 128 + i }
            }
            """)
        #expect(run.loopsOnTwoThreads == 1)
        #expect(run.functionNames == (0..<1000).map { "f\($0)" })
        #expect(run.output == stride(from: 0, to: 1000, by: 7).map { "seven \($0)" })
    }

    @Test func functionsFieldStartsAtFirstFunctionInPositionOrder() {
        // The replica runs its last chunk first, which declares `b…`. A run on one thread makes
        // the `functions` field at the first `a…`, and the duplicate field's note points there.
        let run = Self.compare("""
            for p in 0..<5000 {
              if p >= 4688 && p < 4844 { function "a\\(p)" { handler: "h" } }
              if p >= 4844 { function "b\\(p)" { handler: "h" } }
            }
            functions: {}
            """)
        #expect(run.result.contains("test.slsx:2:30: note: 'functions' is first set here"))
    }

    @Test(arguments: [0, 1, 31, 50, 96, 97, 99])
    func errorAtAnyPositionMatchesOneThread(position: Int) {
        let run = Self.compare("""
            for i in 0..<100 {
              print("line \\(i)")
              if i == \(position) { let x = [1][5] }
              function "f\\(i)" {}
            }
            """)
        #expect(run.loopsOnTwoThreads == 0)
        #expect(run.output == (0...position).map { "line \($0)" })
        #expect(run.result.contains("error: "))
    }

    @Test(arguments: [(0, 99), (40, 60), (96, 99), (97, 98)])
    func duplicateAtAnyPositionsMatchesOneThread(first: Int, second: Int) {
        let run = Self.compare("""
            for i in 0..<100 {
              let name = if i == \(first) || i == \(second) { "dup" } else { "f\\(i)" }
              function name {}
            }
            """)
        #expect(run.loopsOnTwoThreads == 0)
        #expect(run.result.contains("error: duplicate function 'dup'"))
    }

    // MARK: - Fallbacks to one thread

    @Test func duplicateAcrossHalvesFallsBack() {
        let run = Self.compare("""
            for i in 0..<100 {
              let name = if i == 10 || i == 60 { "dup" } else { "f\\(i)" }
              function name {}
            }
            """)
        #expect(run.loopsOnTwoThreads == 0)
        #expect(run.result.contains("test.slsx:2:38: error: duplicate function 'dup'"))
        #expect(run.result.contains("test.slsx:2:38: note: 'dup' is first declared here"))
    }

    @Test func errorInSecondHalfFallsBack() {
        let run = Self.compare("""
            for i in 0..<100 {
              function "f\\(i)" { memorySize: if i == 90 { 1 / 0 } else { 128 } }
            }
            """)
        #expect(run.loopsOnTwoThreads == 0)
        #expect(run.result.hasPrefix("test.slsx:2:51: error: division by zero"))
    }

    @Test func errorsInBothHalvesReportFirst() {
        let run = Self.compare("""
            for i in 0..<100 {
              if i == 10 { let a = 1 / 0 }
              if i == 90 { let b = missing }
              function "f\\(i)" {}
            }
            """)
        #expect(run.loopsOnTwoThreads == 0)
        #expect(run.result.hasPrefix("test.slsx:2:28: error: division by zero"))
        #expect(!run.result.contains("missing"))
    }

    @Test func stepLimitReachedOnlyByBothHalves() {
        let script = "for i in 0..<100 { function \"f\\(i)\" { handler: \"h\" } }"
        let total = Self.run(script, parallel: false).steps
        #expect(total > 300)
        // Each half takes about half of `total` steps, less than the limit, but the two together
        // take one more than the limit.
        let run = Self.compare(script, limits: Limits(steps: total - 1))
        #expect(run.loopsOnTwoThreads == 0)
        #expect(run.result.hasPrefix("test.slsx:1:"))
        #expect(run.result.contains("error: evaluation step limit (\(total - 1)) exceeded"))
    }

    @Test func runawayLoopStopsAtStepLimit() {
        let run = Self.compare(
            "for i in 0..<1000000000 { function \"f\\(i)\" { handler: \"h\" } }", limits: Limits(steps: 20_000))
        #expect(run.loopsOnTwoThreads == 0)
        #expect(run.result.hasPrefix("test.slsx:1:"))
        #expect(run.result.contains("error: evaluation step limit (20000) exceeded"))
    }

    @Test func assignmentToOuterVariableFallsBack() {
        let run = Self.compare("""
            var count = 0
            for i in 0..<100 {
              count += 1
              function "f\\(i)" { memorySize: count }
            }
            function "total" { handler: "h\\(count)" }
            """)
        #expect(run.loopsOnTwoThreads == 0)
        #expect(run.result.contains("f99: {memorySize: 100}, total: {handler: \"h100\"}"))
        #expect(run.result.contains("handler: \"h100\""))
    }

    @Test func assignmentInSecondHalfFallsBack() {
        let run = Self.compare("""
            var late = 0
            for i in 0..<100 {
              if i >= 80 { late += 1 }
              function "f\\(i)" { memorySize: late }
            }
            """)
        #expect(run.loopsOnTwoThreads == 0)
        #expect(run.result.hasSuffix("f99: {memorySize: 20}}}"))
    }

    @Test func assignmentThroughClosureFallsBack() {
        let run = Self.compare("""
            var counter = 0
            fn next() {
              counter = counter + 1
              return counter
            }
            for i in 0..<100 { function "f\\(next())" {} }
            function "last" { handler: "h\\(counter)" }
            """)
        #expect(run.loopsOnTwoThreads == 0)
        #expect(run.functionNames == (1...100).map { "f\($0)" } + ["last"])
        #expect(run.result.contains("handler: \"h100\""))
    }

    @Test func printBeforeErrorFallsBack() {
        let run = Self.compare("""
            for i in 0..<100 {
              print("line \\(i)")
              if i == 70 { let x = [1][5] }
              function "f\\(i)" {}
            }
            """)
        #expect(run.loopsOnTwoThreads == 0)
        #expect(run.output == (0...70).map { "line \($0)" })
        #expect(run.result.contains("error: "))
    }

    @Test func functionsFieldThatIsNotAMapKeepsSecondHalf() {
        // The second half declares no function, so the join adds only its steps and lines.
        let run = Self.compare("""
            functions: null
            for i in 0..<100 { print("line \\(i)") }
            """)
        #expect(run.loopsOnTwoThreads == 1)
        #expect(run.output == (0..<100).map { "line \($0)" })
        #expect(run.result == "{functions: null}")
    }

    @Test func functionAfterFieldThatIsNotAMapFallsBack() {
        let run = Self.compare("""
            functions: 5
            for i in 0..<100 { if i == 70 { function "f" {} } }
            """)
        #expect(run.loopsOnTwoThreads == 0)
        #expect(run.result.contains("error: "))
    }

    @Test func stackUsedBeforeLoopCountsForSecondHalf() {
        // Both marks are made from this frame, so the two counts differ only by their charges.
        let interpreter = Interpreter(options: EvaluationOptions(), importRoot: nil)
        interpreter.markStackBase(alreadyUsed: 4096)
        let charged = interpreter.stackInUse
        interpreter.markStackBase(alreadyUsed: 8192)
        #expect(charged > 0)
        #expect(interpreter.stackInUse == charged + 4096)
    }

    @Test func readOnlyScopeCheckPassesOutsideLoops() throws {
        let interpreter = Interpreter(options: EvaluationOptions(), importRoot: nil)
        let scope = interpreter.makeScope(parent: nil)
        #expect(interpreter.readOnlyBelow == 0)
        try interpreter.checkWritable(scope)
        interpreter.generation = 2
        interpreter.readOnlyBelow = 2
        #expect(throws: ParallelLoopAbort.self) { try interpreter.checkWritable(scope) }
        try interpreter.checkWritable(interpreter.makeScope(parent: scope))
    }
}
