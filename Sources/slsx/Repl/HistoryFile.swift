import CEditLine
import Foundation

/// The REPL's persistent history: libedit's history list, loaded from and saved to one file.
///
/// The file is in libedit's own format (a `_HiStOrY_V2_` header line, then one entry per line with
/// spaces, line breaks and backslashes written as octal escapes), so a multi-line entry comes back
/// as one entry. It is only ever read with `read_history` and written with `write_history`.
/// Saving writes a temporary file in the same folder and renames it over the old one, so a crash
/// or a full disk leaves either the old file or the new one, never a truncated file.
struct HistoryFile {
    /// The path of the history file.
    let path: String
    /// The number of entries kept in memory and in the file; older entries are dropped first.
    let maximumEntries: Int

    /// Loads the file into libedit's history list. Returns a warning when the file exists but cannot
    /// be read; a missing file is normal on the first run and returns nil.
    func load() -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let status = read_history(path)
        guard status == 0 else {
            // libedit reports EINVAL when the first line is not its `_HiStOrY_V2_` header.
            let reason = status > 0 && status != EINVAL ? String(cString: strerror(status)) : "not a libedit history file"
            return "could not read the history file \(path) (\(reason)); it will be replaced when this session saves history"
        }
        return nil
    }

    /// Writes libedit's history list to the file, replacing it atomically. Returns a warning when the
    /// file could not be written; the previous file is then left as it was.
    func save() -> String? {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporaryPath = (folder.isEmpty ? "" : folder + "/") + ".\(name).\(getpid()).tmp"

        // History can contain values typed in the REPL, so only the owner may read it. Creating
        // the file with mode 0600 before libedit writes it leaves no moment when others can read
        // it, and O_NOFOLLOW keeps a symbolic link planted at the temporary path from redirecting
        // the write.
        let created = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0o600)
        guard created >= 0 else {
            return "could not save the history to \(path) (\(String(cString: strerror(errno))))"
        }
        close(created)

        let status = write_history(temporaryPath)
        guard status == 0 else {
            unlink(temporaryPath)
            let reason = status > 0 ? String(cString: strerror(status)) : "write failed"
            return "could not save the history to \(path) (\(reason))"
        }
        chmod(temporaryPath, 0o600)
        // Flush the new file to disk before the rename, so a power loss after the rename cannot
        // leave an empty history in place of the old one.
        let written = open(temporaryPath, O_RDONLY)
        if written >= 0 {
            fsync(written)
            close(written)
        }
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            return "could not save the history to \(path) (\(reason))"
        }
        return nil
    }
}
