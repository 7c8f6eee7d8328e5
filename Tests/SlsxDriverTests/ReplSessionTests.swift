import Foundation
@testable import SlsxDriver
import SlsxLanguage
import SlsxSource
import Testing

extension LineInput {
    /// Returns a line of scripted input given as text.
    static func text(_ line: String) -> LineInput {
        .line(Array(line.utf8))
    }
}

/// A line reader that returns scripted input and records what the loop asked of it.
final class ScriptedLineReader: LineReader {
    private var inputs: [LineInput]
    private(set) var prompts: [String] = []
    private(set) var history: [String] = []
    private(set) var completionProvider: ((CompletionRequest) -> [String])?

    init(_ inputs: [LineInput]) {
        self.inputs = inputs
    }

    convenience init(lines: [String]) {
        self.init(lines.map(LineInput.text))
    }

    func readLine(prompt: String) -> LineInput {
        prompts.append(prompt)
        return inputs.isEmpty ? .endOfInput : inputs.removeFirst()
    }

    func addHistory(_ entry: String) {
        history.append(entry)
    }

    func setCompletionProvider(_ provider: @escaping (CompletionRequest) -> [String]) {
        completionProvider = provider
    }
}

/// A console that keeps what the loop writes.
final class CapturingConsole: ReplConsole {
    private(set) var output = ""
    private(set) var errors = ""

    func writeOutput(_ text: String) { output += text }
    func writeError(_ text: String) { errors += text }
}

/// Runs scripted input through a fresh session and returns the exit status, the reader and the console.
func runRepl(
    _ inputs: [LineInput], interactive: Bool = false, directory: String = NSTemporaryDirectory()
) -> (status: Int32, reader: ScriptedLineReader, console: CapturingConsole) {
    let session = ReplSession(configuration: ReplSession.Configuration(
        interactive: interactive, workingDirectory: directory, entryPath: interactive ? "<repl>" : "<stdin>"
    ))
    let reader = ScriptedLineReader(inputs)
    let console = CapturingConsole()
    let loop = ReplLoop(session: session, reader: reader, console: console, interactive: interactive, colored: false, banner: "banner\n")
    return (loop.run(), reader, console)
}

func runRepl(lines: [String], interactive: Bool = false) -> (status: Int32, reader: ScriptedLineReader, console: CapturingConsole) {
    runRepl(lines.map(LineInput.text), interactive: interactive)
}

@Suite struct ReplLoopTests {
    @Test func pipedValuesAndPrint() {
        let run = runRepl(lines: ["let x = 1", "print(x)", "x + 2"])
        #expect(run.console.output == "1\n3\n")
        #expect(run.console.errors == "")
        #expect(run.status == 0)
    }

    @Test func pipedSessionHasNoPromptsOrBanner() {
        let run = runRepl(lines: ["1"])
        #expect(run.reader.prompts == ["", ""])
        #expect(!run.console.output.contains("banner"))
    }

    @Test func interactivePromptsAndBanner() {
        let run = runRepl(lines: ["[1,", "2]"], interactive: true)
        #expect(run.reader.prompts == ["slsx> ", "  ... ", "slsx> "])
        #expect(run.console.output == "banner\n[1, 2]\n\n")
        #expect(run.status == 0)
    }

    @Test func declarationReportsModelProblemOnce() {
        let run = runRepl(lines: [
            #"let bad = { arn: "arn:aws:kinesis:us-east-1:123456789012:stream/a", batchSize: 0 }"#,
            #"function "f" { handler: "h.handle", stream bad }"#,
            #"function "g" { handler: "h.handle" }"#,
        ])
        #expect(run.console.output == "function f: 1 stream (kinesis a)\nfunction g: no events\n")
        #expect(run.console.errors == """
            <stdin>:1:80: error: `batchSize` must be from 1 to 10000, but is 0
             1 | let bad = { arn: "arn:aws:kinesis:us-east-1:123456789012:stream/a", batchSize: 0 }
               |                                                                                ^
            help: use a value that is from 1 to 10000

            """)
        #expect(run.status == 1)
    }

    @Test func pipedFailureSetsStatusAndLocation() {
        let run = runRepl(lines: ["let x = 1", "", "let y = x +", "  missing", "print(x)"])
        #expect(run.status == 1)
        #expect(run.console.output == "1\n")
        #expect(run.console.errors.hasPrefix("<stdin>:4:3: error: "))
        #expect(run.console.errors.contains(" 4 |   missing\n"))
    }

    @Test func interactiveFailureKeepsStatusZero() {
        let run = runRepl(lines: ["nope"], interactive: true)
        #expect(run.status == 0)
        #expect(run.console.errors.hasPrefix("<repl>:1:1: error: "))
    }

    @Test func failedEntryChangesNothing() {
        let run = runRepl(lines: ["let a = 1", "let a = 2\nlet b = missing", "a", ":vars"])
        #expect(run.console.output == "1\na: int = 1\n")
    }

    @Test func interruptAbandonsPendingEntry() {
        let run = runRepl([.text("let f = [1,"), .interrupted, .text(":vars")], interactive: true)
        #expect(run.console.output == "banner\n\nno names are bound\n\n")
        #expect(run.reader.prompts == ["slsx> ", "  ... ", "slsx> ", "slsx> "])
    }

    @Test func blankLineAbandonsOnlyInteractively() {
        let interactive = runRepl(lines: ["[1,", "", "5"], interactive: true)
        #expect(interactive.console.output == "banner\n5\n\n")

        let piped = runRepl(lines: ["[1,", "", "2]"])
        #expect(piped.console.output == "[1, 2]\n")
    }

    @Test func pendingEntryAtEndOfPipedInputIsReported() {
        let run = runRepl(lines: ["let x = 1", "[1,"])
        #expect(run.status == 1)
        #expect(run.console.errors.hasPrefix("<stdin>:2:"))
    }

    @Test func quitStopsReading() {
        let run = runRepl(lines: ["1", ":quit", "2"])
        #expect(run.console.output == "1\n")
        #expect(run.status == 0)
    }

    @Test func historyGetsWholeEntries() {
        let run = runRepl(lines: ["[1,", "2]", ":vars", "", "nope", "[3,", "", "4"], interactive: true)
        #expect(run.reader.history == ["[1,\n2]", ":vars", "nope", "4"])
    }

    @Test func recalledMultilineEntryEvaluatesWhole() {
        let run = runRepl(lines: ["[     // opening\n  5,  // five\n  6\n]"])
        #expect(run.console.output == "[5, 6]\n")
    }

    @Test func unbalancedCloserIsAnError() {
        let run = runRepl(lines: ["}", "1"])
        #expect(run.console.errors.hasPrefix("<stdin>:1:1: error: "))
        #expect(run.console.output == "1\n")
    }

    @Test func previewRejectsDocumentTooDeep() {
        let lines = ["var x = {}", "for i in 0..<300 { x = {a: x} }", "service \"ab\"", "custom: x"]
        let expected = """
            <stdin>:2:24: error: the document is nested more than 256 levels deep under 'custom'
             2 | for i in 0..<300 { x = {a: x} }
               |                        ^^^^^^
            help: serverless.yml documents nest only a few levels; look for a loop that wraps a value on every step

            """
        // The declaration reports the error once, and each preview reports it again.
        for command in [":json", ":yaml", ":model", ":cfn"] {
            let run = runRepl(lines: lines + [command])
            #expect(run.console.output == "service ab\nfield custom\n")
            #expect(run.console.errors == expected + expected)
            #expect(run.status == 1)
        }
    }

    /// A session whose `resources` block `slsx emit` rejects in every format: a `DependsOn` cycle
    /// and a resource that is not a map.
    static let invalidResourceLines = [
        #"service "svc""#,
        #"provider { name: "aws", runtime: "nodejs20.x" }"#,
        #"resources { Resources: { A: { Type: "AWS::SQS::Queue", DependsOn: "B" }, B: { Type: "AWS::SQS::Queue", DependsOn: "A" }, C: 5 } }"#,
    ]

    /// The errors of `invalidResourceLines`, rendered as piped input shows them.
    static let invalidResourceErrors = """
        <stdin>:3:67: error: `DependsOn` forms a cycle: `A` → `B` → `A`
         3 | resources { Resources: { A: { Type: "AWS::SQS::Queue", DependsOn: "B" }, B: { Type: "AWS::SQS::Queue", DependsOn: "A" }, C: 5 } }
           |                                                                   ^^^
        help: remove one of these dependencies, because CloudFormation cannot create resources that wait for each other
        <stdin>:3:125: error: the resource `C` must be a map with `Type` and `Properties`, not an integer
         3 | resources { Resources: { A: { Type: "AWS::SQS::Queue", DependsOn: "B" }, B: { Type: "AWS::SQS::Queue", DependsOn: "A" }, C: 5 } }
           |                                                                                                                             ^
        help: write `C: { Type: "AWS::SQS::Queue", Properties: { ... } }`

        """

    @Test func resourcesDeclarationReportsResourceErrors() {
        let run = runRepl(lines: Self.invalidResourceLines)
        #expect(run.console.output == "service svc\nprovider\nresources\n")
        #expect(run.console.errors == Self.invalidResourceErrors)
        #expect(run.status == 1)
    }

    /// Each preview reports what `slsx emit` reports for the same script read from standard input,
    /// after the declaration has reported the errors once.
    @Test(arguments: [(":cfn", OutputFormat.cfnYAML), (":cfn json", .cfnJSON), (":yaml", .yaml), (":json", .json)])
    func previewReportsEmitResourceErrors(command: String, format: OutputFormat) {
        let emitted = Pipeline.run(
            text: Self.invalidResourceLines.joined(separator: "\n"), path: "<stdin>", options: PipelineOptions(format: format))
        let emitErrors = DiagnosticRenderer(colored: false).render(emitted.diagnostics)
        #expect(emitErrors == Self.invalidResourceErrors)
        #expect(emitted.output == nil)

        let run = runRepl(lines: Self.invalidResourceLines + [command])
        #expect(run.console.output == "service svc\nprovider\nresources\n")
        #expect(run.console.errors == Self.invalidResourceErrors + emitErrors)
        #expect(run.status == 1)
    }

    /// An entry that adds the `service` after the `resources` reports the resources' errors, because
    /// the check waits for a document that decodes without errors.
    @Test func serviceAfterResourcesReportsResourceErrors() {
        let lines = [Self.invalidResourceLines[2], Self.invalidResourceLines[0], Self.invalidResourceLines[1]]
        // The same errors as in `invalidResourceErrors`, on input line 1 instead of 3.
        var expected = Self.invalidResourceErrors.replacingOccurrences(of: "<stdin>:3:", with: "<stdin>:1:")
        expected = expected.replacingOccurrences(of: " 3 | ", with: " 1 | ")

        let run = runRepl(lines: lines)
        #expect(run.console.output == "resources\nservice svc\nprovider\n")
        #expect(run.console.errors == expected)
        #expect(run.status == 1)
    }

    @Test func deeplyNestedValueDoesNotCrash() {
        let run = runRepl(lines: ["var x = []", "for i in 0..<100000 { x = [x] }", "len(x)", ":type x", "x", ":reset"])
        let lines = run.console.output.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines.prefix(2) == ["1", "list"])
        #expect(lines.dropFirst(2).first?.count == 200_002)
        #expect(lines.last == "session reset: no bindings or declarations")
        #expect(run.status == 0)
    }

    @Test func completionProviderInstalled() {
        let run = runRepl(lines: [])
        #expect(run.reader.completionProvider?(CompletionRequest(word: ":he", textBeforeWord: "")) == [":help"])
    }

    @Test func completionSeesSessionState() {
        let session = ReplSession(configuration: ReplSession.Configuration(
            interactive: true, workingDirectory: NSTemporaryDirectory(), entryPath: "<repl>"
        ))
        _ = session.submit(line: "let ordersTable = {region: 1, name: 2}")
        _ = session.submit(line: "stream {")
        #expect(session.completions(for: CompletionRequest(word: "ordersT", textBeforeWord: "")) == ["ordersTable"])
        #expect(session.completions(for: CompletionRequest(word: "ordersTable.r", textBeforeWord: "")) == ["ordersTable.region"])
        #expect(session.completions(for: CompletionRequest(word: "batchS", textBeforeWord: "  ")) == ["batchSize"])
    }
}

@Suite struct ReplCommandTests {
    @Test func unknownCommandSuggestsClosest() {
        let run = runRepl(lines: [":yamll"])
        #expect(run.console.errors == "error: unknown command ':yamll'\nhelp: did you mean ':yaml'? type :help for the list of commands\n")
        #expect(run.status == 1)
    }

    @Test func helpListsCommands() {
        let run = runRepl(lines: [":help"])
        #expect(run.console.output == ReplCommandTable.helpText)
    }

    @Test func helpListsBuiltins() {
        let run = runRepl(lines: [":help builtins", ":help nope"])
        #expect(run.console.output.hasPrefix("  len("))
        #expect(run.console.output.split(separator: "\n").count == Session.builtinSummaries.count)
        #expect(run.console.errors == "error: unknown argument 'nope' for :help\nhelp: use ':help' or ':help builtins'\n")
    }

    @Test func varsListsBindingsInOrder() {
        let run = runRepl(lines: ["let b = \"x\"", "let a = [1]", ":vars"])
        #expect(run.console.output == "b: string = \"x\"\na: list = [1]\n")
    }

    @Test func varsCutsLongValues() {
        let run = runRepl(lines: ["let long = range(100)", ":vars"])
        let value = "[" + (0..<100).map(String.init).joined(separator: ", ")
        #expect(run.console.output == "long: list = " + String(value.prefix(117)) + "...\n")
    }

    @Test func typeShowsTypeWithoutBinding() {
        let run = runRepl(lines: [":type [1, 2]", ":type \"a\"", ":vars"])
        #expect(run.console.output == "list\nstring\nno names are bound\n")
    }

    @Test func typeErrorPointsAtTypedColumn() {
        let run = runRepl(lines: ["1", ":type  1 + nope"])
        #expect(run.console.errors.hasPrefix("<stdin>:2:12: error: "))
        #expect(run.console.errors.contains(" 2 |        1 + nope\n   |            ^^^^\n"))
    }

    @Test func typeRejectsStatements() {
        let run = runRepl(lines: [":type let x = 1", ":vars"])
        #expect(run.console.errors.contains(":type takes one expression"))
        #expect(run.console.output == "no names are bound\n")
    }

    @Test func resetForgetsBindings() {
        let run = runRepl(lines: ["let a = 1", ":reset", ":vars"])
        #expect(run.console.output == "session reset: no bindings or declarations\nno names are bound\n")
    }

    @Test func argumentChecks() {
        let run = runRepl(lines: [":vars x", ":load"])
        #expect(run.console.errors.contains("error: :vars takes no argument, but got 'x'"))
        #expect(run.console.errors.contains("error: :load needs FILE, for example :load service.slsx"))
    }

    @Test func loadEvaluatesFileWithItsName() throws {
        let folder = NSTemporaryDirectory() + "slsx-load-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "let loaded = 41 + 1\n".write(toFile: folder + "/good.slsx", atomically: true, encoding: .utf8)
        try "let a = 1\nlet b = missing\n".write(toFile: folder + "/bad.slsx", atomically: true, encoding: .utf8)

        try "let spaced = 7\n".write(toFile: folder + "/my file.slsx", atomically: true, encoding: .utf8)

        let run = runRepl([
            .text(":load good.slsx"), .text("loaded"), .text(":load bad.slsx"), .text(":load none.slsx"),
            .text(":load \"my file.slsx\""), .text(":load my file.slsx"), .text("spaced"),
        ], directory: folder)
        #expect(run.console.output == "42\n7\n")
        #expect(run.console.errors.hasPrefix("bad.slsx:2:9: error: "))
        #expect(run.console.errors.contains("error: cannot read 'none.slsx': no such file"))
    }
}

@Suite struct DeclarationSummaryTests {
    @Test func functionWithOneStream() {
        let run = runRepl(lines: [
            "function \"orders-indexer\" { handler: \"h.handle\", stream { arn: \"arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000\" } }",
        ])
        #expect(run.console.output == "function orders-indexer: 1 stream (dynamodb orders)\n")
    }

    @Test func functionWithTwoStreamsAndOtherEvent() {
        let run = runRepl(lines: [
            "function \"f\" {",
            "  handler: \"h.f\"",
            "  stream \"arn:aws:kinesis:us-east-1:123456789012:stream/clicks\"",
            "  stream { arn: GetAtt(\"Table\", \"StreamArn\"), type: \"dynamodb\" }",
            "  event { http: { path: \"/\", method: \"get\" } }",
            "}",
        ])
        #expect(run.console.output == "function f: 2 streams (kinesis clicks, Table), 1 http event\n")
    }

    @Test func serviceAndProvider() {
        let run = runRepl(lines: ["service \"billing\"", "provider { region: \"us-east-1\" }"])
        #expect(run.console.output == "service billing\nprovider\n")
    }
}

@Suite struct ReplOutputCommandTests {
    private let session = [
        "service \"billing\"",
        "let account = \"123456789012\"",
        "function \"orders-indexer\" {",
        "  handler: \"src/indexer.handle\"",
        "  stream { arn: \"arn:aws:dynamodb:us-east-1:\\(account):table/orders/stream/2024-01-01T00:00:00.000\", batchSize: 100 }",
        "  stream { arn: \"arn:aws:kinesis:us-east-1:\\(account):stream/clicks\", startingPosition: \"LATEST\" }",
        "}",
    ]

    private let expectedYAML = """
        service: billing
        provider:
          name: aws
        functions:
          orders-indexer:
            handler: src/indexer.handle
            events:
              - stream:
                  arn: arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000
                  batchSize: 100
              - stream:
                  arn: arn:aws:kinesis:us-east-1:123456789012:stream/clicks
                  startingPosition: LATEST

        """

    @Test func yamlShowsSessionDocument() {
        let run = runRepl(lines: session + [":yaml"])
        #expect(run.console.output == "service billing\nfunction orders-indexer: 2 streams (dynamodb orders, kinesis clicks)\n" + expectedYAML)
        #expect(run.console.errors == "")
        #expect(run.status == 0)
    }

    @Test func jsonShowsSameDocument() {
        let run = runRepl(lines: ["service \"billing\"", ":json"])
        #expect(run.console.output == "service billing\n{\n  \"service\": \"billing\",\n  \"provider\": {\n    \"name\": \"aws\"\n  }\n}\n")
    }

    @Test func cfnWritesTemplate() {
        let yaml = runRepl(lines: session + [":cfn"])
        #expect(yaml.console.output.contains("\nAWSTemplateFormatVersion: \"2010-09-09\"\n"))
        #expect(yaml.console.output.contains("  OrdersDashindexerEventSourceMappingDynamodbOrders:\n"))

        let json = runRepl(lines: session + [":cfn json"])
        #expect(json.console.output.contains("\n{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n"))

        let unknown = runRepl(lines: [":cfn xml"])
        #expect(unknown.console.errors == "error: unknown argument 'xml' for :cfn\nhelp: use ':cfn' or ':cfn yaml' or ':cfn json'\n")
        #expect(unknown.status == 1)
    }

    @Test func modelShowsDefaults() {
        let run = runRepl(lines: session + [":model"])
        let expected = """
            service billing
            provider aws, region us-east-1 (default), stage dev (default)
            function orders-indexer (handler src/indexer.handle)
              stream dynamodb
                arn: arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000
                type: dynamodb (from the arn)
                batchSize: 100
                startingPosition: TRIM_HORIZON (default)
                enabled: true (default)
              stream kinesis
                arn: arn:aws:kinesis:us-east-1:123456789012:stream/clicks
                type: kinesis (from the arn)
                batchSize: 10 (default)
                startingPosition: LATEST
                enabled: true (default)

            """
        #expect(run.console.output.hasSuffix(expected))
    }

    @Test func invalidDocumentReportsEntryLine() {
        let run = runRepl(lines: ["service \"billing\"", "function \"f\" {", "  stream \"arn:aws:kinesis:us-east-1:1:stream/s\"", "}", ":yaml"])
        #expect(run.console.errors.hasPrefix("<stdin>:2:"))
        #expect(run.console.errors.contains("handler"))
        #expect(run.status == 1)
    }

    @Test func savedScriptEmitsSameYAML() throws {
        let folder = NSTemporaryDirectory() + "slsx-save-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }

        let inputs = (session + ["len([1, 2])", "{a: 1}", "nope", ":save saved.slsx"]).map(LineInput.text)
        let run = runRepl(inputs, directory: folder)
        #expect(run.console.output.hasSuffix("2\n{a: 1}\nsaved 4 entries to saved.slsx\n"))

        let emitted = Pipeline.run(SourceFile(path: folder + "/saved.slsx", text: try String(contentsOfFile: folder + "/saved.slsx", encoding: .utf8)))
        #expect(emitted.diagnostics.isEmpty)
        #expect(emitted.output == expectedYAML)
    }

    @Test func saveKeepsReadOnlyFile() throws {
        let folder = NSTemporaryDirectory() + "slsx-save-readonly-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/kept.slsx"
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o444)

        let run = runRepl(lines: ["let x = 1", ":save \(path)"])
        #expect(run.console.errors == "error: cannot write '\(path)': it is read-only; make it writable (chmod u+w) or remove it first\n")
        #expect(run.status == 1)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
    }

    @Test func saveOntoDeviceGivesReplHint() {
        let run = runRepl(lines: [":save /dev/full"])
        #expect(run.console.errors
            == "error: cannot write '/dev/full': it is not a regular file (a device, FIFO or socket); name a regular file, such as :save session.slsx\n")
        #expect(run.status == 1)
    }

    @Test func saveReportsUnwritablePath() {
        let run = runRepl(lines: [":save /nonexistent-folder/x.slsx"])
        #expect(run.console.errors.hasPrefix("error: cannot write '/nonexistent-folder/x.slsx': "))
        #expect(run.status == 1)
    }
}

/// Invalid UTF-8 in the REPL is reported as `slsx emit` reports it in a file: located, with the
/// byte's value, and the entry changes nothing.
@Suite struct ReplInvalidUTF8Tests {
    /// `let a = "x<0xFF>y"`, an entry whose string contains an invalid byte.
    static let entryWithInvalidByte = Array(#"let a = "x"#.utf8) + [0xFF] + Array(#"y""#.utf8)

    @Test func tooLongLineDropsEntry() {
        // The reader skipped a line over its bound; the pending entry goes, and the next one runs.
        let run = runRepl([.text("[1,"), .tooLong(maximumBytes: 16), .text("1 + 1")])

        #expect(run.console.errors == """
            error: the input line is longer than 16 bytes, the longest line the REPL reads, so the entry was dropped
            help: put a long value in a file and import it, or :load the file

            """)
        #expect(run.console.output == "2\n")
        #expect(run.status == 1)
    }

    @Test func pipedLineReportsByteInString() {
        let run = runRepl([.line(Self.entryWithInvalidByte), .text(":vars")])
        #expect(run.console.errors == """
            <stdin>:1:11: error: invalid UTF-8 byte 0xFF in a string
             1 | let a = "x\u{FFFD}y"
               |           ^
            help: save the file as UTF-8; a lone byte such as 0xFF usually comes from text saved in another encoding

            """)
        #expect(run.console.output == "no names are bound\n")
        #expect(run.status == 1)
    }

    @Test func continuedEntryReportsInputLine() {
        let run = runRepl([.text("[1,"), .line([0xE4] + Array("]".utf8))])
        #expect(run.console.errors == """
            <stdin>:2:1: error: invalid UTF-8 byte 0xE4
             2 | \u{FFFD}]
               | ^
            help: save the file as UTF-8; a lone byte such as 0xFF usually comes from text saved in another encoding

            """)
        #expect(run.status == 1)
    }

    @Test func loadReportsByteLikeEmit() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slsx-load-utf8-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(Self.entryWithInvalidByte + [UInt8(ascii: "\n")]).write(to: URL(fileURLWithPath: folder + "/f.slsx"))

        let run = runRepl([.text(":load f.slsx"), .text(":vars")], directory: folder)

        #expect(run.console.errors == """
            f.slsx:1:11: error: invalid UTF-8 byte 0xFF in a string
             1 | let a = "x\u{FFFD}y"
               |           ^
            help: save the file as UTF-8; a lone byte such as 0xFF usually comes from text saved in another encoding

            """)
        #expect(run.console.output == "no names are bound\n")
        #expect(run.status == 1)
    }

    @Test func commandWithInvalidByteFails() {
        let run = runRepl([.line(Array(":load ".utf8) + [0xFF])])
        #expect(run.console.errors == "error: invalid UTF-8 byte 0xFF in a command\n")
        #expect(run.status == 1)
    }

    @Test func validMultibyteTextIsAccepted() {
        let run = runRepl([.line(Array(#"let a = "Bälle ☃ 🚀""#.utf8)), .text("len(a)")])
        #expect(run.console.errors == "")
        #expect(run.console.output == "9\n")
        #expect(run.status == 0)
    }

    @Test(arguments: [
        ([UInt8](), nil),
        (Array("a é ☃ 🚀".utf8), nil),
        ([0x61, 0xFF, 0x62], UInt8(0xFF)),
        ([0xE2, 0x98], UInt8(0xE2)),
        ([0xC0, 0x80], UInt8(0xC0)),
    ] as [([UInt8], UInt8?)])
    func firstInvalidByte(bytes: [UInt8], expected: UInt8?) {
        #expect(ReplSession.firstInvalidUTF8Byte(in: bytes) == expected)
    }
}
