import Synchronization

/// The process-wide table from file identifiers to the source files that are alive, through which
/// a `SourceSpan` finds its file.
///
/// A span names its file by a 32-bit identifier instead of holding a reference, so copying a
/// token, expression, value or node that carries a span costs no reference counting. In exchange,
/// a span does not keep its file alive. The table references each file weakly, and a file removes
/// its entry when it is deinitialized, so a fuzzer or a long REPL session that creates millions of
/// files keeps only the live ones in the table. Code that keeps spans keeps their files alive: a
/// `Diagnostic` keeps the files of its spans, an `Evaluation` keeps the script and its modules,
/// and a REPL session keeps every entry it ran.
///
/// Identifiers are never reused, so a span of a released file can never find another file. They
/// count up from 1. After the 4,294,967,295th file of a process the counter is exhausted, and every
/// later file gets `SourceFileTable.unregistered` and stays out of the table, so its spans find the
/// stand-in file (`SourceFile.unavailable`) and its diagnostics show no source line. At a million
/// files a second, a process reaches that after 72 minutes of creating nothing but files.
///
/// `Mutex` needs macOS 15 or later, which Package.swift declares; on Linux, Swift 6.0 and later
/// provide it.
final class SourceFileTable: Sendable {
    /// The identifier of a file that is not in the table: files created after the counter is
    /// exhausted. Spans with this identifier find the stand-in file.
    static let unregistered: UInt32 = 0

    /// The last identifier the table gives out. The one after it is
    /// `PackedSourceSpan.absentFileIdentifier`.
    static let lastIdentifier = PackedSourceSpan.absentFileIdentifier - 1

    /// The table of the process.
    static let shared = SourceFileTable()

    private struct State {
        /// The identifier the next file gets, or `nil` once every identifier up to `lastIdentifier` has been given out.
        var nextIdentifier: UInt32?
        var files: [UInt32: WeakFile] = [:]
    }

    /// A weak reference, so that the table never keeps a file alive.
    private struct WeakFile {
        weak var file: SourceFile?
    }

    private let state: Mutex<State>

    /// Creates an empty table whose first file gets `firstIdentifier`. Tests start a table near
    /// the end of the range to see what happens when the counter runs out.
    init(firstIdentifier: UInt32 = 1) {
        let next: UInt32? = firstIdentifier == Self.unregistered || firstIdentifier > Self.lastIdentifier ? nil : firstIdentifier
        state = Mutex(State(nextIdentifier: next))
    }

    /// Returns a new identifier, or `unregistered` once every identifier has been given out.
    func makeIdentifier() -> UInt32 {
        state.withLock { state in
            guard let identifier = state.nextIdentifier else { return Self.unregistered }
            // The identifier after the last one means "no span" to `PackedSourceSpan`.
            state.nextIdentifier = identifier < Self.lastIdentifier ? identifier + 1 : nil
            return identifier
        }
    }

    /// Enters `file` under its identifier, unless the identifier is `unregistered`.
    func insert(_ file: SourceFile) {
        let identifier = file.identifier
        guard identifier != Self.unregistered else { return }
        state.withLock { state in
            state.files[identifier] = WeakFile(file: file)
        }
    }

    /// Removes the entry of a file that is being deinitialized.
    func remove(_ identifier: UInt32) {
        guard identifier != Self.unregistered else { return }
        _ = state.withLock { state in
            state.files.removeValue(forKey: identifier)
        }
    }

    /// Returns the live file with `identifier`, or `nil` when it was released or never entered.
    func file(withIdentifier identifier: UInt32) -> SourceFile? {
        state.withLock { state in
            state.files[identifier]?.file
        }
    }
}
