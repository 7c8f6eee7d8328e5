import SlsxLanguage

// MARK: - Summaries

extension ReplSession {
    /// Returns one line describing what a declaration added, such as
    /// `function orders-indexer: 1 stream (dynamodb orders)`.
    static func summary(of declaration: DeclarationSummary) -> String {
        switch declaration.kind {
        case .service: return "service \(declaration.name)"
        case .provider: return "provider"
        case .resources: return "resources"
        case .field: return "field \(declaration.name)"
        case .function: return "function \(declaration.name): " + eventSummary(declaration.events)
        }
    }

    private static func eventSummary(_ events: [DeclarationSummary.Event]) -> String {
        guard !events.isEmpty else { return "no events" }
        var parts: [String] = []

        let streams = events.filter { $0.kind == "stream" }
        if !streams.isEmpty {
            let sources = streams.map { event in
                [event.source, event.name ?? event.arn.flatMap(intrinsicName)].compactMap { $0 }.joined(separator: " ")
            }
            let described = sources.contains(where: { !$0.isEmpty })
                ? " (" + sources.map { $0.isEmpty ? "unknown stream" : $0 }.joined(separator: ", ") + ")"
                : ""
            parts.append(count(streams.count, "stream") + described)
        }

        var otherKinds: [String] = []
        for event in events where event.kind != "stream" && !otherKinds.contains(event.kind) {
            otherKinds.append(event.kind)
        }
        for kind in otherKinds {
            parts.append(count(events.filter { $0.kind == kind }.count, kind + " event"))
        }
        return parts.joined(separator: ", ")
    }

    /// Returns the resource an intrinsic ARN refers to, as the Serverless Framework names the stream:
    /// the logical ID of `Fn::GetAtt`, or the value of `Ref` and `Fn::ImportValue`.
    private static func intrinsicName(_ arn: Value) -> String? {
        guard case .map(let map) = arn.kind, map.count == 1, let entry = map.entries.first else { return nil }
        switch (entry.key, entry.value.kind) {
        case ("Fn::GetAtt", .list(let items)):
            guard let first = items.first, case .string(let name) = first.kind else { return nil }
            return name
        case ("Ref", .string(let name)), ("Fn::ImportValue", .string(let name)):
            return name
        default:
            return nil
        }
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
