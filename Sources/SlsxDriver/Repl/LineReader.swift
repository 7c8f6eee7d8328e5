/// The source of the REPL's input lines: libedit on a terminal, standard input when piped, or a
/// scripted list of lines in tests.
///
/// The REPL loop (`ReplLoop`) owns everything else (prompts' text, continuation, evaluation and
/// output), so a reader only reads lines, keeps history and offers completion.
public protocol LineReader: AnyObject {
    /// Reads one line, showing `prompt` first when the reader is interactive. The returned line has
    /// no trailing line break, but may contain line breaks when it is a multi-line entry recalled
    /// from history. Its bytes are passed on as read, so that the lexer reports invalid UTF-8 at
    /// its position, as `slsx emit` does for a file.
    func readLine(prompt: String) -> LineInput

    /// Records one complete entry in the history, as a single item even when it spans several lines.
    /// Readers without history ignore it.
    func addHistory(_ entry: String)

    /// Sets the function that proposes completions for the word before the cursor. Readers without
    /// completion ignore it.
    func setCompletionProvider(_ provider: @escaping (CompletionRequest) -> [String])
}

/// The outcome of one `LineReader.readLine` call.
public enum LineInput: Equatable, Sendable {
    /// A line the user entered, as UTF-8 bytes that may be invalid.
    case line([UInt8])
    /// Ctrl-C: the user abandoned the line being edited.
    case interrupted
    /// A line longer than `maximumBytes`, whose bytes the reader skipped up to its line break.
    case tooLong(maximumBytes: Int)
    /// Ctrl-D on an empty line, or the end of piped input.
    case endOfInput
}

/// The text around the cursor when the user presses Tab.
public struct CompletionRequest: Equatable, Sendable {
    /// The word to complete: the text between the last word-break character and the cursor.
    public var word: String
    /// The text of the line before `word`, which gives the context (for example `:load ` before
    /// a file path).
    public var textBeforeWord: String

    public init(word: String, textBeforeWord: String) {
        self.word = word
        self.textBeforeWord = textBeforeWord
    }

    /// The characters that end a word for completion. The libedit reader gives libedit the same
    /// set, so the words it passes to the completion provider are the words `init(line:cursor:)`
    /// finds. `.`, `:`, `/` and `-` are not in the set, so that `arn.kin`, `:lo` and
    /// `samples/orders-x` each stay one word.
    public static let wordBreakCharacters = " \t\n\"'`()[]{},;=+*<>!&|?"

    /// Splits a line at the cursor (an offset in Unicode scalars) the way libedit does before it
    /// calls the completion provider.
    public init(line: String, cursor: Int) {
        let scalars = Array(line.unicodeScalars)
        let end = max(0, min(cursor, scalars.count))
        let breaks = Set(CompletionRequest.wordBreakCharacters.unicodeScalars)
        var start = end
        while start > 0, !breaks.contains(scalars[start - 1]) {
            start -= 1
        }
        var before = String.UnicodeScalarView()
        before.append(contentsOf: scalars[0..<start])
        var word = String.UnicodeScalarView()
        word.append(contentsOf: scalars[start..<end])
        self.init(word: String(word), textBeforeWord: String(before))
    }
}
