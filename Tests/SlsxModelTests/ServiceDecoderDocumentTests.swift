import SlsxSource
import Testing

@testable import SlsxModel

/// The checks on the document, `provider` and `functions` (the stream checks have their own file).
struct ServiceDecoderDocumentTests {
    @Test func minimalDocument() throws {
        let (service, diagnostics, _) = try decode(#"{"service": "orders", "frameworkVersion": "3", "custom": {"x": 1}}"#)
        #expect(diagnostics == [])
        #expect(service?.name?.value == "orders")
        #expect(service?.functions.isEmpty == true)
        #expect(service?.document["custom"] == .mapping(["x": .integer(1)]))
    }

    @Test func serviceMappingForm() throws {
        let (service, diagnostics, _) = try decode(#"{"service": {"name": "orders"}}"#)
        #expect(diagnostics == [])
        #expect(service?.name?.value == "orders")
    }

    @Test func documentProblems() throws {
        #expect(try decode("[]").diagnostics == [
            "1:1: error: the document must be a map of serverless.yml keys, but found a list",
        ])
        #expect(try decode(#"{"provider": {}}"#).diagnostics == ["1:1: error: the document has no `service`"])
        #expect(try decode(#"{"service": 3}"#).diagnostics == [
            "1:13: error: `service` must be a string, but found the integer 3",
        ])
        let (_, diagnostics, hints) = try decode(#"{"service": "s", "fuctions": {}}"#)
        #expect(diagnostics == ["1:18: error: unknown key `fuctions` in the document"])
        #expect(hints == ["did you mean `functions`?"])
        #expect(try decode(#"{"service": "s", "resources": []}"#).diagnostics == [
            "1:31: error: `resources` must be a map, but found a list",
        ])
    }

    // MARK: - Provider

    @Test func providerSettings() throws {
        let (service, diagnostics, _) = try decode("""
            {"service": "s", "provider": {"name": "aws", "runtime": "nodejs20.x", "region": "eu-west-1",
             "stage": "prod", "memorySize": 256, "kinesis": {"consumerNamingMode": "serviceSpecific"},
             "iam": {"role": {"statements": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}}}
            """)
        #expect(diagnostics == [])
        let provider = try #require(service?.provider)
        #expect(provider.name?.value == "aws")
        #expect(provider.runtime?.value == "nodejs20.x")
        #expect(provider.region?.value == "eu-west-1")
        #expect(provider.stage?.value == "prod")
        #expect(provider.kinesisConsumerNamingMode?.value == .serviceSpecific)
        #expect(provider.iamStatements.count == 1)
        #expect(provider.role == nil)
    }

    @Test(arguments: [
        (#""arn:aws:iam::123456789012:role/reader""#, RoleReference.arn("arn:aws:iam::123456789012:role/reader")),
        (#""ReaderRole""#, .logicalID("ReaderRole")),
        (#"{"Fn::GetAtt": ["ReaderRole", "Arn"]}"#, .intrinsic(.mapping(["Fn::GetAtt": .sequence([.string("ReaderRole"), .string("Arn")])]))),
    ])
    func providerRoleForms(role: String, expected: RoleReference) throws {
        let viaRole = try decode(#"{"service": "s", "provider": {"role": "# + role + "}}")
        #expect(viaRole.diagnostics == [])
        #expect(viaRole.service?.provider.role?.value == expected)

        let viaIAM = try decode(#"{"service": "s", "provider": {"iam": {"role": "# + role + "}}}")
        #expect(viaIAM.diagnostics == [])
        #expect(viaIAM.service?.provider.role?.value == expected)
    }

    @Test func providerProblems() throws {
        let (_, diagnostics, hints) = try decode("""
            {"service": "s", "provider": {"name": "google", "regoin": "us-east-1", "role": "not a role",
             "kinesis": {"consumerNamingMode": "servicespecific"}, "iamRoleStatements": {"Effect": "Allow"}}}
            """)
        #expect(diagnostics == [
            "1:49: error: unknown key `regoin` in `provider`",
            "1:39: error: `provider.name` must be `aws`, but is `google`",
            "1:80: error: `provider.role` must be a role ARN, a logical ID or an intrinsic function, but found the string \"not a role\"",
            "2:36: error: `provider.kinesis.consumerNamingMode` must be `legacy` or `serviceSpecific`, but is `servicespecific`",
            "2:77: error: `provider.iamRoleStatements` must be a list of IAM statements, but found a map",
        ])
        #expect(hints[0] == "did you mean `region`?")
        #expect(hints[1] == "slsx compiles for AWS only: write `name: aws`")
        #expect(hints[3] == "did you mean `serviceSpecific`? `serviceSpecific` puts the service and stage in consumer names")
    }

    @Test func providerConflicts() throws {
        let (_, diagnostics, _) = try decode("""
            {"service": "s", "provider": {"role": "R", "iamRoleStatements": [],
             "iam": {"role": {"statements": []}}}}
            """)
        #expect(diagnostics == ["1:44: error: `provider` sets both `iamRoleStatements` and `iam.role.statements`"])

        let roles = try decode(#"{"service": "s", "provider": {"role": "R", "iam": {"role": "S"}}}"#)
        #expect(roles.diagnostics == ["1:31: error: `provider` sets both `role` and `iam.role`"])
    }

    // MARK: - Functions

    @Test func functionSettings() throws {
        let (service, diagnostics, _) = try decode("""
            {"service": "s", "functions": {
              "first": {"handler": "a.first", "runtime": "python3.12", "role": "FirstRole",
                        "provisionedConcurrency": 0, "memorySize": 512, "timeout": 30,
                        "iamRoleStatements": [{"Effect": "Allow"}], "events": [{"http": "GET /"}]},
              "second": {"handler": "a.second", "iam": {"role": {"statements": [{"Effect": "Deny"}]}},
                         "provisionedConcurrency": 5}}}
            """)
        #expect(diagnostics == [])
        let functions = try #require(service?.functions)
        #expect(functions.map(\.name.value) == ["first", "second"])
        #expect(functions[0].runtime?.value == "python3.12")
        #expect(functions[0].role?.value == .logicalID("FirstRole"))
        #expect(functions[0].provisionedConcurrency?.value == 0)
        #expect(functions[0].iamStatements == [.mapping(["Effect": .string("Allow")])])
        #expect(functions[0].streamEvents.isEmpty)
        guard case .other(let entry) = functions[0].events.first else {
            Issue.record("expected an http event kept as written")
            return
        }
        #expect(entry.key == "http")
        #expect(functions[1].iamStatements == [.mapping(["Effect": .string("Deny")])])
        #expect(functions[1].provisionedConcurrency?.value == 5)
    }

    @Test func functionProblems() throws {
        let (service, diagnostics, hints) = try decode("""
            {"service": "s", "functions": {
              "first": {"memorysize": 512, "provisionedConcurrency": -1, "events": {"stream": "x"}},
              "second": "h.second",
              "third": {"handler": "h.third", "events": ["stream"]}}}
            """)
        #expect(service == nil)
        #expect(diagnostics == [
            "2:13: error: unknown key `memorysize` in function `first`",
            "2:58: error: `provisionedConcurrency` must be at least 0, but is -1",
            "2:72: error: `events` of function `first` must be a list, but found a map",
            "2:3: error: function `first` has no `handler`",
            "3:13: error: function `second` must be a map of settings, but found the string \"h.second\"",
            "4:46: error: each event of function `third` must be a map with one key, such as `stream:`, but found the string \"stream\"",
        ])
        #expect(hints[0] == "did you mean `memorySize`?")
    }
}
