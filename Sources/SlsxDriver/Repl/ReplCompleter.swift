import Foundation

/// Proposes Tab completions: commands, file paths after `:load` and `:save`, members after a `.`,
/// property names inside `stream`, `function` and `provider` blocks, and otherwise keywords, built-ins
/// and names in scope.
///
/// Every candidate replaces the whole word of the request, so it starts with that word.
struct ReplCompleter {
    /// Language keywords, such as `let` and `function`.
    var keywords: [String]
    /// Built-in function names, such as `len`.
    var builtinNames: [String]
    /// Top-level names in scope, in the order they were bound.
    var boundNames: [String]
    /// Returns the member names of the value that a dotted path such as `arn` or `cfg.a` names, or nil
    /// when the path names nothing with members.
    var members: (_ path: [String]) -> [String]?
    /// The folder relative paths start from.
    var workingDirectory: String

    /// Returns the candidates for `request`, where `pendingText` is the text of the entry's earlier
    /// lines (empty on a primary prompt). Candidates are sorted and without duplicates.
    func candidates(for request: CompletionRequest, pendingText: String) -> [String] {
        let before = request.textBeforeWord
        let trimmedBefore = before.drop { $0 == " " || $0 == "\t" }

        if pendingText.isEmpty, trimmedBefore.isEmpty, request.word.hasPrefix(":") {
            return finish(ReplCommandTable.commands.map(\.name), matching: request.word)
        }
        if pendingText.isEmpty, let command = commandArgument(before: String(trimmedBefore)) {
            switch command.argument {
            case .file: return filePaths(matching: request.word)
            case .optionalWord(let words): return finish(words, matching: request.word)
            case .expression: break
            case .none: return []
            }
        }
        return names(for: request.word, context: pendingText + "\n" + before)
    }

    // MARK: - Commands

    /// Returns the command whose argument is being typed when `text` is `:name ` followed only by spaces.
    private func commandArgument(before text: String) -> ReplCommandTable.Command? {
        guard text.hasPrefix(":"), text.last == " " || text.last == "\t" else { return nil }
        let name = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
        let rest = text.dropFirst(name.count).allSatisfy { $0 == " " || $0 == "\t" }
        guard rest else { return nil }
        return ReplCommandTable.command(named: name)
    }

    // MARK: - Names

    private func names(for word: String, context: String) -> [String] {
        // The word may hold an operator that is not a word-break character (`a-b`, `x/y`): complete
        // the identifier or dotted path at its end and keep the rest.
        let tail = String(word.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }.reversed())
        let head = String(word.dropLast(tail.count))
        guard !(tail.first?.isNumber ?? false) else { return [] }

        if let dot = tail.lastIndex(of: ".") {
            let path = tail[..<dot].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !path.contains(where: \.isEmpty), let memberNames = members(path) else { return [] }
            let prefix = head + tail[...dot]
            return finish(memberNames.map { prefix + $0 }, matching: word)
        }

        var pool = keywords + builtinNames + boundNames
        if let block = ReplCompleter.innermostBlock(in: context) {
            pool = ReplCompleter.propertyNames(forBlock: block) + pool
        }
        return finish(pool.map { head + $0 }, matching: word)
    }

    /// Returns the keyword that opened the innermost block still open at the end of `text` (`stream`,
    /// `function`, `provider`, ...), or nil outside any block. Strings and comments are skipped, so a
    /// brace inside them does not count.
    static func innermostBlock(in text: String) -> String? {
        var openers: [String?] = []
        var lastWord: String?
        var word = ""
        var characters = Array(text)[...]

        func endWord() {
            if !word.isEmpty { lastWord = word }
            word = ""
        }

        while let character = characters.popFirst() {
            if character.isLetter || character.isNumber || character == "_" {
                word.append(character)
                continue
            }
            endWord()
            switch character {
            case "/" where characters.first == "/":
                while let next = characters.first, next != "\n" { characters.removeFirst() }
            case "/" where characters.first == "*":
                characters.removeFirst()
                while let next = characters.popFirst() {
                    if next == "*", characters.first == "/" { characters.removeFirst(); break }
                }
            case "\"":
                // A string, possibly with escapes; its text never opens a block. A string right after
                // `function` (the name) keeps `function` as the block's keyword.
                while let next = characters.popFirst(), next != "\"" {
                    if next == "\\" { _ = characters.popFirst() }
                }
            case "{", "[", "(":
                openers.append(character == "{" ? lastWord : nil)
                lastWord = nil
            case "}", "]", ")":
                _ = openers.popLast()
                lastWord = nil
            case " ", "\t", "\n", "\r", ":":
                // `destinations: {` opens a `destinations` block, so a colon keeps the last word.
                break
            default:
                lastWord = nil
            }
        }
        return openers.last ?? nil
    }

    /// Returns the property names a block takes, offered before other names inside it.
    static func propertyNames(forBlock keyword: String) -> [String] {
        switch keyword {
        case "stream": return streamProperties
        case "function": return functionProperties
        case "provider": return providerProperties
        case "destinations": return ["onFailure"]
        default: return []
        }
    }

    /// The properties of a `stream` event, as the Serverless Framework (v3) documents them.
    static let streamProperties = [
        "arn", "type", "batchSize", "batchWindow", "startingPosition", "startingPositionTimestamp",
        "enabled", "parallelizationFactor", "maximumRetryAttempts", "maximumRecordAgeInSeconds",
        "bisectBatchOnFunctionError", "functionResponseType", "destinations", "consumer",
        "tumblingWindowInSeconds", "filterPatterns",
    ]

    /// The function properties people set most often next to stream events.
    static let functionProperties = [
        "handler", "runtime", "memorySize", "timeout", "description", "environment", "role",
        "provisionedConcurrency", "reservedConcurrency", "tags", "layers", "name",
    ]

    /// The provider properties people set most often next to stream events.
    static let providerProperties = [
        "name", "runtime", "region", "stage", "memorySize", "timeout", "environment", "iam", "role",
        "kinesis", "tags", "deploymentBucket",
    ]

    // MARK: - Files

    /// File and folder names that complete `word` as a path; folders end with `/`.
    private func filePaths(matching word: String) -> [String] {
        let slash = word.lastIndex(of: "/")
        let folderPart = slash.map { String(word[...$0]) } ?? ""
        let namePrefix = slash.map { String(word[word.index(after: $0)...]) } ?? word

        var folder = folderPart.isEmpty ? workingDirectory : folderPart
        if folder.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
            folder = home + folder.dropFirst()
        } else if !folder.hasPrefix("/") {
            folder = workingDirectory + "/" + folder
        }

        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        let candidates = names.compactMap { name -> String? in
            guard name.hasPrefix(namePrefix), namePrefix.hasPrefix(".") || !name.hasPrefix(".") else { return nil }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isFolder) else { return nil }
            return folderPart + name + (isFolder.boolValue ? "/" : "")
        }
        return finish(candidates, matching: word)
    }

    // MARK: - Helpers

    private func finish(_ candidates: [String], matching word: String) -> [String] {
        Array(Set(candidates.filter { $0.hasPrefix(word) })).sorted()
    }
}
