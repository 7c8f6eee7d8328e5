/// The text of one script or module, with the byte offsets at which its lines start.
///
/// A source file is immutable. Spans name it by its identifier, so locations can be computed on
/// demand instead of being stored in every token. A span does not keep its file alive, so code
/// that keeps spans for later reports keeps their files too (see `SourceFileTable`).
public final class SourceFile: Sendable {
    /// The identifier that spans into this file store, unique among all files of the process.
    let identifier: UInt32

    /// The path shown in diagnostics: as given on the command line, `<stdin>`, or a module name
    /// such as `<stdlib>/arn.slsx`.
    public let path: String

    /// The text as UTF-8 bytes. Invalid UTF-8 in the input is kept as it is so that the lexer can
    /// report it at its exact position.
    public let bytes: [UInt8]

    /// The byte offset of the first byte of every line; `lineStarts[0]` is always 0.
    public let lineStarts: [Int]

    /// Creates a source file from raw bytes, which need not be valid UTF-8.
    public init(path: String, bytes: [UInt8]) {
        self.identifier = SourceFileTable.shared.makeIdentifier()
        self.path = path
        self.bytes = bytes

        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(offset + 1)
        }
        self.lineStarts = starts
        SourceFileTable.shared.insert(self)
    }

    deinit {
        SourceFileTable.shared.remove(identifier)
    }

    /// The empty file that `SourceSpan.file` returns when the span's file no longer exists, so that
    /// a span kept longer than its file renders as `<source file not available>:1:1` instead of
    /// crashing. That happens only when the owner of the spans let the file go, such as a caller
    /// that kept an `Evaluation`'s document but not its `sourceFiles`, or for the files created
    /// after the process ran out of identifiers.
    public static let unavailable = SourceFile(path: "<source file not available>", bytes: [])

    /// Creates a source file from a string.
    public convenience init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    /// Returns the 1-based line and column of a byte offset. The column counts Unicode scalars, so
    /// `é` and `🚀` are one column each; a tab counts as one column. Bytes that are not valid UTF-8
    /// count one column each.
    public func location(ofOffset offset: Int) -> SourceLocation {
        let clamped = max(0, min(offset, bytes.count))
        let lineIndex = lineIndex(containingOffset: clamped)
        let lineStart = lineStarts[lineIndex]

        var column = 1
        var index = lineStart
        while index < clamped {
            index += SourceFile.scalarLength(startingWith: bytes[index])
            column += 1
        }
        return SourceLocation(line: lineIndex + 1, column: column, offset: clamped)
    }

    /// Returns the text of a 1-based line without its line break, decoding invalid UTF-8 as U+FFFD.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") {
            end -= 1
        }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// The number of lines; a file that ends with a line break has an empty last line.
    public var lineCount: Int { lineStarts.count }

    private func lineIndex(containingOffset offset: Int) -> Int {
        // Binary search for the last line start that is <= offset.
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset {
                low = middle
            } else {
                high = middle - 1
            }
        }
        return low
    }

    /// The length of the UTF-8 sequence that a lead byte announces; 1 for a byte that cannot start one.
    static func scalarLength(startingWith byte: UInt8) -> Int {
        switch byte {
        case 0xC2...0xDF: return 2
        case 0xE0...0xEF: return 3
        case 0xF0...0xF4: return 4
        default: return 1
        }
    }
}
