import Foundation
import SlsxLanguage
import SlsxSource
import Testing

@Suite struct ImportTests {
    /// Creates a fresh folder with the given files and returns its path.
    private func folder(_ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("slsx-import-\(UUID().uuidString)").path
        for (name, text) in files {
            let path = root + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return root
    }

    private func run(_ root: String, _ entry: String = "main.slsx", importRoot: String? = nil) -> Evaluation {
        Evaluator.evaluate(path: root + "/" + entry, options: EvaluationOptions(importRoot: importRoot))
    }

    private func format(_ evaluation: Evaluation) -> String {
        evaluation.document.map(ValueFormatter.format) ?? evaluation.diagnostics.map(\.message).joined(separator: " | ")
    }

    @Test func standardLibraryArn() {
        let script = """
            import "arn" as arn
            a: arn.kinesisStream("us-east-1", "123", "clicks")
            b: arn.dynamodbStream("eu-west-1", "123", "orders", "2024-01-01T00:00:00.000")
            c: arn.sqsQueue("us-east-1", "123", "dlq", partition: "aws-cn")
            d: arn.snsTopic("us-east-1", "123", "alerts")
            e: arn.dynamodbTable("us-east-1", "123", "orders")
            f: arn.kinesisConsumer("us-east-1", "123", "clicks", "reader", 1525898737)
            """
        #expect(Script.document(script) == """
            {a: "arn:aws:kinesis:us-east-1:123:stream/clicks", \
            b: "arn:aws:dynamodb:eu-west-1:123:table/orders/stream/2024-01-01T00:00:00.000", \
            c: "arn:aws-cn:sqs:us-east-1:123:dlq", d: "arn:aws:sns:us-east-1:123:alerts", \
            e: "arn:aws:dynamodb:us-east-1:123:table/orders", \
            f: "arn:aws:kinesis:us-east-1:123:stream/clicks/consumer/reader:1525898737"}
            """)
    }

    @Test func standardLibraryStream() {
        let script = "import \"stream\" as s\nx: s.kinesis(\"arn:k\", batchSize: 10, extra: {enabled: false})"
        #expect(Script.document(script) == #"{x: {type: "kinesis", arn: "arn:k", batchSize: 10, startingPosition: "LATEST", enabled: false}}"#)
    }

    @Test func unknownStandardModuleSuggests() {
        let result = Script.evaluate("import \"arns\" as a")
        #expect(result.diagnostics.first?.message == "unknown standard library module 'arns'")
        #expect(result.diagnostics.first?.hint == "did you mean 'arn'?")
    }

    @Test func relativeImport() throws {
        let root = try folder([
            "main.slsx": "import \"./lib/common.slsx\" as common\nservice common.name\nx: common.twice(2)",
            "lib/common.slsx": "import \"./inner.slsx\" as inner\nlet name = \"svc-\" + inner.suffix\nfn twice(n) = n * 2",
            "lib/inner.slsx": "let suffix = \"a\"",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(format(run(root)) == #"{service: "svc-a", x: 4}"#)
    }

    @Test func evaluationKeepsModuleFiles() throws {
        let root = try folder([
            "main.slsx": "import \"./common.slsx\" as common\nx: common.limits",
            "common.slsx": "let limits = {batchSize: 100}",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let evaluation = run(root)
        // Neither the caller nor the finished evaluator keeps the files, so the spans of the
        // module's values find their file through `sourceFiles`.
        #expect(evaluation.sourceFiles.map { ($0.path as NSString).lastPathComponent } == ["main.slsx", "common.slsx"])
        guard case .map(let document) = evaluation.document?.kind, case .map(let limits) = document["x"]?.kind else {
            Issue.record("expected a document with the map x, got \(format(evaluation))")
            return
        }
        let span = try #require(limits.entries.first?.value.span)
        #expect(span.text == "100")
        #expect((span.file.path as NSString).lastPathComponent == "common.slsx")
    }

    @Test func moduleRunsOnce() throws {
        let root = try folder([
            "main.slsx": "import \"./a.slsx\" as a\nimport \"./b.slsx\" as b\nx: [a.n, b.n]",
            "a.slsx": "import \"./shared.slsx\" as s\nlet n = s.n",
            "b.slsx": "import \"./shared.slsx\" as s\nlet n = s.n",
            "shared.slsx": "print(\"loaded\")\nlet n = 1",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let lines = LineCollector()
        let result = Evaluator.evaluate(path: root + "/main.slsx", options: EvaluationOptions(output: { lines.append($0) }))
        #expect(format(result) == "{x: [1, 1]}")
        #expect(lines.lines == ["loaded"])
    }

    @Test func importCycleIsError() throws {
        let root = try folder([
            "main.slsx": "import \"./a.slsx\" as a",
            "a.slsx": "import \"./b.slsx\" as b",
            "b.slsx": "import \"./a.slsx\" as a",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = run(root)
        #expect(result.diagnostics.first?.message == "import cycle: ./a.slsx -> ./b.slsx -> ./a.slsx")
        #expect(result.diagnostics.first?.span?.file.path.hasSuffix("b.slsx") == true)
        #expect(result.diagnostics.first?.notes.count == 2)
    }

    @Test func moduleErrorNotesItsImport() throws {
        let root = try folder(["main.slsx": "import \"./m.slsx\" as m", "m.slsx": "let x = 1 / 0"])
        defer { try? FileManager.default.removeItem(atPath: root) }

        let error = run(root).diagnostics.first

        #expect(error?.message == "division by zero")
        #expect(error?.span?.file.path.hasSuffix("m.slsx") == true)
        #expect(error?.notes.map(\.message) == ["in module './m.slsx', imported here"])
        #expect(error?.notes.first?.span?.file.path.hasSuffix("main.slsx") == true)
    }

    @Test func escapeAboveRootIsError() throws {
        let root = try folder(["app/main.slsx": "import \"../secret.slsx\" as s", "secret.slsx": "let k = 1"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = run(root, "app/main.slsx")
        #expect(result.diagnostics.first?.message.hasPrefix("import '../secret.slsx' resolves to ") == true)
        #expect(result.diagnostics.first?.message.contains("outside the import root") == true)
    }

    @Test func parentFolderInsideRootIsAllowed() throws {
        let root = try folder(["app/main.slsx": "import \"../lib.slsx\" as lib\nx: lib.k", "lib.slsx": "let k = 1"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(format(run(root, "app/main.slsx", importRoot: root)) == "{x: 1}")
    }

    @Test func symlinkEscapeIsError() throws {
        let outside = try folder(["secret.slsx": "let k = 1"])
        defer { try? FileManager.default.removeItem(atPath: outside) }
        let root = try folder(["main.slsx": "import \"./link.slsx\" as s"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createSymbolicLink(atPath: root + "/link.slsx", withDestinationPath: outside + "/secret.slsx")
        #expect(run(root).diagnostics.first?.message.contains("outside the import root") == true)
    }

    @Test func absolutePathIsError() {
        #expect(Script.firstError("import \"/etc/passwd\" as p") == "1:8: absolute import path '/etc/passwd' is not allowed")
    }

    @Test func missingFileIsError() throws {
        let root = try folder(["main.slsx": "import \"./nope.slsx\" as n"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(run(root).diagnostics.first?.message.hasPrefix("cannot read module './nope.slsx': no file at ") == true)
    }

    @Test func oversizedModuleIsError() throws {
        let root = try folder(["main.slsx": "import \"./big.slsx\" as big"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Data(repeating: UInt8(ascii: "\n"), count: BoundedFileReader.maximumBytes + 1).write(to: URL(fileURLWithPath: root + "/big.slsx"))

        let diagnostics = run(root).diagnostics

        #expect(diagnostics.map(\.message) == [
            "cannot read module './big.slsx': \(URL(fileURLWithPath: root).resolvingSymlinksInPath().path)/big.slsx is larger than 16777216 bytes, the largest module slsx reads",
        ])
        #expect(diagnostics.first?.hint == "split the module into smaller modules")
    }

    @Test func moduleSyntaxErrorsAreReported() throws {
        let root = try folder(["main.slsx": "import \"./bad.slsx\" as b", "bad.slsx": "let a = )\nlet b = ]"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let messages = run(root).diagnostics.map(\.message)
        #expect(messages == [
            "cannot import './bad.slsx' because it has syntax errors",
            "expected an expression but found ')'",
            "expected an expression but found ']'",
        ])
    }

    @Test func moduleCannotDeclare() throws {
        let root = try folder(["main.slsx": "import \"./m.slsx\" as m", "m.slsx": "service \"x\""])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(run(root).diagnostics.first?.message == "a module cannot declare 'service'")
    }

    @Test func missingScriptIsDiagnosticWithoutSpan() {
        let result = Evaluator.evaluate(path: "/nonexistent/slsx/script.slsx", options: EvaluationOptions())
        #expect(result.document == nil)
        #expect(result.diagnostics.first?.message == "cannot read '/nonexistent/slsx/script.slsx': no such file")
        #expect(result.diagnostics.first?.span == nil)
    }

    @Test func embeddedStandardLibraryMatchesFiles() throws {
        // Fails when stdlib/*.slsx changed without running stdlib/generate.sh.
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = packageRoot.appendingPathComponent("stdlib").path
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".slsx") }.sorted()
        #expect(files == ["arn.slsx", "stream.slsx"])
        for file in files {
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            let name = String(file.dropLast(".slsx".count))
            let session = Session(options: EvaluationOptions())
            let embedded = session.evaluate(SourceFile(path: "t.slsx", text: "import \"\(name)\" as m\nkeys(m)"))
            #expect(embedded.diagnostics.isEmpty, "module \(name) does not load")
            #expect(StandardLibrarySource.text(of: name) == text.dropLastNewline(), "stdlib/\(file) differs from the embedded copy; run stdlib/generate.sh")
        }
    }
}

extension String {
    fileprivate func dropLastNewline() -> String {
        hasSuffix("\n") ? String(dropLast()) : self
    }
}
