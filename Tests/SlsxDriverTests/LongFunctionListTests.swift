import SlsxDriver
import SlsxSource
import Testing

/// Documents with 100 functions, enough that conversion and decoding split `functions` into two
/// halves on two threads. Their output, diagnostics and variables must be what one thread
/// produces, in the same order, including where both halves report at the same span.
@Suite struct LongFunctionListTests {
    /// Renders a diagnostic as `line:column: severity: message`, followed by its notes.
    private func describe(_ diagnostic: Diagnostic) -> String {
        let location = diagnostic.span.map { $0.startLocation.description } ?? "-"
        let notes = diagnostic.notes.map { " [\($0.message)]" }.joined()
        return "\(location): \(diagnostic.severity.rawValue): \(diagnostic.message)\(notes)"
    }

    /// Runs `script` as `orders.slsx` with YAML output.
    private func run(_ script: String) -> PipelineResult {
        Pipeline.run(text: script, path: "orders.slsx", options: PipelineOptions(format: .yaml))
    }

    @Test func functionsKeepTheirOrder() {
        let script = """
            service "orders"
            provider { region: "us-east-1" }
            for i in 0..<100 {
              function "worker\\(i)" { handler: "src/worker.handle" }
            }
            """
        let result = run(script)

        #expect(result.diagnostics.map(describe) == [])
        #expect(result.service?.functions.map(\.name.value) == (0..<100).map { "worker\($0)" })
        let handlerLines = result.output?.split(separator: "\n").filter { $0.contains("handler:") }
        #expect(handlerLines?.count == 100)
    }

    @Test func sharedValueReportedOnceForBothHalves() {
        // `shared` fails the same check for every function, in both halves of the list. `odd` fails
        // a different check in `worker10` (first half) and `worker70` (second half) at one span, so
        // only the decoding order puts the `timeout` error first.
        let script = """
            service "orders"
            provider { region: "us-east-1" }
            let shared = "not a role"
            let odd = "x y"
            for i in 0..<100 {
              function "worker\\(i)" {
                handler: "src/worker.handle"
                role: shared
                if i == 10 { timeout: odd }
                if i == 70 { memorySize: odd }
              }
            }
            """
        let result = run(script)

        #expect(result.output == nil)
        #expect(result.diagnostics.map(describe) == [
            "3:14: error: `role` must be a role ARN, a logical ID or an intrinsic function, but found the string \"not a role\""
                + " [100 functions use this value, so it is reported once: `worker0`, `worker1`, `worker2`, `worker3`, `worker4`, …]",
            "4:11: error: `timeout` must be an integer, but found the string \"x y\" [in function `worker10`]",
            "4:11: error: `memorySize` must be an integer, but found the string \"x y\" [in function `worker70`]",
        ])
    }

    @Test func mistakeInLoopBodyReportedOnce() {
        // The misspelt key is written once and decoded for every function the loop declares, in
        // both halves of the list. Each report names its own function, and they are one report.
        let script = """
            service "orders"
            provider { region: "us-east-1" }
            for i in 0..<100 {
              function "worker\\(i)" {
                handler: "src/worker.handle"
                stream { arn: "arn:aws:kinesis:us-east-1:123456789012:stream/s\\(i)", startingPositon: "LATEST" }
              }
            }
            """
        let result = run(script)

        #expect(result.output == nil)
        #expect(result.diagnostics.map(describe) == [
            "6:74: error: unknown key `startingPositon` in stream event of function `worker0`"
                + " [100 functions have this problem here, so it is reported once: `worker0`, `worker1`, `worker2`, `worker3`, `worker4`, …]",
        ])
    }

    @Test func variablesInBothHalvesFound() {
        let script = """
            service "orders"
            provider { region: "us-east-1" }
            for i in 0..<100 {
              function "worker\\(i)" {
                handler: "src/worker.handle"
                if i == 10 { provisionedConcurrency: "${opt:low}" }
                if i == 80 { provisionedConcurrency: "${opt:high}" }
              }
            }
            """
        let result = run(script)

        let variables = result.service?.serverlessVariables
        #expect(variables?.map(\.text) == ["${opt:low}", "${opt:high}"])
        #expect(variables?.map(\.path) == [
            ["functions", "worker10", "provisionedConcurrency"], ["functions", "worker80", "provisionedConcurrency"],
        ])
        #expect(variables?.map(\.setting) == ["provisionedConcurrency", "provisionedConcurrency"])
    }

    @Test func functionValueInSecondHalfNamedByPath() {
        let script = """
            service "orders"
            provider { region: "us-east-1" }
            for i in 0..<100 {
              function "worker\\(i)" {
                handler: "src/worker.handle"
                if i == 80 { tags: { helper: fn() = 1 } }
              }
            }
            """
        let result = run(script)

        #expect(result.output == nil)
        #expect(result.diagnostics.map(describe) == [
            "6:34: error: functions.worker80.tags.helper is a function, which serverless.yml cannot hold"
        ])
    }
}
