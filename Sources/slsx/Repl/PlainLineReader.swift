import Foundation
import SlsxDriver
import SlsxSource

/// Reads lines from piped standard input: no prompts, no terminal set-up, no history.
///
/// Lines are passed on as bytes, unlike `Swift.readLine`, which would replace invalid UTF-8 with
/// U+FFFD before the lexer could report it.
final class PlainLineReader: LineReader {
    /// A stream of its own on standard input's descriptor: Swift 6 rejects the C global `stdin`,
    /// and nothing else in slsx reads standard input while the REPL runs. Nil when `fdopen` fails,
    /// which reads as the end of input.
    private let input = fdopen(STDIN_FILENO, "r")
    /// Reads up to and including the next line break, and returns the line without a trailing
    /// "\n" or "\r\n", as `Swift.readLine(strippingNewline: true)` does. A line longer than
    /// `BoundedFileReader.maximumBytes` is read to its end without being kept, so that endless
    /// input without a line break (`< /dev/zero`) takes no more memory than that.
    func readLine(prompt: String) -> LineInput {
        guard let input else { return .endOfInput }
        let maximumBytes = BoundedFileReader.maximumBytes
        var line: [UInt8] = []
        var readAny = false
        var endsWithLineBreak = false
        var isTooLong = false
        while true {
            let character = getc_unlocked(input)
            if character == EOF { break }
            readAny = true
            if character == Int32(UInt8(ascii: "\n")) {
                endsWithLineBreak = true
                break
            }
            if line.count < maximumBytes {
                line.append(UInt8(truncatingIfNeeded: character))
            } else {
                isTooLong = true
            }
        }
        guard readAny else { return .endOfInput }
        if isTooLong { return .tooLong(maximumBytes: maximumBytes) }
        if endsWithLineBreak, line.last == UInt8(ascii: "\r") {
            line.removeLast()
        }
        return .line(line)
    }

    func addHistory(_ entry: String) {}

    func setCompletionProvider(_ provider: @escaping (CompletionRequest) -> [String]) {}
}
