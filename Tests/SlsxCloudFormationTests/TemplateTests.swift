import SlsxModel
import SlsxSource
import Testing
@testable import SlsxCloudFormation

@Suite("Full templates and their checks")
struct TemplateTests {
    typealias T = TestSupport

    private func resourceIDs(_ template: Node?) -> [String] {
        template?["Resources"]?.mappingValue?.map(\.key) ?? []
    }

    @Test("sections and resource order")
    func sectionsAndOrder() {
        let service = T.service([
            T.function("first", [T.event(T.kinesisFoo), T.event(T.dynamoFoo)]),
            T.function("second", [T.event("arn:aws:kinesis:us-east-1:123456789012:stream/bar")]),
        ])
        let result = T.compile(service)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.template?.mappingValue?.map(\.key)
            == ["AWSTemplateFormatVersion", "Description", "Parameters", "Resources", "Outputs"])
        #expect(resourceIDs(result.template) == [
            "IamRoleLambdaExecution",
            "FirstLogGroup", "FirstLambdaFunction",
            "FirstEventSourceMappingKinesisFoo", "FirstEventSourceMappingDynamodbFoo",
            "SecondLogGroup", "SecondLambdaFunction", "SecondEventSourceMappingKinesisBar",
        ])
        #expect(result.template?["Parameters"]?.mappingValue?.map(\.key) == ["DeploymentBucketName", "CodeKey"])
        #expect(result.template?["Outputs"]?.mappingValue?.map(\.key) == ["FirstLambdaFunctionArn", "SecondLambdaFunctionArn"])
    }

    @Test("function resource")
    func functionResource() {
        let result = T.compile(T.service([T.function("first", [T.event(T.kinesisFoo)])]))
        let expected = T.json("""
        {"Type": "AWS::Lambda::Function",
         "Properties": {
           "Code": {"S3Bucket": {"Ref": "DeploymentBucketName"}, "S3Key": {"Ref": "CodeKey"}},
           "Handler": "handler.first", "Runtime": "nodejs24.x", "FunctionName": "new-service-dev-first",
           "MemorySize": 1024, "Timeout": 6, "Role": {"Fn::GetAtt": ["IamRoleLambdaExecution", "Arn"]}},
         "DependsOn": ["FirstLogGroup"]}
        """)
        let actual = result.template?["Resources"]?["FirstLambdaFunction"]
        #expect(actual.map { T.sameJSON($0, expected) } == true, "\(T.text(actual))")
        #expect(result.template?["Resources"]?["FirstLogGroup"]?["Properties"]?["LogGroupName"]
            == .string("/aws/lambda/new-service-dev-first"))
    }

    @Test("shared role log statements")
    func sharedRoleLogs() {
        let result = T.compile(T.service([T.function("first", [T.event(T.kinesisFoo)])]))
        let statements = result.template?["Resources"]?["IamRoleLambdaExecution"]?["Properties"]?["Policies"]?
            .sequenceValue?.first?["PolicyDocument"]?["Statement"]?.sequenceValue ?? []
        let expected = T.json("""
        [{"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:CreateLogGroup", "logs:TagResource"],
          "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/new-service-dev*:*"}]},
         {"Effect": "Allow", "Action": ["logs:PutLogEvents"],
          "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/new-service-dev*:*:*"}]}]
        """)
        #expect(T.sameJSON(.sequence(Array(statements.prefix(2))), expected))
        #expect(statements.count == 3)
    }

    @Test("custom function names get their own log statements")
    func customFunctionNameLogs() {
        let document = T.json(#"{"functions": {"first": {"handler": "handler.first", "name": "orders-indexer"}}}"#)
        let service = T.service([T.function("first", [T.event(T.kinesisFoo)]), T.function("second", [])], document: document)
        let result = T.compile(service)
        let statements = result.template?["Resources"]?["IamRoleLambdaExecution"]?["Properties"]?["Policies"]?
            .sequenceValue?.first?["PolicyDocument"]?["Statement"]?.sequenceValue ?? []
        let prefix = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/"
        #expect(statements.first?["Resource"] == .sequence([
            Intrinsics.sub(prefix + "orders-indexer:*"), Intrinsics.sub(prefix + "new-service-dev*:*"),
        ]))
        #expect(statements.dropFirst().first?["Resource"] == .sequence([
            Intrinsics.sub(prefix + "orders-indexer:*:*"), Intrinsics.sub(prefix + "new-service-dev*:*:*"),
        ]))
        #expect(result.template?["Resources"]?["FirstLogGroup"]?["Properties"]?["LogGroupName"] == .string("/aws/lambda/orders-indexer"))
    }

    @Test("provider role ARN creates no role")
    func providerRoleARN() {
        var provider = Provider()
        provider.role = Located(.arn("arn:aws:iam::123456789012:role/stream-reader"))
        let event = T.event("arn:aws:kinesis:us-east-1:123456789012:stream/audit") { $0.batchSize = Located(50) }
        let result = T.compile(T.service([T.function("reader", [event])], provider: provider))
        #expect(!resourceIDs(result.template).contains("IamRoleLambdaExecution"))
        // The framework writes `DependsOn: []`; a full template leaves the empty list out.
        #expect(result.template?["Resources"]?["ReaderEventSourceMappingKinesisAudit"] != nil)
        #expect(result.template?["Resources"]?["ReaderEventSourceMappingKinesisAudit"]?["DependsOn"] == nil)
        #expect(result.template?["Resources"]?["ReaderLambdaFunction"]?["Properties"]?["Role"]
            == .string("arn:aws:iam::123456789012:role/stream-reader"))
        #expect(!result.diagnostics.containsError)
        #expect(result.diagnostics.map(\.severity) == [.note])
    }

    @Test("function role logical ID")
    func functionRoleLogicalID() {
        let resources = T.json(#"{"Resources": {"RoleLogicalId": {"Type": "AWS::IAM::Role"}}}"#)
        let service = T.service([T.function("first", [T.event(T.dynamoFoo)], role: .logicalID("RoleLogicalId"))], resources: resources)
        let result = T.compile(service)
        #expect(result.template?["Resources"]?["FirstEventSourceMappingDynamodbFoo"]?["DependsOn"] == T.json(#"["RoleLogicalId"]"#))
        // `Role: {Fn::GetAtt: [RoleLogicalId, Arn]}` already orders the function after the role.
        #expect(result.template?["Resources"]?["FirstLambdaFunction"]?["DependsOn"] == T.json(#"["FirstLogGroup"]"#))
        #expect(!resourceIDs(result.template).contains("IamRoleLambdaExecution"))
    }

    @Test("per-function mode gives each function a role")
    func perFunctionMode() {
        let document = T.json(#"{"provider": {"iam": {"role": {"mode": "perFunction"}}}}"#)
        let service = T.service([T.function("one", [T.event(T.dynamoFoo)])], document: document)
        let result = T.compile(service)
        #expect(resourceIDs(result.template).contains("OneIamRoleLambdaExecution"))
        #expect(!resourceIDs(result.template).contains("IamRoleLambdaExecution"))
        let esm = result.template?["Resources"]?["OneEventSourceMappingDynamodbFoo"]
        #expect(esm?["DependsOn"] == .string("OneIamRoleLambdaExecution"))
        let statements = result.template?["Resources"]?["OneIamRoleLambdaExecution"]?["Properties"]?["Policies"]?
            .sequenceValue?.first?["PolicyDocument"]?["Statement"]?.sequenceValue ?? []
        #expect(statements.count == 2)
        #expect(statements.last?["Resource"] == .sequence([.string(T.dynamoFoo)]))
    }

    @Test("two events with one logical ID")
    func duplicateLogicalID() {
        let file = SourceFile(path: "svc.slsx", text: "stream a\nstream b\n")
        let first = T.event("arn:aws:kinesis:us-east-1:123456789012:stream/my-stream") {
            $0.span = SourceSpan(file: file, start: 0, end: 8)
        }
        let second = T.event("arn:aws:kinesis:us-east-1:123456789012:stream/my_stream") {
            $0.span = SourceSpan(file: file, start: 9, end: 17)
        }
        let result = T.compile(T.service([T.function("first", [first, second])]))
        #expect(result.template == nil)
        let error = result.diagnostics.first { $0.severity == .error }
        #expect(error?.message == "two event source mappings get the logical ID `FirstEventSourceMappingKinesisMystream`")
        #expect(error?.span?.start == 9)
        #expect(error?.notes.first?.span?.start == 0)
    }

    @Test("two functions with one logical name clash once")
    func functionNameClashReportedOnce() {
        // `a-b` and `aDashb` both become `ADashb`: the log group, the function and the mapping of
        // the shared stream clash, and that is one error.
        let stream = "arn:aws:kinesis:us-east-1:123456789012:stream/s"
        let result = T.compile(T.service([T.function("a-b", [T.event(stream)]), T.function("aDashb", [T.event(stream)])]))
        let errors = result.diagnostics.filter { $0.severity == .error }

        #expect(result.template == nil)
        #expect(errors.map(\.message) == ["two log groups get the logical ID `ADashbLogGroup`"])
        #expect(errors.first?.hint == "CloudFormation keeps only one resource per ID, so one of them would be lost; "
            + "rename one so that the names still differ when the first letter is upper-cased, `-` is spelled `Dash` and `_` `Underscore` (function names), or symbols are dropped (stream names)")
        #expect(errors.first?.notes.map(\.message) == [
            "the first one was declared here",
            "functions `a-b` and `aDashb` get one name in logical IDs, so their other resources would clash too; this is reported once",
        ])
    }

    @Test("dangling references are errors")
    func danglingReferences() {
        let event = T.event(intrinsic: #"{"Fn::GetAtt": ["MissingStream", "Arn"]}"#, type: .kinesis)
        let result = T.compile(T.service([T.function("first", [event], role: .logicalID("MissingRole"))]))
        let messages = result.diagnostics.filter { $0.severity == .error }.map(\.message)
        #expect(messages == [
            "`Fn::GetAtt` of `MissingRole` in `FirstLambdaFunction` names `MissingRole`, which is not a resource of this template",
            "`Fn::GetAtt` of `MissingStream` in `FirstEventSourceMappingKinesisMissingStream` names `MissingStream`, which is not a resource of this template",
        ])
    }

    @Test("repeated references keep missing names")
    func repeatedReferences() {
        // The checker remembers the last resource names it found. References that alternate
        // between found names must still report each missing one.
        func resource(dependsOn: [String]?, _ properties: KeyValuePairs<String, Node>) -> Node {
            var entries = [Node.Entry("Type", .string("AWS::SQS::Queue"))]
            if let dependsOn { entries.append(Node.Entry("DependsOn", .sequence(dependsOn.map { .string($0) }))) }
            entries.append(Node.Entry("Properties", .mapping(properties)))
            return .mapping(entries)
        }
        let getAtt = { (name: String) in Node.mapping(["Fn::GetAtt": .sequence([.string(name), .string("Arn")])]) }
        var table = ResourceTable()
        table.add(ResourceTable.Resource(
            logicalID: "Alpha", body: resource(dependsOn: nil, ["A": Intrinsics.ref("Beta"), "B": getAtt("Beta")]),
            span: nil, function: nil, kind: "queue"))
        table.add(ResourceTable.Resource(
            logicalID: "Beta", body: resource(dependsOn: ["Alpha"], ["A": Intrinsics.ref("Alpha"), "B": Intrinsics.ref("Gamma")]),
            span: nil, function: nil, kind: "queue"))
        table.add(ResourceTable.Resource(
            logicalID: "Delta",
            body: resource(dependsOn: ["Alpha", "Beta", "Epsilon"], ["A": getAtt("Alpha"), "B": .mapping(["Fn::Sub": .string("${Beta}-${Alpha.Arn}-${Zeta}")])]),
            span: nil, function: nil, kind: "queue"))
        let checker = TemplateReferenceChecker(resourceIDs: table.logicalIDs, parameterIDs: [])

        let messages = checker.check(.mapping(["Resources": table.node])).map(\.message)

        #expect(messages == [
            "`Ref: Gamma` in `Beta` names `Gamma`, which is not a resource or parameter of this template",
            "`DependsOn` of `Delta` names `Epsilon`, which is not a resource of this template",
            "`${Zeta}` in an `Fn::Sub` of `Delta` names `Zeta`, which is not a resource or parameter of this template",
        ])
    }

    @Test("reference check in runs matches one pass")
    func referenceCheckInRuns() {
        // 300 resources, over `minimumSharedCount`, so the runs are checked on two threads. Every
        // 37th resource names a missing `Ghost`, and every 50th a missing resource of its own, so
        // errors sit in several runs and `onePerName` must see them across runs.
        var table = ResourceTable()
        for index in 0..<300 {
            var properties: [Node.Entry] = [Node.Entry("Next", Intrinsics.ref("Queue\((index + 1) % 300)"))]
            if index % 37 == 0 { properties.append(Node.Entry("Ghost", Intrinsics.ref("Ghost"))) }
            if index % 50 == 0 { properties.append(Node.Entry("Missing", Intrinsics.ref("Missing\(index)"))) }
            table.add(ResourceTable.Resource(
                logicalID: "Queue\(index)",
                body: .mapping([Node.Entry("Type", .string("AWS::SQS::Queue")), Node.Entry("Properties", .mapping(properties))]),
                span: nil, function: nil, kind: "queue"))
        }
        let template = Node.mapping([
            "Resources": table.node,
            "Outputs": .mapping(["Out": .mapping(["Value": Intrinsics.ref("Nowhere")])]),
        ])
        let checker = TemplateReferenceChecker(resourceIDs: table.logicalIDs, parameterIDs: [])

        let onePass = checker.check(template).map(\.message)
        let (inRuns, extra) = checker.check(template, alongside: { "alongside" })

        #expect(inRuns.map(\.message) == onePass)
        #expect(extra == "alongside")
        #expect(onePass == [
            "`Ref: Ghost` in `Queue0` names `Ghost`, which is not a resource or parameter of this template",
            "`Ref: Missing0` in `Queue0` names `Missing0`, which is not a resource or parameter of this template",
            "`Ref: Missing50` in `Queue50` names `Missing50`, which is not a resource or parameter of this template",
            "`Ref: Missing100` in `Queue100` names `Missing100`, which is not a resource or parameter of this template",
            "`Ref: Missing150` in `Queue150` names `Missing150`, which is not a resource or parameter of this template",
            "`Ref: Missing200` in `Queue200` names `Missing200`, which is not a resource or parameter of this template",
            "`Ref: Missing250` in `Queue250` names `Missing250`, which is not a resource or parameter of this template",
            "`Ref: Nowhere` in `Out` names `Nowhere`, which is not a resource or parameter of this template",
        ])
    }

    @Test("Fn::Sub variables are checked")
    func substitutionNames() {
        #expect(TemplateReferenceChecker.substitutionNames(in: "arn:${AWS::Partition}:x:${Bucket.Arn}/${!Literal}/${Param}")
            == ["AWS::Partition", "Bucket", "Param"])
        // Serverless variables are reported, with their place, by the variable check instead.
        #expect(TemplateReferenceChecker.substitutionNames(in: "/aws/lambda/${sls:stage}-f/${opt:region, 'us-east-1'}/${Param}")
            == ["Param"])
    }

    @Test("serverless variables are errors", arguments: [
        ("${opt:stage}", "${opt:stage}"),
        ("orders-${self:provider.stage}", "${self:provider.stage}"),
        ("${ssm:/prod/stream}", "${ssm:/prod/stream}"),
        ("${file(./x.yml):arn}", "${file(./x.yml):arn}"),
        ("${aws:accountId}", "${aws:accountId}"),
    ])
    func serverlessVariables(value: String, variable: String) {
        #expect(ServerlessVariableChecker.firstVariable(in: value) == variable)
        let event = T.event("arn:aws:kinesis:us-east-1:123456789012:stream/\(value)")
        let result = T.compile(T.service([T.function("first", [event])]))
        #expect(result.diagnostics.contains {
            $0.message == "the Serverless variable `\(variable)` cannot be resolved in CloudFormation output"
        })
    }

    @Test("serverless variable reported once at its span")
    func serverlessVariableOnce() {
        let file = SourceFile(path: "svc.slsx", text: "arn: \"...\"\n")
        var event = T.event("arn:aws:kinesis:us-east-1:123456789012:stream/${opt:stage}-orders")
        event.arn.span = SourceSpan(file: file, start: 5, end: 12)
        let result = T.compile(T.service([T.function("first", [event])]))
        let variableErrors = result.diagnostics.filter { $0.message.contains("${opt:stage}") }
        #expect(variableErrors.count == 1)
        #expect(variableErrors.first?.span?.start == 5)
    }

    @Test("Fn::Sub variables are not serverless variables")
    func subVariablesAllowed() {
        #expect(ServerlessVariableChecker.firstVariable(in: "arn:${AWS::Partition}:logs:${AWS::Region}:${MyBucket}") == nil)
    }

    @Test("resource count over the limit")
    func resourceCountOverLimit() {
        let functions = (1...90).map { index in
            T.function("f\(index)", (1...4).map { stream in
                T.event("arn:aws:kinesis:us-east-1:123456789012:stream/s\(stream)")
            })
        }
        let result = T.compile(T.service(functions))
        #expect(result.template == nil)
        let error = result.diagnostics.first { $0.severity == .error }
        #expect(error?.message == "the template has 541 resources; CloudFormation allows at most 500 in one stack")
        #expect(error?.notes.map(\.message) == [
            "f1, f2, … f90: 90 functions × 6 resources (log group, function, 4 event source mappings) = 540",
            "shared resources such as the execution role: 1",
        ])
    }

    @Test("resource count groups mixed functions")
    func resourceCountGroupsMixedFunctions() {
        // Functions with 4 and with 2 streams alternate, so each group's members are not adjacent.
        let functions = (1...100).map { index in
            T.function("f\(index)", (1...(index % 2 == 0 ? 4 : 2)).map { stream in
                T.event("arn:aws:kinesis:us-east-1:123456789012:stream/s\(stream)")
            })
        }
        let result = T.compile(T.service(functions))
        let error = result.diagnostics.first { $0.severity == .error }
        #expect(error?.message == "the template has 501 resources; CloudFormation allows at most 500 in one stack")
        #expect(error?.notes.map(\.message) == [
            "f2, f4, … f100: 50 functions × 6 resources (log group, function, 4 event source mappings) = 300",
            "f1, f3, … f99: 50 functions × 4 resources (log group, function, 2 event source mappings) = 200",
            "shared resources such as the execution role: 1",
        ])
    }

    @Test("resource count near the limit warns")
    func resourceCountWarning() {
        let functions = (1...75).map { index in
            T.function("f\(index)", (1...4).map { stream in
                T.event("arn:aws:kinesis:us-east-1:123456789012:stream/s\(stream)")
            })
        }
        let result = T.compile(T.service(functions))
        #expect(result.template != nil)
        #expect(result.diagnostics.map(\.message) == [
            "the template has 451 resources, close to CloudFormation's limit of 500 in one stack",
            "the shared execution role's policy would have about 26032 characters in the framework's layout, "
                + "more than IAM's 10240, so statements with the same actions are merged",
        ])
    }

    @Test("template size limits", arguments: [
        (51_200, nil),
        (51_201, Diagnostic.Severity.warning),
        (1_000_000, Diagnostic.Severity.warning),
        (1_000_001, Diagnostic.Severity.error),
    ])
    func templateSize(bytes: Int, severity: Diagnostic.Severity?) {
        #expect(TemplateLimits.checkTemplateSize(byteCount: bytes).first?.severity == severity)
    }

    @Test("script resources merge into compiled ones")
    func scriptResourcesMerge() {
        let resources = T.json("""
        {"Resources": {"FirstLambdaFunction": {"Properties": {"MemorySize": 256}},
                       "Extra": {"Type": "AWS::SQS::Queue"}},
         "Outputs": {"ExtraUrl": {"Value": {"Ref": "Extra"}}}}
        """)
        let result = T.compile(T.service([T.function("first", [T.event(T.kinesisFoo)])], resources: resources))
        #expect(result.template?["Resources"]?["FirstLambdaFunction"]?["Properties"]?["MemorySize"] == .integer(256))
        #expect(result.template?["Resources"]?["FirstLambdaFunction"]?["Properties"]?["Handler"] == .string("handler.first"))
        #expect(resourceIDs(result.template).last == "Extra")
        #expect(result.template?["Outputs"]?.mappingValue?.map(\.key) == ["FirstLambdaFunctionArn", "ExtraUrl"])
    }

    @Test("script resource cannot change a compiled Type")
    func scriptResourceTypeChange() {
        // The same `Type` merges as before; another one would keep the log group's properties.
        let resources = T.json("""
        {"Resources": {"FirstLogGroup": {"Type": "AWS::SQS::Queue"},
                       "FirstLambdaFunction": {"Type": "AWS::Lambda::Function", "Properties": {"MemorySize": 256}}}}
        """)
        let result = T.compile(T.service([T.function("first", [T.event(T.kinesisFoo)])], resources: resources))
        #expect(result.template == nil)
        #expect(result.diagnostics.map(\.message) == [
            "`FirstLogGroup` is the logical ID of the log group of function `first` (`AWS::Logs::LogGroup`), "
                + "so the script cannot change its `Type` to `AWS::SQS::Queue`",
        ])
        #expect(result.diagnostics.first?.hint
            == "leave out `Type` to change the compiled resource's properties, or give this resource a logical ID of its own")
    }

    @Test("uncompiled function keys and events warn")
    func uncompiledWarnings() {
        var function = T.function("first", [T.event(T.kinesisFoo)])
        function.events.append(.other(Node.Entry("http", T.json(#"{"method": "get"}"#))))
        let document = T.json(#"{"functions": {"first": {"handler": "handler.first", "vpc": {"subnetIds": []}}}}"#)
        let result = T.compile(T.service([function], document: document))
        #expect(result.diagnostics.map(\.message) == [
            "`vpc` of function `first` is not compiled into the CloudFormation template",
            "the `http` event of function `first` is not compiled into the CloudFormation template",
        ])
    }

    @Test("invalid logical IDs are errors")
    func invalidLogicalIDs() {
        let result = T.compile(T.service([T.function("my.func", [T.event(T.kinesisFoo)])]))
        #expect(result.template == nil)
        #expect(result.diagnostics.map(\.message).first
            == "the logical ID `My.funcLogGroup` is not 1 to 255 letters and digits, as CloudFormation requires")
    }

    @Test("consumer IDs drop dots")
    func consumerIDDropsDots() {
        let event = T.event("arn:aws:kinesis:us-east-1:123456789012:stream/my.stream") { $0.consumer = Located(.enabled(true)) }
        let result = T.compile(T.service([T.function("first", [event])]))
        let consumer = result.template?["Resources"]?["FirstmystreamConsumerStreamConsumer"]
        #expect(consumer?["Properties"]?["ConsumerName"] == .string("firstmy.streamConsumer"))
        #expect(!result.diagnostics.containsError, "\(result.diagnostics)")
    }

    @Test("Fn::Sub ARN gives the name after the first slash")
    func subARN() {
        let event = T.event(intrinsic: #"{"Fn::Sub": "arn:aws:kinesis:${AWS::Region}:${AWS::AccountId}:stream/s1"}"#, type: .kinesis)
        let result = T.compile(T.service([T.function("first", [event])]))
        #expect(result.template?["Resources"]?["FirstEventSourceMappingKinesisS1"]?["Properties"]?["EventSourceArn"]
            == T.json(#"{"Fn::Sub": "arn:aws:kinesis:${AWS::Region}:${AWS::AccountId}:stream/s1"}"#))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    }

    @Test("Fn::Join ending in a Ref is an error")
    func joinEndingInRef() {
        let event = T.event(
            intrinsic: #"{"Fn::Join": ["/", ["arn:aws:kinesis:us-east-1:123456789012:stream", {"Ref": "StreamNameParam"}]]}"#,
            type: .kinesis
        )
        let result = T.compile(T.service([T.function("first", [event])]))
        #expect(result.template == nil)
        #expect(result.diagnostics.map(\.message)
            == ["cannot derive a stream name from `arn`, because the last element of its `Fn::Join` is not literal text"])
    }

    @Test("function settings from the document")
    func functionSettings() {
        let document = T.json("""
        {"provider": {"environment": {"A": "provider", "B": "provider"}, "tags": {"team": "t"},
                      "logRetentionInDays": 14, "architecture": "arm64"},
         "functions": {"first": {"handler": "handler.first", "environment": {"B": "function"},
                                 "tags": {"cost": "c"}, "reservedConcurrency": 3}}}
        """)
        let result = T.compile(T.service([T.function("first", [T.event(T.kinesisFoo)])], document: document))
        let properties = result.template?["Resources"]?["FirstLambdaFunction"]?["Properties"]
        #expect(properties?["Environment"] == T.json(#"{"Variables": {"A": "provider", "B": "function"}}"#))
        #expect(properties?["Tags"] == T.json(#"[{"Key": "team", "Value": "t"}, {"Key": "cost", "Value": "c"}]"#))
        #expect(properties?["Architectures"] == T.json(#"["arm64"]"#))
        #expect(properties?["ReservedConcurrentExecutions"] == .integer(3))
        #expect(result.template?["Resources"]?["FirstLogGroup"]?["Properties"]?["RetentionInDays"] == .integer(14))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    }

    @Test("shared role settings from the document")
    func sharedRoleSettings() {
        let document = T.json("""
        {"provider": {"iam": {"role": {"name": "custom-role", "path": "/svc/",
           "managedPolicies": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
           "permissionsBoundary": "arn:aws:iam::123456789012:policy/boundary", "tags": {"team": "t"}}}}}
        """)
        let result = T.compile(T.service([T.function("first", [T.event(T.kinesisFoo)])], document: document))
        let properties = result.template?["Resources"]?["IamRoleLambdaExecution"]?["Properties"]
        #expect(properties?["RoleName"] == .string("custom-role"))
        #expect(properties?["Path"] == .string("/svc/"))
        #expect(properties?["ManagedPolicyArns"] == T.json(#"["arn:aws:iam::aws:policy/ReadOnlyAccess"]"#))
        #expect(properties?["PermissionsBoundary"] == .string("arn:aws:iam::123456789012:policy/boundary"))
        #expect(properties?["Tags"] == T.json(#"[{"Key": "team", "Value": "t"}]"#))
    }

    @Test("uncompiled provider keys warn")
    func uncompiledProviderKeys() {
        let document = T.json(#"{"provider": {"name": "aws", "vpc": {"subnetIds": []}, "stackName": "s"}}"#)
        let result = T.compile(T.service([T.function("first", [T.event(T.kinesisFoo)])], document: document))
        #expect(result.diagnostics.map(\.message) == ["`provider.vpc` is not compiled into the CloudFormation template"])
    }

    @Test("deeply nested resources do not crash")
    func deepNesting() {
        var value = Node.string("leaf")
        for _ in 0..<2_000 { value = .mapping([Node.Entry("Fn::Join", .sequence([.string(""), .sequence([value])]))]) }
        let resources = Node.mapping([
            "Resources": .mapping([
                "FirstLambdaFunction": .mapping(["Properties": .mapping(["Description": value])]),
                "Deep": .mapping(["Type": .string("AWS::SQS::Queue"), "Properties": .mapping(["QueueName": value])]),
            ]),
        ])
        let result = T.compile(T.service([T.function("first", [T.event(T.kinesisFoo)])], resources: resources))
        #expect(result.template != nil, "\(result.diagnostics.map(\.message))")
    }

    @Test("over-long names are errors")
    func overLongNames() {
        let longName = String(repeating: "f", count: 60)
        let result = T.compile(T.service([T.function(longName, [T.event(T.kinesisFoo)])]))
        let messages = result.diagnostics.map(\.message)
        #expect(messages.contains(
            "the Lambda function name `new-service-dev-\(longName)` has 76 characters; Lambda allows at most 64"
        ))
        var provider = Provider()
        provider.stage = Located(String(repeating: "s", count: 40))
        let roleResult = T.compile(T.service([T.function("first", [T.event(T.kinesisFoo)])], provider: provider))
        #expect(roleResult.diagnostics.contains { $0.message.hasPrefix("the execution role name `new-service-") })
        #expect(roleResult.diagnostics.contains { $0.message.hasSuffix("has 73 characters; IAM allows at most 64") })
    }

    @Test("unknown resources section is an error")
    func unknownResourcesSection() {
        let resources = T.json(#"{"Resource": {"Extra": {"Type": "AWS::SQS::Queue"}}}"#)
        let result = T.compile(T.service([T.function("first", [T.event(T.kinesisFoo)])], resources: resources))
        #expect(result.template == nil)
        #expect(result.diagnostics.map(\.message) == ["`resources` has the unknown template section `Resource`"])
    }

    @Test("resources of another kind names it with its article")
    func resourcesOfAnotherKind() {
        let result = T.compile(T.service([T.function("first", [T.event(T.kinesisFoo)])], resources: T.json("[5]")))
        #expect(result.template == nil)
        #expect(result.diagnostics.map(\.message) == ["`resources` must be a map of template sections such as `Resources`, not an integer"])
    }

    @Test("script sections reach the template")
    func scriptSections() {
        let resources = T.json("""
        {"Description": "Orders", "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}},
         "Parameters": {"Stage": {"Type": "String"}}}
        """)
        let result = T.compile(T.service([T.function("first", [T.event(T.kinesisFoo)])], resources: resources))
        #expect(result.template?.mappingValue?.map(\.key)
            == ["AWSTemplateFormatVersion", "Description", "Parameters", "Conditions", "Resources", "Outputs"])
        #expect(result.template?["Description"] == .string("Orders"))
        #expect(result.template?["Parameters"]?.mappingValue?.map(\.key) == ["DeploymentBucketName", "CodeKey", "Stage"])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    }

    @Test("stream fragment mode")
    func streamFragment() {
        let result = T.compile(T.service([T.function("first", [T.event(T.kinesisFoo)])]), mode: .streamResourcesOnly)
        #expect(result.template?.mappingValue?.map(\.key) == ["Resources", "IamRoleStatements"])
        #expect(resourceIDs(result.template) == ["FirstEventSourceMappingKinesisFoo"])
        #expect(result.template?["IamRoleStatements"]?.sequenceValue?.count == 1)
    }
}
