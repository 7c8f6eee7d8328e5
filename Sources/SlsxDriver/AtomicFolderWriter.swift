import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Replaces a folder of files whole or not at all, for a split template's root and nested stacks.
///
/// Every file goes into a new temporary folder beside the destination, each flushed to disk. The
/// temporary folder then takes the destination's place. On Linux, `renameat2(RENAME_EXCHANGE)`
/// swaps the two folders atomically. Where that call is not available, the old folder is renamed
/// aside and the new one renamed in, and the old one is renamed back if that fails. Only then is
/// the old folder removed. On any failure before the swap, the temporary folder is removed and the
/// destination is left as it was.
///
/// Because the old folder is removed whole, the writer replaces only a folder that is empty or contains
/// nothing but an earlier split (`template.json` or `template.yaml` and `stacks/FunctionStack<b>.*`).
/// A wrong `--split .` must not delete a project's scripts or its `.git` folder.
public enum AtomicFolderWriter {
    /// Writes `files` (paths relative to `folder`, with `/` between folders) into `folder`,
    /// replacing everything that was in it.
    public static func write(_ files: [(path: String, text: String)], to folder: String) throws(AtomicFileWriter.WriteError) {
        // A symbolic link to a folder is followed, as `-o` follows a link to a file: the link stays
        // and its target is replaced.
        let destination = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath()
        let parent = destination.deletingLastPathComponent().path
        let name = destination.lastPathComponent

        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: destination.path, isDirectory: &isDirectory)
        if exists, !isDirectory.boolValue {
            throw AtomicFileWriter.WriteError(path: folder, reason: "it is a file, not a folder")
        }
        if exists {
            let foreign = foreignEntries(in: destination.path)
            if !foreign.isEmpty {
                let listed = foreign.prefix(3).joined(separator: ", ") + (foreign.count > 3 ? ", …" : "")
                throw AtomicFileWriter.WriteError(
                    path: folder,
                    reason: "it holds files that are not an earlier split (\(listed)), and replacing the folder would delete them; "
                        + "name a new or empty folder, or one that holds only a split")
            }
        }

        let temporary = try makeTemporaryFolder(in: parent, name: name, purpose: "new")
        // mkdtemp creates the folder with mode 0700; give it the old folder's mode, or the umask's.
        chmod(temporary, folderMode(replacing: exists ? destination.path : nil))
        do throws(AtomicFileWriter.WriteError) {
            for file in files {
                guard !file.path.split(separator: "/").contains(".."), !file.path.hasPrefix("/") else {
                    throw AtomicFileWriter.WriteError(path: file.path, reason: "the path leaves the output folder")
                }
                let path = temporary + "/" + file.path
                let subfolder = URL(fileURLWithPath: path).deletingLastPathComponent().path
                do {
                    try FileManager.default.createDirectory(atPath: subfolder, withIntermediateDirectories: true)
                } catch {
                    throw AtomicFileWriter.WriteError(path: subfolder, reason: "\(error.localizedDescription)")
                }
                try AtomicFileWriter.write(file.text, to: path)
            }
            if exists {
                try swap(temporary, destination.path, parent: parent, name: name)
                removeTree(temporary)
            } else if rename(temporary, destination.path) != 0 {
                throw AtomicFileWriter.WriteError(path: folder, reason: String(cString: strerror(errno)))
            }
        } catch {
            removeTree(temporary)
            throw error
        }
    }

    /// Exchanges the folders at `new` and `old`, so that `new` contains the old folder afterwards.
    private static func swap(_ new: String, _ old: String, parent: String, name: String) throws(AtomicFileWriter.WriteError) {
        #if os(Linux)
        // Swift's Glibc module does not declare renameat2 (a GNU extension), so it is looked up.
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        let renameExchange: UInt32 = 1 << 1
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") {
            let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
            if renameat2(AT_FDCWD, new, AT_FDCWD, old, renameExchange) == 0 { return }
            guard errno == EINVAL || errno == ENOSYS else {
                throw AtomicFileWriter.WriteError(path: old, reason: String(cString: strerror(errno)))
            }
        }
        #endif
        // No atomic exchange: move the old folder aside, the new one in, and back on failure.
        let aside = try makeTemporaryFolder(in: parent, name: name, purpose: "old")
        rmdir(aside)
        guard rename(old, aside) == 0 else {
            throw AtomicFileWriter.WriteError(path: old, reason: String(cString: strerror(errno)))
        }
        guard rename(new, old) == 0 else {
            let reason = String(cString: strerror(errno))
            rename(aside, old)
            throw AtomicFileWriter.WriteError(path: old, reason: reason)
        }
        rename(aside, new)
    }

    /// Returns the names in `folder` that a split does not write, sorted.
    static func foreignEntries(in folder: String) -> [String] {
        let manager = FileManager.default
        let names = (try? manager.contentsOfDirectory(atPath: folder)) ?? []
        var foreign: [String] = []
        for name in names {
            switch name {
            case "template.json", "template.yaml":
                continue
            case "stacks":
                let stacks = (try? manager.contentsOfDirectory(atPath: folder + "/stacks")) ?? ["(unreadable)"]
                foreign += stacks.filter { PreviousSplit.bucket(ofFileName: $0) == nil }.map { "stacks/" + $0 }
            default:
                foreign.append(name)
            }
        }
        return foreign.sorted()
    }

    /// Returns the permission bits for the new folder: those of the folder it replaces, else 0777
    /// less the umask, as `mkdir(1)` would give.
    private static func folderMode(replacing old: String?) -> mode_t {
        var status = stat()
        if let old, stat(old, &status) == 0 {
            return status.st_mode & 0o7777
        }
        let mask = umask(0)
        umask(mask)
        return 0o777 & ~mask
    }

    private static func makeTemporaryFolder(in parent: String, name: String, purpose: String) throws(AtomicFileWriter.WriteError) -> String {
        var template = Array("\(parent)/.\(name).slsx-\(purpose)-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard created else {
            throw AtomicFileWriter.WriteError(path: parent, reason: String(cString: strerror(errno)))
        }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}
