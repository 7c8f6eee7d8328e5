// Micro-benchmarks of the stages of slsx, in-process, on a release build:
//
//   swift run -c release slsx-benchmarks [N]
//
// 1. Tokenizing, and tokenizing with parsing, of a generated script of about 10 MB.
// 2. Evaluating benchmarks/many-bindings.slsx with n = N (default 10,000) and m = 5.
// 3. The stages after evaluation on that document: conversion, decoding, the CloudFormation
//    compiler, and each writer on the serverless.yml model and on the template.
//
// Each measurement is the median of several runs, in CPU time of the process (which a busy machine
// inflates far less than wall time), printed with the throughput where it has one. Timings depend
// on the machine; compare figures from one run only.

// Links tcmalloc, the allocator of the slsx executable, so that the stages are timed as users run them.
import CTCMalloc
import Foundation
import SlsxCloudFormation
import SlsxDriver
import SlsxLanguage
import SlsxModel
import SlsxSource

/// Returns the CPU time this process has used, in seconds. It counts every thread, because
/// evaluation runs on a thread of its own.
func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Runs `body` `runs` times and returns the median CPU time in seconds and the last result.
func measure<T>(runs: Int, _ body: () -> T) -> (seconds: Double, result: T) {
    var times: [Double] = []
    var result: T?
    for _ in 0..<runs {
        let start = processCPUSeconds()
        result = body()
        times.append(processCPUSeconds() - start)
    }
    times.sort()
    guard let last = result else { fatalError("measure needs at least one run") }
    return (times[times.count / 2], last)
}

func report(_ name: String, seconds: Double, bytes: Int? = nil) {
    let time = String(format: "%9.1f ms", seconds * 1000)
    if let bytes {
        let rate = String(format: "%7.1f MB/s", Double(bytes) / seconds / 1e6)
        print("\(name.padding(toLength: 44, withPad: " ", startingAt: 0)) \(time)  \(rate)  (\(bytes) bytes)")
    } else {
        print("\(name.padding(toLength: 44, withPad: " ", startingAt: 0)) \(time)")
    }
}

/// A script of at least `minimumBytes`: the workload's function declarations written out literally,
/// with strings, interpolation, maps, lists, calls and comments, as a generated script would be.
func generatedScript(minimumBytes: Int) -> String {
    var text = "// Generated for the tokenizer and parser benchmark.\nimport \"arn\" as arn\nservice \"generated\"\n"
    var index = 0
    while text.utf8.count < minimumBytes {
        text += """
            function "worker-\(index)" {
              handler: "src/worker.handle"  // the handler module
              memorySize: \(128 + index % 8 * 128)
              environment: { TABLE: "table-\(index)", STAGE: option("stage", "dev") }
              stream {
                arn: arn.kinesisStream("us-east-1", "123456789012", "stream-\\(\(index) * 2)")
                batchSize: 100
                startingPosition: "LATEST"
                maximumRetryAttempts: if \(index) % 3 == 0 { 3 } else { -1 }
                filterPatterns: [{ eventName: ["INSERT", "MODIFY"] }]
              }
            }

            """
        index += 1
    }
    return text
}

let functionCount = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 10_000 : 10_000
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let workloadPath = root.appendingPathComponent("benchmarks/many-bindings.slsx").path

// MARK: - Tokenizer and parser

let script = SourceFile(path: "generated.slsx", text: generatedScript(minimumBytes: 10_000_000))
let scriptBytes = script.bytes.count
let lexing = measure(runs: 5) { Lexer.lex(script).count }
report("tokenize 10 MB script (\(lexing.result) tokens)", seconds: lexing.seconds, bytes: scriptBytes)
let parsing = measure(runs: 5) { Parser.parse(script).diagnostics.count }
report("tokenize + parse 10 MB script", seconds: parsing.seconds, bytes: scriptBytes)
if parsing.result != 0 { print("  (the generated script has \(parsing.result) diagnostics)") }

// MARK: - Evaluation

var options = EvaluationOptions()
options.options = ["n": String(functionCount), "m": "5"]
let evaluation = measure(runs: 3) { Evaluator.evaluate(path: workloadPath, options: options) }
report("evaluate many-bindings, N = \(functionCount), M = 5", seconds: evaluation.seconds)
guard let document = evaluation.result.document else {
    print("the workload did not evaluate: \(evaluation.result.diagnostics)")
    exit(1)
}

// MARK: - After evaluation

let converted = measure(runs: 3) { Pipeline.emit(document: document, options: PipelineOptions(format: .json)) }
report("convert, decode, serverless.yml model, JSON", seconds: converted.seconds)
guard let service = converted.result.service else {
    print("the workload did not decode: \(converted.result.diagnostics)")
    exit(1)
}

let serverlessNode = ServerlessDocument.node(for: service)
let serverlessJSON = measure(runs: 5) { (try? JSONWriter().write(serverlessNode))?.utf8.count ?? 0 }
report("JSONWriter, serverless.yml model", seconds: serverlessJSON.seconds, bytes: serverlessJSON.result)
let serverlessYAML = measure(runs: 5) { (try? YAMLWriter().write(serverlessNode))?.utf8.count ?? 0 }
report("YAMLWriter, serverless.yml model", seconds: serverlessYAML.seconds, bytes: serverlessYAML.result)

// The framework's role layout, as the whole-process benchmark and its peers use.
var compilerOptions = CloudFormationCompiler.Options(enforcesStackLimits: false)
compilerOptions.roleLayout = .shared
compilerOptions.policyLayout = .framework
let compiler = CloudFormationCompiler(options: compilerOptions)
let compiled = measure(runs: 3) { compiler.compile(service).template }
report("CloudFormationCompiler", seconds: compiled.seconds)
guard let template = compiled.result else {
    print("the template did not compile")
    exit(1)
}
let templateJSON = measure(runs: 5) { (try? JSONWriter().write(template))?.utf8.count ?? 0 }
report("JSONWriter, template", seconds: templateJSON.seconds, bytes: templateJSON.result)
let templateYAML = measure(runs: 5) { (try? YAMLWriter().write(template))?.utf8.count ?? 0 }
report("YAMLWriter, template", seconds: templateYAML.seconds, bytes: templateYAML.result)
