import Foundation
import SlsxDriver

/// Reads lines from piped standard input: no prompts, no terminal set-up, no history.
///
/// Lines are passed on as bytes, unlike `Swift.readLine`, which would replace invalid UTF-8 with
/// U+FFFD before the lexer could report it.
final class PlainLineReader: LineReader {
    /// A stream of its own on standard input's descriptor: Swift 6 rejects the C global `stdin`,
    /// and nothing else in slsx reads standard input while the REPL runs. Nil when `fdopen` fails,
    /// which reads as the end of input.
    private let input = fdopen(STDIN_FILENO, "r")
    /// The line buffer that `getline` grows as needed.
    private var buffer: UnsafeMutablePointer<CChar>?
    private var capacity = 0

    deinit {
        free(buffer)
    }

    /// Reads up to and including the next line break, and returns the line without a trailing
    /// "\n" or "\r\n", as `Swift.readLine(strippingNewline: true)` does.
    func readLine(prompt: String) -> LineInput {
        guard let input else { return .endOfInput }
        let count = getline(&buffer, &capacity, input)
        guard count >= 0, let buffer else { return .endOfInput }
        var line = Array(UnsafeRawBufferPointer(start: buffer, count: count))
        if line.last == UInt8(ascii: "\n") {
            line.removeLast()
            if line.last == UInt8(ascii: "\r") {
                line.removeLast()
            }
        }
        return .line(line)
    }

    func addHistory(_ entry: String) {}

    func setCompletionProvider(_ provider: @escaping (CompletionRequest) -> [String]) {}
}
