import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Replaces a file whole or not at all.
///
/// The bytes go to a new temporary file in the destination's folder, which is flushed to disk and
/// then renamed over the destination. `rename(2)` within one file system is atomic, so after an error,
/// a crash or Ctrl-C at any moment a reader finds either the complete old file or the complete new one,
/// never a mix. On failure the temporary file is removed and the old file is left as it was; SIGINT,
/// SIGTERM and SIGHUP remove it too. Only SIGKILL can leave a temporary file (named `.slsx-XXXXXX`)
/// behind, and even then the old file is intact.
public enum AtomicFileWriter {
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write '\(path)': \(reason)" }
    }

    /// Writes `bytes` to `path`, replacing any regular file there. A symbolic link is followed and its
    /// target replaced. A device, a FIFO, a socket or a folder at `path` is an error: renaming over it
    /// would replace the node itself (as root even `/dev/null`). A new file gets mode 0644 less the
    /// umask; an existing file keeps its permission bits.
    public static func write(_ bytes: [UInt8], to path: String) throws(WriteError) {
        let destination = try regularDestination(for: path)
        let folder = URL(fileURLWithPath: destination).deletingLastPathComponent().path

        // A short fixed name, so that a destination name near the 255-byte limit still has room.
        var template = Array("\(folder)/.slsx-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard descriptor >= 0 else {
            throw WriteError(path: path, reason: String(cString: strerror(errno)))
        }
        let temporaryPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        TemporaryFileCleanup.register(temporaryPath)
        defer { TemporaryFileCleanup.unregister() }  // Runs after the rename or the unlink below.

        do throws(WriteError) {
            try writeAll(bytes, to: descriptor, path: path)
            fchmod(descriptor, permissions(forReplacing: destination))
            guard fsync(descriptor) == 0 else {
                throw WriteError(path: path, reason: String(cString: strerror(errno)))
            }
            close(descriptor)
            guard rename(temporaryPath, destination) == 0 else {
                throw WriteError(path: path, reason: String(cString: strerror(errno)))
            }
        } catch {
            close(descriptor)
            unlink(temporaryPath)
            throw error
        }
    }

    /// Writes `text` as UTF-8 to `path`, replacing any file there.
    public static func write(_ text: String, to path: String) throws(WriteError) {
        try write(Array(text.utf8), to: path)
    }

    /// Returns the path to rename onto: `path` itself, or the file that a symbolic link at `path` names.
    private static func regularDestination(for path: String) throws(WriteError) -> String {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            return path  // Nothing there yet: the rename creates it.
        }
        var destination = path
        if status.st_mode & S_IFMT == S_IFLNK {
            guard let resolved = realpath(path, nil) else {
                throw WriteError(path: path, reason: "it is a symbolic link to a missing file")
            }
            destination = String(cString: resolved)
            free(resolved)
            guard stat(destination, &status) == 0 else { return destination }
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG:
            return destination
        case S_IFDIR:
            throw WriteError(path: path, reason: "it is a folder; name a file inside it")
        default:
            throw WriteError(
                path: path, reason: "it is not a regular file (a device, FIFO or socket); leave out -o to write to standard output")
        }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(WriteError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.write(descriptor, base + written, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw WriteError(path: path, reason: String(cString: strerror(errno)))
            }
            written += result
        }
    }

    /// Returns the mode for the new file: the old file's permission bits, or 0644 less the umask.
    private static func permissions(forReplacing path: String) -> mode_t {
        var status = stat()
        if stat(path, &status) == 0 {
            return status.st_mode & 0o7777
        }
        let mask = umask(0)
        umask(mask)
        return 0o644 & ~mask
    }
}
