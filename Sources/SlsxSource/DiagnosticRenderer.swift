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

    /// Renders the source line with a gutter, then a caret line under the span. A span over several lines is
    /// underlined on its first line only, to the end of that line.
    private func excerpt(_ span: SourceSpan) -> String {
        let start = span.startLocation
        let end = span.endLocation
        let lineText = Self.replacingControlCharacters(span.file.lineText(start.line))
        let lineScalars = Array(lineText.unicodeScalars)

        let gutterWidth = String(start.line).count
        let gutter = String(repeating: " ", count: gutterWidth)

        var padding = ""
        for scalar in lineScalars.prefix(start.column - 1) {
            padding.append(scalar == "\t" ? "\t" : " ")
        }
        let lastColumn = end.line == start.line ? end.column : lineScalars.count + 1
        let caretCount = max(1, lastColumn - start.column)
        let carets = paint(String(repeating: "^", count: caretCount), code: "1;32")

        return " \(start.line) | \(lineText)\n \(gutter) | \(padding)\(carets)\n"
    }

    // MARK: - Control characters
    //
    // Messages quote values from the script and excerpts copy its lines, and either may hold escape
    // sequences that a terminal would obey (set the title, clear the screen, move the cursor). Both are
    // made inert before they are printed.

    /// Tells whether `scalar` is a C0 control other than tab, DEL, or a C1 control.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t") || (0x7F...0x9F).contains(scalar.value)
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
