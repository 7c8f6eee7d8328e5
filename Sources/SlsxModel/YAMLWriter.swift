/// Writes a `Node` as YAML in the block style people use for serverless.yml.
///
/// - Two spaces of indentation per level; list items as `- `, with a mapping item's first key on the
///   dash line; an empty list as `[]` and an empty mapping as `{}`.
/// - Mapping keys in the order of the node; the output ends with exactly one line break, unless the
///   last value is a block literal that keeps trailing line breaks (`|+`).
/// - Strings are plain, double-quoted or block literals by the rules in `YAMLQuoting`, so YAML 1.1
///   and 1.2 readers read back the same string. Keys follow the same rules, but are never literals,
///   and a key longer than `maximumImplicitKeyLength` is written as `? key` with `: value` below it.
/// - `.integer` is written in decimal. `.float` is written so that both YAML versions read a float:
///   always with a dot (`1.0`, `1.0e+20`, because PyYAML's YAML 1.1 float pattern requires one), and
///   `.inf`, `-.inf`, `.nan` for the special values.
public struct YAMLWriter: Sendable {
    /// The deepest nesting of lists and mappings the writer accepts.
    public static let maximumDepth = 512

    public init() {}

    /// Returns the YAML text of `node`, or throws `WriterError.nestingTooDeep` when the tree nests
    /// deeper than `maximumDepth`.
    public func write(_ node: Node) throws(WriterError) -> String {
        String(decoding: try encode(node), as: UTF8.self)
    }

    /// Returns the YAML text of `node` as UTF-8 bytes, the same bytes as `write`, for callers that
    /// write the text to a file and need no `String` copy of it. `capacity` is the number of bytes
    /// to reserve before writing, and the buffer still grows past it when needed.
    public func encode(_ node: Node, reservingCapacity capacity: Int = 0) throws(WriterError) -> [UInt8] {
        // The text is built as UTF-8 bytes, which append without String's per-append checks.
        do throws(WriterFailure) {
            return try OutputBuffer.collect(reservingCapacity: capacity) { (output) throws(WriterFailure) in
                switch node.kind {
                case .mapping(let entries) where !entries.isEmpty:
                    try writeMapping(entries, indent: 0, inline: false, depth: 1, into: &output)
                case .sequence(let items) where !items.isEmpty:
                    try writeSequence(items, indent: 0, inline: false, depth: 1, into: &output)
                default:
                    writeScalar(node, contentIndent: 2, into: &output)
                    output.append(UInt8(ascii: "\n"))
                }
            }
        } catch {
            throw error.writerError
        }
    }

    // MARK: - Collections

    /// Writes the entries of a mapping whose keys sit at column `indent`. With `inline`, the caller has
    /// already written `- ` and the first key continues that line.
    private func writeMapping(
        _ entries: [Node.Entry], indent: Int, inline: Bool, depth: Int, into output: inout OutputBuffer
    ) throws(WriterFailure) {
        guard depth <= YAMLWriter.maximumDepth else {
            throw WriterFailure(cause: .nestingTooDeep(limit: YAMLWriter.maximumDepth))
        }
        // Indexing lends each entry; `for entry in entries` would copy (retain) every one.
        for index in entries.indices {
            if !(inline && index == 0) {
                output.append(repeating: UInt8(ascii: " "), count: indent)
            }
            let keyText = key(entries[index].key)
            if keyText.utf8.count > YAMLWriter.maximumImplicitKeyLength
                && keyText.unicodeScalars.count > YAMLWriter.maximumImplicitKeyLength {
                output.append("? ")
                output.append(keyText)
                output.append(UInt8(ascii: "\n"))
                output.append(repeating: UInt8(ascii: " "), count: indent)
                output.append(UInt8(ascii: ":"))
            } else {
                output.append(keyText)
                output.append(UInt8(ascii: ":"))
            }
            // A failure below adds this key to its path on the way up (`WriterFailure`).
            do throws(WriterFailure) {
                switch entries[index].value.kind {
                case .mapping(let children) where !children.isEmpty:
                    output.append(UInt8(ascii: "\n"))
                    try writeMapping(children, indent: indent + 2, inline: false, depth: depth + 1, into: &output)
                case .sequence(let items) where !items.isEmpty:
                    output.append(UInt8(ascii: "\n"))
                    try writeSequence(items, indent: indent + 2, inline: false, depth: depth + 1, into: &output)
                default:
                    output.append(UInt8(ascii: " "))
                    writeScalar(entries[index].value, contentIndent: indent + 2, into: &output)
                    output.append(UInt8(ascii: "\n"))
                }
            } catch {
                throw error.inside(.key(entries[index].key))
            }
        }
    }

    /// Writes the items of a list whose dashes sit at column `indent`. With `inline`, the caller has
    /// already written `- ` and the first item continues that line.
    private func writeSequence(
        _ items: [Node], indent: Int, inline: Bool, depth: Int, into output: inout OutputBuffer
    ) throws(WriterFailure) {
        guard depth <= YAMLWriter.maximumDepth else {
            throw WriterFailure(cause: .nestingTooDeep(limit: YAMLWriter.maximumDepth))
        }
        for index in items.indices {
            if !(inline && index == 0) {
                output.append(repeating: UInt8(ascii: " "), count: indent)
            }
            output.append("- ")
            do throws(WriterFailure) {
                switch items[index].kind {
                case .mapping(let entries) where !entries.isEmpty:
                    try writeMapping(entries, indent: indent + 2, inline: true, depth: depth + 1, into: &output)
                case .sequence(let children) where !children.isEmpty:
                    try writeSequence(children, indent: indent + 2, inline: true, depth: depth + 1, into: &output)
                default:
                    writeScalar(items[index], contentIndent: indent + 2, into: &output)
                    output.append(UInt8(ascii: "\n"))
                }
            } catch {
                throw error.inside(.index(index))
            }
        }
    }

    // MARK: - Scalars

    /// Writes a scalar or empty collection. A block literal's lines are indented to
    /// `contentIndent`. Its text spans several lines and does not end with a line break.
    ///
    /// It is inlined where the writer reads `node` from its array, so that the node is read in
    /// place, because Swift copies (retains) a `Node` passed on as an argument.
    @inline(__always)
    private func writeScalar(_ node: Node, contentIndent: Int, into output: inout OutputBuffer) {
        switch node.kind {
        case .null: output.append("null")
        case .bool(let value): output.append(value ? "true" : "false")
        case .integer(let value): output.append(decimal: value)
        case .float(let value): output.append(YAMLWriter.floatText(value))
        case .string(let text): writeString(text, contentIndent: contentIndent, into: &output)
        case .sequence: output.append("[]")
        case .mapping: output.append("{}")
        }
    }

    /// The longest key written in the implicit form `key: value`. YAML 1.2 limits implicit keys to
    /// 1024 characters and PyYAML rejects longer ones, so longer keys use the explicit form
    /// `? key` followed by `: value` on the next line.
    static let maximumImplicitKeyLength = 1000

    private func key(_ text: String) -> String {
        YAMLQuoting.style(of: text, allowsLiteral: false) == .plain ? text : YAMLQuoting.doubleQuoted(text)
    }

    private func writeString(_ text: String, contentIndent: Int, into output: inout OutputBuffer) {
        switch YAMLQuoting.style(of: text, allowsLiteral: true) {
        case .plain: output.append(text)
        case .doubleQuoted: output.append(YAMLQuoting.doubleQuoted(text))
        case .literal: output.append(literal(text, contentIndent: contentIndent))
        }
    }

    /// A block literal: the header, then each line indented by `contentIndent`, empty lines left empty.
    ///
    /// The chomping indicator keeps the trailing line breaks exactly: `|-` for none, `|` for one, `|+`
    /// for more. When the text starts with a space or a line break, the header carries the indentation
    /// indicator `2`, because a reader would otherwise take the first line's leading spaces as
    /// indentation. The content sits two columns right of its key or dash.
    private func literal(_ text: String, contentIndent: Int) -> String {
        var body = Substring(text)
        var trailingBreaks = 0
        while body.last == "\n" {
            body = body.dropLast()
            trailingBreaks += 1
        }

        var header = "|"
        if text.first == " " || text.first == "\n" { header += "2" }
        switch trailingBreaks {
        case 0: header += "-"
        case 1: break
        default: header += "+"
        }

        let padding = String(repeating: " ", count: contentIndent)
        var lines = body.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.isEmpty ? "" : padding + line
        }
        lines += Array(repeating: "", count: max(0, trailingBreaks - 1))
        return header + "\n" + lines.joined(separator: "\n")
    }

    /// Returns a float as both YAML versions read it back: `.nan`, `.inf`, `-.inf`, or Swift's shortest
    /// round-trip form with `.0` added before an exponent that has no dot (`1e+20` → `1.0e+20`).
    static func floatText(_ value: Double) -> String {
        if value.isNaN { return ".nan" }
        if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
        let text = value.description
        guard let exponent = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        let mantissa = text[..<exponent]
        return mantissa.contains(".") ? text : mantissa + ".0" + text[exponent...]
    }
}
