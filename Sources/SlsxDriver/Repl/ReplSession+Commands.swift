import Foundation
import SlsxLanguage
import SlsxSource

// MARK: - Commands

extension ReplSession {
    /// Runs one `:` command line, such as `:load orders.slsx`, typed on input line `firstLine`.
    /// A line that is not valid UTF-8 is an error, because its path or expression would otherwise
    /// reach the command with U+FFFD in place of the invalid bytes.
    func runCommand(_ bytes: [UInt8], firstLine: Int) -> ReplOutcome {
        if let invalidByte = ReplSession.firstInvalidUTF8Byte(in: bytes) {
            // An invalid byte is 0x80 or more, so it always has two hex digits.
            return failure("invalid UTF-8 byte 0x\(String(invalidByte, radix: 16, uppercase: true)) in a command")
        }
        let line = String(decoding: bytes, as: UTF8.self)
        let commandText = line.drop(while: \.isWhitespace)
        let name = String(commandText.prefix { !$0.isWhitespace })
        var argument = commandText.dropFirst(name.count).trimmingCharacters(in: .whitespaces)

        guard let command = ReplCommandTable.command(named: name) else {
            hasFailedEntry = true
            let hint = ReplCommandTable.suggestion(for: name).map { "did you mean '\($0)'? " } ?? ""
            return ReplOutcome(errors: "error: unknown command '\(name)'\nhelp: \(hint)type :help for the list of commands\n")
        }
        if command.argument == .none, !argument.isEmpty {
            return failure("\(command.name) takes no argument, but got '\(argument)'")
        }
        if case .optionalWord(let words) = command.argument, !argument.isEmpty, !words.contains(argument) {
            let choices = words.map { "'\(command.name) \($0)'" }.joined(separator: " or ")
            return failure("unknown argument '\(argument)' for \(command.name)", hint: "use '\(command.name)' or \(choices)")
        }
        if command.argument == .file || command.argument == .expression, argument.isEmpty {
            return failure("\(command.name) needs \(command.usage), for example \(example(for: command))")
        }

        if command.argument == .file {
            argument = ReplSession.unquoted(argument)
        }

        switch command.name {
        case ":help": return help(argument)
        case ":yaml": return emit(.yaml)
        case ":json": return emit(.json)
        case ":cfn": return emitCloudFormation(argument)
        case ":model": return describeModel()
        case ":load": return load(argument)
        case ":save": return save(argument)
        case ":reset": return reset()
        case ":vars": return listBindings()
        case ":type": return showType(of: argument, in: line, firstLine: firstLine)
        case ":quit": return ReplOutcome(quit: true)
        default: return failure("internal error: command \(command.name) has no implementation (this is a bug in slsx)")
        }
    }

    /// Returns the first byte of `bytes` that does not belong to a valid UTF-8 sequence, or nil
    /// when all of them do.
    static func firstInvalidUTF8Byte(in bytes: [UInt8]) -> UInt8? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                offset += encoded.count
            case .emptyInput:
                return nil
            case .error:
                return bytes[offset]
            }
        }
    }

    /// Returns a path without the quotes a user may put around it (`"my file.slsx"`); a path with
    /// spaces works without them too.
    static func unquoted(_ path: String) -> String {
        guard path.count >= 2, let first = path.first, first == "\"" || first == "'", path.last == first else {
            return path
        }
        return String(path.dropFirst().dropLast())
    }

    private func help(_ topic: String) -> ReplOutcome {
        guard topic == "builtins" else { return ReplOutcome(output: ReplCommandTable.helpText) }
        return ReplOutcome(output: Session.builtinSummaries.map { "  " + $0 + "\n" }.joined())
    }

    private func example(for command: ReplCommandTable.Command) -> String {
        command.argument == .file ? "\(command.name) service.slsx" : "\(command.name) [1, 2]"
    }

    func failure(_ message: String, hint: String? = nil) -> ReplOutcome {
        hasFailedEntry = true
        return ReplOutcome(errors: renderer.render(.error(message, hint: hint)))
    }

    // MARK: - Files

    func resolvedPath(_ path: String) -> String {
        if path.hasPrefix("/") {
            return path
        }
        if path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
            return home + path.dropFirst()
        }
        return configuration.workingDirectory + "/" + path
    }

    private func load(_ path: String) -> ReplOutcome {
        let fullPath = resolvedPath(path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: fullPath, isDirectory: &isDirectory) else {
            return failure("cannot read '\(path)': no such file", hint: "check the path; relative paths start at \(configuration.workingDirectory)")
        }
        guard !isDirectory.boolValue else {
            return failure("cannot read '\(path)': it is a folder, not a script", hint: "name a .slsx file in it")
        }
        // The same bound as for `slsx emit`, so that `:load` of a huge file or of /dev/zero ends.
        switch BoundedFileReader.read(path: fullPath) {
        case .success(let bytes):
            // A loaded script keeps its own name and line numbers in diagnostics. Its bytes go to
            // the lexer as read, so invalid UTF-8 is reported as `slsx emit` reports it.
            return evaluate(bytes, path: path, firstLine: 1)
        case .failure(.tooLarge(let maximumBytes)):
            let error = BoundedFileReader.tooLargeScriptError(reading: "'\(path)'", maximumBytes: maximumBytes)
            return failure(error.message, hint: error.hint)
        case .failure(.system(let code)):
            return failure("cannot read '\(path)': \(String(cString: strerror(code)))", hint: "check the file's permissions")
        }
    }

    // MARK: - State

    private func reset() -> ReplOutcome {
        language.reset()
        savedEntries.removeAll()
        lineMap.removeAll()
        reportedModelProblems.removeAll()
        return ReplOutcome(output: "session reset: no bindings or declarations\n")
    }

    private func listBindings() -> ReplOutcome {
        let bindings = language.bindings
        guard !bindings.isEmpty else { return ReplOutcome(output: "no names are bound\n") }
        let lines = bindings.map { binding in
            var value = ValueFormatter.format(binding.value)
            // One line per name: long values are cut, and the name itself shows them whole.
            if value.count > ReplSession.maximumVariableWidth {
                value = value.prefix(ReplSession.maximumVariableWidth - 3) + "..."
            }
            return "\(binding.name): \(binding.value.typeName) = \(value)"
        }
        return ReplOutcome(output: lines.joined(separator: "\n") + "\n")
    }

    /// The number of characters `:vars` shows of one value.
    static let maximumVariableWidth = 120

    private func showType(of expression: String, in line: String, firstLine: Int) -> ReplOutcome {
        // The command is blanked out rather than cut off, so diagnostics point at the columns the
        // user typed.
        let prefix = line.range(of: expression, options: .backwards).map { line[..<$0.lowerBound] } ?? ""
        let blanked = String(prefix.map { $0 == "\t" ? "\t" : " " })
        let file = SourceFile(path: configuration.entryPath, text: blanked + expression)

        let statements = Parser.parse(file).script.statements
        guard statements.count == 1, case .expression = statements[0].kind else {
            return failure(":type takes one expression, such as ':type tables' or ':type len(tables)'")
        }

        // An expression cannot bind names, so evaluating it leaves the session as it was.
        lineMap.register(file, firstLine: firstLine)
        let result = language.evaluate(file)
        let errors = lineMap.render(result.diagnostics, with: renderer)
        if result.diagnostics.contains(where: { $0.severity == .error }) {
            hasFailedEntry = true
            lineMap.unregister(file)
            return ReplOutcome(errors: errors)
        }
        if result.declarations.isEmpty {
            lineMap.unregister(file)
        } else {
            // An `if` expression may still run declarations; keep them for `:save`.
            savedEntries.append(expression)
        }
        let type = result.value.map(ValueFormatter.typeName(of:)) ?? "null"
        return ReplOutcome(output: type + "\n", errors: errors)
    }
}
