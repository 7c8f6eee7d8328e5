import SlsxSource

extension ServiceDecoding {
    /// Checks the elements that IAM requires of a statement in a role's policy (the policy grammar
    /// in the IAM User Guide). `Effect` is `Allow` or `Deny`, compared case-sensitively. A statement
    /// has exactly one of `Action` and `NotAction`, and exactly one of `Resource` and `NotResource`.
    /// The framework's `awsIamPolicyStatements` (lib/plugins/aws/provider.js, v3) states the same
    /// rules, and cfn-lint reports a statement without them as E3510. `name` is the setting that
    /// lists the statement. A statement that is an intrinsic function, such as `Fn::If`, is not
    /// checked.
    mutating func checkStatement(_ statement: Node, in name: String, fallback: SourceSpan?) {
        guard case .mapping(let entries) = statement.kind, !ServiceDecoding.isIntrinsic(statement) else { return }
        let span = statement.span ?? fallback

        if let effect = entries.first(key: "Effect") {
            checkEffect(effect, in: name)
        } else {
            error("an IAM statement in `\(name)` has no `Effect`", at: span, hint: "add `Effect: Allow` or `Effect: Deny`")
        }
        checkOneOf("Action", "NotAction", in: entries, name: name, span: span,
                   hint: "add the actions the statement allows or denies, such as `Action: [\"s3:GetObject\"]`")
        checkOneOf("Resource", "NotResource", in: entries, name: name, span: span,
                   hint: "add the resources the statement applies to, such as `Resource: \"*\"` or an ARN")
    }

    /// Checks that `Effect` is the string `Allow` or `Deny`, a Serverless variable or an intrinsic
    /// function, which CloudFormation resolves.
    private mutating func checkEffect(_ effect: Node.Entry, in name: String) {
        if acceptsVariable(effect.value, for: "\(name).Effect", fallback: effect.keySpan) { return }
        if ServiceDecoding.isIntrinsic(effect.value) { return }
        let span = effect.value.span ?? effect.keySpan
        guard case .string(let text) = effect.value.kind else {
            error("`Effect` of an IAM statement in `\(name)` must be `Allow` or `Deny`, but found \(describe(effect.value))",
                  at: span, hint: "write `Effect: Allow` or `Effect: Deny`")
            return
        }
        guard text != "Allow", text != "Deny" else { return }
        let hint = ["Allow", "Deny"].first { $0.lowercased() == text.lowercased() }
            .map { "write `\($0)`: IAM compares the effect case-sensitively" } ?? "write `Effect: Allow` or `Effect: Deny`"
        error("`Effect` of an IAM statement in `\(name)` must be `Allow` or `Deny`, but is `\(text)`", at: span, hint: hint)
    }

    /// Reports a statement that has neither or both of the elements `key` and `negatedKey`.
    private mutating func checkOneOf(
        _ key: String, _ negatedKey: String, in entries: [Node.Entry], name: String, span: SourceSpan?, hint: String
    ) {
        let element = entries.first(key: key)
        let negated = entries.first(key: negatedKey)
        if element == nil, negated == nil {
            error("an IAM statement in `\(name)` has neither `\(key)` nor `\(negatedKey)`", at: span, hint: hint)
        } else if element != nil, let negated {
            error("an IAM statement in `\(name)` has both `\(key)` and `\(negatedKey)`", at: negated.keySpan ?? span,
                  hint: "keep one of them: IAM accepts exactly one")
        }
    }
}
