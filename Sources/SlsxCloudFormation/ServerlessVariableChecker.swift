import SlsxModel
import SlsxSource

/// Finds Serverless Framework variables such as `${opt:stage}` or `${ssm:/path}` left in values.
///
/// The framework resolves them before it compiles; CloudFormation does not, so in a template they
/// would reach AWS as literal text. `Fn::Sub` variables (`${AWS::Region}`, `${MyBucket}`) do not
/// match, because every variable source below is lower case and followed by `:` or `(`.
enum ServerlessVariableChecker {
    /// The variable sources of the Serverless Framework v3.
    static let sources = ["opt", "self", "ssm", "env", "file", "cf", "s3", "sls", "param", "aws", "strToBool"]
    static let maximumDepth = 200

    /// Reports each variable once per place in the script, although the compiler may copy a value
    /// into several spots of the template (an ARN is in a mapping and in an IAM statement).
    static func check(_ node: Node) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        walk(node, depth: 0, into: &diagnostics)
        var reported: [Diagnostic] = []
        for diagnostic in diagnostics where !reported.contains(diagnostic) {
            reported.append(diagnostic)
        }
        return reported
    }

    /// Returns the first Serverless variable in `text`, such as `${opt:stage}`; `nil` when there is none.
    static func firstVariable(in text: String) -> String? {
        // Almost no string has a `${`; looking for it in the UTF-8 bytes first skips the slower
        // search by characters below for those.
        guard text.utf8.indices.contains(where: { index in
            text.utf8[index] == UInt8(ascii: "$") && text.utf8.index(after: index) < text.utf8.endIndex
                && text.utf8[text.utf8.index(after: index)] == UInt8(ascii: "{")
        }) else {
            return nil
        }
        var rest = Substring(text)
        while let open = rest.firstRange(of: "${") {
            let afterOpen = rest[open.upperBound...].drop(while: { $0 == " " })
            for source in sources where afterOpen.hasPrefix(source) {
                let next = afterOpen.dropFirst(source.count).first
                // `aws::` would be the start of a pseudo parameter, not the `aws:` source.
                let isPseudoParameter = afterOpen.dropFirst(source.count).hasPrefix("::")
                if next == ":" || next == "(", !isPseudoParameter {
                    let end = afterOpen.firstIndex(of: "}").map { afterOpen.index(after: $0) } ?? afterOpen.endIndex
                    return "${" + afterOpen[..<end]
                }
            }
            rest = rest[open.upperBound...]
        }
        return nil
    }

    private static func walk(_ node: Node, depth: Int, into diagnostics: inout [Diagnostic]) {
        guard depth < maximumDepth else { return }
        switch node.kind {
        case .string(let text):
            if let variable = firstVariable(in: text) {
                diagnostics.append(.error(
                    "the Serverless variable `\(variable)` is left unresolved in the CloudFormation output",
                    at: node.span,
                    hint: "CloudFormation does not resolve Serverless variables; pass the value with "
                        + "`--set NAME=VALUE` and read it with `option(\"NAME\")`, or compute it in the script"
                ))
            }
        case .sequence(let items):
            for item in items { walk(item, depth: depth + 1, into: &diagnostics) }
        case .mapping(let entries):
            for entry in entries { walk(entry.value, depth: depth + 1, into: &diagnostics) }
        default:
            break
        }
    }
}
