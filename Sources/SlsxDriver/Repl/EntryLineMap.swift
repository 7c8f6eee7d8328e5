import SlsxSource

/// The input line on which each REPL entry started, so that diagnostics show the line a user typed
/// or piped rather than the line within the entry.
///
/// Each entry is evaluated as its own `SourceFile`, whose lines start at 1. Rendering shifts the spans
/// of registered files down by the entry's first line, through a padded copy of the file that exists
/// only while the diagnostics are rendered.
struct EntryLineMap {
    private var firstLines: [ObjectIdentifier: (file: SourceFile, line: Int)] = [:]

    /// Records that `file` contains an entry whose first line is input line `line` (1-based). The map
    /// keeps the file alive, so its identity cannot be reused by another file.
    mutating func register(_ file: SourceFile, firstLine line: Int) {
        firstLines[ObjectIdentifier(file)] = (file, line)
    }

    /// Forgets one entry, such as one that failed and left nothing behind.
    mutating func unregister(_ file: SourceFile) {
        firstLines[ObjectIdentifier(file)] = nil
    }

    /// Forgets every entry, as `:reset` does.
    mutating func removeAll() {
        firstLines.removeAll()
    }

    /// Renders diagnostics with the spans of registered entries shifted to their input lines.
    func render(_ diagnostics: [Diagnostic], with renderer: DiagnosticRenderer) -> String {
        var padded: [ObjectIdentifier: SourceFile] = [:]

        func shift(_ span: SourceSpan?) -> SourceSpan? {
            guard let span, let registered = firstLines[ObjectIdentifier(span.file)], registered.line > 1 else {
                return span
            }
            let padding = registered.line - 1
            let file: SourceFile
            if let existing = padded[ObjectIdentifier(span.file)] {
                file = existing
            } else {
                let bytes = [UInt8](repeating: UInt8(ascii: "\n"), count: padding) + span.file.bytes
                file = SourceFile(path: span.file.path, bytes: bytes)
                padded[ObjectIdentifier(span.file)] = file
            }
            return SourceSpan(file: file, start: span.start + padding, end: span.end + padding)
        }

        return diagnostics.map { diagnostic in
            var shifted = diagnostic
            shifted.span = shift(diagnostic.span)
            shifted.notes = diagnostic.notes.map { Diagnostic.Note($0.message, at: shift($0.span)) }
            return renderer.render(shifted)
        }.joined()
    }
}
