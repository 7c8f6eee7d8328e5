import SlsxModel
import SlsxSource
import Testing
@testable import SlsxCloudFormation

/// Just-under and just-over cases for each limit, with the exact error text.
@Suite("Stack and IAM limits")
struct LimitTests {
    typealias T = TestSupport

    /// Builds a role whose one inline policy has exactly `characters` characters without whitespace.
    static func role(policyCharacters characters: Int, managedPolicies: Int = 0) -> Node {
        let empty = #"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":""}]}"#.count
        let document = T.json(#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":""}]}"#)
        var statement = document["Statement"]?.sequenceValue?.first ?? .null
        statement.set("Resource", .string(String(repeating: "x", count: max(0, characters - empty))))
        let policies = Node.sequence([.mapping(["PolicyName": .string("p"), "PolicyDocument": .mapping(["Statement": .sequence([statement])])])])
        return .mapping([
            "Type": .string("AWS::IAM::Role"),
            "Properties": .mapping([
                "Policies": policies,
                "ManagedPolicyArns": .sequence((0..<managedPolicies).map { .string("arn:aws:iam::aws:policy/P\($0)") }),
            ]),
        ])
    }

    static func template(resources: [Node.Entry], parameters: Int = 0) -> Node {
        .mapping([
            "Parameters": .mapping((0..<parameters).map { Node.Entry("P\($0)", .mapping(["Type": .string("String")])) }),
            "Resources": .mapping(resources),
        ])
    }

    @Test("policy size counts compact JSON")
    func policySizeCountsCompactJSON() {
        let document = T.json(#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["a:B"], "Resource": "arn:x"}]}"#)
        let expected = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["a:B"],"Resource":"arn:x"}]}"#
        #expect(PolicySize(region: "eu-west-1").characters(of: document) == expected.count)
    }

    @Test("policy size counts escapes, numbers and nesting")
    func policySizeCountsEscapes() throws {
        let numbers = Node.sequence([.integer(1), .float(-2.5), .float(3.0), .bool(true), .null, .mapping([]), .sequence([])])
        let document = Node.mapping([Node.Entry("S", .sequence([
            .mapping([Node.Entry("a\u{2028}", .string("q\"é\n")), Node.Entry("n", numbers)]),
        ]))])
        let written = try JSONWriter(style: .compact).write(document)
        #expect(written == #"{"S":[{"a\u2028":"q\"é\n","n":[1,-2.5,3,true,null,{},[]]}]}"#)
        #expect(PolicySize(region: "eu-west-1").characters(of: document) == written.unicodeScalars.count)
    }

    @Test("policy size resolves pseudo parameters")
    func policySizeResolvesPseudoParameters() {
        let document = T.json(#"{"Resource": {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:x"}}"#)
        let expected = #"{"Resource":"arn:aws-us-gov:logs:eu-west-1:123456789012:x"}"#
        #expect(PolicySize(region: "eu-west-1").characters(of: document) == expected.count)
        let unknown = T.json(#"{"Resource": {"Fn::GetAtt": ["S", "Arn"]}}"#)
        #expect(PolicySize(region: "eu-west-1").characters(of: unknown) == #"{"Resource":""}"#.count + PolicySize.unknownValueLength)
    }

    @Test("policy size of unmeasurable documents")
    func policySizeSaturates() {
        // Each document is nested deeper than `JSONWriter.maximumDepth`, so each counts as
        // `Int.max / 4` and five of them would overflow the sum.
        var deep = Node.string("x")
        for _ in 0...JSONWriter.maximumDepth {
            deep = .sequence([deep])
        }
        let policy = Node.mapping([Node.Entry("PolicyDocument", deep)])
        let role = Node.mapping([Node.Entry("Properties", .mapping([
            Node.Entry("Policies", .sequence(Array(repeating: policy, count: 5))),
        ]))])
        let size = PolicySize(region: "us-east-1")
        #expect(size.characters(of: deep) == Int.max / 4)
        #expect(size.inlinePolicyCharacters(ofRole: role) == Int.max)
    }

    @Test("role policy size limit", arguments: [(10_240, nil), (10_241, "the inline policies of role `R` have about 10241 characters; IAM allows at most 10240 per role")])
    func rolePolicySize(characters: Int, message: String?) {
        let template = Self.template(resources: [Node.Entry("R", Self.role(policyCharacters: characters))])
        #expect(LimitReport.check(template, region: "us-east-1").map(\.message) == (message.map { [$0] } ?? []))
        let row = LimitReport.measure(template, bodyBytes: nil, region: "us-east-1").rows.first { $0.name == "role policy characters" }
        #expect(row?.measured == characters)
    }

    @Test("body size rows follow the parameter count")
    func bodySizeRows() {
        let template = Self.template(resources: [Node.Entry("R", Self.role(policyCharacters: 500))], parameters: 2)
        let withoutSize = LimitReport.measure(template, bodyBytes: nil, region: "us-east-1")
        #expect(withoutSize.addingBodySize(1234) == LimitReport.measure(template, bodyBytes: 1234, region: "us-east-1"))
        #expect(withoutSize.addingBodySize(1234).rows.map(\.name) == [
            "resources", "outputs", "parameters", "template bytes (inline)", "template bytes (S3)",
            "role policy characters", "role statements", "role managed policies",
        ])
        #expect(withoutSize.addingBodySize(99, inline: false)
            == LimitReport.measure(template, bodyBytes: 99, region: "us-east-1", inline: false))
    }

    @Test("shared role overflow hint names the flags")
    func sharedRoleHint() {
        let template = Self.template(resources: [Node.Entry("IamRoleLambdaExecution", Self.role(policyCharacters: 10_241))])
        #expect(LimitReport.check(template, region: "us-east-1").first?.hint
            == "give each function its own role with `--roles per-function`, or merge statements with `--policies compact`")
    }

    @Test("managed policies per role", arguments: [
        (10, nil, nil),
        (11, Diagnostic.Severity.warning, "role `R` has 11 managed policies, more than IAM's default quota of 10 per role"),
        (20, Diagnostic.Severity.warning, "role `R` has 20 managed policies, more than IAM's default quota of 10 per role"),
        (21, Diagnostic.Severity.error, "role `R` has 21 managed policies; IAM allows at most 20 per role"),
    ])
    func managedPolicies(count: Int, severity: Diagnostic.Severity?, message: String?) {
        let template = Self.template(resources: [Node.Entry("R", Self.role(policyCharacters: 100, managedPolicies: count))])
        let diagnostics = LimitReport.check(template, region: "us-east-1")
        #expect(diagnostics.first?.severity == severity)
        #expect(diagnostics.first?.message == message)
    }

    @Test("parameters per stack", arguments: [(200, nil), (201, "the template has 201 parameters; CloudFormation allows at most 200 in one stack")])
    func parameters(count: Int, message: String?) {
        let template = Self.template(resources: [], parameters: count)
        #expect(LimitReport.check(template, region: "us-east-1").map(\.message) == (message.map { [$0] } ?? []))
    }

    @Test("template body size", arguments: [
        (51_200, nil),
        (51_201, "the template is 51201 bytes, more than the 51200 bytes CloudFormation accepts inline"),
        (1_000_000, "the template is 1000000 bytes, more than the 51200 bytes CloudFormation accepts inline"),
        (1_000_001, "the template is 1000001 bytes; CloudFormation accepts at most 1000000 bytes, even from S3"),
    ])
    func templateBodySize(bytes: Int, message: String?) {
        #expect(TemplateLimits.checkTemplateSize(byteCount: bytes).first?.message == message)
    }

    @Test("resources per stack", arguments: [
        (499, nil),
        (500, nil),
        (501, "the template has 501 resources; CloudFormation allows at most 500 in one stack"),
    ])
    func resourcesPerStack(count: Int, message: String?) {
        // One function with one event gives a log group, a function and a mapping, plus the shared
        // role; the script's queues fill the rest.
        let queues = (0..<(count - 4)).map { Node.Entry("Queue\($0)", T.json(#"{"Type": "AWS::SQS::Queue"}"#)) }
        let service = T.service(
            [T.function("first", [T.event(T.kinesisFoo)])],
            resources: .mapping([Node.Entry("Resources", .mapping(queues))])
        )
        let result = T.compile(service)
        #expect(result.diagnostics.first { $0.severity == .error }?.message == message)
        #expect(result.diagnostics.first { $0.severity == .error }?.hint
            == (message == nil ? nil : "emit nested stacks with `--split DIR`, or split the functions into several services"))
    }

    @Test("outputs per stack", arguments: [
        (200, nil),
        (201, "the template has 201 outputs; CloudFormation allows at most 200"),
    ])
    func outputsPerStack(count: Int, message: String?) {
        // The function adds one output; the script adds the rest.
        let outputs = (0..<(count - 1)).map { Node.Entry("Out\($0)", T.json(#"{"Value": "v"}"#)) }
        let service = T.service(
            [T.function("first", [T.event(T.kinesisFoo)])],
            resources: .mapping([Node.Entry("Outputs", .mapping(outputs))])
        )
        let result = T.compile(service)
        #expect(result.diagnostics.first { $0.severity == .error }?.message == message)
    }

    @Test("limit table aligns columns")
    func limitTable() {
        let template = Self.template(resources: [Node.Entry("R", Self.role(policyCharacters: 5_120))], parameters: 2)
        let report = LimitReport.measure(template, bodyBytes: 1_234, region: "us-east-1")
        #expect(LimitReport.table([report]) == """
            stack     limit                    measured  maximum  used  largest in
            template  resources                       1      500    0%
            template  outputs                         0      200    0%
            template  parameters                      2      200    1%
            template  template bytes (inline)      1234    51200    2%
            template  template bytes (S3)          1234  1000000    0%
            template  role policy characters       5120    10240   50%  R
            template  role statements                 1        -     -  R
            template  role managed policies           0       10    0%  R

            """)
    }
}
