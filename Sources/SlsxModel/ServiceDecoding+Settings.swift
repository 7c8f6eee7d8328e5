import SlsxSource

extension ServiceDecoding {
    /// Checks `memorySize` or `timeout` of the provider or a function. The CloudFormation compiler
    /// copies an integer into `MemorySize` or `Timeout` and uses the framework's default otherwise,
    /// so a value of another type must be an error here rather than be replaced without a word.
    ///
    /// Ranges: Lambda gives a function at least 128 MB of memory and runs it for 1 to 900 seconds
    /// (AWS Lambda quotas). cfn-lint 1.51 reports a `Timeout` over 900 as E3034.
    ///
    /// NOTE: the upper end of `memorySize` is not checked. Lambda's documented maximum has been
    /// 10,240 MB, but some current references quote larger values, and a wrong ceiling here would
    /// reject a valid service.
    mutating func checkFunctionSetting(_ entry: Node.Entry, named name: String) {
        // A Serverless variable passes through to serverless.yml, and the CloudFormation compiler
        // reports it there; it is not a setting variable of the model.
        if case .string(let text) = entry.value.kind, ServiceDecoding.containsVariable(text) { return }
        let allowed = entry.key == "memorySize" ? IntegerRange.atLeast(128) : IntegerRange(1...900)
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
}
