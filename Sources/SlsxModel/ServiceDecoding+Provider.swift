import SlsxSource

extension ServiceDecoding {
    /// Decodes `provider`. Keys the model does not interpret pass through in `Service.document`.
    mutating func decodeProvider(_ node: Node, keySpan: SourceSpan?) -> Provider {
        var provider = Provider()
        let span = node.span ?? keySpan
        guard case .mapping(let entries) = node.kind else {
            error("`provider` must be a map, but found \(describe(node))", at: span,
                  hint: "write `provider:` with `name: aws` and settings such as `runtime` and `region`")
            return provider
        }
        rejectUnknownKeys(entries, known: KnownKeys.provider, in: "`provider`", parent: span)

        for entry in entries {
            let value = entry.value
            switch entry.key {
            case "name":
                if acceptsVariable(value, for: "provider.name", fallback: entry.keySpan) { continue }
                guard let name = string(value, named: "provider.name", fallback: entry.keySpan) else { continue }
                if name.value == "aws" {
                    provider.name = name
                } else {
                    error("`provider.name` must be `aws`, but is `\(name.value)`", at: name.span,
                          hint: "slsx compiles for AWS only: write `name: aws`")
                }
            case "runtime":
                if acceptsVariable(value, for: "provider.runtime", fallback: entry.keySpan) { continue }
                provider.runtime = string(value, named: "provider.runtime", fallback: entry.keySpan)
                checkRuntime(provider.runtime, named: "provider.runtime")
            case "region":
                if acceptsVariable(value, for: "provider.region", fallback: entry.keySpan) { continue }
                provider.region = string(value, named: "provider.region", fallback: entry.keySpan)
            case "memorySize", "timeout":
                checkFunctionSetting(entry, named: "provider.\(entry.key)")
            case "architecture":
                checkArchitecture(entry, named: "provider.architecture")
            case "logRetentionInDays":
                checkLogRetention(entry, named: "provider.logRetentionInDays")
            case "environment":
                checkEnvironment(entry, named: "provider.environment")
            case "tags":
                checkTags(entry, named: "provider.tags")
            case "stage":
                if acceptsVariable(value, for: "provider.stage", fallback: entry.keySpan) { continue }
                provider.stage = string(value, named: "provider.stage", fallback: entry.keySpan)
                checkStageName(provider.stage)
            case "role":
                provider.role = decodeRole(value, named: "provider.role", fallback: entry.keySpan)
            case "iamRoleStatements":
                provider.iamStatements += decodeStatements(value, named: "provider.iamRoleStatements", fallback: entry.keySpan)
            case "iam":
                decodeProviderIAM(value, keySpan: entry.keySpan, into: &provider)
            case "kinesis":
                provider.kinesisConsumerNamingMode = decodeKinesisSettings(value, keySpan: entry.keySpan)
            default:
                continue
            }
        }

        checkProviderConflicts(entries, span: span)
        return provider
    }

    /// Decodes `provider.iam`: `role` as an ARN, logical ID or intrinsic, or a map whose `statements` extend
    /// the shared execution role.
    private mutating func decodeProviderIAM(_ node: Node, keySpan: SourceSpan?, into provider: inout Provider) {
        let span = node.span ?? keySpan
        guard case .mapping(let entries) = node.kind else {
            error("`provider.iam` must be a map, but found \(describe(node))", at: span,
                  hint: "write `iam:` with `role:` under it")
            return
        }
        rejectUnknownKeys(entries, known: KnownKeys.providerIAM, in: "`provider.iam`", parent: span)
        guard let role = entries.first(key: "role") else { return }

        guard case .mapping(let roleEntries) = role.value.kind, !ServiceDecoding.isIntrinsic(role.value) else {
            provider.role = decodeRole(role.value, named: "provider.iam.role", fallback: role.keySpan)
            return
        }
        let roleSpan = role.value.span ?? role.keySpan
        rejectUnknownKeys(roleEntries, known: KnownKeys.providerIAMRole, in: "`provider.iam.role`", parent: roleSpan)
        if let statements = roleEntries.first(key: "statements") {
            provider.iamStatements += decodeStatements(
                statements.value, named: "provider.iam.role.statements", fallback: statements.keySpan)
        }
    }

    /// Decodes `provider.kinesis.consumerNamingMode`. The framework's v3 provider schema accepts only
    /// `serviceSpecific` (`const: 'serviceSpecific'` in lib/plugins/aws/provider.js). Leaving the key
    /// out selects the legacy naming, so `legacy` is rejected rather than written into serverless.yml.
    private mutating func decodeKinesisSettings(_ node: Node, keySpan: SourceSpan?) -> Located<ConsumerNamingMode>? {
        let span = node.span ?? keySpan
        guard case .mapping(let entries) = node.kind else {
            error("`provider.kinesis` must be a map, but found \(describe(node))", at: span,
                  hint: "write `kinesis:` with `consumerNamingMode: serviceSpecific` under it")
            return nil
        }
        rejectUnknownKeys(entries, known: KnownKeys.providerKinesis, in: "`provider.kinesis`", parent: span)
        guard let entry = entries.first(key: "consumerNamingMode"),
              !acceptsVariable(entry.value, for: "provider.kinesis.consumerNamingMode", fallback: entry.keySpan),
              let text = string(entry.value, named: "provider.kinesis.consumerNamingMode", fallback: entry.keySpan)
        else { return nil }

        guard text.value == ConsumerNamingMode.serviceSpecific.rawValue else {
            let hint = text.value == ConsumerNamingMode.legacy.rawValue
                ? "remove `consumerNamingMode` to keep the legacy names; the framework accepts only `serviceSpecific`"
                : "write `consumerNamingMode: serviceSpecific` to put the service and stage in consumer names"
            error("`provider.kinesis.consumerNamingMode` must be `serviceSpecific`, but is `\(text.value)`",
                  at: text.span, hint: hint)
            return nil
        }
        return Located(.serviceSpecific, at: text.span)
    }

    /// Reports a role given twice (`role` and `iam.role`) and statements given in both the old and the
    /// new place, because the framework would pick one of them silently.
    private mutating func checkProviderConflicts(_ entries: [Node.Entry], span: SourceSpan?) {
        let role = entries.first(key: "role")
        let iamRole = entries.first(key: "iam")?.value["role"]
        if let role, let iamRole, !(iamRole.mappingValue != nil && !ServiceDecoding.isIntrinsic(iamRole)) {
            error("`provider` sets both `role` and `iam.role`", at: role.keySpan ?? span,
                  hint: "keep one; `iam.role` is the current form")
        }
        let oldStatements = entries.first(key: "iamRoleStatements")
        if let oldStatements, iamRole?["statements"] != nil {
            error("`provider` sets both `iamRoleStatements` and `iam.role.statements`",
                  at: oldStatements.keySpan ?? span, hint: "move the statements to `iam.role.statements`")
        }
    }

    /// Checks a stage name against the framework's pattern `^[a-zA-Z0-9-]+$` (lib/config-schema.js).
    private mutating func checkStageName(_ stage: Located<String>?) {
        guard let stage, !ServiceDecoding.matchesNamePattern(stage.value, allowing: "-"),
              !ServiceDecoding.containsVariable(stage.value) else { return }
        error("`provider.stage` must contain only letters, digits and `-`, but is `\(stage.value)`", at: stage.span,
              hint: "the stage becomes part of the stack name, such as `dev` or `prod-eu`")
    }
}
