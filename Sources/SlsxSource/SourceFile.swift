import Synchronization

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

    /// A place on a long line whose column is known: a scalar's byte offset and its column.
    private struct Checkpoint: Sendable {
        let offset: Int
        let column: Int
    }

    /// For each line longer than `checkpointStride` bytes on which a location was asked for, by
    /// line index: the first scalar at or after every `checkpointStride` bytes of the line.
    /// Counting a column then walks at most one stride, so that rendering thousands of
    /// diagnostics on one long line (a generated or minified script) takes linear time. Walking
    /// from the line's start for each one took 30 s for 8,000 errors on a 632 KB line.
    private let checkpoints = Mutex<[Int: [Checkpoint]]>([:])

    /// The bytes between two checkpoints of a long line.
    static let checkpointStride = 1024

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
        if clamped - lineStart > Self.checkpointStride {
            let marks = lineCheckpoints(lineIndex)
            // The last checkpoint at or before the offset: the one of its stride, or the one
            // before when the stride's first scalar starts after the offset.
            var mark = min((clamped - lineStart) / Self.checkpointStride, marks.count - 1)
            while mark > 0, marks[mark].offset > clamped { mark -= 1 }
            index = marks[mark].offset
            column = marks[mark].column
        }
        while index < clamped {
            index += SourceFile.scalarLength(startingWith: bytes[index])
            column += 1
        }
        return SourceLocation(line: lineIndex + 1, column: column, offset: clamped)
    }

    /// Returns the byte offset at which 1-based `column` of 1-based `line` starts, counting columns
    /// as `location(ofOffset:)` does, or the end of the line's text (`lineRange`) when the line
    /// has fewer columns.
    public func offset(ofColumn column: Int, onLine line: Int) -> Int {
        let range = lineRange(line)
        var index = range.lowerBound
        var current = 1
        if range.count > Self.checkpointStride {
            let marks = lineCheckpoints(line - 1)
            // The last checkpoint at or before the column.
            var low = 0
            var high = marks.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if marks[middle].column <= column { low = middle } else { high = middle - 1 }
            }
            index = marks[low].offset
            current = marks[low].column
        }
        while current < column, index < range.upperBound {
            index += SourceFile.scalarLength(startingWith: bytes[index])
            current += 1
        }
        return min(index, range.upperBound)
    }

    /// Returns the byte range of a 1-based line without its line break (and a `\r` before it), the
    /// bytes that `lineText` decodes, or an empty range for a line that does not exist.
    public func lineRange(_ line: Int) -> Range<Int> {
        guard line >= 1, line <= lineStarts.count else { return 0..<0 }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") {
            end -= 1
        }
        return start..<max(start, end)
    }

    /// Returns the checkpoints of the line at `lineIndex`, computing them on first use. The first
    /// is the line's start, at column 1.
    private func lineCheckpoints(_ lineIndex: Int) -> [Checkpoint] {
        if let known = checkpoints.withLock({ $0[lineIndex] }) { return known }
        let lineStart = lineStarts[lineIndex]
        let lineEnd = lineIndex + 1 < lineStarts.count ? lineStarts[lineIndex + 1] : bytes.count
        var marks = [Checkpoint(offset: lineStart, column: 1)]
        var index = lineStart
        var column = 1
        while index < lineEnd {
            if index - lineStart >= marks.count * Self.checkpointStride {
                marks.append(Checkpoint(offset: index, column: column))
            }
            index += SourceFile.scalarLength(startingWith: bytes[index])
            column += 1
        }
        checkpoints.withLock { $0[lineIndex] = marks }
        return marks
    }

    /// Returns the text of a 1-based line without its line break, decoding invalid UTF-8 as U+FFFD.
    public func lineText(_ line: Int) -> String {
        String(decoding: bytes[lineRange(line)], as: UTF8.self)
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
