/// Renders diagnostics as text in the form compilers use:
///
///     orders.slsx:3:29: error: expected '}' but found ')'
///       3 | function f {  batchSize: 10 )
///         |                             ^
///     help: close the block with '}'
///
/// Columns count Unicode scalars. The caret line copies tabs from the source line, so the carets
/// stay under the span whatever width the terminal gives a tab.
public struct DiagnosticRenderer: Sendable {
    /// Whether to wrap the severity, carets and hint in ANSI colour codes. The caller decides: colour
    /// belongs on a terminal only, and never when `NO_COLOR` is set.
    public var colored: Bool

    public init(colored: Bool = false) {
        self.colored = colored
    }

    /// Renders one diagnostic, ending with a line break.
    public func render(_ diagnostic: Diagnostic) -> String {
        var output = ""
        output += header(diagnostic.severity, diagnostic.message, at: diagnostic.span)
        if let span = diagnostic.span {
            output += excerpt(span)
        }
        if let hint = diagnostic.hint {
            output += paint("help", code: "1;36") + ": " + Self.escapingControlCharacters(hint) + "\n"
        }
        for note in diagnostic.notes {
            output += header(.note, note.message, at: note.span)
            if let span = note.span {
                output += excerpt(span)
            }
        }
        return output
    }

    /// Renders several diagnostics in order.
    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined()
    }

    // MARK: - Parts

    private func header(_ severity: Diagnostic.Severity, _ message: String, at span: SourceSpan?) -> String {
        let label: String
        switch severity {
        case .error: label = paint("error", code: "1;31")
        case .warning: label = paint("warning", code: "1;33")
        case .note: label = paint("note", code: "1;36")
        }
        let place = span.map { "\($0.file.path):\($0.startLocation): " } ?? ""
        return Self.escapingControlCharacters(place) + label + ": " + Self.escapingControlCharacters(message) + "\n"
    }

    /// The maximum number of scalars of a source line that an excerpt shows. A longer line (a
    /// minified document, a generated string) is cut to a window around the span, with `…` where
    /// text was left out, so that an error on a 10 MB line does not print 20 MB.
    static let maximumExcerptWidth = 200

    /// Renders the source line with a gutter, then a caret line under the span. A span over several lines is
    /// underlined on its first line only, to the end of that line.
    private func excerpt(_ span: SourceSpan) -> String {
        let file = span.file
        let start = file.location(ofOffset: span.start)
        let end = file.location(ofOffset: span.end)
        let lineRange = file.lineRange(start.line)
        // The line's length in scalars, counted as columns are. Only the part of a long line that
        // the excerpt shows is decoded, so that many diagnostics on one long line cost no more
        // than their excerpts.
        let lineLength = file.location(ofOffset: lineRange.upperBound).column - 1
        var lineScalars: [Unicode.Scalar]

        let gutterWidth = String(start.line).count
        let gutter = String(repeating: " ", count: gutterWidth)

        // Columns are 1-based; `first` and `last` are the span's scalar offsets on this line.
        let first = min(start.column - 1, lineLength)
        let last = end.line == start.line ? max(first + 1, end.column - 1) : lineLength
        var caretStart = first
        var caretCount = max(1, last - first)
        if lineLength > Self.maximumExcerptWidth {
            let context = Self.maximumExcerptWidth / 4
            let windowStart = max(0, first - context)
            let windowEnd = min(lineLength, max(windowStart + Self.maximumExcerptWidth, first + context))
            caretCount = min(caretCount, windowEnd - first)
            let bytes = file.offset(ofColumn: windowStart + 1, onLine: start.line)..<file.offset(ofColumn: windowEnd + 1, onLine: start.line)
            var window = Array(Self.replacingControlCharacters(String(decoding: file.bytes[bytes], as: UTF8.self)).unicodeScalars)
            caretStart = first - windowStart
            if windowStart > 0 {
                window.insert("…", at: 0)
                caretStart += 1
            }
            if windowEnd < lineLength {
                window.append("…")
            }
            lineScalars = window
        } else {
            lineScalars = Array(Self.replacingControlCharacters(file.lineText(start.line)).unicodeScalars)
        }

        var padding = ""
        for scalar in lineScalars.prefix(caretStart) {
            padding.append(scalar == "\t" ? "\t" : " ")
        }
        let carets = paint(String(repeating: "^", count: max(1, caretCount)), code: "1;32")
        var excerptText = ""
        excerptText.unicodeScalars.append(contentsOf: lineScalars)

        return " \(start.line) | \(excerptText)\n \(gutter) | \(padding)\(carets)\n"
    }

    // MARK: - Control characters
    //
    // Messages quote values from the script and excerpts copy its lines, and either may hold escape
    // sequences that a terminal would obey (set the title, clear the screen, move the cursor). Both are
    // made inert before they are printed. So are the bidirectional formatting characters, which make
    // a terminal show text in another order than it has ("Trojan Source", CVE-2021-42574): a name
    // with U+202E would otherwise read differently in a message than in the script.

    /// Tells whether `scalar` is a C0 control other than tab, DEL, a C1 control, or a bidirectional
    /// formatting character (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069).
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20: return scalar != "\t"
        case 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// Replaces each control character with a `\u{...}` escape, for messages and hints.
    static func escapingControlCharacters(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var escaped = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                escaped += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// Replaces each control character with U+FFFD, for source excerpts: one column for one, so the
    /// carets stay under the span.
    static func replacingControlCharacters(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var replaced = ""
        for scalar in text.unicodeScalars {
            replaced.unicodeScalars.append(isControl(scalar) ? "\u{FFFD}" : scalar)
        }
        return replaced
    }

    private func paint(_ text: String, code: String) -> String {
        colored ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
