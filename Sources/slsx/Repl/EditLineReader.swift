import CEditLine
import Foundation
import SlsxDriver

/// Reads lines on a terminal through libedit's readline-compatible API: emacs-style editing, history
/// with arrow keys and Ctrl-R, Tab completion, and Ctrl-C that abandons the line.
///
/// libedit keeps its state in globals, so create at most one reader per process.
final class EditLineReader: LineReader {
    private let history: HistoryFile?
    private let reportWarning: (String) -> Void
    /// Whether saving the history has failed once already; later failures are not reported again.
    private var historySaveFailed = false

    /// The completion provider that the C callback calls.
    /// `nonisolated(unsafe)` because a `@convention(c)` function cannot capture context, and libedit
    /// calls the callback only on the thread that is inside `readline`, which is the REPL's thread.
    nonisolated(unsafe) private static var completionProvider: ((CompletionRequest) -> [String])?

    /// Word-break characters handed to libedit; a C string that lives for the whole program.
    nonisolated(unsafe) private static let wordBreakCharacters: UnsafeMutablePointer<CChar>? =
        strdup(CompletionRequest.wordBreakCharacters)

    /// Sets up libedit, loads the history file and installs the Ctrl-C handler. `reportWarning`
    /// receives one line per problem that does not stop the REPL, such as an unreadable history file.
    /// History is saved only when `HistoryFile.load()` allows it.
    init(history: HistoryFile?, reportWarning: @escaping (String) -> Void) {
        self.reportWarning = reportWarning

        if slsx_select_utf8_character_locale() == 0 {
            reportWarning("no UTF-8 locale is available, so non-ASCII characters may not edit correctly")
        }
        slsx_set_readline_name("slsx")
        slsx_set_word_break_characters(EditLineReader.wordBreakCharacters)
        slsx_set_completion_query_items(100)
        slsx_set_attempted_completion(editLineCompletion)
        // Creates libedit's editor, which also reads ~/.editrc; readline() would do it on first use.
        _ = rl_initialize()

        using_history()
        var savedHistory = history
        if let history {
            stifle_history(Int32(clamping: history.maximumEntries))
            let loaded = history.load()
            if let warning = loaded.warning {
                reportWarning(warning)
            }
            if !loaded.savesHistory {
                savedHistory = nil
            }
        }
        self.history = savedHistory

        if slsx_install_interrupt_handler() != 0 {
            reportWarning("could not install the Ctrl-C handler (\(String(cString: strerror(errno)))), so Ctrl-C will end the REPL")
        }
    }

    func readLine(prompt: String) -> LineInput {
        // A Ctrl-C that arrived while an entry was evaluating belongs to no line.
        _ = slsx_take_interrupt()

        let raw = readline(prompt)
        let interrupted = slsx_take_interrupt() != 0
        guard let raw else {
            return interrupted ? .interrupted : .endOfInput
        }
        // NOTE: libedit 3.1-20221030 in a UTF-8 locale drops invalid UTF-8 bytes while it reads
        // keys, so a typed line reaches the REPL without them and is not reported as invalid.
        let line = Array(UnsafeRawBufferPointer(start: raw, count: strlen(raw)))
        free(raw)
        // After Ctrl-C, libedit may return the text typed so far as if Enter had been pressed; drop it.
        return interrupted ? .interrupted : .line(line)
    }

    func addHistory(_ entry: String) {
        guard !entry.isEmpty else { return }
        _ = add_history(entry)
        if let history, let warning = history.save(), !historySaveFailed {
            historySaveFailed = true
            reportWarning(warning)
        }
    }

    func setCompletionProvider(_ provider: @escaping (CompletionRequest) -> [String]) {
        EditLineReader.completionProvider = provider
    }

    // MARK: - Completion bridge

    /// Computes the matches for libedit's completion callback, in the array form libedit expects:
    /// the text that replaces the word first, then each match, then NULL. libedit frees the array and
    /// every string, so all of them come from `malloc`.
    fileprivate static func completionMatches(
        word: UnsafePointer<CChar>?, wordStart: Int32
    ) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        // Without this, libedit falls back to completing file names when there are no matches.
        slsx_set_attempted_completion_over(1)

        guard let provider = completionProvider else { return nil }
        let wordText = word.map { String(cString: $0) } ?? ""
        // libedit counts `wordStart` in wide characters, which are Unicode scalars on Linux and macOS.
        let lineText = slsx_line_buffer().map { String(cString: $0) } ?? ""
        let before = String(String.UnicodeScalarView(lineText.unicodeScalars.prefix(Int(max(0, wordStart)))))
        let matches = provider(CompletionRequest(word: wordText, textBeforeWord: before))
        guard let first = matches.first else { return nil }

        // A directory name gets no space after it, so the user can go on typing the path.
        let single = matches.count == 1
        slsx_set_completion_append_character(single && first.hasSuffix("/") ? 0 : 32)

        // libedit reads at least three items (it tests matches[2] before matches[1]), so even a
        // single match is listed twice: once as the replacement and once as the match, as
        // libedit's own rl_completion_matches does.
        let items = [single ? first : commonPrefix(of: matches)] + matches
        guard let array = malloc(MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (items.count + 1))?
            .bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: items.count + 1)
        else { return nil }
        for (index, item) in items.enumerated() {
            array[index] = strdup(item)
        }
        array[items.count] = nil
        return array
    }

    /// The longest prefix, in whole characters, that every string starts with.
    private static func commonPrefix(of strings: [String]) -> String {
        guard var prefix = strings.first else { return "" }
        for string in strings.dropFirst() {
            prefix = String(zip(prefix, string).prefix { $0 == $1 }.map(\.0))
        }
        return prefix
    }
}

/// libedit's completion callback: the word before the cursor and its start and end offsets.
private let editLineCompletion: @convention(c) (UnsafePointer<CChar>?, Int32, Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { word, start, _ in
        EditLineReader.completionMatches(word: word, wordStart: start)
    }
