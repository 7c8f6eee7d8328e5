import SlsxModel
import SlsxSource

/// The role a function runs with, decided the way the framework decides it.
enum ExecutionRole {
    /// The shared `IamRoleLambdaExecution` that slsx creates.
    case shared
    /// A role of the function's own that slsx creates, `<Fn>IamRoleLambdaExecution`: in the
    /// framework's per-function mode, or when the function lists IAM statements of its own.
    case dedicated(logicalID: String)
    /// A role the script names: `role` of the function, or else `provider.role` / `provider.iam.role`.
    /// slsx creates no role for it and adds no statements to it.
    case external(Located<RoleReference>)

    static let sharedLogicalID = "IamRoleLambdaExecution"

    /// Decides the role of each function of `service`, in function order.
    ///
    /// The order follows the framework. A function's own `role` wins, then the provider's role.
    /// Per-function mode (`provider.iam.role.mode: perFunction`) or function-level statements give
    /// the function a role of its own. Every other function shares `IamRoleLambdaExecution`.
    /// With `perFunction`, a function that would share the role gets a role of its own instead.
    /// `entries` contains each function's entry in the document, in function order
    /// (`FunctionDocuments.entries(of:)`), where function-level statements are read.
    static func resolve(_ service: Service, entries: [Node?], perFunction: Bool = false) -> [ExecutionRole] {
        // The mode is the same for every function, so the document is read for it once.
        let perFunction = perFunction || usesPerFunctionMode(service)
        let providerRole = service.provider.role
        // Indexing reads each function in place, where `zip` copied every `Function` (a retain of
        // each of its arrays and strings) to read three of its fields.
        let functions = service.functions
        return functions.indices.map { index in
            if let role = functions[index].role { return .external(role) }
            if let providerRole { return .external(providerRole) }
            if perFunction || hasOwnStatements(functions[index].iamStatements, written: entries[index]) {
                return .dedicated(logicalID: FunctionLogicalIDs(function: functions[index].name.value).functionRole)
            }
            return .shared
        }
    }

    /// `{Fn::GetAtt: [IamRoleLambdaExecution, Arn]}`, the `Role` of every function with the
    /// shared role, built once and shared.
    private static let sharedARNNode = Intrinsics.getAtt(sharedLogicalID, "Arn")

    /// The `Role` property of the function: an ARN, or a node that evaluates to one.
    var arnNode: Node {
        switch self {
        case .shared:
            return Self.sharedARNNode
        case .dedicated(let logicalID):
            return Intrinsics.getAtt(logicalID, "Arn")
        case .external(let role):
            switch role.value {
            case .arn(let arn): return .string(arn, span: role.span)
            case .logicalID(let id): return Intrinsics.getAtt(id, "Arn", span: role.span)
            case .intrinsic(let node): return node
            }
        }
    }

    /// The resource a stream mapping must wait for, so that it is created after the policy that
    /// lets Lambda read the stream. It is `nil` for a role that is not a resource of this template.
    var dependencyID: String? {
        switch self {
        case .shared:
            return Self.sharedLogicalID
        case .dedicated(let logicalID):
            return logicalID
        case .external(let role):
            switch role.value {
            case .arn: return nil
            case .logicalID(let id): return id
            case .intrinsic(let node):
                guard let (name, argument) = Intrinsics.intrinsic(of: node), name == "Fn::GetAtt" else {
                    return nil
                }
                return argument.sequenceValue?.first?.stringValue
                    ?? argument.stringValue?.split(separator: ".").first.map(String.init)
            }
        }
    }

    var isDedicated: Bool {
        if case .dedicated = self { return true }
        return false
    }

    // MARK: - Reading the document

    /// Returns whether `provider.iam.role.mode` is `perFunction`. The model has no field for it, so the
    /// decoded document is read.
    static func usesPerFunctionMode(_ service: Service) -> Bool {
        service.document["provider"]?["iam"]?["role"]?["mode"]?.stringValue == "perFunction"
    }

    /// Returns whether a function declares statements of its own, even an empty list, because the
    /// framework gives such a function a role of its own. `statements` are the function's decoded
    /// statements and `written` is its entry in the document.
    static func hasOwnStatements(_ statements: [Node], written: Node?) -> Bool {
        if !statements.isEmpty { return true }
        guard let written else { return false }
        return written["iam"]?["role"]?["statements"] != nil || written["iamRoleStatements"] != nil
    }
}
