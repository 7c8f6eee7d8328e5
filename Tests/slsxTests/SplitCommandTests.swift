import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `slsx emit --split DIR` and its options, run as a process.
@Suite struct SplitCommandTests {
    static let script = """
        service "wide"
        for i in range(20) {
          function "f\\(i)" {
            handler: "h.handle"
            stream "arn:aws:kinesis:us-east-1:123456789012:stream/s\\(i)"
          }
        }
        """

    static func scratchFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slsx-split-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func splitWritesRootAndStacks() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out")

        let result = try SlsxProcess.run(["emit", "-", "--format", "cfn-json", "--split", output.path, "--stacks", "4"], input: Self.script)

        #expect(result.status == 0)
        #expect(result.standardOutput == "")
        let root = try String(contentsOf: output.appendingPathComponent("template.json"), encoding: .utf8)
        #expect(root.contains("\"TemplateURL\": \"stacks/FunctionStack"))
        let stacks = try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("stacks").path)
        #expect(!stacks.isEmpty)
        #expect(stacks.allSatisfy { $0.hasPrefix("FunctionStack") && $0.hasSuffix(".json") })
    }

    /// Without `--stacks`, a split keeps the stack count of the folder it replaces.
    @Test func splitKeepsPreviousStackCount() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out")
        let stacks = output.appendingPathComponent("stacks")

        let first = try SlsxProcess.run(["emit", "-", "--format", "cfn-json", "--split", output.path, "--stacks", "4"], input: Self.script)
        let before = try FileManager.default.contentsOfDirectory(atPath: stacks.path).sorted()
        let second = try SlsxProcess.run(["emit", "-", "--format", "cfn-json", "--split", output.path], input: Self.script)
        let after = try FileManager.default.contentsOfDirectory(atPath: stacks.path).sorted()
        let fresh = folder.appendingPathComponent("fresh")
        let third = try SlsxProcess.run(["emit", "-", "--format", "cfn-json", "--split", fresh.path], input: Self.script)

        #expect(first.status == 0)
        #expect(second.status == 0)
        #expect(third.status == 0)
        #expect(before == ["FunctionStack0.json", "FunctionStack1.json", "FunctionStack2.json", "FunctionStack3.json"])
        #expect(after == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: fresh.appendingPathComponent("stacks").path) == ["FunctionStack0.json"])
    }

    @Test func splitReplacesEarlierSplit() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: output.appendingPathComponent("stacks"), withIntermediateDirectories: true)
        try "old".write(to: output.appendingPathComponent("template.json"), atomically: true, encoding: .utf8)
        try "old".write(to: output.appendingPathComponent("stacks/FunctionStack0.json"), atomically: true, encoding: .utf8)
        chmod(output.path, 0o750)

        let result = try SlsxProcess.run(["emit", "-", "--format", "cfn-yaml", "--split", output.path], input: Self.script)

        #expect(result.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).sorted() == ["stacks", "template.yaml"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("stacks").path) == ["FunctionStack0.yaml"])
        let mode = try FileManager.default.attributesOfItem(atPath: output.path)[.posixPermissions] as? Int
        #expect(mode == 0o750)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out"])
    }

    /// `--split LINK` replaces the folder the link points to and keeps the link, as `-o` does.
    @Test func splitFollowsSymbolicLink() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("target")
        let link = folder.appendingPathComponent("link")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)

        let result = try SlsxProcess.run(["emit", "-", "--format", "cfn-json", "--split", link.path], input: Self.script)

        #expect(result.status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == target.path)
        #expect(FileManager.default.fileExists(atPath: target.appendingPathComponent("template.json").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["link", "target"])
    }

    /// A folder with anything but an earlier split in it is left alone: replacing it would delete
    /// the user's files.
    @Test func splitRejectsFolderWithOtherFiles() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: output.appendingPathComponent("stacks"), withIntermediateDirectories: true)
        for name in ["service.slsx", "notes.txt", "stacks/readme.md", "template.json"] {
            try "mine".write(to: output.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }

        let result = try SlsxProcess.run(["emit", "-", "--format", "cfn-json", "--split", output.path], input: Self.script)

        #expect(result.status == 3)
        #expect(result.standardError == """
            error: cannot write '\(output.path)': it holds files that are not an earlier split (notes.txt, service.slsx, \
            stacks/readme.md), and replacing the folder would delete them; name a new or empty folder, or one that holds only a split

            """)
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).sorted() == ["notes.txt", "service.slsx", "stacks", "template.json"])
        #expect(try String(contentsOf: output.appendingPathComponent("template.json"), encoding: .utf8) == "mine")
    }

    @Test func failedSplitKeepsOldFolder() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try "old".write(to: output.appendingPathComponent("template.json"), atomically: true, encoding: .utf8)

        let result = try SlsxProcess.run(["emit", "-", "--format", "cfn-json", "--split", output.path], input: Self.script + "\nlet broken = 1 / 0\n")

        #expect(result.status == 1)
        #expect(result.standardError.contains("error: division by zero"))
        #expect(try String(contentsOf: output.appendingPathComponent("template.json"), encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out"])
    }

    @Test(arguments: [
        (["emit", "a", "--split", "out"], "error: --split and --stacks apply only to full CloudFormation templates"),
        (["emit", "a", "--format", "cfn-json", "--stacks", "4"], "error: --stacks needs --split DIR"),
        (["emit", "a", "--format", "cfn-json", "--split", ""], "error: the folder name after --split is empty\nhelp: name a folder, such as '--split stacks'\n"),
        (["emit", "a", "--format", "cfn-json", "--split", "out", "-o", "x"], "error: --split writes to its folder, so it takes no -o"),
        (["emit", "a", "--format", "cfn-json", "--roles", "each"], "error: invalid --roles 'each'"),
        (["emit", "a", "--format", "cfn-json", "--policies", "small"], "error: invalid --policies 'small'"),
        (["emit", "a", "--format", "cfn-json", "--split", "out", "--stacks", "3"], "error: --stacks 3 is not a power of two from 1 to 256"),
        (["emit", "a", "--format", "cfn-json", "--split", "out", "--stacks", "512"], "error: --stacks 512 is not a power of two from 1 to 256"),
    ])
    func splitUsageErrors(arguments: [String], message: String) throws {
        let result = try SlsxProcess.run(arguments)

        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix(message))
    }
}
