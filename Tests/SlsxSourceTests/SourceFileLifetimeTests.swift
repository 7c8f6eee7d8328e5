import Dispatch
import Synchronization
import Testing

@testable import SlsxSource

/// A span names its file by identifier and does not keep it alive; a diagnostic does.
@Suite struct SourceFileLifetimeTests {
    /// Returns a span in a file that nothing keeps, with a weak reference to check that the file
    /// is gone.
    private static func spanInReleasedFile(text: String, start: Int, end: Int) -> (SourceSpan, WeakReference<SourceFile>) {
        let file = SourceFile(path: "gone.slsx", text: text)
        return (SourceSpan(file: file, start: start, end: end), WeakReference(file))
    }

    /// Returns an error in `gone.slsx` with a note in `other.slsx`, made while both files were
    /// alive, and a weak reference to the first file.
    private static func diagnosticOfReleasedFiles() -> (Diagnostic, WeakReference<SourceFile>) {
        let file = SourceFile(path: "gone.slsx", text: "let a = 1\nlet b = ]\n")
        let other = SourceFile(path: "other.slsx", text: "let c = 2\n")
        let diagnostic = Diagnostic.error(
            "unexpected ']'", at: SourceSpan(file: file, start: 18, end: 19),
            notes: [.init("declared here", at: SourceSpan(file: other, start: 4, end: 5))])
        return (diagnostic, WeakReference(file))
    }

    private static let renderedDiagnostic = """
        gone.slsx:2:9: error: unexpected ']'
         2 | let b = ]
           |         ^
        other.slsx:1:5: note: declared here
         1 | let c = 2
           |     ^

        """

    @Test func optionalSpanFitsSixteenBytes() {
        #expect(MemoryLayout<SourceSpan>.size == 12)
        #expect(MemoryLayout<SourceSpan?>.size == 13)
        #expect(MemoryLayout<SourceSpan?>.stride == 16)
    }

    @Test func spanFindsLiveFile() {
        let file = SourceFile(path: "live.slsx", text: "let a = 1\n")
        let span = SourceSpan(file: file, start: 4, end: 5)
        #expect(span.file === file)
        #expect(span.text == "a")
        #expect(span.description == "live.slsx:1:5")
    }

    @Test func diagnosticRendersAfterFileReleased() throws {
        var (diagnostic, reference): (Diagnostic?, WeakReference<SourceFile>) = Self.diagnosticOfReleasedFiles()
        #expect(reference.object != nil)
        #expect(DiagnosticRenderer().render(try #require(diagnostic)) == Self.renderedDiagnostic)

        diagnostic = nil
        #expect(reference.object == nil)
    }

    @Test func assignedSpanKeepsItsFile() throws {
        var (original, reference): (Diagnostic?, WeakReference<SourceFile>) = Self.diagnosticOfReleasedFiles()
        var copy = Diagnostic.error("unexpected ']'")
        copy.span = original?.span
        copy.notes = original?.notes ?? []

        original = nil
        #expect(reference.object != nil)
        #expect(DiagnosticRenderer().render(copy) == Self.renderedDiagnostic)
    }

    @Test func releasedFileGivesStandIn() {
        let (span, reference) = Self.spanInReleasedFile(text: "let a = 1\n", start: 4, end: 5)
        #expect(reference.object == nil)
        #expect(span.file === SourceFile.unavailable)
        #expect(span.file.path == "<source file not available>")
        #expect(span.text == "")
        #expect(span.startLocation.description == "1:1")
        #expect(span.description == "<source file not available>:1:1")
        #expect(DiagnosticRenderer().render(.error("unknown name 'a'", at: span))
            == "<source file not available>:1:1: error: unknown name 'a'\n 1 | \n   | ^\n")
    }

    @Test func tableForgetsReleasedFile() {
        let (span, reference) = Self.spanInReleasedFile(text: "let a = 1\n", start: 4, end: 5)
        #expect(reference.object == nil)
        #expect(SourceFileTable.shared.file(withIdentifier: span.fileIdentifier) == nil)
    }

    @Test func identifiersAreUniqueAcrossThreads() {
        let identifiers = Mutex<[UInt32]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            var created: [UInt32] = []
            for index in 0..<500 {
                created.append(SourceFile(path: "\(thread)-\(index).slsx", text: "").identifier)
            }
            identifiers.withLock { $0 += created }
        }
        let all = identifiers.withLock { $0 }
        #expect(all.count == 2_000)
        #expect(Set(all).count == 2_000)
        #expect(!all.contains(SourceFileTable.unregistered))
    }

    @Test func releasedIdentifierIsNotReused() {
        let (span, reference) = Self.spanInReleasedFile(text: "let a = 1\n", start: 4, end: 5)
        #expect(reference.object == nil)
        let newer = SourceFile(path: "new.slsx", text: "let a = 1\n")
        #expect(newer.identifier > span.fileIdentifier)
        #expect(span.file !== newer)
        #expect(SourceSpan(file: newer, start: 4, end: 5) != span)
    }

    @Test func exhaustedCounterGivesUnregistered() {
        let table = SourceFileTable(firstIdentifier: UInt32.max - 2)
        #expect(table.makeIdentifier() == UInt32.max - 2)
        #expect(table.makeIdentifier() == UInt32.max - 1)
        // `UInt32.max` marks a missing span in `PackedSourceSpan`, so it is never given out.
        #expect(table.makeIdentifier() == SourceFileTable.unregistered)
        #expect(table.makeIdentifier() == SourceFileTable.unregistered)
    }

    @Test func unregisteredSpanGivesStandIn() {
        let span = SourceSpan(fileIdentifier: SourceFileTable.unregistered, start: 0, end: 3)
        #expect(span.file === SourceFile.unavailable)
        #expect(span.text == "")
    }
}

/// A weak reference that a test can hold without keeping the object alive.
private final class WeakReference<Object: AnyObject>: @unchecked Sendable {
    weak var object: Object?

    init(_ object: Object) {
        self.object = object
    }
}
