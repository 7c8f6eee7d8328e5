#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a script or a module whole, but never more than a bound, so that no input (a file of
/// gigabytes, `/dev/zero` on standard input) makes slsx read without end.
///
/// The tokens, syntax tree and diagnostics of a script take about a hundred times its size in
/// memory, so the bound on the input is also the bound on what parsing it can allocate.
public enum BoundedFileReader {
    /// The largest script or module slsx reads: 16 MiB. Scripts that people write are a few
    /// kilobytes; one that a program generates with all its data inline is still far below this.
    public static let maximumBytes = 16 * 1024 * 1024

    /// Returns the error for a script larger than `maximumBytes`, read from `input` (a quoted
    /// path or "standard input"), with its fix. The command line, the REPL's `:load` and
    /// `Evaluator.evaluate(path:)` report it in these words.
    public static func tooLargeScriptError(reading input: String, maximumBytes: Int) -> Diagnostic {
        .error(
            "cannot read \(input): it is larger than \(maximumBytes) bytes, the largest script slsx reads",
            hint: "split the script into modules that it imports; each module may be that large")
    }

    public enum Failure: Error, Equatable {
        /// The input has more than the given number of bytes.
        case tooLarge(maximumBytes: Int)
        /// `open` or `read` failed with this `errno`.
        case system(Int32)
    }

    /// Returns the bytes of the file at `path`, following symbolic links, or the failure.
    /// A regular file larger than `maximumBytes` fails before any byte is read.
    public static func read(path: String, maximumBytes: Int = maximumBytes) -> Result<[UInt8], Failure> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(.system(errno)) }
        defer { close(descriptor) }

        var status = stat()
        var sizeHint = 0
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG {
            guard status.st_size <= maximumBytes else { return .failure(.tooLarge(maximumBytes: maximumBytes)) }
            sizeHint = Int(status.st_size)
        }
        return read(descriptor: descriptor, maximumBytes: maximumBytes, sizeHint: sizeHint)
    }

    /// Returns the bytes of `descriptor` up to its end, or `tooLarge` as soon as more than
    /// `maximumBytes` arrived. The descriptor stays open. `sizeHint` is the number of bytes
    /// expected, reserved up front.
    public static func read(descriptor: Int32, maximumBytes: Int = maximumBytes, sizeHint: Int = 0) -> Result<[UInt8], Failure> {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(max(sizeHint, 0), maximumBytes) + 1)
        let chunkSize = 64 * 1024
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, chunkSize) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(.system(errno))
            }
            if count == 0 { return .success(bytes) }

            // One byte past the bound is enough to know the input is too large, and the rest is
            // never read.
            guard bytes.count + count <= maximumBytes else { return .failure(.tooLarge(maximumBytes: maximumBytes)) }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }
}

/// Calls the C library's `read`, which the methods named `read` above hide inside the type.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
