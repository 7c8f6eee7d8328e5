import SlsxSource

extension ServiceDecoding {
    /// Checks `environment` of the provider or a function: a map from variable names to values.
    /// The CloudFormation compiler merges the entries of a map into `Environment.Variables` and
    /// leaves any other value out, so another type is an error here.
    ///
    /// Names: Lambda accepts keys matching `[a-zA-Z]([a-zA-Z0-9_])+` (`Environment` in the Lambda
    /// API reference), so a name starts with a letter and has at least two characters. The
    /// framework's `awsLambdaEnvironment` (lib/plugins/aws/provider.js, v3) also accepts `_A` and
    /// `A`, which Lambda rejects at deploy time.
    ///
    /// Values: the framework accepts a string or an intrinsic function. A number or a boolean
    /// passes too, because CloudFormation accepts a scalar where a string is expected. A list,
    /// another map or null leaves the template invalid.
    mutating func checkEnvironment(_ entry: Node.Entry, named name: String) {
        guard let entries = mappingSetting(
            entry, named: name, expected: "a map from variable names to values",
            hint: "write each variable as `<NAME>: <value>`, such as `TABLE_NAME: orders`") else { return }

        for variable in entries {
            if !Self.isEnvironmentVariableName(variable.key), !ServiceDecoding.containsVariable(variable.key) {
                let replaced = String(variable.key.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
                let hint = Self.isEnvironmentVariableName(replaced)
                    ? "rename it, such as `\(replaced)`"
                    : "rename the variable; Lambda rejects other names when the stack is deployed"
                error("environment variable name `\(variable.key)` in `\(name)` must start with a letter and "
                      + "contain at least two letters, digits or `_`", at: variable.keySpan ?? entry.keySpan, hint: hint)
            }
            checkScalarValue(variable, of: "environment variable", in: name,
                             hint: "Lambda variables are text: write the value as a string")
        }
    }

    /// Checks `tags` of the provider or a function: a map from tag keys to values. The
    /// CloudFormation compiler turns the entries of a map into the function's `Tags` and leaves
    /// any other value out. A value is a string, a number, a boolean or an intrinsic function, as
    /// in `environment`; the framework's `awsResourceTags` (lib/plugins/aws/provider.js, v3)
    /// requires a string.
    mutating func checkTags(_ entry: Node.Entry, named name: String) {
        guard let entries = mappingSetting(
            entry, named: name, expected: "a map from tag keys to values",
            hint: "write each tag as `<key>: <value>`, such as `team: payments`") else { return }
        for tag in entries {
            checkScalarValue(tag, of: "tag", in: name, hint: "write the tag's value as a string")
        }
    }

    /// Returns the entries of a setting that must be a map, or `nil` after reporting a value of
    /// another type. A Serverless variable as the whole value returns `nil` without an error.
    private mutating func mappingSetting(
        _ entry: Node.Entry, named name: String, expected: String, hint: String
    ) -> [Node.Entry]? {
        if acceptsVariable(entry.value, for: name, fallback: entry.keySpan) { return nil }
        guard case .mapping(let entries) = entry.value.kind, !ServiceDecoding.isIntrinsic(entry.value) else {
            // The compiler merges the provider's entries with the function's, so an intrinsic
            // function cannot stand for the whole map.
            let found = ServiceDecoding.isIntrinsic(entry.value)
                ? "the intrinsic function `\(entry.value.mappingValue?.first?.key ?? "")`"
                : describe(entry.value)
            error("`\(name)` must be \(expected), but found \(found)", at: entry.value.span ?? entry.keySpan, hint: hint)
            return nil
        }
        return entries
    }

    /// Reports the value of `entry`, an entry of the map setting `name`, when it is a list, null or
    /// a map that is not an intrinsic function. `kind` names the entry in the message, such as `tag`.
    private mutating func checkScalarValue(_ entry: Node.Entry, of kind: String, in name: String, hint: String) {
        switch entry.value.kind {
        case .string, .integer, .float, .bool:
            return
        case .mapping where ServiceDecoding.isIntrinsic(entry.value):
            return
        default:
            error("\(kind) `\(entry.key)` in `\(name)` must be a string, a number, a boolean or an intrinsic "
                  + "function, but found \(describe(entry.value))",
                  at: entry.value.span ?? entry.keySpan, hint: hint)
        }
    }

    /// Returns whether `name` matches Lambda's environment variable pattern `[a-zA-Z]([a-zA-Z0-9_])+`.
    static func isEnvironmentVariableName(_ name: String) -> Bool {
        guard name.utf8.count >= 2, let first = name.utf8.first,
              (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first)
        else { return false }
        return matchesNamePattern(name, allowing: "_")
    }
}
