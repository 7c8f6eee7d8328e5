import Foundation
import SlsxSource
import Testing

@testable import SlsxModel
import SlsxTestSupport

/// Writes the tricky values of `Fixtures/tricky-values.json` as YAML and as JSON, then has
/// `scripts/yaml_roundtrip.py` load the YAML with PyYAML (YAML 1.1) and compare it with the JSON.
struct YAMLRoundTripTests {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let packageDirectory = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()

    static func trickyValues() throws -> Node {
        let url = testsDirectory.appendingPathComponent("Fixtures/tricky-values.json")
        let bytes = try [UInt8](Data(contentsOf: url))
        return try JSONReader.read(SourceFile(path: url.path, bytes: bytes))
    }

    @Test func jsonWriterOutputReadsBackEqual() throws {
        let document = try Self.trickyValues()
        let text = try JSONWriter().write(document)
        #expect(try JSONReader.read(text) == document)

        // Compact mode writes integral floats as integers, so only the string sections read back equal.
        for key in ["strings", "keys"] {
            let section = try #require(document[key])
            #expect(try JSONReader.read(try JSONWriter(style: .compact).write(section)) == section)
        }
    }

    @Test func pyYAMLReadsTheSameValues() throws {
        guard let python = Self.pythonWithPyYAML() else {
            // CI has python3 and PyYAML; a machine without them cannot run this check.
            print("skipping YAMLRoundTripTests.pyYAMLReadsTheSameValues: python3 with PyYAML not found")
            return
        }
        let document = try Self.trickyValues()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("slsx-roundtrip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let yamlURL = directory.appendingPathComponent("values.yaml")
        let jsonURL = directory.appendingPathComponent("values.json")
        try Data(try YAMLWriter().write(document).utf8).write(to: yamlURL)
        try Data(try JSONWriter().write(document).utf8).write(to: jsonURL)

        let script = Self.packageDirectory.appendingPathComponent("scripts/yaml_roundtrip.py").path
        let result = try Self.run(python, [script, yamlURL.path, jsonURL.path])
        #expect(result.status == 0, "yaml_roundtrip.py failed: \(result.errorOutput)")
    }

    @Test func randomStringsReadBack() throws {
        guard let python = Self.pythonWithPyYAML() else {
            print("skipping YAMLRoundTripTests.randomStringsReadBack: python3 with PyYAML not found")
            return
        }
        // Strings glued from fragments that YAML gives a meaning, used as values, keys and list items.
        let fragments = [
            "a", "Z", "0", "1", "9", "-", "+", ".", "_", ":", ": ", " #", "#", " ", "  ", "\n", "\n\n", "\t",
            "'", "\"", "\\", "?", ",", "[", "]", "{", "}", "&", "*", "!", "|", ">", "%", "@", "`", "=", "<<",
            "~", "e", "x", "o", "b", "yes", "No", "null", "true", ".inf", ".nan", "2024-01-02", "12:30",
            "0x1F", "0o7", "1e3", "---", "...", "é", "世", "🚀", "\u{85}", "\u{2028}", "\u{A0}", "\u{7F}", "\r",
        ]
        var generator = SeededGenerator(seed: 0xA11CE)
        var strings: [String] = []
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<Int(generator.next() % 5) {
                text += fragments[Int(generator.next() % UInt64(fragments.count))]
            }
            strings.append(text)
        }
        var keyed: [Node.Entry] = []
        var seenKeys: Set<String> = []
        for (index, text) in strings.enumerated() where seenKeys.insert(text).inserted {
            keyed.append(Node.Entry(text, .string(strings[(index + 1) % strings.count])))
        }
        let document = Node.mapping([
            Node.Entry("list", .sequence(strings.map { .string($0) })),
            Node.Entry("map", .mapping(keyed)),
            Node.Entry("nested", .sequence(strings.prefix(200).map { .mapping([Node.Entry($0, .sequence([.string($0)]))]) })),
        ])

        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("slsx-roundtrip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let yamlURL = directory.appendingPathComponent("random.yaml")
        let jsonURL = directory.appendingPathComponent("random.json")
        try Data(try YAMLWriter().write(document).utf8).write(to: yamlURL)
        try Data(try JSONWriter().write(document).utf8).write(to: jsonURL)

        let script = Self.packageDirectory.appendingPathComponent("scripts/yaml_roundtrip.py").path
        let result = try Self.run(python, [script, yamlURL.path, jsonURL.path])
        #expect(result.status == 0, "yaml_roundtrip.py failed: \(result.errorOutput)")
    }

    @Test func yamlMatchesGolden() throws {
        let yaml = try YAMLWriter().write(try Self.trickyValues())
        let goldenURL = Self.testsDirectory.appendingPathComponent("Fixtures/tricky-values.yaml")
        if ProcessInfo.processInfo.environment["SLSX_UPDATE_GOLDENS"] == "1" {
            let old = try? String(contentsOf: goldenURL, encoding: .utf8)
            if old != yaml {
                try Data(yaml.utf8).write(to: goldenURL)
                print("updated golden \(goldenURL.path)")
            }
            return
        }
        let golden = try String(contentsOf: goldenURL, encoding: .utf8)
        #expect(yaml == golden, "run with SLSX_UPDATE_GOLDENS=1 to rewrite \(goldenURL.lastPathComponent)")
    }

    @Test func scriptReportsFirstDifference() throws {
        guard let python = Self.pythonWithPyYAML() else {
            print("skipping YAMLRoundTripTests.scriptReportsFirstDifference: python3 with PyYAML not found")
            return
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("slsx-roundtrip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        // A bare `yes` is a boolean to a YAML 1.1 reader, so it differs from the JSON string.
        let yamlURL = directory.appendingPathComponent("bare.yaml")
        let jsonURL = directory.appendingPathComponent("bare.json")
        try Data("tags:\n  enabled: yes\n".utf8).write(to: yamlURL)
        try Data(#"{"tags": {"enabled": "yes"}}"#.utf8).write(to: jsonURL)

        let script = Self.packageDirectory.appendingPathComponent("scripts/yaml_roundtrip.py").path
        let result = try Self.run(python, [script, yamlURL.path, jsonURL.path])
        #expect(result.status == 1)
        #expect(result.errorOutput == "\(yamlURL.path) differs from \(jsonURL.path) (YAML 1.1): "
            + "$.tags.enabled: YAML has bool True, JSON has str 'yes'\n")
    }

    // MARK: - Helpers

    /// Returns the first `python3` that can import PyYAML: on `PATH`, then in the usual system places.
    static func pythonWithPyYAML() -> String? {
        let pathDirectories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let candidates = (pathDirectories + ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"]).map { $0 + "/python3" }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            if let result = try? run(candidate, ["-c", "import yaml"]), result.status == 0 {
                return candidate
            }
        }
        return nil
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, errorOutput: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let errorPipe = Pipe()
        process.standardError = errorPipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let errorData = errorPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: errorData, as: UTF8.self))
    }
}
