import SlsxSource

extension ServiceDecoding {
    /// Parts of the logical IDs the framework generates (`<Fn>LambdaFunction`, `<Fn>LogGroup`,
    /// `IamRoleLambdaExecution`, `<Fn>LambdaVersion<hash>`, ...). A reference to such an ID is not a
    /// typo, although `resources` does not declare it.
    static let generatedLogicalIDParts = [
        "LambdaFunction", "LogGroup", "IamRoleLambdaExecution", "LambdaVersion", "LambdaAlias",
        "EventSourceMapping", "StreamConsumer", "ServerlessDeploymentBucket", "ApiGateway", "HttpApi",
        "WebsocketsApi",
    ]

    /// Warns about each `Ref` and `Fn::GetAtt` that names a logical ID which `resources.Resources`
    /// does not declare, with a "did you mean" for a near miss such as `OrdersTabel`.
    ///
    /// The check runs only when the document declares `resources.Resources`. It is a warning, not an
    /// error, because serverless.yml may rely on resources that a plugin adds. Names of parameters,
    /// pseudo parameters (`AWS::Region`) and the framework's generated resources are accepted.
    mutating func checkReferences(in document: Node, resources: Node?) {
        guard let declared = resources?["Resources"]?.mappingValue else { return }
        let resourceIDs = declared.map(\.key)
        let parameterIDs = resources?["Parameters"]?.mappingValue?.map(\.key) ?? []
        var reported: [(name: String, span: SourceSpan?)] = []
        checkReferences(
            in: document, resourceIDs: resourceIDs, parameterIDs: parameterIDs, depth: 0, reported: &reported)
    }

    private mutating func checkReferences(
        in node: Node, resourceIDs: [String], parameterIDs: [String], depth: Int,
        reported: inout [(name: String, span: SourceSpan?)]
    ) {
        guard depth < Self.maximumVariableDepth else { return }
        switch node.kind {
        case .sequence(let items):
            for item in items {
                checkReferences(
                    in: item, resourceIDs: resourceIDs, parameterIDs: parameterIDs, depth: depth + 1, reported: &reported)
            }
        case .mapping(let entries):
            if entries.count == 1, let entry = entries.first,
               let (kind, name) = Self.referencedName(entry), !isKnown(name, kind: kind, resourceIDs, parameterIDs) {
                let span = entry.value.span ?? node.span ?? entry.keySpan
                if !reported.contains(where: { $0.name == name && $0.span == span }) {
                    reported.append((name, span))
                    let candidates = kind == "Ref" ? resourceIDs + parameterIDs : resourceIDs
                    let suggestion = candidates.closest(to: name).map { "did you mean `\($0)`? " } ?? ""
                    warning("`\(kind)` names `\(name)`, which `resources.Resources` does not declare", at: span,
                            hint: suggestion + "correct the name, or ignore this if a plugin adds `\(name)`; "
                                + "CloudFormation output reports it as an error")
                }
            }
            for entry in entries {
                checkReferences(
                    in: entry.value, resourceIDs: resourceIDs, parameterIDs: parameterIDs, depth: depth + 1,
                    reported: &reported)
            }
        default:
            break
        }
    }

    /// Returns the intrinsic (`Ref` or `Fn::GetAtt`) and the logical ID an entry names.
    private static func referencedName(_ entry: Node.Entry) -> (kind: String, name: String)? {
        switch entry.key {
        case "Ref":
            return entry.value.stringValue.map { ("Ref", $0) }
        case "Fn::GetAtt":
            let name = entry.value.sequenceValue?.first?.stringValue
                ?? entry.value.stringValue?.split(separator: ".").first.map(String.init)
            return name.map { ("Fn::GetAtt", $0) }
        default:
            return nil
        }
    }

    private func isKnown(_ name: String, kind: String, _ resourceIDs: [String], _ parameterIDs: [String]) -> Bool {
        if resourceIDs.contains(name) || name.hasPrefix("AWS::") || ServiceDecoding.containsVariable(name) {
            return true
        }
        if kind == "Ref", parameterIDs.contains(name) { return true }
        return Self.generatedLogicalIDParts.contains { name.contains($0) }
    }
}
