import CEditLine
import Foundation
import SlsxDriver

/// The REPL's persistent history: libedit's history list, loaded from and saved to one file.
///
/// The file is in libedit's own format (a `_HiStOrY_V2_` header line, then one entry per line with
/// spaces, line breaks and backslashes written as octal escapes), so a multi-line entry comes back
/// as one entry. libedit's `read_history` reads it, and `write_history` encodes it.
///
/// Only a regular file is read or written, after following symbolic links. A character device,
/// such as `/dev/null`, turns history off without a warning. Any other file type (a FIFO, folder,
/// socket or block device) turns history off with one warning. Reading a FIFO would block, and
/// reading `/dev/zero` would never end.
struct HistoryFile {
    /// The path of the history file.
    let path: String
    /// The number of entries kept in memory and in the file; older entries are dropped first.
    let maximumEntries: Int

    /// The outcome of `load()`: whether the session saves history, and a warning to show.
    struct LoadResult: Equatable {
        /// Whether the session saves its history to the file after each entry.
        var savesHistory: Bool
        /// A problem to show once at start-up, or nil.
        var warning: String?
    }

    /// Loads the file into libedit's history list when it is a regular file. A missing or empty
    /// file is normal on the first run: nothing is loaded, and the first save writes it. A file that
    /// exists but cannot be read, or is not in libedit's format, gives a warning and is left as it
    /// is: `SLSX_HISTORY` may name another file by mistake, and saving would replace it.
    func load() -> LoadResult {
        var status = stat()
        guard stat(path, &status) == 0 else {
            return LoadResult(savesHistory: true, warning: nil)
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG:
            if status.st_size == 0 {
                return LoadResult(savesHistory: true, warning: nil)
            }
        case S_IFCHR:
            return LoadResult(savesHistory: false, warning: nil)
        default:
            let warning = "the history file \(pathWithLinkTarget()) is \(HistoryFile.describe(fileType: status.st_mode & S_IFMT)), not a regular file, so history will not be loaded or saved; set SLSX_HISTORY to a regular file, or to an empty value to turn history off"
            return LoadResult(savesHistory: false, warning: warning)
        }

        // NOTE: a file replaced by a FIFO between the `stat` above and this read would still block.
        let readStatus = read_history(path)
        guard readStatus == 0 else {
            // libedit reports EINVAL when the first line is not its `_HiStOrY_V2_` header.
            let reason = readStatus > 0 && readStatus != EINVAL ? String(cString: strerror(readStatus)) : "not a libedit history file"
            return LoadResult(
                savesHistory: false,
                warning: "could not read the history file \(path) (\(reason)), so history will not be loaded or saved; "
                    + "set SLSX_HISTORY to another file, or remove this one if it is an old history")
        }
        return LoadResult(savesHistory: true, warning: nil)
    }

    /// Writes libedit's history list to the file through `AtomicFileWriter`, the writer of
    /// `slsx emit -o`. It replaces the file whole, follows a symbolic link to its target, and
    /// leaves anything but a regular file as it is. The file gets mode 0600 from its creation on,
    /// because history can contain values typed in the REPL. Returns a warning when the history
    /// could not be saved; the file is then left as it was.
    func save() -> String? {
        do {
            let bytes = try HistoryFile.encodedHistory()
            try AtomicFileWriter.write(bytes, to: path, permissions: 0o600)
        } catch let error as AtomicFileWriter.WriteError {
            return "could not save the history to \(path): \(error.reason)"
        } catch {
            return "could not save the history to \(path): \(error)"
        }
        return nil
    }

    /// A failure to encode the history list.
    private struct EncodingError: Error, CustomStringConvertible {
        var description: String
    }

    /// Returns libedit's history list in libedit's file format.
    ///
    /// libedit writes history only to a named file, so it writes to a scratch file with mode 0600
    /// in the temporary folder. The scratch file is removed as soon as libedit has written it, and
    /// its bytes are read back through the open descriptor.
    private static func encodedHistory() throws -> [UInt8] {
        let scratchPath = FileManager.default.temporaryDirectory.appendingPathComponent("slsx-history-XXXXXX").path
        var template = Array(scratchPath.utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard descriptor >= 0 else {
            throw EncodingError(description: "cannot create a scratch file in \(FileManager.default.temporaryDirectory.path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let createdPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)

        let writeStatus = write_history(createdPath)
        unlink(createdPath)
        guard writeStatus == 0 else {
            let reason = writeStatus > 0 ? String(cString: strerror(writeStatus)) : "write failed"
            throw EncodingError(description: "cannot write a scratch file in \(FileManager.default.temporaryDirectory.path): \(reason)")
        }

        lseek(descriptor, 0, SEEK_SET)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else {
                throw EncodingError(description: "cannot read back the scratch file: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    /// Returns `path`, followed by the file it names when it is a symbolic link.
    private func pathWithLinkTarget() -> String {
        var status = stat()
        guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK, let resolved = realpath(path, nil) else {
            return path
        }
        defer { free(resolved) }
        return "\(path) (a symbolic link to \(String(cString: resolved)))"
    }

    /// Returns the name of a file type that is not a regular file, with its article.
    static func describe(fileType: mode_t) -> String {
        switch fileType {
        case S_IFIFO: return "a FIFO"
        case S_IFDIR: return "a folder"
        case S_IFSOCK: return "a socket"
        case S_IFBLK: return "a block device"
        case S_IFCHR: return "a character device"
        default: return "a special file"
        }
    }
}
