import SlsxModel
import SlsxSource
import Testing
@testable import SlsxCloudFormation

/// Statement compaction and the choice between a shared role and per-function roles.
@Suite("Policy compaction and role layout")
struct PolicyLayoutTests {
    typealias T = TestSupport

    @Test("statements with the same actions merge")
    func sameActionsMerge() {
        let statements = T.json("""
        [{"Effect": "Allow", "Action": ["kinesis:GetRecords", "kinesis:ListShards"], "Resource": ["arn:a", "arn:b"]},
         {"Effect": "Allow", "Action": ["sns:Publish"], "Resource": ["arn:t"]},
         {"Effect": "Allow", "Action": ["kinesis:GetRecords", "kinesis:ListShards"], "Resource": ["arn:b", "arn:c"]},
         {"Effect": "Allow", "Action": ["sns:Publish"], "Resource": "arn:u"}]
        """).sequenceValue ?? []
        let compacted = PolicyCompactor.compact(statements)
        #expect(T.text(.sequence(compacted)) == #"[{"Effect":"Allow","Action":["kinesis:GetRecords","kinesis:ListShards"],"Resource":["arn:a","arn:b","arn:c"]},{"Effect":"Allow","Action":["sns:Publish"],"Resource":["arn:t","arn:u"]}]"#)
    }

    @Test("statements with conditions or other actions stay")
    func otherStatementsStay() {
        let statements = T.json("""
        [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:a"]},
         {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:b"], "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
         {"Effect": "Deny", "Action": ["s3:GetObject"], "Resource": ["arn:c"]},
         {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": ["arn:d"]},
         {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": [{"Fn::GetAtt": ["B", "Arn"]}, {"Fn::GetAtt": ["B", "Arn"]}]}]
        """).sequenceValue ?? []
        let compacted = PolicyCompactor.compact(statements)
        #expect(compacted.count == 4)
        #expect(T.text(compacted[0]) == #"{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:a",{"Fn::GetAtt":["B","Arn"]}]}"#)
        #expect(compacted[1] == statements[1])
        #expect(compacted[2] == statements[2])
        #expect(compacted[3] == statements[3])
    }

    @Test("compaction never adds a wildcard")
    func noWildcards() {
        let functions = (0..<15).map { index in
            T.function("f\(index)", (0..<5).map { T.event("arn:aws:kinesis:us-east-1:123456789012:stream/s\(index)-\($0)") })
        }
        var options = CloudFormationCompiler.Options()
        options.policyLayout = .compact
        options.roleLayout = .shared
        let template = CloudFormationCompiler(options: options).compile(T.service(functions)).template
        let text = T.text(template?["Resources"]?["IamRoleLambdaExecution"])
        #expect(!text.contains("stream/*"))
        #expect(!text.contains("\"*\""))
        #expect(template != nil)
        for index in 0..<15 {
            #expect(text.contains("stream/s\(index)-4\""))
        }
    }

    /// Functions that each read `bindings` Kinesis streams of their own.
    static func functions(_ count: Int, bindings: Int = 5) -> [Function] {
        (0..<count).map { index in
            T.function("worker\(index)", (0..<bindings).map {
                T.event("arn:aws:kinesis:us-east-1:123456789012:stream/events-\(index)-\($0)")
            })
        }
    }

    @Test("shared role kept while it fits")
    func sharedRoleWhileItFits() {
        let result = T.compile(T.service(Self.functions(10)))
        #expect(result.template?["Resources"]?["IamRoleLambdaExecution"] != nil)
        #expect(result.template?["Resources"]?["Worker0IamRoleLambdaExecution"] == nil)
        #expect(result.diagnostics.isEmpty)
    }

    @Test("per-function roles once compaction is not enough")
    func perFunctionRolesOnOverflow() {
        let result = T.compile(T.service(Self.functions(40)))
        let resources = result.template?["Resources"]
        #expect(resources?["IamRoleLambdaExecution"] == nil)
        #expect(resources?["Worker0IamRoleLambdaExecution"] != nil)
        #expect(resources?["Worker0EventSourceMappingKinesisEvents04"]?["DependsOn"]?.stringValue
            ?? resources?["Worker0EventSourceMappingKinesisEvents04"]?["DependsOn"]?.sequenceValue?.first?.stringValue
            == "Worker0IamRoleLambdaExecution")
        #expect(result.diagnostics.map(\.severity) == [.note])
        #expect(result.diagnostics.first?.message.hasSuffix("so each function gets a role of its own") == true)
    }

    @Test("shared role layout reports the overflow")
    func sharedRoleLayoutOverflows() {
        var options = CloudFormationCompiler.Options()
        options.roleLayout = .shared
        options.policyLayout = .framework
        let result = CloudFormationCompiler(options: options).compile(T.service(Self.functions(40)))
        #expect(result.template == nil)
        let error = result.diagnostics.first { $0.severity == .error }
        #expect(error?.message.hasPrefix("the inline policies of role `IamRoleLambdaExecution` have about ") == true)
        #expect(error?.message.hasSuffix(" characters; IAM allows at most 10240 per role") == true)
    }

    @Test("per-function role holds only its streams")
    func perFunctionRoleHoldsItsStreams() {
        var options = CloudFormationCompiler.Options()
        options.roleLayout = .perFunction
        let template = CloudFormationCompiler(options: options).compile(T.service(Self.functions(3))).template
        let role = T.text(template?["Resources"]?["Worker1IamRoleLambdaExecution"])
        #expect(role.contains("stream/events-1-0"))
        #expect(!role.contains("stream/events-0-"))
        #expect(!role.contains("stream/events-2-"))
    }
}
