import SlsxModel
import SlsxSource

/// Splits a compiled template into a root template and nested stacks (`AWS::CloudFormation::Stack`),
/// each nested stack holding whole functions: the function, its log group, its role, its event
/// source mappings and its stream consumers stay together.
///
/// The grouping rule, stable as a service grows: a function goes to bucket
/// `FNV-1a-64(UTF-8 of its name) mod stackCount`, and bucket `b` is the nested stack
/// `FunctionStack<b>`. The stack count is a power of two: the one given (`stackCount`), else the
/// smallest, from the count of the split being replaced (`previousStackCount`) up, that keeps every
/// nested stack under `headroom` of each limit. Adding or removing a function moves no other
/// function while the count stays the same. When the count doubles, a function in bucket `b` stays
/// in `b` or moves to `b + count`, never elsewhere.
///
/// Resources that belong to no function (the script's `resources`) stay in the root. A nested stack
/// reads what it needs from the root through parameters: `Ref: X` becomes a parameter `X`, and
/// `Fn::GetAtt: [X, Attr]` a parameter `XAttr`, which the root passes. A `DependsOn` on a root
/// resource becomes a `DependsOn` of the nested stack. `TemplateURL` is a path relative to the
/// root template, as `aws cloudformation package` expects.
public struct StackSplitter {
    /// One nested stack: its logical ID in the root, its template's path relative to the root
    /// template, and its template.
    public struct NestedStack: Sendable {
        public var logicalID: String
        public var path: String
        public var template: Node
    }

    /// The root template, the nested stacks in bucket order, and the stack count used.
    public struct Output: Sendable {
        public var root: Node
        public var stacks: [NestedStack]
        public var stackCount: Int
    }

    /// The share of each limit that a nested stack may fill when slsx chooses the stack count, so
    /// that a few more functions fit before the count must change. When no count up to
    /// `maximumStackCount` fits that budget, slsx takes the smallest count under the limits themselves.
    public static let headroomPercent = 80
    /// The most nested stacks slsx creates: the root also counts against the 500-resource limit.
    public static let maximumStackCount = 256
    /// The folder of the nested templates, relative to the root template.
    public static let stackFolder = "stacks"

    /// A stack count that the caller requires; `nil` lets the splitter choose.
    public var stackCount: Int?
    /// The stack count of the split that this one replaces. A chosen count never goes below it, so
    /// a service that shrinks keeps its grouping, and one that grows doubles only when it must.
    public var previousStackCount: Int?
    /// The file extension of the templates: `json` or `yaml`.
    public var fileExtension: String
    /// Returns the bytes of a template as it will be written.
    public var measure: (Node) -> Int

    public init(
        stackCount: Int?, previousStackCount: Int? = nil, fileExtension: String, measure: @escaping (Node) -> Int
    ) {
        self.stackCount = stackCount
        self.previousStackCount = previousStackCount
        self.fileExtension = fileExtension
        self.measure = measure
    }

    /// Returns the bucket of a function name for `stackCount` buckets.
    public static func bucket(of function: String, stackCount: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in function.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int(hash % UInt64(max(1, stackCount)))
    }

    /// Splits `template`; `owners` names the function of each resource that belongs to one, and
    /// `functions` lists the functions in declaration order.
    func split(_ template: Node, owners: [String: String], functions: [String]) -> (Output?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let resources = template["Resources"]?.mappingValue ?? []
        let parameterNames = Set((template["Parameters"]?.mappingValue ?? []).map(\.key))
        var rootResources: [Node.Entry] = []
        var units: [String: Unit] = [:]
        for entry in resources {
            if let function = owners[entry.key] {
                units[function, default: Unit(function: function)].resources.append(entry)
            } else {
                rootResources.append(entry)
            }
        }
        let rootNames = parameterNames.union(rootResources.map(\.key))

        // Outputs go with the one function whose resources they read, else to the root.
        var rootOutputs: [Node.Entry] = []
        for output in template["Outputs"]?.mappingValue ?? [] {
            let readers = Set(Self.referencedNames(in: output.value, depth: 0).compactMap { owners[$0] })
            if readers.isEmpty {
                rootOutputs.append(output)
            } else if readers.count == 1, let function = readers.first {
                units[function, default: Unit(function: function)].outputs.append(output)
            } else {
                diagnostics.append(.error(
                    "output `\(output.key)` reads resources of several functions, which `--split` puts in different nested stacks",
                    at: output.keySpan ?? output.value.span,
                    hint: "write one output per function"
                ))
            }
        }
        for entry in rootResources {
            let read = Self.referencedNames(in: entry.value, depth: 0).filter { owners[$0] != nil }
            if let name = read.first {
                diagnostics.append(.error(
                    "resource `\(entry.key)` reads `\(name)` of function `\(owners[name] ?? "")`, which `--split` puts in a nested stack",
                    at: entry.keySpan ?? entry.value.span,
                    hint: "emit one template without `--split`, or read the function's ARN from the nested stack's outputs"
                ))
            }
        }

        // Rewrite each function's references to the root into parameters.
        var ordered: [Unit] = []
        for function in functions {
            guard var unit = units[function] else { continue }
            var rewriter = StackReferenceRewriter(function: function, rootNames: rootNames, owners: owners)
            unit.resources = unit.resources.map { Node.Entry($0.key, rewriter.rewriteResource($0.value), keySpan: $0.keySpan) }
            unit.outputs = unit.outputs.map { Node.Entry($0.key, rewriter.rewrite($0.value, depth: 0), keySpan: $0.keySpan) }
            diagnostics += rewriter.diagnostics
            unit.parameters = rewriter.parameters
            unit.rootDependencies = rewriter.rootDependencies
            unit.bytes = measure(.mapping(unit.resources + unit.outputs))
            ordered.append(unit)
        }
        guard !diagnostics.containsError else { return (nil, diagnostics) }

        let count: Int
        switch chooseStackCount(ordered, rootResourceCount: rootResources.count) {
        case .success(let chosen):
            count = chosen.count
            if let note = chosen.note { diagnostics.append(note) }
        case .failure(let error):
            return (nil, diagnostics + [error.diagnostic])
        }

        var buckets = [[Unit]](repeating: [], count: count)
        for unit in ordered {
            buckets[Self.bucket(of: unit.function, stackCount: count)].append(unit)
        }
        var stacks: [NestedStack] = []
        var stackResources: [Node.Entry] = []
        let description = template["Description"]?.stringValue ?? TemplateAssembler.defaultDescription
        for (index, bucket) in buckets.enumerated() where !bucket.isEmpty {
            let logicalID = "FunctionStack\(index)"
            let path = "\(Self.stackFolder)/\(logicalID).\(fileExtension)"
            let child = childTemplate(bucket, description: "\(description) (nested stack \(logicalID))", template: template)
            stacks.append(NestedStack(logicalID: logicalID, path: path, template: child))
            stackResources.append(Node.Entry(logicalID, stackResource(bucket, path: path)))
        }

        var root = Node.mapping([])
        for entry in template.mappingValue ?? [] {
            switch entry.key {
            case "Resources": root.append("Resources", .mapping(rootResources + stackResources))
            case "Outputs": if !rootOutputs.isEmpty { root.append("Outputs", .mapping(rootOutputs)) }
            default: root.append(entry.key, entry.value)
            }
        }

        diagnostics += verify(root: root, stacks: stacks)
        guard !diagnostics.containsError else { return (nil, diagnostics) }
        return (Output(root: root, stacks: stacks, stackCount: count), diagnostics)
    }

    // MARK: - Sizing

    /// The resources, outputs and parameters that one function adds to its nested stack.
    struct Unit {
        var function: String
        var resources: [Node.Entry] = []
        var outputs: [Node.Entry] = []
        /// Parameter name and the value the root passes, in first-use order.
        var parameters: [(name: String, value: Node)] = []
        var rootDependencies: [String] = []
        var bytes = 0
    }

    struct SizingError: Error {
        var diagnostic: Diagnostic
    }

    /// The bytes a nested template has besides its functions: the format version, the description
    /// and one parameter declaration, estimated high.
    static let templateOverheadBytes = 400
    static let parameterBytes = 160

    /// Returns the stack count, with a note when it grows past `previousStackCount`.
    private func chooseStackCount(
        _ units: [Unit], rootResourceCount: Int
    ) -> Swift.Result<(count: Int, note: Diagnostic?), SizingError> {
        let budget = (
            resources: TemplateLimits.maximumResources * Self.headroomPercent / 100,
            outputs: TemplateLimits.maximumOutputs * Self.headroomPercent / 100,
            parameters: LimitReport.maximumParameters * Self.headroomPercent / 100,
            bytes: TemplateLimits.maximumS3BodyBytes * Self.headroomPercent / 100
        )
        let fits = { (count: Int, limits: (resources: Int, outputs: Int, parameters: Int, bytes: Int)) -> String? in
            var resources = [Int](repeating: 0, count: count)
            var outputs = [Int](repeating: 0, count: count)
            var bytes = [Int](repeating: Self.templateOverheadBytes, count: count)
            var parameters = [Set<String>](repeating: [], count: count)
            for unit in units {
                let bucket = Self.bucket(of: unit.function, stackCount: count)
                resources[bucket] += unit.resources.count
                outputs[bucket] += unit.outputs.count
                bytes[bucket] += unit.bytes
                parameters[bucket].formUnion(unit.parameters.map(\.name))
            }
            for bucket in 0..<count {
                let parameterBytes = parameters[bucket].count * Self.parameterBytes
                if resources[bucket] > limits.resources { return "FunctionStack\(bucket) would have \(resources[bucket]) resources (limit \(limits.resources))" }
                if outputs[bucket] > limits.outputs { return "FunctionStack\(bucket) would have \(outputs[bucket]) outputs (limit \(limits.outputs))" }
                if parameters[bucket].count > limits.parameters { return "FunctionStack\(bucket) would have \(parameters[bucket].count) parameters (limit \(limits.parameters))" }
                if bytes[bucket] + parameterBytes > limits.bytes { return "FunctionStack\(bucket) would have about \(bytes[bucket] + parameterBytes) bytes (limit \(limits.bytes))" }
            }
            return nil
        }

        let hardLimits = (
            resources: TemplateLimits.maximumResources, outputs: TemplateLimits.maximumOutputs,
            parameters: LimitReport.maximumParameters, bytes: TemplateLimits.maximumS3BodyBytes
        )
        if let required = stackCount {
            guard required > 0, required & (required - 1) == 0, required <= Self.maximumStackCount else {
                return .failure(SizingError(diagnostic: .error(
                    "the stack count \(required) is not a power of two from 1 to \(Self.maximumStackCount)",
                    hint: "pass a count such as 16 or 32, so that a larger count moves each function to at most one other stack"
                )))
            }
            if let problem = fits(required, hardLimits) {
                return .failure(SizingError(diagnostic: .error(
                    "\(required) nested \(required == 1 ? "stack is" : "stacks are") too few: \(problem)",
                    hint: "pass a larger power of two with `--stacks`, such as \(required * 2)"
                )))
            }
            return .success((required, nil))
        }

        // The smallest count under the headroom budget, else under the limits themselves, from
        // the previous count up.
        let start = previousStackCount.map(Self.powerOfTwo(atLeast:)) ?? 1
        var problem = ""
        var problemAtStart: String?
        for limits in [budget, hardLimits] {
            var count = start
            while count <= Self.maximumStackCount, count + rootResourceCount <= TemplateLimits.maximumResources {
                guard let failure = fits(count, limits) else {
                    guard let previous = previousStackCount, count > start, let reason = problemAtStart else {
                        return .success((count, nil))
                    }
                    let note = Diagnostic(
                        .note,
                        "the split grows from \(previous) to \(count) nested stacks because with \(start), \(reason); "
                            + "about half the functions move to another stack, and CloudFormation replaces them",
                        hint: "pass `--stacks \(count)` to keep this count from now on")
                    return .success((count, note))
                }
                problem = failure
                if count == start, problemAtStart == nil { problemAtStart = failure }
                count *= 2
            }
        }
        return .failure(SizingError(diagnostic: .error(
            "the service does not fit in \(Self.maximumStackCount) nested stacks: \(problem)",
            hint: "split the service into several services, or give functions fewer stream events"
        )))
    }

    /// Returns the smallest power of two that is at least `count`, from 1 to `maximumStackCount`.
    static func powerOfTwo(atLeast count: Int) -> Int {
        var power = 1
        while power < count, power < maximumStackCount { power *= 2 }
        return power
    }

    // MARK: - Templates

    private func childTemplate(_ units: [Unit], description: String, template: Node) -> Node {
        var parameters: [Node.Entry] = []
        var declared = Set<String>()
        for unit in units {
            for parameter in unit.parameters where declared.insert(parameter.name).inserted {
                let rootParameter = template["Parameters"]?[parameter.name]
                var declaration = Node.mapping(["Type": .string("String")])
                if let type = rootParameter?["Type"], parameter.value["Ref"] != nil { declaration.set("Type", type) }
                declaration.append("Description", .string("\(Self.describe(parameter.value)) from the root stack"))
                parameters.append(Node.Entry(parameter.name, declaration))
            }
        }
        var child = Node.mapping([
            "AWSTemplateFormatVersion": .string("2010-09-09"),
            "Description": .string(description),
        ])
        if !parameters.isEmpty { child.append("Parameters", .mapping(parameters)) }
        child.append("Resources", .mapping(units.flatMap(\.resources)))
        let outputs = units.flatMap(\.outputs)
        if !outputs.isEmpty { child.append("Outputs", .mapping(outputs)) }
        return child
    }

    private func stackResource(_ units: [Unit], path: String) -> Node {
        var values: [Node.Entry] = []
        var passed = Set<String>()
        var dependencies: [String] = []
        for unit in units {
            for parameter in unit.parameters where passed.insert(parameter.name).inserted {
                values.append(Node.Entry(parameter.name, parameter.value))
            }
            for name in unit.rootDependencies where !dependencies.contains(name) { dependencies.append(name) }
        }
        var properties = Node.mapping(["TemplateURL": .string(path)])
        if !values.isEmpty { properties.append("Parameters", .mapping(values)) }
        var resource = Node.mapping(["Type": .string("AWS::CloudFormation::Stack")])
        if !dependencies.isEmpty { resource.append("DependsOn", Intrinsics.strings(dependencies)) }
        resource.append("Properties", properties)
        return resource
    }

    /// Checks every written template against the limits themselves, without headroom.
    private func verify(root: Node, stacks: [NestedStack]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let templates = [("root", root)] + stacks.map { ($0.logicalID, $0.template) }
        for (name, template) in templates {
            let resourceCount = template["Resources"]?.mappingValue?.count ?? 0
            if resourceCount > TemplateLimits.maximumResources {
                diagnostics.append(.error(
                    "the \(name) template has \(resourceCount) resources; CloudFormation allows at most \(TemplateLimits.maximumResources) in one stack",
                    hint: "move resources from `resources.Resources` to another service"
                ))
            }
            let outputCount = template["Outputs"]?.mappingValue?.count ?? 0
            if outputCount > TemplateLimits.maximumOutputs {
                diagnostics.append(.error(
                    "the \(name) template has \(outputCount) outputs; CloudFormation allows at most \(TemplateLimits.maximumOutputs)",
                    hint: "remove outputs from `resources.Outputs`"
                ))
            }
            let bytes = measure(template)
            if bytes > TemplateLimits.maximumS3BodyBytes {
                diagnostics.append(.error(
                    "the \(name) template is \(bytes) bytes; CloudFormation accepts at most \(TemplateLimits.maximumS3BodyBytes) bytes, even from S3",
                    hint: "pass a larger power of two with `--stacks`"
                ))
            }
        }
        return diagnostics
    }

    private static func describe(_ value: Node) -> String {
        if let name = value["Ref"]?.stringValue { return "`Ref` of \(name)" }
        if let parts = value["Fn::GetAtt"]?.sequenceValue?.compactMap(\.stringValue), parts.count == 2 {
            return "`Fn::GetAtt` \(parts[0]).\(parts[1])"
        }
        return "A value"
    }

    /// Collects the names that `Ref`, `Fn::GetAtt`, `Fn::Sub` and `DependsOn` in `node` refer to.
    static func referencedNames(in node: Node, depth: Int) -> [String] {
        guard depth < ScriptResources.maximumDepth else { return [] }
        switch node.kind {
        case .sequence(let items):
            return items.flatMap { referencedNames(in: $0, depth: depth + 1) }
        case .mapping(let entries):
            var names: [String] = []
            if let (name, argument) = Intrinsics.intrinsic(of: node) {
                switch name {
                case "Ref":
                    if let target = argument.stringValue { names.append(target) }
                case "Fn::GetAtt":
                    if let target = argument.sequenceValue?.first?.stringValue
                        ?? argument.stringValue?.split(separator: ".").first.map(String.init) {
                        names.append(target)
                    }
                case "Fn::Sub":
                    let text = argument.stringValue ?? argument.sequenceValue?.first?.stringValue ?? ""
                    names += StackReferenceRewriter.subVariables(in: text).map { $0.split(separator: ".").first.map(String.init) ?? $0 }
                default:
                    break
                }
            }
            for entry in entries {
                if entry.key == "DependsOn" {
                    names += (entry.value.sequenceValue ?? [entry.value]).compactMap(\.stringValue)
                } else {
                    names += referencedNames(in: entry.value, depth: depth + 1)
                }
            }
            return names
        default:
            return []
        }
    }
}
