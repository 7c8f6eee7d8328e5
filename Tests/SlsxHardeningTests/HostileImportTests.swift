import Foundation
import SlsxLanguage
import SlsxSource
import Testing

/// Imports that try to leave the entry script's folder, and import cycles. Each ends in one
/// located error.
@Suite struct HostileImportTests {
    /// A new folder holding `files` (relative path to text), with symbolic links from `links`
    /// (relative path to target); returns its path with symbolic links resolved.
    static func folder(_ files: [String: String], links: [String: String] = [:]) throws -> String {
        let manager = FileManager.default
        let root = manager.temporaryDirectory.appendingPathComponent("slsx-hostile-\(UUID().uuidString)")
            .resolvingSymlinksInPath()
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        for (path, target) in links {
            let url = root.appendingPathComponent(path)
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try manager.createSymbolicLink(atPath: url.path, withDestinationPath: target)
        }
        return root.path
    }

    /// Returns the first error of the script at `root/entry` as `file:line:column: message`, with `root`
    /// replaced by `ROOT`.
    static func firstError(_ root: String, _ entry: String = "app/main.slsx") -> String {
        let result = Evaluator.evaluate(path: root + "/" + entry, options: EvaluationOptions())
        guard let error = result.diagnostics.first(where: { $0.severity == .error }) else { return "<none>" }
        let place = error.span.map { "\($0.file.path):\($0.startLocation): " } ?? "<no location>: "
        return (place + error.message).replacingOccurrences(of: root, with: "ROOT")
    }

    @Test func parentFolderEscape() throws {
        let root = try Self.folder(["app/main.slsx": "import \"../secret.slsx\" as s\nx: s.k", "secret.slsx": "let k = 1"])
        #expect(Self.firstError(root) == "ROOT/app/main.slsx:1:8: import '../secret.slsx' resolves to ROOT/secret.slsx, outside the import root ROOT/app")
    }

    @Test func parentFolderEscapeThroughSubfolder() throws {
        let root = try Self.folder(["app/main.slsx": "import \"./lib/../../secret.slsx\" as s", "app/lib/a.slsx": "", "secret.slsx": "let k = 1"])
        #expect(Self.firstError(root) == "ROOT/app/main.slsx:1:8: import './lib/../../secret.slsx' resolves to ROOT/secret.slsx, outside the import root ROOT/app")
    }

    @Test func absolutePath() throws {
        let root = try Self.folder(["app/main.slsx": "import \"/etc/passwd\" as p"])
        #expect(Self.firstError(root) == "ROOT/app/main.slsx:1:8: absolute import path '/etc/passwd' is not allowed")
    }

    @Test func symbolicLinkToFileOutside() throws {
        let root = try Self.folder(
            ["app/main.slsx": "import \"./link.slsx\" as s\nx: s.k", "secret.slsx": "let k = 1"],
            links: ["app/link.slsx": "../secret.slsx"])
        #expect(Self.firstError(root) == "ROOT/app/main.slsx:1:8: import './link.slsx' resolves to ROOT/secret.slsx, outside the import root ROOT/app")
    }

    @Test func symbolicLinkToFolderOutside() throws {
        let root = try Self.folder(
            ["app/main.slsx": "import \"./shared/secret.slsx\" as s\nx: s.k", "outside/secret.slsx": "let k = 1"],
            links: ["app/shared": "../outside"])
        #expect(Self.firstError(root) == "ROOT/app/main.slsx:1:8: import './shared/secret.slsx' resolves to ROOT/outside/secret.slsx, outside the import root ROOT/app")
    }

    @Test func symbolicLinkToSystemFile() throws {
        let root = try Self.folder(["app/main.slsx": "import \"./passwd.slsx\" as p"], links: ["app/passwd.slsx": "/etc/passwd"])
        #expect(Self.firstError(root) == "ROOT/app/main.slsx:1:8: import './passwd.slsx' resolves to /etc/passwd, outside the import root ROOT/app")
    }

    @Test func symbolicLinkInsideRootIsAllowed() throws {
        let root = try Self.folder(
            ["app/main.slsx": "import \"./alias.slsx\" as s\nx: s.k", "app/lib/real.slsx": "let k = 1"],
            links: ["app/alias.slsx": "lib/real.slsx"])
        #expect(Self.firstError(root) == "<none>")
    }

    @Test func cycleOfThreeShowsTheCycle() throws {
        let root = try Self.folder([
            "app/main.slsx": "import \"./a.slsx\" as a",
            "app/a.slsx": "import \"./b.slsx\" as b",
            "app/b.slsx": "import \"./c.slsx\" as c",
            "app/c.slsx": "import \"./a.slsx\" as a",
        ])
        #expect(Self.firstError(root) == "ROOT/app/c.slsx:1:8: import cycle: ./a.slsx -> ./b.slsx -> ./c.slsx -> ./a.slsx")
    }

    @Test func fileImportingItself() throws {
        let root = try Self.folder(["app/main.slsx": "import \"./a.slsx\" as a", "app/a.slsx": "import \"./a.slsx\" as me"])
        #expect(Self.firstError(root) == "ROOT/app/a.slsx:1:8: import cycle: ./a.slsx -> ./a.slsx")
    }

    @Test func importOfFolder() throws {
        let root = try Self.folder(["app/main.slsx": "import \"./lib\" as l", "app/lib/a.slsx": ""])
        #expect(Self.firstError(root).hasPrefix("ROOT/app/main.slsx:1:8: "))
    }

    @Test func standardInputScriptRunInRootFolder() {
        let script = SourceFile(path: "<stdin>", text: "import \"./proc/self/environ\" as e")
        let result = Evaluator.evaluate(script, options: EvaluationOptions(importRoot: "/"))
        let error = result.diagnostics.first
        // /proc/self is a symbolic link to this process's folder.
        #expect(error?.message == "import './proc/self/environ' resolves to /proc/\(getpid())/environ, inside the system folder /proc")
        #expect(error?.span?.startLocation.description == "1:8")
    }

    @Test func standardInputScriptHasNoImportRootOfItsOwn() {
        let script = SourceFile(path: "<stdin>", text: "import \"./secrets.slsx\" as s")
        let result = Evaluator.evaluate(script, options: EvaluationOptions())
        let error = result.diagnostics.first
        #expect(error?.message == "file imports need an import root, and a script that is not read from a file has none")
        #expect(error?.span?.startLocation.description == "1:8")
    }

    @Test func importOfFIFO() throws {
        let root = try Self.folder(["app/main.slsx": "import \"./pipe.slsx\" as p"])
        #expect(mkfifo(root + "/app/pipe.slsx", 0o600) == 0)
        #expect(Self.firstError(root) == "ROOT/app/main.slsx:1:8: cannot read module './pipe.slsx': ROOT/app/pipe.slsx is not a regular file")
    }

    @Test func importOfDeviceFile() throws {
        let root = try Self.folder(["app/main.slsx": "import \"./zero.slsx\" as z"], links: ["app/zero.slsx": "/dev/zero"])
        #expect(Self.firstError(root) == "ROOT/app/main.slsx:1:8: import './zero.slsx' resolves to /dev/zero, outside the import root ROOT/app")
    }
}
