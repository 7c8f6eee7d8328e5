import Foundation
import SlsxSource

/// Settings for one evaluation.
public struct EvaluationOptions: Sendable {
    /// Values given with `--set name=value`, read by `option(name)`.
    public var options: [String: String]
    /// The environment variables the script may read with `env(name)`: only those the user
    /// allowed (`--allow-env`), never the whole process environment.
    public var environment: [String: String]
    public var limits: Limits
    /// The folder that file imports must stay inside. `nil` means the entry script's folder, or
    /// the current directory for a script without a file, such as standard input.
    public var importRoot: String?
    /// Receives each line that `print()` writes; `nil` drops the output.
    public var output: (@Sendable (String) -> Void)?
    /// Whether a long `for` loop at the top level of the script may run its two halves on two
    /// threads. The result never depends on it: a loop that cannot run that way, or fails,
    /// runs again on one thread. The REPL never runs a loop on two threads.
    public var parallelLoops: Bool

    public init(
        options: [String: String] = [:],
        environment: [String: String] = [:],
        limits: Limits = Limits(),
        importRoot: String? = nil,
        output: (@Sendable (String) -> Void)? = nil,
        parallelLoops: Bool = true
    ) {
        self.options = options
        self.environment = environment
        self.limits = limits
        self.importRoot = importRoot
        self.output = output
        self.parallelLoops = parallelLoops
    }
}

/// The result of evaluating a script: the document, or the diagnostics that prevented it.
public struct Evaluation: Sendable {
    /// The document map, or `nil` when evaluation failed.
    public var document: Value?
    /// Every error and warning, in the order found.
    public var diagnostics: [Diagnostic]
    /// The script and every module it imported. The spans of `document` point into these files
    /// but do not keep them alive, so keep this array as long as the document's spans are used.
    public var sourceFiles: [SourceFile]

    public init(document: Value?, diagnostics: [Diagnostic], sourceFiles: [SourceFile] = []) {
        self.document = document
        self.diagnostics = diagnostics
        self.sourceFiles = sourceFiles
    }
}

/// The entry point of the language: source text in, document value out.
public enum Evaluator {
    /// Parses and evaluates a script. Syntax errors stop before evaluation and are all reported;
    /// evaluation stops at its first error.
    public static func evaluate(_ file: SourceFile, options: EvaluationOptions) -> Evaluation {
        switch LargeStack.run({ run(file, options: options) }) {
        case .success(let evaluation):
            return evaluation
        case .failure(let error):
            return Evaluation(document: nil, diagnostics: [Self.threadFailure(error)])
        }
    }

    /// Returns the error for an evaluation thread that cannot be started.
    static func threadFailure(_ error: LargeStack.StartError) -> Diagnostic {
        .error("\(error)", hint: "raise the address-space limit (ulimit -v): evaluation reserves its 512 MiB stack up front, so the process needs about 600 MiB of address space")
    }

    /// Reads the script at `path` and evaluates it. A missing or unreadable file, or one larger
    /// than `BoundedFileReader.maximumBytes`, is a diagnostic without a span.
    public static func evaluate(path: String, options: EvaluationOptions) -> Evaluation {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return Evaluation(document: nil, diagnostics: [.error("cannot read '\(path)': no such file", hint: "check the path of the script")])
        }
        switch BoundedFileReader.read(path: path) {
        case .success(let bytes):
            return evaluate(SourceFile(path: path, bytes: bytes), options: options)
        case .failure(.tooLarge(let maximumBytes)):
            return Evaluation(document: nil, diagnostics: [BoundedFileReader.tooLargeScriptError(reading: "'\(path)'", maximumBytes: maximumBytes)])
        case .failure(.system):
            return Evaluation(document: nil, diagnostics: [.error("cannot read '\(path)': no such file", hint: "check the path of the script")])
        }
    }

    private static func run(_ file: SourceFile, options: EvaluationOptions) -> Evaluation {
        let parsed = Parser.parse(file, maximumDepth: options.limits.parserDepth)
        if parsed.diagnostics.containsError {
            return Evaluation(document: nil, diagnostics: parsed.diagnostics, sourceFiles: [file])
        }
        let interpreter = Interpreter(options: options, importRoot: importRoot(for: file, options: options))
        interpreter.entryFile = file
        var evaluation = evaluate(parsed, in: interpreter, options: options)
        evaluation.sourceFiles = [file] + interpreter.modules.files
        return evaluation
    }

    /// Resolves and runs a parsed script. The caller keeps the script's file alive.
    private static func evaluate(_ parsed: ParseResult, in interpreter: Interpreter, options: EvaluationOptions) -> Evaluation {
        interpreter.markStackBase()
        do {
            let script = try Resolver.resolve(parsed.script, globals: interpreter.globals.layout)
            let scope = Environment.make(parent: interpreter.globals, layout: script.layout ?? .empty)
            _ = try interpreter.runTopLevel(script, in: scope, loneMapIsDocument: true)
            let document = Value(.map(interpreter.document.body.map))
            // A document that nests too deeply is released here, on the large stack.
            if let error = depthError(document, limit: options.limits.documentDepth) {
                return Evaluation(document: nil, diagnostics: parsed.diagnostics + [error])
            }
            // Declarations add to the document one at a time, so no expression has checked its total.
            if document.size > options.limits.valueSize {
                let error = Diagnostic.error(
                    "the document is larger than the size limit of \(options.limits.valueSize) (one per item plus the bytes of its strings)",
                    hint: "look for a loop that declares more functions or resources than intended")
                return Evaluation(document: nil, diagnostics: parsed.diagnostics + [error])
            }
            let warnings = unreadOptionWarnings(given: options.options, read: interpreter.optionReads.recorded)
            return Evaluation(document: document, diagnostics: parsed.diagnostics + warnings)
        } catch let error as EvaluationError {
            return Evaluation(document: nil, diagnostics: parsed.diagnostics + error.diagnostics)
        } catch {
            return Evaluation(document: nil, diagnostics: [.error("internal error: \(error) (this is a bug in slsx)")])
        }
    }

    /// Returns a warning for each `--set` value whose name no `option(...)` call read, in name
    /// order. A misspelt name (`--set stgae=prod`) would otherwise leave the script on its
    /// default without a word.
    static func unreadOptionWarnings(given: [String: String], read: Set<String>) -> [Diagnostic] {
        let readNames = read.sorted()
        return given.keys.sorted().filter { !read.contains($0) }.map { name in
            let hint = NameSuggester.didYouMean(name, among: readNames)
                ?? (readNames.isEmpty
                    ? "the script reads no option; remove --set \(name)=..."
                    : "the script reads " + readNames.map { "'\($0)'" }.joined(separator: ", "))
            return .warning("--set \(name)=... gives option '\(name)', but no option() call read it in this run", hint: hint)
        }
    }

    /// Returns the error for a document nested more than `limit` levels deep, located at the value
    /// where the deepest path crosses the limit. It walks down that path in a loop, not by recursion.
    public static func depthError(_ document: Value, limit: Int) -> Diagnostic? {
        guard document.depth > limit else { return nil }
        var current = document
        var level = 1
        var topKey: String?
        var lastSpan = document.span
        while level <= limit {
            var deepest: (value: Value, step: String)?
            switch current.kind {
            case .list(let items):
                if let index = items.indices.max(by: { items[$0].depth < items[$1].depth }) {
                    deepest = (items[index], String(index))
                }
            case .map(let map):
                if let entry = map.entries.max(by: { $0.value.depth < $1.value.depth }) {
                    deepest = (entry.value, entry.key)
                }
            default:
                break
            }
            guard let next = deepest else { break }
            current = next.value
            topKey = topKey ?? next.step
            lastSpan = current.span ?? lastSpan
            level += 1
        }
        return .error(
            "the document is nested more than \(limit) levels deep under '\(topKey ?? "")'", at: lastSpan,
            hint: "serverless.yml documents nest only a few levels; look for a loop that wraps a value on every step")
    }

    /// Returns the import root: the option if set, otherwise the script's folder. A script with no
    /// file (`<stdin>`, `<repl>`, a string) has no root unless the option names one, so that a script
    /// piped into a CI job cannot read the files below whatever folder the job runs in.
    static func importRoot(for file: SourceFile, options: EvaluationOptions) -> String? {
        if let root = options.importRoot {
            return root
        }
        if file.path.hasPrefix("<") {
            return nil
        }
        let folder = (file.path as NSString).deletingLastPathComponent
        return folder.isEmpty ? FileManager.default.currentDirectoryPath : folder
    }
}
