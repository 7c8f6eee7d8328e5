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
public enum AtomicFolderWriter {
    /// Writes `files` (paths relative to `folder`, with `/` between folders) into `folder`,
    /// replacing everything that was in it.
    public static func write(_ files: [(path: String, text: String)], to folder: String) throws(AtomicFileWriter.WriteError) {
        let destination = URL(fileURLWithPath: folder).standardizedFileURL
        let parent = destination.deletingLastPathComponent().path
        let name = destination.lastPathComponent

        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: destination.path, isDirectory: &isDirectory)
        if exists, !isDirectory.boolValue {
            throw AtomicFileWriter.WriteError(path: folder, reason: "it is a file, not a folder")
        }

        let temporary = try makeTemporaryFolder(in: parent, name: name, purpose: "new")
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
