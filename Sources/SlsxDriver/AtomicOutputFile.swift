import Synchronization

/// The file of `slsx emit -o FILE` as an `OutputSink`: the output goes to the new file of an
/// `AtomicFileWriter` while it is being written, and `commit` renames that file over FILE. FILE
/// itself changes only in `commit`, whole, so a run that fails leaves it as it was.
///
/// The new file is created at the first write, so a run that fails before it writes anything
/// creates no file, and an unwritable FILE is reported by `commit`, after the script's own errors.
public final class AtomicOutputFile: OutputSink {
    private enum State {
        case unopened
        case open(AtomicFileWriter.NewFile)
        case failed(AtomicFileWriter.WriteError)
        case ended
    }

    private let path: String
    private let state = Mutex(State.unopened)

    /// Makes the sink for replacing `path`. Nothing is opened yet.
    public init(path: String) {
        self.path = path
    }

    /// Appends `bytes` to the new file, creating it at the first call. After a failure the bytes
    /// are dropped, and `commit` throws that failure.
    public func write(_ bytes: [UInt8]) {
        state.withLock { state in
            do throws(AtomicFileWriter.WriteError) {
                switch state {
                case .unopened:
                    let file = try AtomicFileWriter.NewFile.open(replacing: path)
                    state = .open(file)
                    try file.write(bytes)
                case .open(let file):
                    try file.write(bytes)
                case .failed, .ended:
                    return
                }
            } catch {
                if case .open(let file) = state { file.discard() }
                state = .failed(error)
            }
        }
    }

    /// Appends `parts` and replaces the file at `path` with everything written, or throws the
    /// first error of any write, the flush or the rename, leaving the file at `path` as it was.
    public func commit(writing parts: [[UInt8]]) throws(AtomicFileWriter.WriteError) {
        for part in parts {
            write(part)
        }
        let ending = state.withLock { state in
            defer { state = .ended }
            return state
        }
        switch ending {
        case .unopened:
            // An empty output: the file is created and committed with no bytes.
            try AtomicFileWriter.write(parts: [], to: path)
        case .open(let file):
            try file.commit()
        case .failed(let error):
            throw error
        case .ended:
            return
        }
    }

    /// Removes the new file, if any, and leaves the file at `path` as it was.
    public func discard() {
        state.withLock { state in
            if case .open(let file) = state { file.discard() }
            state = .ended
        }
    }
}
