import Foundation
import SlsxLanguage
import SlsxSource

/// An empty folder as the import root, so an `import` in the input can find no file.
private let importRoot: String = {
    let path = NSTemporaryDirectory() + "slsx-fuzz-evaluate-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}()

/// Small limits, so that each input finishes within milliseconds and a runaway loop is an error
/// instead of a timeout.
private let limits = Limits(
    callDepth: 64, steps: 100_000, stringBytes: 64 * 1024, listItems: 10_000,
    parserDepth: 64, valueDepth: 1_000, documentDepth: 64)

/// Evaluates the input as a script with small limits. A run without a document must report an
/// error, and a run with a document must report none.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEvaluate(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let file = SourceFile(path: importRoot + "/fuzz.slsx", bytes: bytes)
    let options = EvaluationOptions(options: ["stage": "dev"], limits: limits, importRoot: importRoot)

    let evaluation = Evaluator.evaluate(file, options: options)
    let failed = evaluation.diagnostics.contains { $0.severity == .error }
    if evaluation.document == nil && !failed {
        fatalError("evaluation returned no document and no error")
    }
    if evaluation.document != nil && failed {
        fatalError("evaluation returned a document and an error")
    }
    return 0
}
