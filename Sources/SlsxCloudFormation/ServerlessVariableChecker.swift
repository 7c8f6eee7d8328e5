import SlsxModel
import SlsxSource

/// Reports the Serverless Framework variables (`${opt:stage}`, `${ssm:/path}`, ...) that would reach
/// a CloudFormation template.
///
/// The framework resolves them before it compiles; CloudFormation does not, so in a template they
/// would reach AWS as literal text. `Fn::Sub` variables (`${AWS::Region}`, `${MyBucket}`) do not
/// match, because every variable source is lower case and followed by `:` or `(`.
enum ServerlessVariableChecker {
    static let maximumDepth = 200

    /// Returns one error per variable and place in the script, in document order. It reports the
    /// variables of `service` that are the whole value of a typed setting (such as
    /// `batchSize: "${self:custom.batch}"`, which the template would otherwise fill with a default)
    /// or that sit in a part of the document the template is built from, and those left in
    /// `template`. The compiler may copy a value into several spots of the template (an ARN is in a
    /// mapping and in an IAM statement), and a copy without a span takes the span the decoder
    /// recorded for that variable.
    /// A fragment (`wholeDocument` false) contains only the stream resources, so there the
    /// document's other settings are not checked.
    static func check(_ template: Node, service: Service, wholeDocument: Bool = true) -> [Diagnostic] {
        var found = service.serverlessVariables.filter {
            $0.setting != nil || (wholeDocument && reachesTemplate($0.path))
        }
        if service.mayContainServerlessVariables {
            walk(template, depth: 0, into: &found)
        } else {
            // The search would find nothing (see `Service.mayContainServerlessVariables`). Debug
            // builds, which the tests use, still search and stop if it finds a variable.
            assert(variables(in: template).isEmpty, "a template from a model without `${` contains a Serverless variable")
        }

        var reported: [ServerlessVariable] = []
        for var variable in found {
            if variable.span == nil {
                variable.span = service.serverlessVariables.first { $0.text == variable.text }?.span
            }
            if !reported.contains(where: { $0.text == variable.text && $0.span == variable.span }) {
                reported.append(variable)
            }
        }
        return reported.map(error(for:))
    }

    /// The provider keys whose values the full template contains or derives names from.
    static let templateProviderKeys: Set<String> = [
        "name", "runtime", "stage", "region", "role", "iam", "iamRoleStatements", "iamManagedPolicies",
        "rolePermissionsBoundary", "kinesis", "memorySize", "timeout", "environment", "tags", "architecture",
        "logRetentionInDays", "deploymentBucket", "versionFunctions",
    ]

    /// Whether a value at `path` in the document shapes the template. Some values reach it only
    /// through a setting that the compiler reads as a number or a boolean (`memorySize`,
    /// `versionFunctions`), so a variable there would silently give the default without this check.
    static func reachesTemplate(_ path: [String]) -> Bool {
        guard let section = path.first else { return false }
        switch section {
        case "service", "resources":
            return true
        case "provider":
            return path.count > 1 && templateProviderKeys.contains(path[1])
        case "functions":
            return path.count <= 2 || FunctionResources.compiledFunctionKeys.contains(path[2])
        default:
            return false
        }
    }

    /// Returns the first Serverless variable in `text`, such as `${opt:stage}`; `nil` when there is none.
    static func firstVariable(in text: String) -> String? {
        ServerlessVariable.variables(in: text).first
    }

    private static func error(for variable: ServerlessVariable) -> Diagnostic {
        let place = variable.setting.map { " in `\($0)`" } ?? ""
        return .error(
            "the Serverless variable `\(variable.text)`\(place) cannot be resolved in CloudFormation output",
            at: variable.span,
            hint: "CloudFormation does not resolve Serverless variables; pass the value with "
                + "`--set NAME=VALUE` and read it with `option(\"NAME\")`, or compute it in the script"
        )
    }

    /// Returns the variables in the strings of `node` and below it.
    private static func variables(in node: Node) -> [ServerlessVariable] {
        var found: [ServerlessVariable] = []
        walk(node, depth: 0, into: &found)
        return found
    }

    /// Collects the variables in the strings of `node` and below it.
    ///
    /// The recursion hands each child on as its array and index (`walkItem`, `walkEntry`), not as
    /// a `Node`. Swift copies a `Node` argument read from an array (a retain and a release of its
    /// payload), but reads the element in place when this function is inlined into them.
    @inline(__always)
    private static func walk(_ node: Node, depth: Int, into found: inout [ServerlessVariable]) {
        guard depth < maximumDepth else { return }
        switch node.kind {
        case .string(let text):
            for variable in ServerlessVariable.variables(in: text) {
                found.append(ServerlessVariable(variable, at: node.span))
            }
        case .sequence(let items):
            for index in items.indices { walkItem(items, at: index, depth: depth + 1, into: &found) }
        case .mapping(let entries):
            for index in entries.indices { walkEntry(entries, at: index, depth: depth + 1, into: &found) }
        default:
            break
        }
    }

    private static func walkItem(_ items: [Node], at index: Int, depth: Int, into found: inout [ServerlessVariable]) {
        walk(items[index], depth: depth, into: &found)
    }

    private static func walkEntry(_ entries: [Node.Entry], at index: Int, depth: Int, into found: inout [ServerlessVariable]) {
        walk(entries[index].value, depth: depth, into: &found)
    }
}
