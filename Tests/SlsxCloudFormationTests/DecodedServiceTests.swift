import SlsxModel
import SlsxSource
import Testing

@testable import SlsxCloudFormation

/// Templates compiled from decoded documents, so every value carries the span the decoder saw:
/// Serverless variables, references, provider settings and warnings that list functions.
@Suite("Templates from decoded documents")
struct DecodedServiceTests {
    /// Decodes `json` (serverless.yml written as JSON, in `svc.json`), compiles it, and returns the
    /// template and each diagnostic as `line:column: severity: message`.
    func compile(_ json: String) throws -> (template: Node?, diagnostics: [String], hints: [String?]) {
        // The compiler makes diagnostics from the service's spans, which need their file.
        let file = SourceFile(path: "svc.json", text: json)
        let (service, decodeDiagnostics) = ServiceDecoder.decode(try JSONReader.read(file))
        #expect(!decodeDiagnostics.containsError)
        let decoded = try #require(service)
        let (template, diagnostics) = CloudFormationCompiler().compile(decoded)
        let lines = diagnostics.map { diagnostic in
            "\(diagnostic.span.map { $0.startLocation.description } ?? "-"): \(diagnostic.severity.rawValue): \(diagnostic.message)"
        }
        return (template, lines, diagnostics.map(\.hint))
    }

    @Test("variables are errors once at their span")
    func variablesOnceAtSpan() throws {
        let result = try compile("""
            {"service": "svc", "provider": {"stage": "${opt:stage, 'dev'}"},
             "functions": {"worker": {"handler": "h.worker", "events": [{"stream": {
               "arn": "arn:aws:kinesis:us-east-1:123456789012:stream/${opt:stage}-orders",
               "batchSize": "${self:custom.batch}"}}]}}}
            """)
        #expect(result.template == nil)
        #expect(result.diagnostics == [
            "1:42: error: the Serverless variable `${opt:stage, 'dev'}` in `provider.stage` cannot be resolved in CloudFormation output",
            "3:11: error: the Serverless variable `${opt:stage}` cannot be resolved in CloudFormation output",
            "4:17: error: the Serverless variable `${self:custom.batch}` in `batchSize` cannot be resolved in CloudFormation output",
        ])
        #expect(result.hints.first == "CloudFormation does not resolve Serverless variables; pass the value with "
            + "`--set NAME=VALUE` and read it with `option(\"NAME\")`, or compute it in the script")
    }

    @Test("type variable gives no follow-on errors")
    func typeVariableAlone() throws {
        let result = try compile("""
            {"service": "svc", "functions": {"worker": {"handler": "h.worker", "events": [{"stream":
             {"arn": {"Fn::ImportValue": "OrdersStreamArn"}, "type": "${opt:streamType}"}}]}}}
            """)
        #expect(result.template == nil)
        #expect(result.diagnostics == [
            "2:58: error: the Serverless variable `${opt:streamType}` in `type` cannot be resolved in CloudFormation output",
        ])
    }

    @Test("variable in a numeric function setting")
    func variableInMemorySize() throws {
        let result = try compile("""
            {"service": "svc", "provider": {"versionFunctions": "${opt:versions}", "vpc": "${file(./vpc.yml)}"},
             "functions": {"worker": {"handler": "h.worker", "memorySize": "${self:custom.memory}", "vpc": "${opt:vpc}"}}}
            """)
        #expect(result.template == nil)
        #expect(result.diagnostics == [
            "1:72: warning: `provider.vpc` is not compiled into the CloudFormation template",
            "2:89: warning: `vpc` of function `worker` is not compiled into the CloudFormation template",
            "1:53: error: the Serverless variable `${opt:versions}` cannot be resolved in CloudFormation output",
            "2:64: error: the Serverless variable `${self:custom.memory}` cannot be resolved in CloudFormation output",
        ])
    }

    @Test("fragment checks only stream variables")
    func fragmentVariables() throws {
        let json = """
            {"service": "svc", "functions": {"worker": {"handler": "h.worker", "memorySize": "${self:custom.memory}",
             "events": [{"stream": {"arn": "arn:aws:kinesis:us-east-1:123456789012:stream/orders", "batchSize": "${opt:batch}"}}]}}}
            """
        let file = SourceFile(path: "svc.json", text: json)
        let (service, _) = ServiceDecoder.decode(try JSONReader.read(file))
        let decoded = try #require(service)
        let compiler = CloudFormationCompiler(options: .init(mode: .streamResourcesOnly))
        let (template, diagnostics) = compiler.compile(decoded)
        #expect(template == nil)
        #expect(diagnostics.map(\.message) == [
            "the Serverless variable `${opt:batch}` in `batchSize` cannot be resolved in CloudFormation output",
        ])
    }

    @Test("variable paths that reach the template")
    func variablePaths() {
        #expect(ServerlessVariableChecker.reachesTemplate(["service"]))
        #expect(ServerlessVariableChecker.reachesTemplate(["functions", "${opt:prefix}-worker"]))
        #expect(ServerlessVariableChecker.reachesTemplate(["functions", "worker", "timeout"]))
        #expect(ServerlessVariableChecker.reachesTemplate(["resources", "Resources", "Queue", "Properties"]))
        #expect(ServerlessVariableChecker.reachesTemplate(["provider", "environment", "TABLE"]))
        #expect(!ServerlessVariableChecker.reachesTemplate(["functions", "worker", "vpc"]))
        #expect(!ServerlessVariableChecker.reachesTemplate(["provider", "stackName"]))
        #expect(!ServerlessVariableChecker.reachesTemplate(["custom", "batch"]))
        #expect(!ServerlessVariableChecker.reachesTemplate([]))
    }

    @Test("variable in an unread setting is no error")
    func variableOutsideTemplate() throws {
        let result = try compile("""
            {"service": "svc", "custom": {"note": "${opt:note}"},
             "functions": {"worker": {"handler": "h.worker", "events": [{"stream": "arn:aws:kinesis:us-east-1:123456789012:stream/orders"}]}}}
            """)
        #expect(result.template != nil)
        #expect(result.diagnostics == [])
    }

    @Test("dangling reference once with a suggestion")
    func danglingReferenceOnce() throws {
        let result = try compile("""
            {"service": "svc",
             "functions": {"worker": {"handler": "h.worker", "events": [{"stream": {"type": "dynamodb",
               "arn": {"Fn::GetAtt": ["OrdersTabel", "StreamArn"]}}}]}},
             "resources": {"Resources": {"OrdersTable": {"Type": "AWS::DynamoDB::Table"}}}}
            """)
        #expect(result.template == nil)
        #expect(result.diagnostics == [
            "3:26: error: `Fn::GetAtt` of `OrdersTabel` in `IamRoleLambdaExecution` names `OrdersTabel`, which is not a resource of this template",
        ])
        #expect(result.hints == ["did you mean `OrdersTable`? declare `OrdersTabel` under `resources.Resources`, or correct the name"])
    }

    @Test("uncompiled key warns once for all functions")
    func uncompiledKeyListsFunctions() throws {
        let stream = #"[{"stream": "arn:aws:kinesis:us-east-1:123456789012:stream/orders"}, {"http": {"method": "get"}}]"#
        let result = try compile("""
            {"service": "svc", "plugins": ["serverless-offline"],
             "functions": {"a": {"handler": "h.a", "vpc": {}, "events": \(stream)},
                           "b": {"handler": "h.b", "vpc": {}, "events": \(stream)},
                           "c": {"handler": "h.c", "vpc": {}}}}
            """)
        #expect(result.template != nil)
        #expect(result.diagnostics == [
            "1:20: warning: `plugins` is not applied to the CloudFormation template",
            "2:40: warning: `vpc` of functions `a`, `b` and `c` is not compiled into the CloudFormation template",
            "2:131: warning: the `http` events of functions `a` and `b` are not compiled into the CloudFormation template",
        ])
        #expect(result.hints.first == "slsx runs no plugins, so the resources and settings they add are missing; "
            + "compare with the output of `sls package`")
    }

    @Test("function lists name at most five")
    func describeFunctions() {
        #expect(TemplateAssembler.describeFunctions(["a"]) == "function `a`")
        #expect(TemplateAssembler.describeFunctions(["a", "b"]) == "functions `a` and `b`")
        #expect(TemplateAssembler.describeFunctions(["a", "b", "c", "d", "e", "f", "g"])
            == "functions `a`, `b`, `c`, `d`, `e` and 2 more")
    }

    @Test("versionFunctions publishes a version")
    func versionFunctions() throws {
        let events = #"[{"stream": "arn:aws:kinesis:us-east-1:123456789012:stream/orders"}]"#
        let versioned = try compile("""
            {"service": "svc", "provider": {"versionFunctions": true},
             "functions": {"worker": {"handler": "h.worker", "events": \(events)},
                           "other": {"handler": "h.other", "versionFunction": false}}}
            """)
        #expect(versioned.diagnostics == [])
        let resources = versioned.template?["Resources"]
        #expect(resources?["WorkerLambdaVersion"]?["Type"] == .string("AWS::Lambda::Version"))
        #expect(resources?["WorkerLambdaVersion"]?["Properties"]?["FunctionName"] == .mapping(["Ref": .string("WorkerLambdaFunction")]))
        #expect(resources?["OtherLambdaVersion"] == nil)
        #expect(versioned.template?["Outputs"]?["WorkerLambdaFunctionQualifiedArn"]?["Value"]
            == .mapping(["Ref": .string("WorkerLambdaVersion")]))
        #expect(versioned.template?["Outputs"]?["OtherLambdaFunctionQualifiedArn"] == nil)

        let plain = try compile(#"{"service": "svc", "functions": {"worker": {"handler": "h.worker", "events": \#(events)}}}"#)
        #expect(plain.template?["Resources"]?["WorkerLambdaVersion"] == nil)
    }

    @Test("deploymentBucket is the bucket default", arguments: [
        #""my-artifacts""#,
        #"{"name": "my-artifacts", "serverSideEncryption": "AES256"}"#,
    ])
    func deploymentBucketDefault(bucket: String) throws {
        let result = try compile("""
            {"service": "svc", "provider": {"deploymentBucket": \(bucket)},
             "functions": {"worker": {"handler": "h.worker"}}}
            """)
        #expect(result.diagnostics == [])
        #expect(result.template?["Parameters"]?["DeploymentBucketName"]?["Default"] == .string("my-artifacts"))
    }

    @Test("AT_TIMESTAMP without consumer keeps the timestamp")
    func timestampWithoutConsumer() throws {
        // The framework (v3 stream.js) writes StartingPositionTimestamp only for a Kinesis event with
        // a consumer. Without one, Lambda rejects the mapping, because AT_TIMESTAMP needs a timestamp.
        let result = try compile("""
            {"service": "svc", "functions": {"worker": {"handler": "h.worker", "events": [{"stream": {
               "arn": "arn:aws:kinesis:us-east-1:123456789012:stream/orders",
               "startingPosition": "AT_TIMESTAMP", "startingPositionTimestamp": 1700000000}}]}}}
            """)
        #expect(result.diagnostics == [])
        let properties = result.template?["Resources"]?["WorkerEventSourceMappingKinesisOrders"]?["Properties"]
        #expect(properties?["StartingPosition"] == .string("AT_TIMESTAMP"))
        #expect(properties?["StartingPositionTimestamp"] == .integer(1700000000))
    }

    @Test("decoder states when no variable can exist")
    func decoderStatesNoVariable() throws {
        let file = SourceFile(path: "svc.json", text: """
            {"service": "svc", "functions": {"worker": {"handler": "h.worker", "events": [{"stream":
             "arn:aws:kinesis:us-east-1:123456789012:stream/orders"}]}}}
            """)
        let document = try JSONReader.read(file)
        let stated = try #require(ServiceDecoder.decode(document, containsPlaceholderStart: false).service)
        let unknown = try #require(ServiceDecoder.decode(document).service)

        #expect(stated.mayContainServerlessVariables == false)
        #expect(unknown.mayContainServerlessVariables == true)
        #expect(Service().mayContainServerlessVariables == true)

        // Skipping the template search changes nothing in the template or the diagnostics.
        let skipped = CloudFormationCompiler().compile(stated)
        let searched = CloudFormationCompiler().compile(unknown)
        #expect(skipped.template != nil)
        #expect(skipped.template == searched.template)
        #expect(skipped.diagnostics.map(\.message) == searched.diagnostics.map(\.message))
    }

    @Test("service changed by hand is searched")
    func changedServiceSearched() throws {
        let file = SourceFile(path: "svc.json", text: """
            {"service": "svc", "functions": {"worker": {"handler": "h.worker"}}}
            """)
        var service = try #require(ServiceDecoder.decode(try JSONReader.read(file), containsPlaceholderStart: false).service)
        service.functions[0].handler = Located("${opt:handler}")
        service.mayContainServerlessVariables = true

        let result = CloudFormationCompiler().compile(service)
        #expect(result.template == nil)
        #expect(result.diagnostics.map(\.message) == [
            "the Serverless variable `${opt:handler}` cannot be resolved in CloudFormation output",
        ])
    }
}
