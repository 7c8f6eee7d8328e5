import SlsxSource

/// Decodes a document (the serverless.yml tree a script built) into a typed `Service`, checking every
/// key and value the model interprets.
///
/// Every diagnostic sits at the span of the offending node (the key's span for an unknown key), has
/// a lower-case message without a final period, and a hint with the fix. The decoder does not
/// stop at the first problem: one run reports all of them.
public enum ServiceDecoder {
    /// Decodes `document`. The service is `nil` exactly when a diagnostic is an error; warnings come
    /// with a service.
    ///
    /// `containsPlaceholderStart: false` states that no string or key of `document` contains `${`,
    /// as a caller that has just built the tree may know. The decoder then skips its walk over every
    /// string and key to collect Serverless variables, because none can be there. A wrong `false`
    /// loses the document's variables, so pass it only when it is known.
    public static func decode(
        _ document: Node, containsPlaceholderStart: Bool = true
    ) -> (service: Service?, diagnostics: [Diagnostic]) {
        var decoding = ServiceDecoding()
        let service = decoding.decodeService(document, containsPlaceholderStart: containsPlaceholderStart)
        return (decoding.diagnostics.containsError ? nil : service, decoding.mergingRepeatedDiagnostics())
    }

    /// The number of functions from which the decoder, the driver's conversion and the variable
    /// scan work on the two halves of `functions` on two threads. The value is an estimate, not a
    /// measurement. Below it, starting a thread is assumed to cost about as much as it saves.
    public static let minimumParallelFunctionCount = 64
}

extension ServiceDecoding {
    /// Decodes the top level: `service`, `provider`, `functions`, `resources` and the keys that pass
    /// through unchanged. Collects the Serverless variables only when `containsPlaceholderStart`.
    mutating func decodeService(_ document: Node, containsPlaceholderStart: Bool = true) -> Service {
        mayContainVariables = containsPlaceholderStart
        var service = Service(document: document)
        guard case .mapping(let entries) = document.kind else {
            error(
                "the document must be a map of serverless.yml keys, but found \(describe(document))",
                at: document.span, hint: "build a map with `service`, `provider` and `functions`")
            return service
        }
        rejectUnknownKeys(entries, known: KnownKeys.document, in: "the document", parent: document.span)

        if let entry = entries.first(key: "service") {
            service.name = decodeServiceName(entry)
        } else {
            error("the document has no `service`", at: document.span,
                  hint: "add `service: <name>`; the framework requires a service name")
        }

        if let entry = entries.first(key: "provider"),
           !acceptsVariable(entry.value, for: "provider", fallback: entry.keySpan) {
            service.provider = decodeProvider(entry.value, keySpan: entry.keySpan)
        }

        if let entry = entries.first(key: "functions"),
           !acceptsVariable(entry.value, for: "functions", fallback: entry.keySpan) {
            service.functions = decodeFunctions(entry.value, keySpan: entry.keySpan)
        }

        if let entry = entries.first(key: "resources"),
           !acceptsVariable(entry.value, for: "resources", fallback: entry.keySpan) {
            if case .mapping = entry.value.kind {
                service.resources = entry.value
            } else if entry.value.kind != .null {
                error("`resources` must be a map, but found \(describe(entry.value))",
                      at: entry.value.span ?? entry.keySpan,
                      hint: "write CloudFormation sections under it, such as `Resources:` and `Outputs:`")
            }
        }

        checkReferences(in: document, resources: service.resources)
        if containsPlaceholderStart {
            service.serverlessVariables = collectVariables(in: document)
        } else {
            service.mayContainServerlessVariables = false
        }
        return service
    }

    /// Decodes `service: name` or the older mapping form `service: {name: ...}`.
    private mutating func decodeServiceName(_ entry: Node.Entry) -> Located<String>? {
        let node = entry.value
        let span = node.span ?? entry.keySpan
        switch node.kind {
        case .string(let text):
            return checkServiceName(Located(text, at: span))
        case .mapping(let entries):
            rejectUnknownKeys(entries, known: KnownKeys.serviceMapping, in: "`service`", parent: span)
            guard let name = entries.first(key: "name") else {
                error("`service` has no `name`", at: span, hint: "write `service: <name>`")
                return nil
            }
            return string(name.value, named: "service.name", fallback: name.keySpan).flatMap { checkServiceName($0) }
        default:
            error("`service` must be a string, but found \(describe(node))", at: span,
                  hint: "write `service: <name>`")
            return nil
        }
    }

    /// Checks a service name against the framework's pattern `^[a-zA-Z][0-9a-zA-Z-]+$`
    /// (lib/config-schema.js): a letter, then at least one letter, digit or `-`.
    private mutating func checkServiceName(_ name: Located<String>) -> Located<String>? {
        let text = name.value
        if ServiceDecoding.containsVariable(text) { return name }
        let startsWithLetter = text.first.map { $0.isASCII && $0.isLetter } == true
        guard text.count >= 2, startsWithLetter, ServiceDecoding.matchesNamePattern(text, allowing: "-") else {
            error("`service` must start with a letter and contain at least two letters, digits or `-`, but is `\(text)`",
                  at: name.span, hint: "the service name becomes part of the stack name, such as `orders-api`")
            return nil
        }
        return name
    }

    // MARK: - Shared by provider and functions

    /// Decodes a `role` value: an ARN string, the logical ID of a role in `resources`, or an intrinsic.
    mutating func decodeRole(_ node: Node, named name: String, fallback: SourceSpan?) -> Located<RoleReference>? {
        let span = node.span ?? fallback
        switch node.kind {
        case .string(let text) where text.hasPrefix("arn:") || ServiceDecoding.containsVariable(text):
            checkSubstitutionSyntax(text, named: name, at: span)
            return Located(.arn(text), at: span)
        case .string(let text) where !text.isEmpty && text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }):
            return Located(.logicalID(text), at: span)
        case .mapping where ServiceDecoding.isIntrinsic(node):
            return Located(.intrinsic(node), at: span)
        default:
            error("`\(name)` must be a role ARN, a logical ID or an intrinsic function, but found \(describe(node))",
                  at: span,
                  hint: "write an ARN such as `arn:aws:iam::123456789012:role/reader`, the alphanumeric "
                      + "logical ID of a role in `resources`, or `Fn::GetAtt: [<role>, Arn]`")
            return nil
        }
    }

    /// Decodes IAM statements: a list of maps, kept as written, each checked by `checkStatement`.
    mutating func decodeStatements(_ node: Node, named name: String, fallback: SourceSpan?) -> [Node] {
        if acceptsVariable(node, for: name, fallback: fallback) { return [] }
        guard case .sequence(let items) = node.kind else {
            error("`\(name)` must be a list of IAM statements, but found \(describe(node))",
                  at: node.span ?? fallback, hint: "write each statement as a list item with `Effect`, `Action` and `Resource`")
            return []
        }
        var statements: [Node] = []
        for item in items where !acceptsVariable(item, for: name, fallback: node.span ?? fallback) {
            guard case .mapping = item.kind else {
                error("each entry of `\(name)` must be a map, but found \(describe(item))",
                      at: item.span ?? node.span ?? fallback,
                      hint: "write a statement with `Effect`, `Action` and `Resource`")
                continue
            }
            checkStatement(item, in: name, fallback: node.span ?? fallback)
            statements.append(item)
        }
        return statements
    }
}
