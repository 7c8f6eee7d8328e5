import SlsxDriver
import SlsxSource
import Testing

/// The checks of a script's own `resources { Resources: ... }` block in every output
/// format: each invalid resource, `Type`, `DependsOn`, `Ref` and `Fn::GetAtt` is an error at the
/// value the script wrote, and no template is written.
@Suite struct ScriptResourceCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// The third line of the script, after the service and one function.
        var resources: String
        /// The header and `help:` lines of the rendered diagnostics, in order.
        var expected: [String]

        init(_ name: String, _ resources: String, _ expected: [String]) {
            self.name = name
            self.resources = resources
            self.expected = expected
        }

        var testDescription: String { name }
    }

    /// Runs the script with `resources` as its third line and returns the result.
    static func run(_ resources: String, format: OutputFormat = .cfnJSON) -> PipelineResult {
        let text = "service \"cfn-svc\"\nfunction \"f\" { handler: \"h\" }\n\(resources)\n"
        return Pipeline.run(text: text, path: "script.slsx", options: PipelineOptions(format: format))
    }

    static let cases: [Case] = [
        Case(
            "Resources is a list",
            #"resources { Resources: [1, 2] }"#,
            [
                #"script.slsx:3:24: error: `resources.Resources` must be a map from names to entries, not a list"#,
                #"help: write `Resources: { Queue: { Type: "AWS::SQS::Queue" } }`"#,
            ]
        ),
        Case(
            "Outputs is a list",
            #"resources { Outputs: [1] }"#,
            [
                #"script.slsx:3:22: error: `resources.Outputs` must be a map from names to entries, not a list"#,
                #"help: write `Outputs: { Name: { ... } }`"#,
            ]
        ),
        Case(
            "resource is an integer",
            #"resources { Resources: { A: 5 } }"#,
            [
                #"script.slsx:3:29: error: the resource `A` must be a map with `Type` and `Properties`, not an integer"#,
                #"help: write `A: { Type: "AWS::SQS::Queue", Properties: { ... } }`"#,
            ]
        ),
        Case(
            "compiled resource replaced by an integer",
            #"resources { Resources: { FLambdaFunction: 5 } }"#,
            [
                #"script.slsx:3:43: error: the resource `FLambdaFunction` must be a map with `Type` and `Properties`, not an integer"#,
                #"help: write `FLambdaFunction: { Type: "AWS::SQS::Queue", Properties: { ... } }`"#,
            ]
        ),
        Case(
            "resource without Type",
            #"resources { Resources: { A: { Properties: {} } } }"#,
            [
                #"script.slsx:3:26: error: the resource `A` has no `Type`"#,
                #"help: add the resource type, such as `Type: "AWS::SQS::Queue"`"#,
            ]
        ),
        Case(
            "Type is an integer",
            #"resources { Resources: { A: { Type: 5 } } }"#,
            [
                #"script.slsx:3:37: error: the `Type` of resource `A` must be a resource type name such as `AWS::SQS::Queue`, not an integer"#,
                #"help: write the type as a string, such as `Type: "AWS::SQS::Queue"`"#,
            ]
        ),
        Case(
            "Type is empty",
            #"resources { Resources: { A: { Type: "" } } }"#,
            [
                #"script.slsx:3:37: error: the `Type` of resource `A` must be a resource type name such as `AWS::SQS::Queue`, not an empty string"#,
                #"help: write the type as a string, such as `Type: "AWS::SQS::Queue"`"#,
            ]
        ),
        Case(
            "DependsOn names itself",
            #"resources { Resources: { Q: { Type: "AWS::SQS::Queue", DependsOn: "Q" } } }"#,
            [
                #"script.slsx:3:67: error: `DependsOn` of `Q` names `Q` itself"#,
                #"help: remove `Q` from its own `DependsOn`, because a resource cannot wait for itself"#,
            ]
        ),
        Case(
            "DependsOn cycle of two",
            #"resources { Resources: { A: { Type: "AWS::SQS::Queue", DependsOn: "B" }, B: { Type: "AWS::SQS::Queue", DependsOn: ["A"] } } }"#,
            [
                #"script.slsx:3:67: error: `DependsOn` forms a cycle: `A` → `B` → `A`"#,
                #"help: remove one of these dependencies, because CloudFormation cannot create resources that wait for each other"#,
            ]
        ),
        Case(
            "DependsOn cycle through a compiled resource",
            #"resources { Resources: { Q: { Type: "AWS::SQS::Queue", DependsOn: "FLogGroup" }, FLogGroup: { DependsOn: ["Q"] } } }"#,
            [
                #"script.slsx:3:67: error: `DependsOn` forms a cycle: `Q` → `FLogGroup` → `Q`"#,
                #"help: remove one of these dependencies, because CloudFormation cannot create resources that wait for each other"#,
            ]
        ),
        Case(
            "DependsOn is an integer",
            #"resources { Resources: { A: { Type: "AWS::SQS::Queue", DependsOn: 5 } } }"#,
            [
                #"script.slsx:3:67: error: `DependsOn` of `A` must be a logical ID or a list of logical IDs, not an integer"#,
                #"help: write `DependsOn: "OtherResource"` or `DependsOn: ["First", "Second"]`"#,
            ]
        ),
        Case(
            "DependsOn items not names",
            #"resources { Resources: { A: { Type: "AWS::SQS::Queue", DependsOn: [1, null, ""] } } }"#,
            [
                #"script.slsx:3:68: error: `DependsOn` of `A` must list logical IDs as strings, not an integer"#,
                #"help: write the name of a resource of this template in quotes, or remove the item"#,
                #"script.slsx:3:71: error: `DependsOn` of `A` must list logical IDs as strings, not null"#,
                #"help: write the name of a resource of this template in quotes, or remove the item"#,
                #"script.slsx:3:77: error: `DependsOn` of `A` contains an empty name"#,
                #"help: write the logical ID of a resource of this template, or remove the item"#,
            ]
        ),
        Case(
            "Ref of a list",
            #"resources { Resources: { A: { Type: "AWS::SQS::Queue", Properties: { X: {Ref: [1]} } } } }"#,
            [
                #"script.slsx:3:79: error: `Ref` in `A` must name a resource or parameter as a string, not a list"#,
                #"help: write `Ref: "Name"` or `Ref("Name")` with the logical ID of a resource or parameter"#,
            ]
        ),
        Case(
            "Ref of an empty name",
            #"resources { Resources: { A: { Type: "AWS::SQS::Queue", Properties: { X: Ref("") } } } }"#,
            [
                #"script.slsx:3:73: error: `Ref` in `A` has an empty name"#,
                #"help: write the logical ID of a resource or parameter, such as `Ref("Queue")`"#,
            ]
        ),
        Case(
            "GetAtt of an empty list",
            #"resources { Resources: { A: { Type: "AWS::SQS::Queue", Properties: { X: {"Fn::GetAtt": []} } } } }"#,
            [
                #"script.slsx:3:88: error: `Fn::GetAtt` in `A` must be a list of two items, the logical ID and the attribute name, not an empty list"#,
                #"help: write `"Fn::GetAtt": ["Name", "Arn"]` or `GetAtt("Name", "Arn")`"#,
            ]
        ),
        Case(
            "GetAtt of null and an integer",
            #"resources { Resources: { A: { Type: "AWS::SQS::Queue", Properties: { X: {"Fn::GetAtt": [null, 1]} } } } }"#,
            [
                #"script.slsx:3:89: error: the first item of `Fn::GetAtt` in `A` must be a logical ID, not null"#,
                #"help: write `"Fn::GetAtt": ["Name", "Arn"]` or `GetAtt("Name", "Arn")`"#,
            ]
        ),
        Case(
            "GetAtt attribute an integer",
            #"resources { Resources: { A: { Type: "AWS::SQS::Queue", Properties: { X: {"Fn::GetAtt": ["A", 1]} } } } }"#,
            [
                #"script.slsx:3:94: error: the second item of `Fn::GetAtt` in `A` must be an attribute name, not an integer"#,
                #"help: write `"Fn::GetAtt": ["Name", "Arn"]` or `GetAtt("Name", "Arn")`"#,
            ]
        ),
        Case(
            "GetAtt text without a dot",
            #"resources { Resources: { A: { Type: "AWS::SQS::Queue", Properties: { X: {"Fn::GetAtt": "A"} } } } }"#,
            [
                #"script.slsx:3:88: error: `Fn::GetAtt` in `A` must be `Name.Attribute` or a list of two items, not `A`"#,
                #"help: write `"Fn::GetAtt": ["Name", "Arn"]` or `GetAtt("Name", "Arn")`"#,
            ]
        ),
        Case(
            "GetAtt of an integer",
            #"resources { Resources: { A: { Type: "AWS::SQS::Queue", Properties: { X: {"Fn::GetAtt": 7} } } } }"#,
            [
                #"script.slsx:3:88: error: `Fn::GetAtt` in `A` must be a list of two items, the logical ID and the attribute name, not an integer"#,
                #"help: write `"Fn::GetAtt": ["Name", "Arn"]` or `GetAtt("Name", "Arn")`"#,
            ]
        ),
    ]

    @Test(arguments: cases)
    func invalidResourceIsLocatedError(_ testCase: Case) {
        let result = Self.run(testCase.resources)

        let rendered = DiagnosticRenderer().render(result.diagnostics)
        let lines = rendered.split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix("script.slsx") || $0.hasPrefix("help:") }
        #expect(lines == testCase.expected)
        #expect(result.output == nil)
    }

    /// serverless.yml output runs the same checks without compiling, except that a resource
    /// without `Type` passes (see `resourceWithoutTypePassesInYAML`).
    @Test(arguments: cases.filter { $0.name != "resource without Type" })
    func invalidResourceFailsInYAML(_ testCase: Case) {
        let result = Self.run(testCase.resources, format: .yaml)

        let rendered = DiagnosticRenderer().render(result.diagnostics)
        let lines = rendered.split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix("script.slsx") || $0.hasPrefix("help:") }
        #expect(lines == testCase.expected)
        #expect(result.output == nil)
    }

    /// Without compiling, slsx cannot tell a new resource from an override of one the framework
    /// generates, so serverless.yml output accepts a resource without `Type`.
    @Test func resourceWithoutTypePassesInYAML() {
        let result = Self.run(#"resources { Resources: { A: { Properties: {} } } }"#, format: .yaml)

        #expect(DiagnosticRenderer().render(result.diagnostics) == "")
        #expect(result.output?.contains("    A:\n      Properties: {}\n") == true)
    }

    @Test func cycleRendersCaretUnderDependsOn() {
        let result = Self.run(
            #"resources { Resources: { A: { Type: "AWS::SQS::Queue", DependsOn: "B" }, B: { Type: "AWS::SQS::Queue", DependsOn: ["A"] } } }"#,
            format: .cfnYAML
        )

        #expect(DiagnosticRenderer().render(result.diagnostics) == #"""
            script.slsx:3:67: error: `DependsOn` forms a cycle: `A` → `B` → `A`
             3 | resources { Resources: { A: { Type: "AWS::SQS::Queue", DependsOn: "B" }, B: { Type: "AWS::SQS::Queue", DependsOn: ["A"] } } }
               |                                                                   ^^^
            help: remove one of these dependencies, because CloudFormation cannot create resources that wait for each other

            """#)
        #expect(result.output == nil)
    }

    @Test func validResourcesPass() {
        let result = Self.run(
            #"resources { Resources: { FLambdaFunction: { Properties: { MemorySize: 512 } }, Q: { Type: "AWS::SQS::Queue", DependsOn: [] }, "#
                + #"R: { Type: "AWS::SQS::Queue", DependsOn: ["Q", "FLogGroup"] } }, "#
                + #"Outputs: { O: { Value: {"Fn::GetAtt": "FLambdaFunction.Arn"} }, P: { Value: {"Fn::GetAtt": ["Q", {Ref: "AWS::Region"}]} } } }"#
        )

        #expect(DiagnosticRenderer().render(result.diagnostics) == "")
        #expect(result.output?.contains(#""MemorySize": 512"#) == true)
    }

    /// A chain of 100,000 `DependsOn` that closes into one cycle is walked without recursion and
    /// named in one line.
    @Test func longDependsOnCycleIsOneError() {
        let script = """
            service "cfn-svc"
            function "f" { handler: "h" }
            let count = 100000
            resources { Resources: {"R\\(i)": { Type: "AWS::SQS::Queue", DependsOn: "R\\((i + 1) % count)" } for i in 0..<count} }
            """
        let options = PipelineOptions(format: .cfnJSON, enforcesStackLimits: false)
        let result = Pipeline.run(text: script, path: "script.slsx", options: options)

        let errors = result.diagnostics.filter { $0.severity == .error }.map(\.message)
        #expect(errors == ["`DependsOn` forms a cycle: `R0` → `R1` → `R2` → `R3` → … 99994 more … → `R99998` → `R99999` → `R0`"])
        #expect(result.output == nil)
    }
}
