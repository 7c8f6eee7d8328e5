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
            "1:1: error: the document must be a map of serverless.yml keys, but found an empty list",
        ])
        #expect(try decode(#"{"provider": {}}"#).diagnostics == ["1:1: error: the document has no `service`"])
        #expect(try decode(#"{"service": 3}"#).diagnostics == [
            "1:13: error: `service` must be a string, but found the integer 3",
        ])
        let (_, diagnostics, hints) = try decode(#"{"service": "svc", "fuctions": {}}"#)
        #expect(diagnostics == ["1:20: error: unknown key `fuctions` in the document"])
        #expect(hints == ["did you mean `functions`?"])
        #expect(try decode(#"{"service": "svc", "resources": []}"#).diagnostics == [
            "1:33: error: `resources` must be a map, but found an empty list",
        ])
    }

    // MARK: - Provider

    @Test func providerSettings() throws {
        let (service, diagnostics, _) = try decode("""
            {"service": "svc", "provider": {"name": "aws", "runtime": "nodejs20.x", "region": "eu-west-1",
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
        let viaRole = try decode(#"{"service": "svc", "provider": {"role": "# + role + "}}")
        #expect(viaRole.diagnostics == [])
        #expect(viaRole.service?.provider.role?.value == expected)

        let viaIAM = try decode(#"{"service": "svc", "provider": {"iam": {"role": "# + role + "}}}")
        #expect(viaIAM.diagnostics == [])
        #expect(viaIAM.service?.provider.role?.value == expected)
    }

    @Test func providerProblems() throws {
        let (_, diagnostics, hints) = try decode("""
            {"service": "svc", "provider": {"name": "google", "regoin": "us-east-1", "role": "not a role",
             "kinesis": {"consumerNamingMode": "servicespecific"}, "iamRoleStatements": {"Effect": "Allow"}}}
            """)
        #expect(diagnostics == [
            "1:51: error: unknown key `regoin` in `provider`",
            "1:41: error: `provider.name` must be `aws`, but is `google`",
            "1:82: error: `provider.role` must be a role ARN, a logical ID or an intrinsic function, but found the string \"not a role\"",
            "2:36: error: `provider.kinesis.consumerNamingMode` must be `serviceSpecific`, but is `servicespecific`",
            "2:77: error: `provider.iamRoleStatements` must be a list of IAM statements, but found a map",
        ])
        #expect(hints[0] == "did you mean `region`?")
        #expect(hints[1] == "slsx compiles for AWS only: write `name: aws`")
        #expect(hints[3] == "write `consumerNamingMode: serviceSpecific` to put the service and stage in consumer names")
    }

    @Test func legacyNamingModeRejected() throws {
        // The framework's provider schema accepts only `serviceSpecific`; the legacy names need no key.
        let (_, diagnostics, hints) = try decode(#"{"service": "svc", "provider": {"kinesis": {"consumerNamingMode": "legacy"}}}"#)
        #expect(diagnostics == ["1:67: error: `provider.kinesis.consumerNamingMode` must be `serviceSpecific`, but is `legacy`"])
        #expect(hints == ["remove `consumerNamingMode` to keep the legacy names; the framework accepts only `serviceSpecific`"])
    }

    @Test(arguments: [
        (#"{"service": "orders_api"}"#,
         "1:13: error: `service` must start with a letter and contain at least two letters, digits or `-`, but is `orders_api`"),
        (#"{"service": "1orders"}"#,
         "1:13: error: `service` must start with a letter and contain at least two letters, digits or `-`, but is `1orders`"),
        (#"{"service": "o"}"#,
         "1:13: error: `service` must start with a letter and contain at least two letters, digits or `-`, but is `o`"),
        (#"{"service": {"name": "a b"}}"#,
         "1:22: error: `service` must start with a letter and contain at least two letters, digits or `-`, but is `a b`"),
        (#"{"service": "s1", "provider": {"stage": "dev_1"}}"#,
         "1:41: error: `provider.stage` must contain only letters, digits and `-`, but is `dev_1`"),
        (#"{"service": "s1", "functions": {"a.b": {"handler": "h.x"}}}"#,
         "1:33: error: function name `a.b` must contain only letters, digits, `-` and `_`"),
    ])
    func namesFollowFrameworkPatterns(document: String, expected: String) throws {
        #expect(try decode(document).diagnostics == [expected])
    }

    @Test(arguments: [
        (#"{"service": "s1", "provider": {"memorySize": "big"}}"#,
         "1:46: error: `provider.memorySize` must be an integer, but found the string \"big\""),
        (#"{"service": "s1", "provider": {"timeout": 1000}}"#,
         "1:43: error: `provider.timeout` must be from 1 to 900, but is 1000"),
        (#"{"service": "s1", "functions": {"f": {"handler": "h.x", "memorySize": 64}}}"#,
         "1:71: error: `memorySize` must be from 128 to 10240, but is 64"),
        (#"{"service": "s1", "functions": {"f": {"handler": "h.x", "timeout": "slow"}}}"#,
         "1:68: error: `timeout` must be an integer, but found the string \"slow\""),
        (#"{"service": "s1", "provider": {"runtime": "nodejs99.x"}}"#,
         "1:43: warning: `provider.runtime` is `nodejs99.x`, which is not a Lambda runtime"),
        (#"{"service": "s1", "functions": {"f": {"handler": "h.x", "runtime": "pyhton3.12"}}}"#,
         "1:68: warning: `runtime` is `pyhton3.12`, which is not a Lambda runtime"),
    ])
    func functionSettingsChecked(document: String, expected: String) throws {
        #expect(try decode(document).diagnostics == [expected])
    }

    @Test func functionSettingsAccepted() throws {
        let (_, diagnostics, _) = try decode("""
            {"service": "s1", "provider": {"memorySize": 10240, "timeout": 900, "runtime": "python3.14"},
             "functions": {"f": {"handler": "h.x", "memorySize": 128, "timeout": 1, "runtime": "nodejs18.x"},
                           "g": {"handler": "h.x", "timeout": "${self:custom.timeout}"}}}
            """)
        #expect(diagnostics == [])
    }

    @Test func validNamesAccepted() throws {
        let (service, diagnostics, _) = try decode(
            #"{"service": "orders-api2", "provider": {"stage": "prod-eu1"}, "functions": {"index_Orders-1": {"handler": "h.x"}}}"#)
        #expect(diagnostics == [])
        #expect(service?.name?.value == "orders-api2")
        #expect(service?.provider.stage?.value == "prod-eu1")
        #expect(service?.functions.first?.name.value == "index_Orders-1")
    }

    @Test func providerConflicts() throws {
        let (_, diagnostics, _) = try decode("""
            {"service": "svc", "provider": {"role": "R", "iamRoleStatements": [],
             "iam": {"role": {"statements": []}}}}
            """)
        #expect(diagnostics == ["1:46: error: `provider` sets both `iamRoleStatements` and `iam.role.statements`"])

        let roles = try decode(#"{"service": "svc", "provider": {"role": "R", "iam": {"role": "S"}}}"#)
        #expect(roles.diagnostics == ["1:33: error: `provider` sets both `role` and `iam.role`"])
    }

    // MARK: - Functions

    @Test func functionSettings() throws {
        let (service, diagnostics, _) = try decode("""
            {"service": "svc", "functions": {
              "first": {"handler": "a.first", "runtime": "python3.12", "role": "FirstRole",
                        "provisionedConcurrency": 0, "memorySize": 512, "timeout": 30,
                        "iamRoleStatements": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
                        "events": [{"http": "GET /"}]},
              "second": {"handler": "a.second", "iam": {"role": {"statements": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}},
                         "provisionedConcurrency": 5}}}
            """)
        #expect(diagnostics == [])
        let functions = try #require(service?.functions)
        #expect(functions.map(\.name.value) == ["first", "second"])
        #expect(functions[0].runtime?.value == "python3.12")
        #expect(functions[0].role?.value == .logicalID("FirstRole"))
        #expect(functions[0].provisionedConcurrency?.value == 0)
        #expect(functions[0].iamStatements == [
            .mapping(["Effect": .string("Allow"), "Action": .string("s3:GetObject"), "Resource": .string("*")]),
        ])
        #expect(functions[0].streamEvents.isEmpty)
        guard case .other(let entry) = functions[0].events.first else {
            Issue.record("expected an http event kept as written")
            return
        }
        #expect(entry.key == "http")
        #expect(functions[1].iamStatements == [
            .mapping(["Effect": .string("Deny"), "Action": .string("s3:*"), "Resource": .string("*")]),
        ])
        #expect(functions[1].provisionedConcurrency?.value == 5)
    }

    @Test func functionProblems() throws {
        let (service, diagnostics, hints) = try decode("""
            {"service": "svc", "functions": {
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

    @Test func everyDiagnosticHasHintAndStyle() throws {
        let (_, diagnostics, hints) = try decode("""
            {"service": 1, "bogus": true, "resources": 3,
             "provider": {"name": 2, "stage": false, "iam": [], "kinesis": {"consumerNamingMode": 5}, "role": 3},
             "functions": {"f": {"handler": 1, "runtime": [], "events": [
               1, {}, {"stream": 5}, {"stream": null},
               {"stream": {"arn": "arn:aws:sqs:us-east-1:123456789012:q", "type": 1, "enabled": 1,
                "consumer": 2, "destinations": {"onFailure": 3}, "filterPatterns": [1]}}]},
               "g": [], "h.i": {}}}
            """)
        #expect(diagnostics.count == 23)
        #expect(diagnostics.contains("4:7: error: each event of function `f` must be a map with one key, such as `stream:`, but found an empty map"))
        for (line, hint) in zip(diagnostics, hints) {
            let message = String(line.split(separator: ": ", maxSplits: 2)[2])
            #expect(hint?.isEmpty == false, "no hint for \(line)")
            #expect(message.first.map { !$0.isUppercase } == true, "capital letter in \(line)")
            #expect(message.last != ".", "final period in \(line)")
        }
    }
}

