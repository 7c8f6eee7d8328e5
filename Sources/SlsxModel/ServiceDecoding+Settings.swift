import SlsxSource

extension ServiceDecoding {
    /// Checks `memorySize` or `timeout` of the provider or a function. The CloudFormation compiler
    /// copies an integer into `MemorySize` or `Timeout` and uses the framework's default otherwise,
    /// so a value of another type must be an error here rather than be replaced without a word.
    ///
    /// Ranges: `awsLambdaMemorySize` is 128 to 10240 MB and `awsLambdaTimeout` is 1 to 900 seconds
    /// in the framework's provider schema (lib/plugins/aws/provider.js, v3). The Lambda quotas page
    /// gives a function at most 10,240 MB. cfn-lint 1.51 reports a `Timeout` over 900 as E3034.
    ///
    /// NOTE: some references quote up to 32,768 MB, which may apply to functions on Lambda Managed
    /// Instances. slsx compiles no capacity provider, so it keeps the standard maximum.
    mutating func checkFunctionSetting(_ entry: Node.Entry, named name: String) {
        // A Serverless variable passes through to serverless.yml, and the CloudFormation compiler
        // reports it there; it is not a setting variable of the model.
        if case .string(let text) = entry.value.kind, ServiceDecoding.containsVariable(text) { return }
        let allowed = entry.key == "memorySize" ? IntegerRange(128...10240) : IntegerRange(1...900)
        _ = integer(entry.value, named: name, allowed: allowed, fallback: entry.keySpan)
    }

    /// Warns about a runtime that Lambda does not know, with the closest known name. Known runtimes
    /// are those of `RuntimeNames.known`.
    mutating func checkRuntime(_ runtime: Located<String>?, named name: String) {
        guard let runtime, !RuntimeNames.known.contains(runtime.value), !ServiceDecoding.containsVariable(runtime.value) else {
            return
        }
        let hint = RuntimeNames.known.sorted().closest(to: runtime.value).map { "did you mean `\($0)`?" }
            ?? "use a Lambda runtime such as `nodejs24.x` or `python3.12`"
        warning("`\(name)` is `\(runtime.value)`, which is not a Lambda runtime", at: runtime.span, hint: hint)
    }

    /// The values of `awsLambdaArchitecture` in the framework's provider schema
    /// (lib/plugins/aws/provider.js, v3), the instruction sets Lambda runs.
    static let architectures = ["x86_64", "arm64"]

    /// Checks `architecture` of the provider or a function: `x86_64` or `arm64`. The CloudFormation
    /// compiler writes a string into `Architectures` and leaves any other value out.
    mutating func checkArchitecture(_ entry: Node.Entry, named name: String) {
        if acceptsVariable(entry.value, for: name, fallback: entry.keySpan) { return }
        guard let architecture = string(entry.value, named: name, fallback: entry.keySpan),
              !Self.architectures.contains(architecture.value) else { return }
        let hint = Self.architectures.closest(to: architecture.value).map { "did you mean `\($0)`?" }
            ?? "write `x86_64` (the default) or `arm64`"
        error("`\(name)` must be `x86_64` or `arm64`, but is `\(architecture.value)`", at: architecture.span, hint: hint)
    }

    /// The retention periods, in days, that CloudWatch Logs accepts (`RetentionInDays` of
    /// PutRetentionPolicy in the CloudWatch Logs API reference). The framework's
    /// `awsLogRetentionInDays` (lib/plugins/aws/provider.js, v3) lists the same values except 1096.
    static let logRetentionDays: [Int64] = [
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
    ]

    /// Checks `logRetentionInDays` of the provider or a function against `logRetentionDays`. The
    /// CloudFormation compiler writes an integer into the log group's `RetentionInDays` and leaves
    /// any other value out.
    mutating func checkLogRetention(_ entry: Node.Entry, named name: String) {
        if acceptsVariable(entry.value, for: name, fallback: entry.keySpan) { return }
        let span = entry.value.span ?? entry.keySpan
        let listed = Self.logRetentionDays.map(String.init).joined(separator: ", ")
        guard case .integer(let days) = entry.value.kind else {
            error("`\(name)` must be an integer, but found \(describe(entry.value))", at: span,
                  hint: "write a number of days that CloudWatch Logs accepts: \(listed)")
            return
        }
        guard !Self.logRetentionDays.contains(days) else { return }
        let below = Self.logRetentionDays.last { $0 < days }
        let above = Self.logRetentionDays.first { $0 > days }
        let nearest = [below, above].compactMap { $0 }.map(String.init).joined(separator: " or ")
        error("`\(name)` must be a number of days that CloudWatch Logs accepts, but is \(days)", at: span,
              hint: "use \(nearest); the accepted values are \(listed)")
    }

    // MARK: - Function settings

    /// Checks a function's `handler` against Lambda's `Handler` constraints (CreateFunction in the
    /// Lambda API reference): at most 128 characters, matching `[^\s]+`. `\s` is taken to be ASCII
    /// whitespace: space, tab and the line breaks.
    mutating func checkHandler(_ handler: Located<String>?) {
        guard let handler else { return }
        let text = handler.value
        // Reading the bytes in place, rather than iterating `text.utf8`, cut this check from 601 to
        // 175 instructions per function on the benchmark (callgrind).
        let hasWhitespace = text.withUTF8Bytes { bytes in
            bytes.contains { $0 == UInt8(ascii: " ") || (0x09...0x0D).contains($0) }
        }
        if text.isEmpty {
            error("`handler` must not be empty", at: handler.span,
                  hint: "write `<file>.<export>`, such as `src/orders.handle`")
        } else if hasWhitespace, !ServiceDecoding.containsVariable(text) {
            error("`handler` must not contain whitespace, but is `\(text)`", at: handler.span,
                  hint: "write `<file>.<export>` without spaces, such as `src/orders.handle`")
        } else if text.utf8.count > 128, text.count > 128, !ServiceDecoding.containsVariable(text) {
            error("`handler` has \(text.count) characters, but Lambda allows at most 128", at: handler.span,
                  hint: "shorten the file path or the export name")
        }
    }

    /// Checks a function's `name`, the function's name in Lambda. It is a string in the framework's
    /// function schema (lib/config-schema.js), and Lambda accepts only the characters of the
    /// framework's function name pattern `^[a-zA-Z0-9-_]+$`. The CloudFormation compiler uses a
    /// string and otherwise the default name, so another type is an error. The compiler reports a
    /// name over 64 characters, as it does for the default names.
    mutating func checkDeployedName(_ entry: Node.Entry) {
        if acceptsVariable(entry.value, for: "name", fallback: entry.keySpan) { return }
        guard let name = string(entry.value, named: "name", fallback: entry.keySpan),
              !ServiceDecoding.matchesNamePattern(name.value, allowing: "-_"),
              !ServiceDecoding.containsVariable(name.value) else { return }
        error("`name` must contain only letters, digits, `-` and `_`, but is `\(name.value)`", at: name.span,
              hint: "Lambda rejects other characters in function names; leave `name` out for `<service>-<stage>-<function>`")
    }

    /// Checks a function's `description`: a string of at most 256 characters (the framework's
    /// function schema in lib/plugins/aws/provider.js, v3, and Lambda's `Description`). The
    /// CloudFormation compiler writes a string and leaves any other value out.
    mutating func checkDescription(_ entry: Node.Entry) {
        if acceptsVariable(entry.value, for: "description", fallback: entry.keySpan) { return }
        guard let description = string(entry.value, named: "description", fallback: entry.keySpan),
              description.value.utf8.count > 256, description.value.count > 256,
              !ServiceDecoding.containsVariable(description.value) else { return }
        error("`description` has \(description.value.count) characters, but Lambda allows at most 256",
              at: description.span, hint: "shorten the description")
    }
}
