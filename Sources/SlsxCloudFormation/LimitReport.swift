import SlsxModel
import SlsxSource

/// The measured size of one stack's template against each CloudFormation and IAM limit that slsx
/// checks, for `slsx check` and for the checks that run before a template is written.
public struct LimitReport: Sendable, Equatable {
    /// One limit: what is counted, the measured value, the maximum and, for roles, the largest one.
    public struct Row: Sendable, Equatable {
        public var name: String
        public var measured: Int
        /// The maximum allowed; `nil` for a count that no quota bounds on its own.
        public var maximum: Int?
        /// The resource the measured value belongs to, such as the role with the largest policy.
        public var detail: String?
    }

    /// Managed policies attached to one role: IAM's default quota. It can be raised to 20.
    public static let managedPoliciesDefaultQuota = 10
    /// Managed policies attached to one role: the highest quota IAM grants.
    public static let maximumManagedPolicies = 20
    /// Parameters in one stack.
    public static let maximumParameters = 200
    /// Characters of all inline policies of one role, without whitespace (IAM "role policy size").
    public static let maximumRolePolicyCharacters = 10_240

    /// The stack's name in the table: `template` for a single template, else the nested stack's ID.
    public var stack: String
    public var rows: [Row]

    /// Measures `template`. `bodyBytes` is the size of the written template, when it is known. A
    /// nested stack's template is always read from S3, so `inline: false` leaves out the inline limit.
    public static func measure(
        _ template: Node, bodyBytes: Int?, region: String, stack: String = "template", inline: Bool = true
    ) -> LimitReport {
        let roles = roleMeasurements(template["Resources"]?.mappingValue ?? [], region: region)
        let report = measure(template, roles: roles, stack: stack)
        return bodyBytes.map { report.addingBodySize($0, inline: inline) } ?? report
    }

    /// Returns this report with the rows for the size of the written template, `bodyBytes`, after
    /// the parameter count. `inline: false` leaves out the limit of a template given inline.
    public func addingBodySize(_ bodyBytes: Int, inline: Bool = true) -> LimitReport {
        var sizeRows: [Row] = []
        if inline {
            sizeRows.append(Row(name: "template bytes (inline)", measured: bodyBytes, maximum: TemplateLimits.maximumInlineBodyBytes))
        }
        sizeRows.append(Row(name: "template bytes (S3)", measured: bodyBytes, maximum: TemplateLimits.maximumS3BodyBytes))
        var report = self
        let position = rows.firstIndex { $0.name == "parameters" }.map { $0 + 1 } ?? rows.count
        report.rows.insert(contentsOf: sizeRows, at: position)
        return report
    }

    /// Measures `template` without its size, with the roles already measured.
    static func measure(_ template: Node, roles: [RoleMeasurement], stack: String = "template") -> LimitReport {
        var rows = [
            Row(name: "resources", measured: template["Resources"]?.mappingValue?.count ?? 0, maximum: TemplateLimits.maximumResources),
            Row(name: "outputs", measured: template["Outputs"]?.mappingValue?.count ?? 0, maximum: TemplateLimits.maximumOutputs),
            Row(name: "parameters", measured: template["Parameters"]?.mappingValue?.count ?? 0, maximum: maximumParameters),
        ]
        let largestPolicy = roles.max { $0.policyCharacters < $1.policyCharacters }
        rows.append(Row(
            name: "role policy characters", measured: largestPolicy?.policyCharacters ?? 0,
            maximum: maximumRolePolicyCharacters, detail: largestPolicy?.logicalID
        ))
        let mostStatements = roles.max { $0.statements < $1.statements }
        rows.append(Row(name: "role statements", measured: mostStatements?.statements ?? 0, maximum: nil, detail: mostStatements?.logicalID))
        let mostManaged = roles.max { $0.managedPolicies < $1.managedPolicies }
        rows.append(Row(
            name: "role managed policies", measured: mostManaged?.managedPolicies ?? 0,
            maximum: managedPoliciesDefaultQuota, detail: mostManaged?.logicalID
        ))
        return LimitReport(stack: stack, rows: rows)
    }

    /// Returns the errors and warnings for the IAM limits and the parameter count of `template`.
    /// The resource and output counts and the body size are checked where the template is built
    /// and written.
    public static func check(_ template: Node, region: String) -> [Diagnostic] {
        check(template, roles: roleMeasurements(template["Resources"]?.mappingValue ?? [], region: region))
    }

    /// Checks `template` as `check(_:region:)` does, with the roles already measured.
    static func check(_ template: Node, roles: [RoleMeasurement]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let parameterCount = template["Parameters"]?.mappingValue?.count ?? 0
        if parameterCount > maximumParameters {
            diagnostics.append(.error(
                "the template has \(parameterCount) parameters; CloudFormation allows at most \(maximumParameters) in one stack",
                hint: "remove parameters from `resources.Parameters`"
            ))
        }
        for role in roles {
            if role.policyCharacters > maximumRolePolicyCharacters {
                let hint = role.logicalID == ExecutionRole.sharedLogicalID
                    ? "give each function its own role with `--roles per-function`, or merge statements with `--policies compact`"
                    : "move stream events to another function, or use fewer statements in `iam.role.statements`"
                diagnostics.append(.error(
                    "the inline policies of role `\(role.logicalID)` have about \(role.policyCharacters) characters; "
                        + "IAM allows at most \(maximumRolePolicyCharacters) per role",
                    hint: hint
                ))
            }
            if role.managedPolicies > maximumManagedPolicies {
                diagnostics.append(.error(
                    "role `\(role.logicalID)` has \(role.managedPolicies) managed policies; IAM allows at most \(maximumManagedPolicies) per role",
                    hint: "combine managed policies, or attach some of them to another role"
                ))
            } else if role.managedPolicies > managedPoliciesDefaultQuota {
                diagnostics.append(.warning(
                    "role `\(role.logicalID)` has \(role.managedPolicies) managed policies, more than IAM's default quota of \(managedPoliciesDefaultQuota) per role",
                    hint: "request a quota increase (at most \(maximumManagedPolicies)), or combine managed policies"
                ))
            }
        }
        return diagnostics
    }

    /// Writes reports as one table with a line per stack and limit, columns aligned.
    public static func table(_ reports: [LimitReport]) -> String {
        var lines = [["stack", "limit", "measured", "maximum", "used", "largest in"]]
        for report in reports {
            for row in report.rows {
                let used = row.maximum.map { $0 > 0 ? "\(row.measured * 100 / $0)%" : "-" } ?? "-"
                lines.append([
                    report.stack, row.name, "\(row.measured)", row.maximum.map { "\($0)" } ?? "-", used, row.detail ?? "",
                ])
            }
        }
        return aligned(lines)
    }

    /// Aligns columns: text to the left, numbers to the right.
    static func aligned(_ lines: [[String]]) -> String {
        let columnCount = lines.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columnCount)
        for line in lines {
            for (index, cell) in line.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        let numeric: Set<Int> = [2, 3, 4]
        return lines.map { line in
            line.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return numeric.contains(index) ? padding + cell : cell + padding
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }.joined(separator: "\n") + "\n"
    }

    /// The values slsx measures of one `AWS::IAM::Role`.
    struct RoleMeasurement {
        var logicalID: String
        var policyCharacters: Int
        var statements: Int
        var managedPolicies: Int
    }

    /// Measures each `AWS::IAM::Role` of `resources`, in order. `measuredPolicyCharacters` gives
    /// the policy characters of roles measured before, by logical ID, and those are not measured again.
    static func roleMeasurements(
        _ resources: [Node.Entry], region: String, measuredPolicyCharacters: [String: Int] = [:]
    ) -> [RoleMeasurement] {
        let size = PolicySize(region: region)
        var roles: [RoleMeasurement] = []
        // Indexing reads each resource in place; `compactMap` would copy every entry of the
        // template, and most of them are not roles.
        for index in resources.indices where isRole(resources, at: index) {
            let role = resources[index].value
            let policies = role["Properties"]?["Policies"]?.sequenceValue ?? []
            let statements = policies.reduce(0) { $0 + ($1["PolicyDocument"]?["Statement"]?.sequenceValue?.count ?? 0) }
            roles.append(RoleMeasurement(
                logicalID: resources[index].key,
                policyCharacters: measuredPolicyCharacters[resources[index].key] ?? size.inlinePolicyCharacters(ofRole: role),
                statements: statements,
                managedPolicies: role["Properties"]?["ManagedPolicyArns"]?.sequenceValue?.count ?? 0
            ))
        }
        return roles
    }

    /// Returns whether the first `Type` of `resources[index]` is `AWS::IAM::Role`, as
    /// `value["Type"]` would find it. The type is read in place, because `Node`'s subscript copies
    /// the resource's entries, which took most of the time for a template with few roles.
    private static func isRole(_ resources: [Node.Entry], at index: Int) -> Bool {
        guard case .mapping(let fields) = resources[index].value.kind,
              let typeIndex = fields.firstIndex(where: { $0.key == "Type" }),
              case .string(let type) = fields[typeIndex].value.kind
        else { return false }
        // `==` of two different strings calls into the runtime, and most resources are not
        // roles, so most types are ruled out by their length.
        let roleType = "AWS::IAM::Role"
        return type.utf8.count == roleType.utf8.count && type == roleType
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
