import SlsxModel
import SlsxSource

/// Rewrites one function's resources for a nested stack: each reference to the root template
/// becomes a reference to a parameter of the nested stack, which the root passes.
///
/// `Ref: X` keeps its form and needs a parameter `X`. `Fn::GetAtt: [X, Attr]` becomes `Ref: XAttr`
/// (the attribute's letters and digits appended). `${X}` and `${X.Attr}` in `Fn::Sub` become `${X}`
/// and `${XAttr}`. A `DependsOn` entry naming a root resource moves to the nested stack's resource in
/// the root. A reference to another function's resource is an error, because that function may be
/// in another nested stack.
struct StackReferenceRewriter {
    var function: String
    /// Parameters and resources of the root template.
    var rootNames: Set<String>
    /// The function of each resource that belongs to one.
    var owners: [String: String]

    private(set) var parameters: [(name: String, value: Node)] = []
    private(set) var rootDependencies: [String] = []
    private(set) var diagnostics: [Diagnostic] = []
    private var parameterNames = Set<String>()

    init(function: String, rootNames: Set<String>, owners: [String: String]) {
        self.function = function
        self.rootNames = rootNames
        self.owners = owners
    }

    /// Rewrites a resource body: its `DependsOn`, then every reference in it.
    mutating func rewriteResource(_ body: Node) -> Node {
        guard var entries = body.mappingValue else { return body }
        if let index = entries.firstIndex(where: { $0.key == "DependsOn" }) {
            let dependsOn = entries[index].value
            var kept: [Node] = []
            for item in dependsOn.sequenceValue ?? [dependsOn] {
                guard let name = item.stringValue else { continue }
                if rootNames.contains(name) {
                    if !rootDependencies.contains(name) { rootDependencies.append(name) }
                } else {
                    checkOwner(name, span: item.span)
                    kept.append(item)
                }
            }
            if kept.isEmpty {
                entries.remove(at: index)
            } else {
                entries[index].value = dependsOn.stringValue != nil && kept.count == 1 ? kept[0] : .sequence(kept)
            }
        }
        return rewrite(.mapping(entries, span: body.span), depth: 0)
    }

    /// Rewrites every reference to the root in `node`.
    mutating func rewrite(_ node: Node, depth: Int) -> Node {
        guard depth < ScriptResources.maximumDepth else { return node }
        if let (name, argument) = Intrinsics.intrinsic(of: node) {
            switch name {
            case "Ref":
                if let target = argument.stringValue { _ = parameter(for: target, attribute: nil, span: node.span) }
                return node
            case "Fn::GetAtt":
                let parts = argument.sequenceValue?.compactMap(\.stringValue)
                    ?? argument.stringValue.map { text in text.split(separator: ".", maxSplits: 1).map(String.init) }
                    ?? []
                if parts.count == 2, let renamed = parameter(for: parts[0], attribute: parts[1], span: node.span) {
                    return Intrinsics.ref(renamed, span: node.span)
                }
                return node
            case "Fn::Sub":
                return rewriteSub(node, argument: argument, depth: depth)
            default:
                break
            }
        }
        switch node.kind {
        case .sequence(let items):
            return .sequence(items.map { rewrite($0, depth: depth + 1) }, span: node.span)
        case .mapping(let entries):
            return .mapping(
                entries.map { Node.Entry($0.key, rewrite($0.value, depth: depth + 1), keySpan: $0.keySpan) },
                span: node.span
            )
        default:
            return node
        }
    }

    /// Returns the variable names in an `Fn::Sub` text, such as `X` and `X.Arn`. `${!Literal}` is literal text, not a variable.
    static func subVariables(in text: String) -> [String] {
        var names: [String] = []
        let characters = Array(text)
        var index = 0
        while index + 1 < characters.count {
            if characters[index] == "$", characters[index + 1] == "{",
               let end = characters[(index + 2)...].firstIndex(of: "}") {
                let name = String(characters[(index + 2)..<end])
                if !name.hasPrefix("!") { names.append(name) }
                index = end + 1
            } else {
                index += 1
            }
        }
        return names
    }

    // MARK: - Private

    /// Registers the parameter that replaces a reference to the root and returns its name; returns
    /// `nil` when `target` is not in the root.
    private mutating func parameter(for target: String, attribute: String?, span: SourceSpan?) -> String? {
        guard rootNames.contains(target), !target.hasPrefix("AWS::") else {
            checkOwner(target, span: span)
            return nil
        }
        let name = target + (attribute.map { String($0.unicodeScalars.filter { $0.isASCII && $0.properties.isAlphabetic || ("0"..."9").contains($0) }) } ?? "")
        if parameterNames.insert(name).inserted {
            let value = attribute.map { Intrinsics.getAtt(target, $0) } ?? Intrinsics.ref(target)
            parameters.append((name, value))
        }
        return name
    }

    private mutating func rewriteSub(_ node: Node, argument: Node, depth: Int) -> Node {
        var text: String
        var variables: Node?
        if let single = argument.stringValue {
            text = single
        } else if let items = argument.sequenceValue, let first = items.first?.stringValue {
            text = first
            variables = items.count > 1 ? rewrite(items[1], depth: depth + 1) : nil
        } else {
            return node
        }
        let local = Set((variables?.mappingValue ?? []).map(\.key))
        for variable in Self.subVariables(in: text) where !local.contains(variable) {
            let parts = variable.split(separator: ".", maxSplits: 1).map(String.init)
            let attribute = parts.count == 2 ? parts[1] : nil
            if let renamed = parameter(for: parts[0], attribute: attribute, span: node.span), attribute != nil {
                text = text.replacingAll("${\(variable)}", with: "${\(renamed)}")
            }
        }
        let rewritten: Node = variables.map { .sequence([.string(text), $0]) } ?? .string(text)
        return .mapping([Node.Entry("Fn::Sub", rewritten)], span: node.span)
    }

    private mutating func checkOwner(_ target: String, span: SourceSpan?) {
        guard let owner = owners[target], owner != function else { return }
        diagnostics.append(.error(
            "function `\(function)` reads `\(target)` of function `\(owner)`, and `--split` may put the two in different nested stacks",
            at: span,
            hint: "emit one template without `--split`, or remove the reference"
        ))
    }
}

extension String {
    /// Returns the text with every occurrence of `target` replaced, without Foundation.
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var output = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            output += rest[..<range.lowerBound]
            output += replacement
            rest = rest[range.upperBound...]
        }
        return output + rest
    }
}
