import Foundation
import SlsxModel
import SlsxSource
import Testing
@testable import SlsxCloudFormation

/// Runs every case of `Tests/Fixtures/serverless-stream-cases.json`: how the Serverless Framework
/// compiles stream events, case by case (Tests/Fixtures/README.md says where the table comes from).
@Suite("Serverless Framework stream cases")
struct FrameworkCaseTests {
    typealias T = TestSupport

    /// `Tests/Fixtures/serverless-stream-cases.json`, found from this file's path.
    static let casesPath: String = {
        var components = #filePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        components.removeLast(2)  // FrameworkCaseTests.swift, SlsxCloudFormationTests
        return (components + ["Fixtures", "serverless-stream-cases.json"]).joined(separator: "/")
    }()

    /// Returns the cases and the file their spans point into, which the caller keeps alive while
    /// it compiles them.
    static func loadCases() -> (file: SourceFile, cases: [Node])? {
        guard let data = FileManager.default.contents(atPath: casesPath) else { return nil }
        let file = SourceFile(path: casesPath, bytes: Array(data))
        guard let document = try? JSONReader.read(file), let cases = document.sequenceValue else { return nil }
        return (file, cases)
    }

    @Test("every case matches the framework")
    func everyCase() throws {
        guard let (file, cases) = Self.loadCases() else {
            Issue.record("cannot read \(Self.casesPath)")
            return
        }
        #expect(cases.count == 49)
        for testCase in cases {
            check(testCase)
        }
        withExtendedLifetime(file) {}
    }

    private func check(_ testCase: Node) {
        let id = testCase["id"]?.stringValue ?? "?"
        var config = testCase["serverless"] ?? .mapping([])
        if config["service"] == nil { config = prepend("service", .string("new-service"), to: config) }
        let expect = testCase["expect"] ?? .mapping([])

        var (template, diagnostics) = compile(config)

        // The framework never checks references, so some cases name resources they do not declare;
        // slsx rejects those. Such a case must fail only for that reason, and compile to the
        // expected output once the names are declared.
        let missing = Self.missingNames(in: diagnostics)
        if !missing.isEmpty {
            let others = diagnostics.filter { $0.severity == .error && !$0.message.contains("which is not a resource") }
            #expect(others.isEmpty, "case \(id): \(others.map(\.message))")
            (template, diagnostics) = compile(declaring: missing, in: config)
        }

        if let expectedError = expect["error"]?.stringValue {
            let terms = Self.settingTerms(in: expectedError)
            let matched = diagnostics.contains { diagnostic in
                diagnostic.severity == .error && terms.allSatisfy { diagnostic.message.contains($0) }
            }
            #expect(matched, "case \(id): no error mentions \(terms); got \(diagnostics.map(\.message))")
            return
        }

        let errors = diagnostics.filter { $0.severity == .error }.map(\.message)
        #expect(errors.isEmpty, "case \(id): \(errors)")
        // The stream resources are compared as the stream compiler writes them (the fragment),
        // because full templates drop `DependsOn` entries that a `Ref` implies. Roles come from the
        // full template.
        let fragment = compileFragment(config)
        let resources = template?["Resources"]
        for entry in expect["resources"]?.mappingValue ?? [] {
            let actual = fragment?["Resources"]?[entry.key] ?? resources?[entry.key]
            #expect(actual.map { T.sameJSON($0, entry.value) } == true,
                    "case \(id): resource \(entry.key)\nexpected \(T.text(entry.value))\nactual   \(T.text(actual))")
        }
        // No stream resources beyond the expected ones.
        let streamTypes: Set<String> = ["AWS::Lambda::EventSourceMapping", "AWS::Kinesis::StreamConsumer"]
        let actualStreamIDs = (resources?.mappingValue ?? [])
            .filter { streamTypes.contains($0.value["Type"]?.stringValue ?? "") }.map(\.key)
        let expectedIDs = Set(expect["resources"]?.mappingValue?.map(\.key) ?? [])
        #expect(actualStreamIDs.allSatisfy { expectedIDs.contains($0) }, "case \(id): extra \(actualStreamIDs)")

        let expectedStatements = expect["iamStatements"] ?? .sequence([])
        let actualStatements = Node.sequence(T.sharedStreamStatements(template))
        #expect(T.sameJSON(actualStatements, expectedStatements),
                "case \(id): statements\nexpected \(T.text(expectedStatements))\nactual   \(T.text(actualStatements))")
    }

    private func compileFragment(_ config: Node) -> Node? {
        guard let service = ServiceDecoder.decode(config).service else { return nil }
        return CloudFormationCompiler(options: .init(mode: .streamResourcesOnly)).compile(service).template
    }

    private func compile(_ config: Node) -> (Node?, [Diagnostic]) {
        let decoded = ServiceDecoder.decode(config)
        guard let service = decoded.service else { return (nil, decoded.diagnostics) }
        let compiled = CloudFormationCompiler().compile(service)
        return (compiled.template, decoded.diagnostics + compiled.diagnostics)
    }

    /// Compiles `config` with a placeholder resource under each of `names` in `resources.Resources`.
    private func compile(declaring names: [String], in config: Node) -> (Node?, [Diagnostic]) {
        let placeholders = names.map { name in
            Node.Entry(name, .mapping(["Type": .string("AWS::CloudFormation::WaitConditionHandle")]))
        }
        var resources = config["resources"] ?? .mapping([])
        resources.set("Resources", .mapping((resources["Resources"]?.mappingValue ?? []) + placeholders))
        var declared = config
        declared.set("resources", resources)
        return compile(declared)
    }

    /// Collects the names that reference errors report as missing, each once, in order.
    static func missingNames(in diagnostics: [Diagnostic]) -> [String] {
        var names: [String] = []
        for diagnostic in diagnostics where diagnostic.message.contains("which is not a resource") {
            guard let start = diagnostic.message.firstRange(of: "names `")?.upperBound,
                  let end = diagnostic.message[start...].firstIndex(of: "`")
            else { continue }
            let name = String(diagnostic.message[start..<end])
            if !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// The setting names and values in a framework message (`startingPositionTimestamp`,
    /// `AT_TIMESTAMP`): slsx words its messages differently, but a message that matches must name
    /// the same settings.
    static func settingTerms(in message: String) -> [String] {
        message.split(whereSeparator: { $0 == " " || $0 == ":" || $0 == "," }).map(String.init).filter { word in
            let hasInnerCapital = word.dropFirst().contains { $0.isUppercase } && word.contains { $0.isLowercase }
            let isConstant = word.contains("_") && word.allSatisfy { $0.isUppercase || $0 == "_" }
            return hasInnerCapital || isConstant
        }
    }

    private func prepend(_ key: String, _ value: Node, to node: Node) -> Node {
        .mapping([Node.Entry(key, value)] + (node.mappingValue ?? []))
    }
}
