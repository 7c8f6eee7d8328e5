import Foundation
import SlsxModel
import SlsxSource
import Testing
@testable import SlsxCloudFormation

/// Splitting a service into a root template and nested stacks of whole functions.
@Suite("Nested stacks")
struct StackSplitTests {
    typealias T = TestSupport

    static func functions(_ names: [String], bindings: Int = 5) -> [Function] {
        names.map { name in
            T.function(name, (0..<bindings).map {
                T.event("arn:aws:kinesis:us-east-1:123456789012:stream/\(name)-\($0)")
            })
        }
    }

    static func names(_ count: Int) -> [String] { (0..<count).map { "worker\($0)" } }

    static func split(
        _ service: Service, stackCount: Int? = nil, previousStackCount: Int? = nil
    ) -> (output: StackSplitter.Output?, diagnostics: [Diagnostic]) {
        CloudFormationCompiler().compileSplit(
            service, stackCount: stackCount, previousStackCount: previousStackCount, fileExtension: "json"
        ) { node in
            (try? JSONWriter().write(node))?.utf8.count ?? Int.max
        }
    }

    /// The nested stack of every function, read from the mappings' stacks.
    static func stackOfFunction(_ output: StackSplitter.Output?) -> [String: String] {
        var stacks: [String: String] = [:]
        for stack in output?.stacks ?? [] {
            for entry in stack.template["Resources"]?.mappingValue ?? [] where entry.value["Type"]?.stringValue == "AWS::Lambda::Function" {
                stacks[entry.key] = stack.logicalID
            }
        }
        return stacks
    }

    @Test("1,000 functions fit with headroom")
    func thousandFunctions() throws {
        let (output, diagnostics) = Self.split(T.service(Self.functions(Self.names(1_000))))
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty)
        let result = try #require(output)
        #expect(result.stackCount == 32)
        #expect(Self.stackOfFunction(result).count == 1_000)
        for stack in result.stacks {
            let resources = stack.template["Resources"]?.mappingValue ?? []
            #expect(resources.count <= 400)
            #expect((stack.template["Outputs"]?.mappingValue?.count ?? 0) <= 160)
            let report = LimitReport.measure(stack.template, bodyBytes: nil, region: "us-east-1")
            #expect(LimitReport.check(stack.template, region: "us-east-1").isEmpty)
            #expect((report.rows.first { $0.name == "role policy characters" }?.measured ?? .max) < 10_240)
        }
        let root = result.root["Resources"]?.mappingValue ?? []
        #expect(root.count == result.stacks.count)
        #expect(root.first?.value["Type"]?.stringValue == "AWS::CloudFormation::Stack")
    }

    /// 10,000 functions take minutes in a debug build, so this runs only with SLSX_SCALE_10000=1.
    @Test("10,000 functions fit with headroom", .enabled(if: ProcessInfo.processInfo.environment["SLSX_SCALE_10000"] == "1"))
    func tenThousandFunctions() throws {
        let (output, diagnostics) = Self.split(T.service(Self.functions(Self.names(10_000))))
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty)
        let result = try #require(output)
        #expect(Self.stackOfFunction(result).count == 10_000)
        #expect(result.stackCount == 256)
        for stack in result.stacks {
            #expect((stack.template["Resources"]?.mappingValue?.count ?? 0) <= 400)
            #expect(LimitReport.check(stack.template, region: "us-east-1").isEmpty)
        }
        #expect((result.root["Resources"]?.mappingValue?.count ?? 0) <= 500)
    }

    @Test("whole functions stay together")
    func wholeFunctionsTogether() throws {
        let (output, _) = Self.split(T.service(Self.functions(Self.names(100))))
        let result = try #require(output)
        for stack in result.stacks {
            let ids = Set((stack.template["Resources"]?.mappingValue ?? []).map(\.key))
            for id in ids where id.hasSuffix("LambdaFunction") {
                let function = String(id.dropLast("LambdaFunction".count))
                #expect(ids.contains(function + "LogGroup"))
                #expect(ids.contains(function + "IamRoleLambdaExecution"))
                #expect((0..<5).allSatisfy { ids.contains(function + "EventSourceMappingKinesis\(function)\($0)") })
            }
        }
    }

    @Test("root passes the code location")
    func rootPassesParameters() throws {
        let (output, _) = Self.split(T.service(Self.functions(Self.names(100))))
        let result = try #require(output)
        let first = try #require(result.root["Resources"]?.mappingValue?.first)
        #expect(first.key == "FunctionStack0")
        #expect(T.text(first.value) == #"{"Type":"AWS::CloudFormation::Stack","Properties":{"TemplateURL":"stacks/FunctionStack0.json","Parameters":{"DeploymentBucketName":{"Ref":"DeploymentBucketName"},"CodeKey":{"Ref":"CodeKey"}}}}"#)
        let child = try #require(result.stacks.first?.template)
        #expect(child["Parameters"]?.mappingValue?.map(\.key) == ["DeploymentBucketName", "CodeKey"])
        #expect(result.stacks.first?.path == "stacks/FunctionStack0.json")
    }

    @Test("adding a function moves no other")
    func stabilityOnInsert() throws {
        let before = Self.names(300)
        var after = before
        after.insert("worker150b", at: 150)
        let (first, _) = Self.split(T.service(Self.functions(before)))
        let (second, _) = Self.split(T.service(Self.functions(after)))
        let old = Self.stackOfFunction(try #require(first))
        let new = Self.stackOfFunction(try #require(second))
        #expect(first?.stackCount == second?.stackCount)
        #expect(new.count == old.count + 1)
        for (function, stack) in old {
            #expect(new[function] == stack, "\(function) moved")
        }
    }

    @Test("removing a function moves no other")
    func stabilityOnRemove() throws {
        var after = Self.names(300)
        after.remove(at: 10)
        let old = Self.stackOfFunction(Self.split(T.service(Self.functions(Self.names(300)))).output)
        let new = Self.stackOfFunction(Self.split(T.service(Self.functions(after))).output)
        #expect(new.count == 299)
        for (function, stack) in new {
            #expect(old[function] == stack, "\(function) moved")
        }
    }

    @Test("doubling the count moves to one place")
    func doublingMovesToOnePlace() {
        for name in Self.names(2_000) {
            for count in [1, 2, 4, 8, 16, 32, 64, 128] {
                let bucket = StackSplitter.bucket(of: name, stackCount: count)
                let doubled = StackSplitter.bucket(of: name, stackCount: count * 2)
                #expect(doubled == bucket || doubled == bucket + count)
            }
        }
    }

    @Test("previous count kept when it fits")
    func previousCountKept() throws {
        let service = T.service(Self.functions(Self.names(100)))
        let automatic = try #require(Self.split(service).output)
        let (output, diagnostics) = Self.split(service, previousStackCount: 8)
        let result = try #require(output)

        #expect(automatic.stackCount == 2)
        #expect(result.stackCount == 8)
        #expect(diagnostics.isEmpty)
    }

    @Test("previous count grows with a note")
    func previousCountGrows() throws {
        let (output, diagnostics) = Self.split(T.service(Self.functions(Self.names(1_000))), previousStackCount: 8)
        let result = try #require(output)

        #expect(result.stackCount == 32)
        #expect(diagnostics.map(\.severity) == [.note])
        #expect(diagnostics.first?.message == """
            the split grows from 8 to 32 nested stacks because with 8, FunctionStack0 would have 1000 resources (limit 400); \
            about half the functions move to another stack, and CloudFormation replaces them
            """)
        #expect(diagnostics.first?.hint == "pass `--stacks 32` to keep this count from now on")
    }

    @Test("bucket of a name is fixed")
    func bucketIsFixed() {
        // FNV-1a 64 of "worker0" is 0x7c2c5c4e8e4c3ea5... fixed across runs and platforms.
        #expect(StackSplitter.bucket(of: "worker0", stackCount: 1) == 0)
        #expect((0..<5).map { StackSplitter.bucket(of: "worker\($0)", stackCount: 32) }
            == (0..<5).map { StackSplitter.bucket(of: "worker\($0)", stackCount: 32) })
    }

    @Test("given stack count that is too small")
    func stackCountTooSmall() {
        let (output, diagnostics) = Self.split(T.service(Self.functions(Self.names(200))), stackCount: 2)
        #expect(output == nil)
        #expect(diagnostics.first { $0.severity == .error }?.message.hasPrefix("2 nested stacks are too few: FunctionStack") == true)
        #expect(diagnostics.first { $0.severity == .error }?.hint == "pass a larger power of two with `--stacks`, such as 4")
    }

    @Test("stack count must be a power of two")
    func stackCountPowerOfTwo() {
        let (_, diagnostics) = Self.split(T.service(Self.functions(Self.names(10))), stackCount: 3)
        #expect(diagnostics.first { $0.severity == .error }?.message == "the stack count 3 is not a power of two from 1 to 256")
    }

    @Test("root resources become parameters")
    func rootResourcesBecomeParameters() throws {
        let resources = T.json("""
        {"Resources": {"Orders": {"Type": "AWS::Kinesis::Stream", "Properties": {"ShardCount": 1}}}}
        """)
        var event = T.event(intrinsic: #"{"Fn::GetAtt": ["Orders", "Arn"]}"#, type: .kinesis)
        event.batchSize = nil
        let service = T.service([T.function("reader", [event])], resources: resources)
        let (output, diagnostics) = Self.split(service)
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty)
        let result = try #require(output)
        let stack = try #require(result.root["Resources"]?["FunctionStack0"])
        #expect(T.text(stack["Properties"]?["Parameters"]?["OrdersArn"]) == #"{"Fn::GetAtt":["Orders","Arn"]}"#)
        let child = try #require(result.stacks.first?.template)
        #expect(T.text(child["Parameters"]?["OrdersArn"]) == #"{"Type":"String","Description":"`Fn::GetAtt` Orders.Arn from the root stack"}"#)
        let mapping = child["Resources"]?["ReaderEventSourceMappingKinesisOrders"]
        #expect(T.text(mapping?["Properties"]?["EventSourceArn"]) == #"{"Ref":"OrdersArn"}"#)
        let role = T.text(child["Resources"]?["ReaderIamRoleLambdaExecution"])
        #expect(role.contains(#"{"Ref":"OrdersArn"}"#))
        #expect(!role.contains("Fn::GetAtt"))
    }

    @Test("root reading a function is an error")
    func rootReadingFunctionIsError() {
        let resources = T.json("""
        {"Resources": {"Permission": {"Type": "AWS::Lambda::Permission", "Properties": {
            "FunctionName": {"Fn::GetAtt": ["ReaderLambdaFunction", "Arn"]}, "Action": "lambda:InvokeFunction", "Principal": "s3.amazonaws.com"}}}}
        """)
        let service = T.service([T.function("reader", [T.event(T.kinesisFoo)])], resources: resources)
        let (output, diagnostics) = Self.split(service)
        #expect(output == nil)
        #expect(diagnostics.first { $0.severity == .error }?.message
            == "resource `Permission` reads `ReaderLambdaFunction` of function `reader`, which `--split` puts in a nested stack")
    }
}
