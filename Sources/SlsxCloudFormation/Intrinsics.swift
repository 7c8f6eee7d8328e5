import SlsxModel
import SlsxSource

/// Builders for the CloudFormation intrinsic functions and small nodes the compiler writes, in the
/// long form (`Fn::GetAtt:` as a mapping key), so that the YAML writer needs no `!` tags.
enum Intrinsics {
    /// `{Ref: name}`.
    static func ref(_ name: String, span: SourceSpan? = nil) -> Node {
        .mapping([Node.Entry("Ref", .string(name, span: span))], span: span)
    }

    /// `{Fn::GetAtt: [resource, attribute]}`.
    static func getAtt(_ resource: String, _ attribute: String, span: SourceSpan? = nil) -> Node {
        .mapping(
            [Node.Entry("Fn::GetAtt", .sequence([.string(resource, span: span), .string(attribute)]))],
            span: span
        )
    }

    /// `{Fn::Join: [delimiter, parts]}`.
    static func join(_ delimiter: String, _ parts: [Node]) -> Node {
        .mapping([Node.Entry("Fn::Join", .sequence([.string(delimiter), .sequence(parts)]))])
    }

    /// `{Fn::Sub: text}`.
    static func sub(_ text: String) -> Node {
        .mapping([Node.Entry("Fn::Sub", .string(text))])
    }

    /// Builds a list of strings.
    static func strings(_ values: [String]) -> Node {
        .sequence(values.map { .string($0) })
    }

    /// Returns the name and argument of a one-entry mapping whose key is `Ref` or starts with `Fn::`,
    /// such as `Fn::GetAtt` and `[T, Arn]`. It returns `nil` for any other node.
    static func intrinsic(of node: Node) -> (name: String, argument: Node)? {
        guard let entries = node.mappingValue, entries.count == 1 else { return nil }
        let entry = entries[0]
        guard entry.key == "Ref" || entry.key.hasPrefix("Fn::") else { return nil }
        return (entry.key, entry.value)
    }

    /// The CloudFormation pseudo parameters, which every template may `Ref` without declaring them.
    static let pseudoParameters: Set<String> = [
        "AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region",
        "AWS::StackId", "AWS::StackName", "AWS::URLSuffix",
    ]
}

extension Node {
    /// Appends an entry when this node is a mapping; does nothing otherwise.
    mutating func append(_ key: String, _ value: Node) {
        guard case .mapping(var entries) = kind else { return }
        // Dropping the node's own reference first lets `entries` grow in place instead of copying.
        kind = .null
        entries.append(Entry(key, value))
        kind = .mapping(entries)
    }

    /// Moves a mapping's entries into storage of exactly their count. Other nodes stay as they are.
    ///
    /// `append` grows the entries by doubling, so a mapping of 5 entries keeps room for 8. A
    /// resource's properties stay alive until the whole template is written, so the spare room
    /// of every resource adds up (13 MB for 50,000 event source mappings).
    mutating func shrinkToFit() {
        guard case .mapping(let entries) = kind, entries.capacity > entries.count else { return }
        var trimmed: [Entry] = []
        trimmed.reserveCapacity(entries.count)
        trimmed.append(contentsOf: entries)
        kind = .mapping(trimmed)
    }

    /// Replaces the value of `key` in a mapping, or appends it when the key is absent; does nothing
    /// when this node is not a mapping.
    mutating func set(_ key: String, _ value: Node) {
        guard case .mapping(var entries) = kind else { return }
        kind = .null
        if let index = entries.firstIndex(where: { $0.key == key }) {
            entries[index].value = value
        } else {
            entries.append(Entry(key, value))
        }
        kind = .mapping(entries)
    }
}
