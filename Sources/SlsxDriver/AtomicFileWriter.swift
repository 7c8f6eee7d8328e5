import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Replaces a file whole or not at all.
///
/// The bytes go to a new file in the destination's folder, which is flushed to disk and then renamed
/// over the destination. `rename(2)` within one file system is atomic, so after an error, a crash or
/// Ctrl-C at any moment a reader finds either the complete old file or the complete new one, never a
/// mix. On failure the new file is removed and the old file is left as it was.
///
/// On Linux the new file is first created without a name (`O_TMPFILE`) and given one only once all
/// bytes are on disk, right before the rename. A process killed while it writes, even by SIGKILL,
/// then leaves nothing behind: the kernel frees an unnamed file when its descriptor closes. Where the
/// file system cannot create unnamed files (or `/proc` is not mounted), the writer falls back to a
/// named temporary file from the start. SIGINT, SIGTERM and SIGHUP remove a named temporary file
/// (`.slsx-XXXXXX`). Only SIGKILL can leave one behind: in the fallback, or in the instant between
/// the naming and the rename.
public enum AtomicFileWriter {
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        /// Whether `path` names a device, FIFO or socket, where a caller may suggest another way
        /// to write the output (the command line's standard output).
        public var isSpecialFile = false
        public var description: String { "cannot write '\(path)': \(reason)" }
    }

    /// Writes `bytes` to `path`, replacing any regular file there. A symbolic link is followed and its
    /// target replaced. A device, a FIFO, a socket or a folder at `path` is an error: renaming over it
    /// would replace the node itself (as root even `/dev/null`). The file gets `permissions` when
    /// given, from its creation on. Otherwise a new file gets mode 0644 less the umask, and an
    /// existing file keeps its permission bits.
    public static func write(_ bytes: [UInt8], to path: String, permissions: mode_t? = nil) throws(WriteError) {
        try write(parts: [bytes], to: path, permissions: permissions)
    }

    /// Writes the concatenation of `parts` to `path`, part after part, as `write(_:to:)` writes one
    /// array.
    public static func write(parts: [[UInt8]], to path: String, permissions: mode_t? = nil) throws(WriteError) {
        let file = try NewFile.open(replacing: path, permissions: permissions)
        do throws(WriteError) {
            for part in parts {
                try file.write(part)
            }
        } catch {
            file.discard()
            throw error
        }
        try file.commit()
    }

    /// The new file of a write in progress: the bytes go to it, and `commit` puts it in place of
    /// the destination. Until then the destination is unchanged, and `discard` removes the new
    /// file. Each `NewFile` must end with exactly one of `commit` or `discard`.
    struct NewFile {
        /// The path as the caller gave it, for messages.
        let path: String
        /// The file that the rename replaces: `path`, or the target of a symbolic link there.
        let destination: String
        let folder: String
        let mode: mode_t
        let descriptor: Int32
        /// The name of the new file, or `nil` while it has none (`O_TMPFILE`).
        let temporaryPath: String?

        /// Creates the new file in the destination's folder, unnamed where the system allows it.
        /// `permissions`, when given, is the new file's mode in place of the one `write` describes.
        static func open(replacing path: String, permissions: mode_t? = nil) throws(WriteError) -> NewFile {
            let destination = try regularDestination(for: path)
            let folder = URL(fileURLWithPath: destination).deletingLastPathComponent().path
            let mode = permissions ?? AtomicFileWriter.permissions(forReplacing: destination)

            #if os(Linux)
            // The unnamed file gets its name through /proc in `commit`, so without /proc the new
            // file is a named one from the start.
            // Glibc's overlay imports `__O_TMPFILE` but not the compound macro `O_TMPFILE`.
            let descriptor = access("/proc/self/fd", X_OK) == 0
                ? Glibc.open(folder, __O_TMPFILE | O_DIRECTORY | O_WRONLY | O_CLOEXEC, mode) : -1
            if descriptor >= 0 {
                return NewFile(
                    path: path, destination: destination, folder: folder, mode: mode, descriptor: descriptor,
                    temporaryPath: nil)
            }
            #endif
            return try openNamed(path: path, destination: destination, folder: folder, mode: mode)
        }

        /// Creates a named temporary file in `folder`, registered for removal on a signal.
        private static func openNamed(path: String, destination: String, folder: String, mode: mode_t) throws(WriteError) -> NewFile {
            // A short fixed name, so that a destination name near the 255-byte limit still has room.
            var template = Array("\(folder)/.slsx-XXXXXX".utf8CString)
            let descriptor = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
                guard let base = buffer.baseAddress else { return -1 }
                return mkstemp(base)
            }
            guard descriptor >= 0 else {
                // The new file goes into the folder, so a folder the user may not write fails here
                // even when the file at `path` itself is writable.
                throw WriteError(path: path, reason: "cannot create a file in '\(folder)': \(String(cString: strerror(errno)))")
            }
            let temporaryPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            InterruptedWriteCleanup.register(temporaryFile: temporaryPath)
            return NewFile(
                path: path, destination: destination, folder: folder, mode: mode, descriptor: descriptor,
                temporaryPath: temporaryPath)
        }

        /// Appends `bytes` to the new file.
        func write(_ bytes: [UInt8]) throws(WriteError) {
            try writeAll(bytes, to: descriptor, path: path)
        }

        /// Flushes the new file to disk and renames it over the destination. On failure the new
        /// file is removed and the destination is left as it was.
        func commit() throws(WriteError) {
            #if os(Linux)
            if temporaryPath == nil {
                defer { close(descriptor) }
                return try commitUnnamed()
            }
            #endif
            try commitNamed()
        }

        /// Removes the new file. The destination is left as it was.
        func discard() {
            close(descriptor)
            if let temporaryPath {
                unlink(temporaryPath)
                InterruptedWriteCleanup.unregister()
            }
        }

        /// Flushes, closes and renames the named new file over the destination.
        private func commitNamed() throws(WriteError) {
            guard let temporaryPath else { return }
            defer { InterruptedWriteCleanup.unregister() }  // Runs after the rename or the unlink below.

            var isOpen = true
            do throws(WriteError) {
                fchmod(descriptor, mode)
                guard fsync(descriptor) == 0 else {
                    throw WriteError(path: path, reason: String(cString: strerror(errno)))
                }
                close(descriptor)
                isOpen = false
                guard rename(temporaryPath, destination) == 0 else {
                    throw WriteError(path: path, reason: String(cString: strerror(errno)))
                }
            } catch {
                if isOpen { close(descriptor) }
                unlink(temporaryPath)
                throw error
            }
        }

        #if os(Linux)
        /// Flushes the unnamed new file, links it under a temporary name and renames that over the
        /// destination.
        private func commitUnnamed() throws(WriteError) {
            fchmod(descriptor, mode)
            guard fsync(descriptor) == 0 else {
                throw WriteError(path: path, reason: String(cString: strerror(errno)))
            }

            // linkat(2) gives the file a name through /proc, which needs no privilege (unlike
            // AT_EMPTY_PATH). It cannot replace an existing name, hence the temporary name and the rename.
            let source = "/proc/self/fd/\(descriptor)"
            for _ in 0..<16 {
                let temporaryPath = "\(folder)/.slsx-\(AtomicFileWriter.randomSuffix())"
                InterruptedWriteCleanup.register(temporaryFile: temporaryPath)
                defer { InterruptedWriteCleanup.unregister() }

                if linkat(AT_FDCWD, source, AT_FDCWD, temporaryPath, AT_SYMLINK_FOLLOW) != 0 {
                    if errno == EEXIST { continue }
                    throw WriteError(path: path, reason: String(cString: strerror(errno)))
                }
                guard rename(temporaryPath, destination) == 0 else {
                    let reason = String(cString: strerror(errno))
                    unlink(temporaryPath)
                    throw WriteError(path: path, reason: reason)
                }
                return
            }
            throw WriteError(path: path, reason: "failed to find a free temporary name in '\(folder)' after 16 tries; remove stale .slsx-* files there")
        }
        #endif
    }

    #if os(Linux)
    /// Six random letters and digits, as `mkstemp` would choose.
    private static func randomSuffix() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<6).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }
    #endif

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
            // rename(2) needs write access to the folder only, so it would replace a file its owner
            // made read-only. A read-only file is therefore an error and is left as it was.
            // access(2) reports every file writable for root, so the mode bits decide too: a file
            // without any write bit is read-only even when slsx runs as root.
            let hasWriteBit = status.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH) != 0
            let accessError = access(destination, W_OK) == 0 ? 0 : errno
            if accessError == EROFS {
                throw WriteError(path: path, reason: "it is on a read-only file system; write the output to another folder")
            }
            if !hasWriteBit || accessError == EACCES {
                throw WriteError(path: path, reason: "it is read-only; make it writable (chmod u+w) or remove it first")
            }
            return destination
        case S_IFDIR:
            throw WriteError(path: path, reason: "it is a folder; name a file inside it")
        default:
            throw WriteError(path: path, reason: "it is not a regular file (a device, FIFO or socket)", isSpecialFile: true)
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
