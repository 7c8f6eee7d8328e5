import SlsxModel
import SlsxSource
import Testing
@testable import SlsxCloudFormation

/// The resource table and the template checks that `TemplateAssembler` runs on two threads: the
/// diagnostics keep the order of the stages, and the roles measured beside the checks are the ones
/// a fresh measurement of the finished template gives.
@Suite("Template assembly")
struct AssemblyTests {
    typealias T = TestSupport

    private static func resource(_ id: String, kind: String = "execution role", span: SourceSpan? = nil) -> ResourceTable.Resource {
        ResourceTable.Resource(logicalID: id, body: .mapping(["Type": .string("AWS::SQS::Queue")]), span: span, function: nil, kind: kind)
    }

    @Test("table keeps first of clashing IDs")
    func tableKeepsFirstOfClashingIDs() {
        let file = SourceFile(path: "svc.slsx", text: "first\nsecond\n")
        let resources = [
            Self.resource("Queue", span: SourceSpan(file: file, start: 0, end: 5)),
            Self.resource("bad-id"),
            Self.resource("Queue", span: SourceSpan(file: file, start: 6, end: 12)),
            Self.resource("Last", kind: "script resource"),
        ]
        var table = ResourceTable()
        var diagnostics: [Diagnostic] = []
        table.add(resources, in: 1..<4, diagnostics: &diagnostics)
        table.add(resources, in: 0..<1, diagnostics: &diagnostics)

        #expect(table.entries.map(\.key) == ["bad-id", "Queue", "Last"])
        #expect(table.origins.map(\.kind) == ["execution role", "execution role", "script resource"])
        #expect(table.invalidLogicalIDIndexes == [0])
        #expect(table.node.mappingValue?.map(\.key) == ["bad-id", "Queue", "Last"])
        #expect(diagnostics.map(\.message) == ["two execution roles get the logical ID `Queue`"])
        #expect(diagnostics.first?.span?.start == 0)
        #expect(diagnostics.first?.notes.first?.span?.start == 6)
    }

    @Test("parts kept until exit give the same template", arguments: [
        (100, CloudFormationCompiler.RoleLayout.automatic, 301, "IamRoleLambdaExecution"),
        // Too many streams for the shared role's policy: the compiler tries compacted statements,
        // then a role per function, and keeps only the parts of the layout it returns.
        (400, .automatic, 1_600, "Worker99IamRoleLambdaExecution"),
        (100, .perFunction, 400, "Worker99IamRoleLambdaExecution"),
    ])
    func partsKeptUntilExitGiveSameTemplate(
        functionCount: Int, roleLayout: CloudFormationCompiler.RoleLayout, resourceCount: Int, roleID: String
    ) throws {
        // Enough functions for the two-thread paths of the compiler and the assembler.
        let functions = (0..<functionCount).map { index in
            T.function("worker\(index)", [T.event("arn:aws:kinesis:us-east-1:123456789012:stream/orders-\(index)")])
        }
        let service = T.service(functions)
        var freeing = CloudFormationCompiler.Options(enforcesStackLimits: false)
        freeing.roleLayout = roleLayout
        var keeping = freeing
        keeping.keepsPartsUntilExit = true
        let withFreedParts = CloudFormationCompiler(options: freeing).compile(service)
        let withKeptParts = CloudFormationCompiler(options: keeping).compile(service)

        let template = try #require(withFreedParts.template)
        #expect(withKeptParts.template == template)
        #expect(withKeptParts.diagnostics.map(\.message) == withFreedParts.diagnostics.map(\.message))
        #expect(template["Resources"]?.mappingValue?.count == resourceCount)
        #expect(template["Resources"]?[roleID]?["Type"] == .string("AWS::IAM::Role"))
        #expect(template["Resources"]?["Worker99EventSourceMappingKinesisOrders99"]?["Type"] == .string("AWS::Lambda::EventSourceMapping"))
    }

    @Test("diagnostics keep the stages' order")
    func diagnosticsKeepOrder() {
        var invalid = T.function("my.func", [T.event(T.kinesisFoo)], role: .logicalID("MissingRole"))
        invalid.events.append(.other(Node.Entry("http", T.json(#"{"method": "get"}"#))))
        let variable = T.function("second", [T.event("arn:aws:kinesis:us-east-1:123456789012:stream/${opt:stage}")])
        let result = T.compile(T.service([invalid, variable]))

        #expect(result.template == nil)
        #expect(result.diagnostics.map(\.message) == [
            "the `http` event of function `my.func` is not compiled into the CloudFormation template",
            "function `my.func` runs with a role the script names, so slsx adds no stream permissions to it",
            "the logical ID `My.funcLogGroup` is not 1 to 255 letters and digits, as CloudFormation requires",
            "the logical ID `My.funcLambdaFunction` is not 1 to 255 letters and digits, as CloudFormation requires",
            "the logical ID `My.funcEventSourceMappingKinesisFoo` is not 1 to 255 letters and digits, as CloudFormation requires",
            "`Fn::GetAtt` of `MissingRole` in `My.funcLambdaFunction` names `MissingRole`, which is not a resource of this template",
            "the Serverless variable `${opt:stage}` cannot be resolved in CloudFormation output",
        ])
    }

    @Test("script parts of compiled resources checked")
    func scriptPartsOfCompiledResourcesChecked() {
        // The reference check walks only these parts of compiled resources, not their whole bodies.
        // Each missing name is in a different part: a tag, an environment variable, the stream's
        // and the destination's ARN, a consumer's ARN and a role the script names.
        let worker = T.function("worker", [
            T.event(intrinsic: #"{"Fn::GetAtt": ["MissingStream", "Arn"]}"#, type: .kinesis) { event in
                event.onFailure = Located(FailureDestination(
                    arn: .intrinsic(T.json(#"{"Fn::GetAtt": ["MissingQueue", "Arn"]}"#)), type: .sqs))
            },
            T.event(T.kinesisFoo) { event in
                event.consumer = Located(.arn(.intrinsic(T.json(#"{"Ref": "MissingConsumer"}"#))))
            },
        ], role: .arn("arn:aws:iam::123456789012:role/worker"))
        let other = T.function("other", [T.event(T.dynamoFoo)], role: .logicalID("MissingRole"))
        let document = T.json("""
            {"functions": {"worker": {"tags": {"team": {"Ref": "MissingTag"}},
              "environment": {"Ref": "MissingVariable"}}}}
            """)
        let result = T.compile(T.service([worker, other], document: document))

        // Both functions run with roles the script names, so no role statement names the streams
        // or the queue: each name appears only in its own part.
        #expect(FrameworkCaseTests.missingNames(in: result.diagnostics) == [
            "MissingTag", "MissingVariable", "MissingStream", "MissingQueue", "MissingConsumer", "MissingRole",
        ])
        // Each name is reported in the compiled resource that contains its part.
        let owners = result.diagnostics.map(\.message).filter { $0.contains("in `Worker") }
        #expect(owners == [
            "`Ref: MissingTag` in `WorkerLambdaFunction` names `MissingTag`, which is not a resource or parameter of this template",
            "`Ref: MissingVariable` in `WorkerLambdaFunction` names `MissingVariable`, which is not a resource or parameter of this template",
            "`Fn::GetAtt` of `MissingStream` in `WorkerEventSourceMappingKinesisMissingStream` names `MissingStream`, which is not a resource of this template",
            "`Fn::GetAtt` of `MissingQueue` in `WorkerEventSourceMappingKinesisMissingStream` names `MissingQueue`, which is not a resource of this template",
            "`Ref: MissingConsumer` in `WorkerEventSourceMappingKinesisFoo` names `MissingConsumer`, which is not a resource or parameter of this template",
        ])
    }

    @Test("merged and script outputs checked")
    func mergedAndScriptOutputsChecked() {
        // The reference check skips the outputs the compiler made, but not one the script merged
        // into, nor the script's own.
        let resources = T.json("""
            {"Outputs": {
              "WorkerLambdaFunctionArn": {"Export": {"Name": {"Fn::Sub": "${MissingMerged}-arn"}}},
              "Extra": {"Value": {"Ref": "MissingExtra"}}}}
            """)
        let result = T.compile(T.service([T.function("worker", [T.event(T.kinesisFoo)])], resources: resources))

        #expect(FrameworkCaseTests.missingNames(in: result.diagnostics) == ["MissingMerged", "MissingExtra"])
    }

    @Test("limit report matches a fresh measurement")
    func limitReportMatchesFreshMeasurement() throws {
        let functions = (1...3).map { index in T.function("f\(index)", [T.event(T.kinesisFoo), T.event(T.dynamoFoo)]) }
        let compiler = CloudFormationCompiler(options: .init())
        let result = compiler.compileWithLimitReport(T.service(functions))
        let template = try #require(result.template)
        let report = try #require(result.limitReport)

        #expect(report == LimitReport.measure(template, bodyBytes: nil, region: "us-east-1"))
        #expect(report.rows.map(\.name) == [
            "resources", "outputs", "parameters", "role policy characters", "role statements", "role managed policies",
        ])
        #expect(report.rows.map(\.measured) == [13, 3, 2, 1_627, 8, 0])
        #expect(report.rows[3].detail == "IamRoleLambdaExecution")
    }

    @Test("script policy on shared role measured again")
    func scriptPolicyOnSharedRoleMeasuredAgain() throws {
        // The assembler measures the shared role while it builds the table. A script that merges
        // into the role changes its policies afterwards, so the report measures the role again.
        let resources = T.json("""
        {"Resources": {"IamRoleLambdaExecution": {"Properties": {"Policies": [{"PolicyName": "p", "PolicyDocument":
            {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}}]}}}}
        """)
        let compiler = CloudFormationCompiler(options: .init())
        let result = compiler.compileWithLimitReport(T.service([T.function("first", [T.event(T.kinesisFoo)])], resources: resources))
        let template = try #require(result.template)
        let report = try #require(result.limitReport)
        let expected = #"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#

        #expect(report == LimitReport.measure(template, bodyBytes: nil, region: "us-east-1"))
        #expect(report.rows[3].name == "role policy characters")
        #expect(report.rows[3].measured == expected.count)
    }

    @Test("shared role of another type is an error")
    func sharedRoleOfAnotherType() {
        // The script turns the shared role into another type, which would keep the role's
        // properties under the new type. The assembler still measures the role it built.
        let functions = (1...75).map { index in
            T.function("f\(index)", (1...4).map { stream in
                T.event("arn:aws:kinesis:us-east-1:123456789012:stream/s\(stream)")
            })
        }
        let resources = T.json(#"{"Resources": {"IamRoleLambdaExecution": {"Type": "AWS::IAM::ManagedPolicy"}}}"#)
        let result = T.compile(T.service(functions, resources: resources))

        #expect(result.template == nil)
        #expect(result.diagnostics.map(\.message) == [
            "`IamRoleLambdaExecution` is the logical ID of the execution role (`AWS::IAM::Role`), "
                + "so the script cannot change its `Type` to `AWS::IAM::ManagedPolicy`",
            "the template has 451 resources, close to CloudFormation's limit of 500 in one stack",
            "the shared execution role's policy would have about 26032 characters in the framework's layout, "
                + "more than IAM's 10240, so statements with the same actions are merged",
        ])
    }
}
