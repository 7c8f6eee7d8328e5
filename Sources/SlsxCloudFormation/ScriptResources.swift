import SlsxModel
import SlsxSource

/// The `resources` a script declares: template sections that are merged into the compiled template
/// the way the framework merges them, with each resource's `Type` for the compiler's checks.
struct ScriptResources {
    /// The template sections `resources` may contain, in the order a template lists them.
    static let sections = [
        "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Mappings", "Conditions",
        "Transform", "Resources", "Outputs",
    ]
    /// The sections whose value must be a map (the others are strings, and `Transform` may be a list).
    static let mappingSections: Set<String> = ["Metadata", "Parameters", "Mappings", "Conditions", "Resources", "Outputs"]
    static let maximumDepth = 200

    /// The entries of each section, in the order the script wrote them.
    private(set) var entriesBySection: [String: [Node.Entry]] = [:]
    /// Scalar sections (`Description`, `AWSTemplateFormatVersion`, `Transform`) as written.
    private(set) var valuesBySection: [String: Node] = [:]
    private(set) var diagnostics: [Diagnostic] = []
    /// The errors for sections in `mappingSections` that are not maps, also in `diagnostics`.
    private(set) var sectionShapeDiagnostics: [Diagnostic] = []

    /// Reads `resources`: a mapping of template sections, or a list of such mappings (the
    /// framework accepts both and merges the list in order).
    init(_ resources: Node?) {
        guard let resources else { return }
        let parts = resources.sequenceValue ?? [resources]
        for part in parts {
            guard let entries = part.mappingValue else {
                diagnostics.append(.error(
                    "`resources` must be a map of template sections such as `Resources`, not \(ScriptResourceChecker.kindWithArticle(part))",
                    at: part.span ?? resources.span
                ))
                continue
            }
            for entry in entries { read(entry) }
        }
    }

    private mutating func read(_ entry: Node.Entry) {
        guard Self.sections.contains(entry.key) else {
            diagnostics.append(.error(
                "`resources` has the unknown template section `\(entry.key)`",
                at: entry.keySpan ?? entry.value.span,
                hint: "template sections are " + Self.sections.map { "`\($0)`" }.joined(separator: ", ")
            ))
            return
        }
        if Self.mappingSections.contains(entry.key), entry.value.mappingValue == nil {
            sectionShapeDiagnostics.append(.error(
                "`resources.\(entry.key)` must be a map from names to entries, not \(ScriptResourceChecker.kindWithArticle(entry.value))",
                at: entry.value.span ?? entry.keySpan,
                hint: entry.key == "Resources"
                    ? "write `Resources: { Queue: { Type: \"AWS::SQS::Queue\" } }`"
                    : "write `\(entry.key): { Name: { ... } }`"
            ))
            diagnostics += sectionShapeDiagnostics.suffix(1)
            return
        }
        if let mapping = entry.value.mappingValue, entry.key != "Transform" {
            entriesBySection[entry.key, default: []] += mapping
        } else {
            valuesBySection[entry.key] = entry.value
        }
    }

    func entries(_ section: String) -> [Node.Entry] { entriesBySection[section] ?? [] }

    /// The `Type` of each declared resource, by logical ID.
    var resourceTypes: [String: String] {
        var types: [String: String] = [:]
        for entry in entries("Resources") {
            if let type = entry.value["Type"]?.stringValue { types[entry.key] = type }
        }
        return types
    }

    /// Merges `override` into `base` as the framework's `_.merge` does for mappings: keys of both are
    /// merged recursively, keys only in `override` are appended. Where the framework merges lists
    /// element by element, the script's list replaces the compiled one, which is what a script that
    /// writes a list means.
    static func merge(_ base: Node, _ override: Node, depth: Int = 0) -> Node {
        guard depth < maximumDepth, let baseEntries = base.mappingValue, let overrideEntries = override.mappingValue else {
            return override
        }
        var merged = baseEntries
        for entry in overrideEntries {
            if let index = merged.firstIndex(where: { $0.key == entry.key }) {
                merged[index].value = merge(merged[index].value, entry.value, depth: depth + 1)
            } else {
                merged.append(entry)
            }
        }
        return .mapping(merged, span: override.span ?? base.span)
    }
}
