import SlsxSource

/// A Serverless Framework variable written in a value, such as `${opt:stage, 'dev'}` or
/// `${self:custom.batch}`.
///
/// The framework resolves these before it validates and compiles, so slsx writes them to
/// serverless.yml unchanged and skips the checks a variable makes impossible. A CloudFormation
/// template cannot contain them, so the compiler reports each one at `span`.
public struct ServerlessVariable: Sendable, Equatable {
    /// The variable as written, from `${` to the matching `}`.
    public var text: String
    /// The span of the string that contains the variable.
    public var span: SourceSpan?
    /// The typed setting whose whole value is the variable, such as `batchSize` or `provider.stage`, when
    /// the decoder skipped that setting's check. `nil` for a variable inside a longer string or in a
    /// value the model does not interpret.
    public var setting: String?
    /// The keys from the top of the document to the value (or key) that contains the variable, such
    /// as `["functions", "worker", "memorySize"]`. List positions are left out.
    public var path: [String]

    public init(_ text: String, at span: SourceSpan? = nil, setting: String? = nil, path: [String] = []) {
        self.text = text
        self.span = span
        self.setting = setting
        self.path = path
    }

    /// The variable sources of the Serverless Framework v3 (`${source:address}` or `${file(...)}`).
    /// All are lower case, so CloudFormation's `Fn::Sub` variables (`${AWS::Region}`, `${MyBucket}`)
    /// never match.
    public static let sources = ["opt", "self", "ssm", "env", "file", "cf", "s3", "sls", "param", "aws", "strToBool"]

    /// Returns every Serverless variable in `text`, in order. A `${` whose `}` is missing runs to the
    /// end of the text. Nested variables, as in `${opt:stage, ${env:STAGE}}`, count once, as the
    /// outer one.
    public static func variables(in text: String) -> [String] {
        guard containsPlaceholderStart(text) else { return [] }
        var found: [String] = []
        var rest = Substring(text)
        while let open = rest.firstRange(of: "${") {
            let body = rest[open.upperBound...]
            guard startsWithSource(body.drop(while: { $0 == " " })) else {
                rest = body
                continue
            }
            let end = closingBrace(in: body)
            found.append(String(rest[open.lowerBound..<end]))
            rest = rest[end...]
        }
        return found
    }

    /// Whether `text` is one Serverless variable and nothing else, such as `${opt:stage}`. A typed
    /// setting (an integer, a boolean, an enum) accepts such a string in place of its value.
    public static func isWholeVariable(_ text: String) -> Bool {
        variables(in: text).first == text
    }

    /// Returns the names of CloudFormation `Fn::Sub` variables in `text`: `AWS::Region` for
    /// `${AWS::Region}` and `Bucket` for `${Bucket}` or `${Bucket.Arn}`. In a plain string they reach
    /// CloudFormation as literal text, because only `Fn::Sub` substitutes them.
    public static func substitutionVariables(in text: String) -> [String] {
        var names: [String] = []
        for body in placeholderBodies(in: text) {
            let isName = body.first.map { $0.isASCII && $0.isLetter } == true
                && body.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == ":" || $0 == ".") }
            guard isName, !startsWithSource(body) else { continue }
            if body.hasPrefix("AWS::") || !body.contains(":") { names.append(String(body)) }
        }
        return names
    }

    /// Returns whether `body`, the text inside one `${...}`, is a Serverless variable (`sls:stage`,
    /// `opt:stage, 'dev'`, `file(x.json)`) rather than an `Fn::Sub` placeholder.
    public static func isVariableBody(_ body: Substring) -> Bool {
        startsWithSource(body.drop(while: { $0 == " " }))
    }

    /// Returns the text between each `${` and the next `}` in `text`, in order; an unclosed `${` ends
    /// the scan. Both Serverless variables and `Fn::Sub` placeholders use this form.
    public static func placeholderBodies(in text: String) -> [Substring] {
        guard containsPlaceholderStart(text) else { return [] }
        var bodies: [Substring] = []
        var rest = Substring(text)
        while let open = rest.firstRange(of: "${") {
            rest = rest[open.upperBound...]
            guard let close = rest.firstIndex(of: "}") else { break }
            bodies.append(rest[..<close])
            rest = rest[rest.index(after: close)...]
        }
        return bodies
    }

    /// Returns the fields of an ARN (`arn:<partition>:<service>:...`), split at `:` into at most
    /// `maxFields`. Each `${...}` (a Serverless variable or `Fn::Sub` syntax such as
    /// `${AWS::Partition}`) counts as text without `:`, so `arn:${AWS::Partition}:kinesis:...` has
    /// the service `kinesis`.
    public static func arnFields(_ text: String, maxFields: Int = 4) -> [Substring] {
        // Without `${`, an ASCII ARN splits at its `:` bytes, the same as by characters below.
        if text.isASCII, !containsPlaceholderStart(text) {
            return text.utf8
                .split(separator: UInt8(ascii: ":"), maxSplits: max(maxFields - 1, 0), omittingEmptySubsequences: false)
                .map { Substring($0) }
        }
        var fields: [Substring] = []
        var fieldStart = text.startIndex
        var index = text.startIndex
        while index < text.endIndex, fields.count < maxFields - 1 {
            if text[index] == "$", text[text.index(after: index)...].hasPrefix("{") {
                let body = text[text.index(index, offsetBy: 2)...]
                index = closingBrace(in: body)
                continue
            }
            if text[index] == ":" {
                fields.append(text[fieldStart..<index])
                fieldStart = text.index(after: index)
            }
            index = text.index(after: index)
        }
        fields.append(text[fieldStart...])
        return fields
    }

    /// Returns whether `text` contains `${`. Almost no string does, so the callers check this first, in the
    /// contiguous UTF-8 bytes, and skip their slower search by characters. Text without `${` contains
    /// no Serverless variable and no `Fn::Sub` placeholder.
    public static func containsPlaceholderStart(_ text: String) -> Bool {
        text.withUTF8Bytes { bytes in ByteScan.containsPlaceholderStart(bytes) }
    }

    /// Whether `body` (the text after `${`) starts with a variable source followed by `:` or `(`.
    /// `aws::` is the start of a pseudo parameter, not the `aws:` source.
    private static func startsWithSource(_ body: Substring) -> Bool {
        sources.contains { source in
            guard body.hasPrefix(source) else { return false }
            let after = body.dropFirst(source.count)
            return (after.first == ":" && !after.hasPrefix("::")) || after.first == "("
        }
    }

    /// Returns the index just past the `}` that closes a variable whose body starts at `body`,
    /// counting nested `${`. An unclosed variable ends at the end of the text.
    private static func closingBrace(in body: Substring) -> Substring.Index {
        var depth = 1
        var index = body.startIndex
        while index < body.endIndex {
            let character = body[index]
            if character == "{", index > body.startIndex, body[body.index(before: index)] == "$" {
                depth += 1
            } else if character == "}" {
                depth -= 1
                if depth == 0 { return body.index(after: index) }
            }
            index = body.index(after: index)
        }
        return body.endIndex
    }
}
