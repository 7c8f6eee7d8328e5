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
        var document = try #require(evaluation.document)
        return DocumentConverter.node(from: &document)
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
        var document = try #require(evaluation.document)
        let node = DocumentConverter.node(from: &document).node
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

    // MARK: - Values taken out of a long `functions` map

    /// Evaluates `script` and converts its document, which has no other owner, as in
    /// `Pipeline.run`. Returns the document as conversion left it.
    private func convertKeepingDocument(_ script: String) throws -> (conversion: (node: Node, diagnostics: [Diagnostic], containsPlaceholderStart: Bool), document: Value) {
        var evaluation = Evaluator.evaluate(SourceFile(path: "orders.slsx", text: script), options: EvaluationOptions())
        var document = try #require(evaluation.document)
        evaluation.document = nil
        let conversion = DocumentConverter.node(from: &document)
        return (conversion, document)
    }

    /// The text of each entry of `document`, a map, by key; `functions` gives the text of each function.
    private func entryTexts(_ document: Value) -> [String: String] {
        guard case .map(let map) = document.kind else { return [:] }
        var texts: [String: String] = [:]
        for entry in map.entries {
            texts[entry.key] = ValueFormatter.text(of: entry.value)
        }
        return texts
    }

    @Test func longFunctionsMapTakenOut() throws {
        let (conversion, document) = try convertKeepingDocument(functions(100, special: 80, line: "memorySize: 512"))

        #expect(conversion.diagnostics.isEmpty)
        #expect(conversion.node["functions"]?.mappingValue?.count == 100)
        #expect(conversion.node["functions"]?["worker80"]?["memorySize"] == .integer(512))
        #expect(conversion.node["functions"]?["worker99"]?["handler"] == .string("src/worker.handle"))
        // The rest of the document is left as it was; the functions map is gone from it.
        #expect(entryTexts(document) == [
            "service": "orders", "provider": "{region: \"us-east-1\"}", "functions": "null",
        ])
    }

    @Test func documentWithAnotherOwnerUnchanged() throws {
        // The REPL's session keeps its document and converts a copy.
        let evaluation = Evaluator.evaluate(
            SourceFile(path: "orders.slsx", text: functions(100, special: 80, line: "memorySize: 512")), options: EvaluationOptions())
        let sessionDocument = try #require(evaluation.document)
        var document = sessionDocument
        let conversion = DocumentConverter.node(from: &document)

        #expect(conversion.diagnostics.isEmpty)
        #expect(conversion.node["functions"]?.mappingValue?.count == 100)
        guard case .map(let map) = sessionDocument.kind, case .map(let functions) = map["functions"]?.kind else {
            Issue.record("the kept document lost its functions map")
            return
        }
        #expect(functions.count == 100)
        #expect(functions["worker80"].map { ValueFormatter.text(of: $0) } == "{handler: \"src/worker.handle\", memorySize: 512}")
    }

    @Test func shortFunctionsMapLeftInPlace() throws {
        let (conversion, document) = try convertKeepingDocument(functions(3, special: 1, line: "memorySize: 512"))

        #expect(conversion.diagnostics.isEmpty)
        guard case .map(let map) = document.kind, case .map(let functions) = map["functions"]?.kind else {
            Issue.record("the document lost its functions map")
            return
        }
        #expect(functions.keys == ["worker0", "worker1", "worker2"])
        #expect(ValueFormatter.text(of: functions["worker1"] ?? Value.null) == "{handler: \"src/worker.handle\", memorySize: 512}")
    }

    @Test("problem in either half named by path", arguments: [10, 80])
    func problemInLongFunctionsMapNamedByPath(special: Int) throws {
        let (conversion, document) = try convertKeepingDocument(
            functions(100, special: special, line: "tags: { helper: fn() = 1 }"))

        #expect(conversion.diagnostics.map(\.message) == [
            "functions.worker\(special).tags.helper is a function, which serverless.yml cannot hold"
        ])
        #expect(conversion.diagnostics.first?.span?.startLocation.description == "6:34")
        // The document has its functions map back, in order, with the value of the problem.
        guard case .map(let map) = document.kind, case .map(let functions) = map["functions"]?.kind else {
            Issue.record("the document lost its functions map")
            return
        }
        #expect(functions.count == 100)
        #expect(functions.keys.first == "worker0")
        #expect(functions.keys.last == "worker99")
        #expect(functions["worker\(special)"].map { ValueFormatter.text(of: $0) }
            == "{handler: \"src/worker.handle\", tags: {helper: <fn <anonymous>()>}}")
    }

    @Test func problemAfterFunctionsNamedByPath() throws {
        let (conversion, document) = try convertKeepingDocument(
            functions(100, special: 80, line: "memorySize: 512") + "\ncustom: { check: fn() = 3 }")

        #expect(conversion.diagnostics.map(\.message) == ["custom.check is a function, which serverless.yml cannot hold"])
        // Every function converted before the problem, so each is null in the document given back.
        guard case .map(let map) = document.kind, case .map(let functions) = map["functions"]?.kind else {
            Issue.record("the document lost its functions map")
            return
        }
        #expect(functions.count == 100)
        #expect(functions["worker0"].map { ValueFormatter.text(of: $0) } == "null")
    }

    @Test func twoProblemsInOneHalf() throws {
        let script = """
            service "orders"
            for i in 0..<100 {
              function "worker\\(i)" {
                handler: "src/worker.handle"
                if i == 10 { tags: { helper: fn() = 1 } }
                if i == 20 { layers: [fn() = 2] }
              }
            }
            """
        let (conversion, _) = try convertKeepingDocument(script)

        #expect(conversion.diagnostics.map(\.message) == [
            "functions.worker10.tags.helper is a function, which serverless.yml cannot hold",
            "functions.worker20.layers[0] is a function, which serverless.yml cannot hold",
        ])
        #expect(conversion.diagnostics.map(\.notes.count) == [0, 0])
    }

    @Test func repeatedModuleReportedOnce() throws {
        let (conversion, _) = try convertKeepingDocument(
            "import \"arn\" as arn\n" + functions(100, special: 80, line: "tags: { v: arn }").replacing("if i == 80 { tags", with: "if i >= 80 { tags"))

        #expect(conversion.diagnostics.map(\.message) == [
            "functions.worker80.tags.v is a map of functions, such as a module, which serverless.yml cannot hold"
        ])
        #expect(conversion.diagnostics.first?.notes.map(\.message) == [
            "20 functions have this problem here, so it is reported once: `worker80`, `worker81`, `worker82`, `worker83`, `worker84`, …"
        ])
    }

    @Test func problemsInBothHalvesReportedOnce() throws {
        let script = """
            service "orders"
            for i in 0..<100 {
              function "worker\\(i)" {
                handler: "src/worker.handle"
                if i == 20 || i == 70 { tags: { helper: fn() = i } }
              }
            }
            """
        let (conversion, _) = try convertKeepingDocument(script)

        // One place in the loop's body, so one report for both functions.
        #expect(conversion.diagnostics.map(\.message) == [
            "functions.worker20.tags.helper is a function, which serverless.yml cannot hold"
        ])
        #expect(conversion.diagnostics.first?.notes.map(\.message) == [
            "2 functions have this problem here, so it is reported once: `worker20`, `worker70`"
        ])
    }

    // MARK: - Repeated problems

    @Test func problemInEveryFunctionReportedOnce() throws {
        let (conversion, _) = try convertKeepingDocument(functions(100, special: 0, line: "tags: { helper: fn() = 1 }")
            .replacing("if i == 0 { tags", with: "if true { tags"))

        #expect(conversion.diagnostics.map(\.message) == [
            "functions.worker0.tags.helper is a function, which serverless.yml cannot hold"
        ])
        #expect(conversion.diagnostics.first?.span?.startLocation.description == "6:31")
        #expect(conversion.diagnostics.first?.notes.map(\.message) == [
            "100 functions have this problem here, so it is reported once: `worker0`, `worker1`, `worker2`, `worker3`, `worker4`, …"
        ])
    }

    @Test func differentProblemsReportedApart() throws {
        let script = """
            service "orders"
            for i in 0..<4 {
              function "worker\\(i)" {
                handler: "src/worker.handle"
                if i % 2 == 0 { tags: { helper: fn() = 1 } } else { layers: [1, fn() = 2] }
              }
            }
            custom: { check: fn() = 3 }
            """
        let (conversion, _) = try convertKeepingDocument(script)

        #expect(conversion.diagnostics.map(\.message) == [
            "functions.worker0.tags.helper is a function, which serverless.yml cannot hold",
            "functions.worker1.layers[1] is a function, which serverless.yml cannot hold",
            "custom.check is a function, which serverless.yml cannot hold",
        ])
        #expect(conversion.diagnostics.map { $0.notes.map(\.message) } == [
            ["2 functions have this problem here, so it is reported once: `worker0`, `worker2`"],
            ["2 functions have this problem here, so it is reported once: `worker1`, `worker3`"],
            [],
        ])
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
