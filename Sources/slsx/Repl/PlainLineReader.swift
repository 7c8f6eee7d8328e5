import SlsxDriver

/// Reads lines from piped standard input: no prompts, no terminal set-up, no history.
final class PlainLineReader: LineReader {
    func readLine(prompt: String) -> LineInput {
        guard let line = Swift.readLine(strippingNewline: true) else { return .endOfInput }
        return .line(line)
    }

    func addHistory(_ entry: String) {}

    func setCompletionProvider(_ provider: @escaping (CompletionRequest) -> [String]) {}
}
