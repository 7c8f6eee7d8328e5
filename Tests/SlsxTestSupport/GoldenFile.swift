import Foundation
import Testing

/// Compares produced text with a golden file beside the input, and rewrites the golden instead when
/// `SLSX_UPDATE_GOLDENS=1` is set. A missing golden fails the test, so every new sample needs one.
public enum GoldenFile {
    /// The repository's root folder, found from this file's path (Tests/SlsxTestSupport/GoldenFile.swift).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var updating: Bool { ProcessInfo.processInfo.environment["SLSX_UPDATE_GOLDENS"] == "1" }

    /// Checks `actual` against the golden at `url`, recording an issue that names the first differing line.
    public static func check(_ actual: String, against url: URL, sourceLocation: SourceLocation = #_sourceLocation) {
        let relativePath = url.path.replacingOccurrences(of: repositoryRoot.path + "/", with: "")
        let existing = try? String(contentsOf: url, encoding: .utf8)

        if updating {
            if existing != actual {
                try? actual.write(to: url, atomically: true, encoding: .utf8)
                print("updated golden \(relativePath)")
            }
            return
        }
        guard let expected = existing else {
            Issue.record("missing golden \(relativePath); run with SLSX_UPDATE_GOLDENS=1 to write it", sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            Issue.record("\(relativePath) differs: \(firstDifference(expected, actual))", sourceLocation: sourceLocation)
        }
    }

    private static func firstDifference(_ expected: String, _ actual: String) -> String {
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(expectedLines.count, actualLines.count) {
            let wanted = index < expectedLines.count ? String(expectedLines[index]) : "<end of file>"
            let got = index < actualLines.count ? String(actualLines[index]) : "<end of file>"
            if wanted != got {
                return "line \(index + 1): expected \(wanted.debugDescription), got \(got.debugDescription)"
            }
        }
        return "the texts differ in line endings"
    }
}
