import Foundation
import SlsxSource

/// Resolves, loads and evaluates imported modules.
///
/// `import "arn"` names a standard library module embedded in the binary. `import "./common.slsx"`
/// names a file relative to the importing file; after resolving `..` and symbolic links it must
/// lie inside the import root, and absolute paths are rejected. Each module runs once per
/// evaluation (later imports get the cached value), and an import cycle is an error that lists
/// the cycle. A module's value is a map of its top-level `let`, `var` and `fn` bindings.
final class ModuleLoader {
    /// The canonical import root, or `nil` when relative imports are not allowed.
    let root: String?
    private var cache: [String: Value] = [:]
    /// Every module file read, kept alive for the spans of the values and functions it defined.
    private(set) var files: [SourceFile] = []
    private var loading: [(key: String, display: String, span: SourceSpan)] = []
    /// When set, the only files that imports may read, by cache key. A replica of an interpreter
    /// (see `Interpreter.makeLoopReplica`) gets the files that the main interpreter's loader read,
    /// so it never reads the disk, where a file could have changed since. An import of any other
    /// file throws `ParallelLoopAbort`.
    var preloaded: [String: SourceFile]?

    init(root: String?) {
        self.root = root.map(ModuleLoader.canonical)
    }

    func load(_ path: String, at span: SourceSpan, interpreter: Interpreter) throws -> Value {
        let (key, display) = try resolve(path, at: span)
        if let cycleStart = loading.firstIndex(where: { $0.key == key }) {
            let cycle = loading[cycleStart...].map(\.display) + [display]
            let notes = loading[cycleStart...].map { Diagnostic.Note("imported here while loading it", at: $0.span) }
            throw EvaluationError(
                "import cycle: \(cycle.joined(separator: " -> "))", at: span,
                hint: "move the shared bindings into a third module that both import", notes: notes)
        }
        if let cached = cache[key] {
            return cached.at(span)
        }

        let file = try read(key: key, display: display, span: span)
        files.append(file)
        let parsed = Parser.parse(file, maximumDepth: interpreter.limits.parserDepth)
        if parsed.diagnostics.containsError {
            let summary = Diagnostic.error("cannot import '\(path)' because it has syntax errors", at: span)
            throw EvaluationError(diagnostics: [summary] + parsed.diagnostics)
        }

        loading.append((key, display, span))
        defer { loading.removeLast() }
        let scope: Environment
        do {
            scope = try interpreter.runModule(parsed.script)
        } catch var error as EvaluationError {
            // The error points into the module; the note shows the import that ran it. An import
            // cycle's error has a note at each import of the cycle already.
            if !error.diagnostic.notes.contains(where: { $0.span == span }) {
                error.diagnostic.notes.append(.init("in module '\(display)', imported here", at: span))
            }
            throw error
        }

        var exports = OrderedMap()
        for name in scope.order {
            guard let slot = scope.localSlot(name), !slot.isImport else { continue }
            exports.set(name, slot.value, keySpan: slot.span)
        }
        let module = Value(.map(exports), span: span)
        cache[key] = module
        return module
    }

    /// Returns whether `path` names a standard-library module, as `<stdlib>/arn.slsx` does.
    static func isStandardLibrary(_ path: String) -> Bool {
        path.hasPrefix("<stdlib>/")
    }

    /// Returns the cache key (a canonical path, or `<stdlib>/name.slsx`) and the name to show.
    private func resolve(_ path: String, at span: SourceSpan) throws -> (key: String, display: String) {
        if path.isEmpty {
            throw EvaluationError("the import path is empty", at: span, hint: "write import \"arn\" as arn, or import \"./common.slsx\" as common")
        }
        if path.hasPrefix("/") {
            throw EvaluationError(
                "absolute import path '\(path)' is not allowed", at: span,
                hint: "write a path relative to the importing file, such as \"./common.slsx\"")
        }
        let isFile = path.hasPrefix("./") || path.hasPrefix("../") || path.contains("/") || path.hasSuffix(".slsx")
        if !isFile {
            guard StandardLibrary.modules[path] != nil else {
                let known = StandardLibrary.modules.keys.sorted()
                let hint = NameSuggester.didYouMean(path, among: known)
                    ?? "the standard library modules are \(known.joined(separator: ", ")); a file import starts with ./"
                throw EvaluationError("unknown standard library module '\(path)'", at: span, hint: hint)
            }
            return ("<stdlib>/\(path).slsx", "<stdlib>/\(path).slsx")
        }

        let importer = span.file.path
        if importer.hasPrefix("<stdlib>") {
            throw EvaluationError("a standard library module cannot import files", at: span)
        }
        guard let root else {
            throw EvaluationError(
                "file imports need an import root, and a script that is not read from a file has none", at: span,
                hint: "name the folder to import from with --import-root DIR (EvaluationOptions.importRoot when embedding)")
        }
        let base = importer.hasPrefix("<") ? root : (importer as NSString).deletingLastPathComponent
        let joined = base.isEmpty ? path : base + "/" + path
        let absolute = joined.hasPrefix("/") ? joined : FileManager.default.currentDirectoryPath + "/" + joined
        let canonicalPath = ModuleLoader.canonical(absolute)
        guard canonicalPath == root || canonicalPath.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
            throw EvaluationError(
                "import '\(path)' resolves to \(canonicalPath), outside the import root \(root)", at: span,
                hint: "keep imported files inside \(root), or name a folder that holds both with --import-root DIR")
        }
        // With the current folder as the root, as for a script read from standard input run in
        // `/`, the kernel's pseudo-files would be inside it. /proc/self/environ contains the
        // environment, which a script must not read.
        for system in ["/proc", "/sys", "/dev"] where canonicalPath == system || canonicalPath.hasPrefix(system + "/") {
            throw EvaluationError(
                "import '\(path)' resolves to \(canonicalPath), inside the system folder \(system)", at: span,
                hint: "import only .slsx files of the project")
        }
        return (canonicalPath, path)
    }

    private func read(key: String, display: String, span: SourceSpan) throws -> SourceFile {
        if let preloaded {
            guard let file = preloaded[key] else { throw ParallelLoopAbort() }
            return file
        }
        if key.hasPrefix("<stdlib>/") {
            let name = String(key.dropFirst("<stdlib>/".count).dropLast(".slsx".count))
            return SourceFile(path: key, text: StandardLibrary.modules[name] ?? "")
        }
        var isDirectory: ObjCBool = false
        // Only a regular file: a FIFO or device would block or never end.
        let type = (try? FileManager.default.attributesOfItem(atPath: key))?[.type] as? FileAttributeType
        guard FileManager.default.fileExists(atPath: key, isDirectory: &isDirectory) else {
            throw EvaluationError("cannot read module '\(display)': no file at \(key)", at: span, hint: "check the path; it is relative to the importing file")
        }
        guard !isDirectory.boolValue, type == .typeRegular else {
            throw EvaluationError(
                "cannot read module '\(display)': \(key) is not a regular file", at: span,
                hint: "import a .slsx file; folders, FIFOs and devices cannot be modules")
        }
        switch BoundedFileReader.read(path: key) {
        case .success(let bytes):
            return SourceFile(path: key, bytes: bytes)
        case .failure(.tooLarge(let maximumBytes)):
            throw EvaluationError(
                "cannot read module '\(display)': \(key) is larger than \(maximumBytes) bytes, the largest module slsx reads",
                at: span, hint: "split the module into smaller modules")
        case .failure(.system):
            throw EvaluationError("cannot read module '\(display)': \(key) is not readable", at: span, hint: "check the file's permissions")
        }
    }

    /// The absolute path with `.`, `..` and symbolic links resolved.
    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
