import SlsxLanguage
import SlsxModel
import SlsxSource
import Testing

@testable import SlsxDriver

/// Functions left in the document, which the converter reports with the key path of each. The
/// converter first walks without paths and walks again only when it finds such a value.
@Suite struct DocumentConverterTests {
    @Test func functionInDocumentNamedByPath() {
        let script = """
            service "orders"
            provider { region: "us-east-1" }
            custom: { helpers: [1, fn(x) = x] }
            """
        let result = Pipeline.run(text: script, path: "orders.slsx", options: PipelineOptions(format: .yaml))

        #expect(result.output == nil)
        #expect(result.diagnostics.map(\.message) == [
            "custom.helpers[1] is a function, which serverless.yml cannot hold"
        ])
        #expect(result.diagnostics.first?.span?.startLocation.description == "3:24")
    }

    @Test func everyFunctionReported() {
        let script = """
            service "orders"
            provider { region: "us-east-1" }
            custom: { first: fn() = 1, second: { third: fn() = 2 } }
            """
        let result = Pipeline.run(text: script, path: "orders.slsx", options: PipelineOptions(format: .yaml))

        #expect(result.diagnostics.map(\.message) == [
            "custom.first is a function, which serverless.yml cannot hold",
            "custom.second.third is a function, which serverless.yml cannot hold",
        ])
    }

    @Test func moduleReportedOnce() {
        // A module's functions were written in another file, so the one error is at the module's key.
        let script = """
            import "arn" as arn
            service "orders"
            custom: { v: arn }
            """
        let result = Pipeline.run(text: script, path: "orders.slsx", options: PipelineOptions(format: .yaml))

        #expect(result.diagnostics.map(\.message) == [
            "custom.v is a map of functions, such as a module, which serverless.yml cannot hold",
        ])
        #expect(result.diagnostics.first?.hint == "call one of its functions, such as kinesisStream(...), to use the value it returns")
        #expect(result.diagnostics.first?.span?.startLocation.description == "3:11")
    }

    // MARK: - `${` found while converting

    /// Evaluates `script` and converts its document.
    private func convert(_ script: String) throws -> (node: Node, diagnostics: [Diagnostic], containsPlaceholderStart: Bool) {
        let evaluation = Evaluator.evaluate(SourceFile(path: "orders.slsx", text: script), options: EvaluationOptions())
        let document = try #require(evaluation.document)
        return DocumentConverter.node(from: document)
    }

    /// A document of `count` functions, with `line` added to the function whose index is `special`.
    private func functions(_ count: Int, special: Int, line: String) -> String {
        """
        service "orders"
        provider { region: "us-east-1" }
        for i in 0..<\(count) {
          function "worker\\(i)" {
            handler: "src/worker.handle"
            if i == \(special) { \(line) }
          }
        }
        """
    }

    @Test func everyKindKeptInOrder() throws {
        let conversion = try convert("""
            service "orders"
            custom: { flags: [true, null, 2, 2.5, "a"], nested: { list: [[1], { k: "v" }] } }
            """)
        let expected = Node.mapping([
            "service": .string("orders"),
            "custom": .mapping([
                "flags": .sequence([.bool(true), .null, .integer(2), .float(2.5), .string("a")]),
                "nested": .mapping(["list": .sequence([.sequence([.integer(1)]), .mapping(["k": .string("v")])])]),
            ]),
        ])

        #expect(conversion.diagnostics.isEmpty)
        #expect(conversion.node == expected)
        #expect(conversion.node["custom"]?.mappingValue?.map(\.key) == ["flags", "nested"])
    }

    @Test func spansKeptOnValuesAndKeys() throws {
        // The file stays alive through the checks, because a span finds its file by identifier.
        let file = SourceFile(path: "orders.slsx", text: """
            service "orders"
            custom: { flags: [true, "a"], nested: { k: 3 } }
            """)
        let evaluation = Evaluator.evaluate(file, options: EvaluationOptions())
        let node = DocumentConverter.node(from: try #require(evaluation.document)).node
        let custom = try #require(node["custom"])
        let flags = try #require(custom["flags"]?.sequenceValue)
        let nested = try #require(custom["nested"]?.mappingValue)

        withExtendedLifetime(file) {
            #expect(custom.span?.startLocation.description == "2:9")
            #expect(flags[0].span?.startLocation.description == "2:19")
            #expect(flags[1].span?.startLocation.description == "2:25")
            #expect(nested[0].keySpan?.startLocation.description == "2:41")
            #expect(nested[0].value.span?.startLocation.description == "2:44")
        }
    }

    @Test func noPlaceholderInShortDocument() throws {
        let conversion = try convert(functions(3, special: 1, line: "tags: { team: \"orders\" }"))
        #expect(conversion.diagnostics.isEmpty)
        #expect(conversion.containsPlaceholderStart == false)
    }

    @Test func noPlaceholderInBothHalves() throws {
        let conversion = try convert(functions(100, special: 80, line: "tags: { team: \"orders\" }"))
        #expect(conversion.diagnostics.isEmpty)
        #expect(conversion.containsPlaceholderStart == false)
    }

    @Test("placeholder found in any place", arguments: [
        (3, 1, "tags: { team: \"${opt:team}\" }"),
        (100, 10, "tags: { team: \"${opt:team}\" }"),
        (100, 80, "tags: { team: \"${opt:team}\" }"),
        (100, 80, "tags: { \"${opt:key}\": \"orders\" }"),
        (100, 99, "layers: [[\"a\", \"b-${self:custom.layer}\"]]"),
        // `Fn::Sub` syntax is no Serverless variable, but the flag only promises that no `${` exists.
        (100, 70, "description: \"in ${AWS::Region}\""),
    ])
    func placeholderFound(count: Int, special: Int, line: String) throws {
        let conversion = try convert(functions(count, special: special, line: line))
        #expect(conversion.diagnostics.isEmpty)
        #expect(conversion.containsPlaceholderStart == true)
    }

    @Test func placeholderInTopLevelKeyFound() throws {
        let conversion = try convert("""
            service "orders"
            custom: { "${opt:stage}-settings": 1 }
            """)
        #expect(conversion.containsPlaceholderStart == true)
    }

    @Test func placeholderAssumedAfterProblem() throws {
        // The walk with key paths reports the function and does not look for `${`.
        let conversion = try convert(functions(100, special: 80, line: "tags: { helper: fn() = 1 }"))
        #expect(conversion.diagnostics.count == 1)
        #expect(conversion.containsPlaceholderStart == true)
    }

    @Test func decoderSkipsScanOnlyWhenTold() throws {
        let conversion = try convert(functions(100, special: 80, line: "tags: { team: \"${opt:team}\" }"))
        let scanned = ServiceDecoder.decode(conversion.node)
        let skipped = ServiceDecoder.decode(conversion.node, containsPlaceholderStart: false)

        #expect(scanned.service?.serverlessVariables.map(\.text) == ["${opt:team}"])
        #expect(scanned.service?.serverlessVariables.map(\.path) == [["functions", "worker80", "tags", "team"]])
        #expect(skipped.service?.serverlessVariables.map(\.text) == [])
        #expect(skipped.diagnostics.isEmpty)
    }
}
