/// A quick test, line by line, of whether a pending entry is certainly still open, so that the
/// REPL runs the language's full check (`Session.isComplete`, which lexes the whole entry) only
/// when the entry may be complete. Without it, a pasted 20000-line JSON document would be lexed
/// once per line.
///
/// The scanner counts brackets outside strings and `//` comments, as the lexer does. It does not
/// follow block comments, triple-quoted strings or interpolation. After a line with any of them, or
/// with a closer without an opener, it stops vouching, so the full check runs for every later line
/// of the entry.
struct ContinuationScanner {
    private var depth = 0
    private var sawSyntaxItCannotFollow = false

    /// Whether the entry scanned so far certainly continues: a bracket is open, and the scanner
    /// understood every line.
    var isCertainlyOpen: Bool {
        depth > 0 && !sawSyntaxItCannotFollow
    }

    /// Scans one more line of the entry; a recalled entry may bring several lines at once.
    mutating func scan(_ bytes: [UInt8]) {
        var index = 0
        var inString = false

        func next(_ offset: Int) -> UInt8? {
            index + offset < bytes.count ? bytes[index + offset] : nil
        }

        while index < bytes.count, !sawSyntaxItCannotFollow {
            let byte = bytes[index]
            if inString {
                switch byte {
                case UInt8(ascii: "\\"):
                    if next(1) == UInt8(ascii: "(") { sawSyntaxItCannotFollow = true }
                    index += 1
                case UInt8(ascii: "\""), UInt8(ascii: "\n"):
                    // A one-line string ends at its quote, or unterminated at the line break.
                    inString = false
                default:
                    break
                }
                index += 1
                continue
            }

            switch byte {
            case UInt8(ascii: "/") where next(1) == UInt8(ascii: "/"):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            case UInt8(ascii: "/") where next(1) == UInt8(ascii: "*"),
                 UInt8(ascii: "*") where next(1) == UInt8(ascii: "/"):
                sawSyntaxItCannotFollow = true
            case UInt8(ascii: "\""):
                if next(1) == UInt8(ascii: "\""), next(2) == UInt8(ascii: "\"") {
                    sawSyntaxItCannotFollow = true
                }
                inString = true
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                if depth == 0 {
                    sawSyntaxItCannotFollow = true
                } else {
                    depth -= 1
                }
            default:
                break
            }
            index += 1
        }
    }
}
