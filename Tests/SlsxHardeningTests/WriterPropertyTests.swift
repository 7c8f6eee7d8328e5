import Foundation
import SlsxModel
import Testing
import SlsxTestSupport

/// Random models through the JSON and YAML writers must read back equal: JSON with JSONReader,
/// YAML with PyYAML through `scripts/yaml_roundtrip.py`, which compares each YAML file with the
/// JSON the JSON writer made of the same model.
@Suite struct WriterPropertyTests {
    static let packageDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Pieces of strings that JSON or YAML give a meaning, glued together at random.
    static let fragments = [
        "a", "Z", "0", "7", "-", "+", ".", "_", ":", ": ", " #", "#", " ", "\n", "\t", "'", "\"", "\\", "?", ",",
        "[", "]", "{", "}", "&", "*", "!", "|", ">", "%", "@", "`", "~", "yes", "No", "null", "true", ".inf",
        "2024-01-02", "0x1F", "1e3", "---", "...", "é", "🚀", "\u{0}", "\u{1F}", "\u{7F}", "\u{85}", "\u{A0}",
        "\u{2028}", "\u{FEFF}", "\r",
    ]

    static func randomString(_ generator: inout SeededGenerator) -> String {
        (0..<Int.random(in: 0...4, using: &generator)).map { _ in fragments.randomElement(using: &generator) ?? "" }.joined()
    }

    /// Returns a random tree up to `depth` levels deep. Floats are finite and not integral, because
    /// the compact JSON style writes an integral float as an integer.
    static func randomNode(_ generator: inout SeededGenerator, depth: Int) -> Node {
        let choice = Int.random(in: 0..<(depth > 0 ? 8 : 6), using: &generator)
        switch choice {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .integer(Int64.random(in: .min ... .max, using: &generator))
        case 3: return .float(Double.random(in: -1e300...1e300, using: &generator) + 0.5)
        case 4, 5: return .string(randomString(&generator))
        case 6:
            return .sequence((0..<Int.random(in: 0...4, using: &generator)).map { _ in randomNode(&generator, depth: depth - 1) })
        default:
            var entries: [Node.Entry] = []
            var keys: Set<String> = []
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                let key = randomString(&generator)
                if keys.insert(key).inserted {
                    entries.append(Node.Entry(key, randomNode(&generator, depth: depth - 1)))
                }
            }
            return .mapping(entries)
        }
    }

    @Test func jsonReadsBackEqual() throws {
        var generator = SeededGenerator(seed: 17)
        for _ in 0..<1000 {
            let node = Self.randomNode(&generator, depth: 5)
            let text = try JSONWriter().write(node)
            #expect(try JSONReader.read(text) == node, "JSON round trip changed:\n\(text)")
        }
    }

    @Test func compactJSONReadsBackEqual() throws {
        var generator = SeededGenerator(seed: 19)
        for _ in 0..<1000 {
            let node = Self.randomNode(&generator, depth: 5)
            let text = try JSONWriter(style: .compact).write(node)
            #expect(try JSONReader.read(text) == node, "compact JSON round trip changed:\n\(text)")
        }
    }

    @Test func pyYAMLReadsBackEqual() throws {
        guard let python = Self.pythonWithPyYAML() else {
            // A machine without python3 and PyYAML cannot run this check; CI has both.
            print("skipping WriterPropertyTests.pyYAMLReadsBackEqual: python3 with PyYAML not found")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("slsx-yaml-property-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        // One process checks every pair, so the test starts python3 once.
        var generator = SeededGenerator(seed: 23)
        var arguments = [Self.packageDirectory.appendingPathComponent("scripts/yaml_roundtrip.py").path]
        for index in 0..<300 {
            // The document root is a mapping, as in every file the tool writes.
            var node = Self.randomNode(&generator, depth: 5)
            if node.mappingValue == nil {
                node = .mapping([Node.Entry("value", node)])
            }
            let yamlURL = directory.appendingPathComponent("\(index).yaml")
            let jsonURL = directory.appendingPathComponent("\(index).json")
            try Data(try YAMLWriter().write(node).utf8).write(to: yamlURL)
            try Data(try JSONWriter().write(node).utf8).write(to: jsonURL)
            arguments += [yamlURL.path, jsonURL.path]
        }
        let (status, errorOutput) = try Self.run(python, arguments)
        #expect(status == 0, "yaml_roundtrip.py failed: \(errorOutput)")
    }

    // MARK: - Running python3

    static func pythonWithPyYAML() -> String? {
        for candidate in ["/usr/bin/python3", "/usr/local/bin/python3", "/opt/homebrew/bin/python3"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            if let (status, _) = try? run(candidate, ["-c", "import yaml"]), status == 0 {
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
