import Foundation
import Testing

@testable import slsx

/// The REPL's history file on paths that are not plain regular files: FIFOs, folders, symbolic
/// links and character devices. Every node is made in a private temporary folder, except the
/// character device, which is only read.
///
/// Serialized because `load` and `save` use libedit's history list, a process-wide global.
@Suite(.serialized) struct HistoryFileTests {
    /// Makes an empty private folder and returns its path.
    private func makeFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slsx-history-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        return folder
    }

    private func offWarning(_ described: String, _ fileType: String) -> String {
        "the history file \(described) is \(fileType), not a regular file, so history will not be loaded or saved; set SLSX_HISTORY to a regular file, or to an empty value to turn history off"
    }

    private func isFIFO(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO
    }

    // If the type check ever stops guarding `read_history`, this load blocks on the FIFO, which
    // has no writer.
    @Test func fifoIsNotReadAndTurnsHistoryOff() throws {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let fifo = folder + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)

        let loaded = HistoryFile(path: fifo, maximumEntries: 10).load()

        #expect(loaded == HistoryFile.LoadResult(savesHistory: false, warning: offWarning(fifo, "a FIFO")))
        #expect(isFIFO(fifo))
    }

    @Test func linkToFIFONamesBoth() throws {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let fifo = folder + "/fifo"
        let link = folder + "/link"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(symlink("fifo", link) == 0)

        let loaded = HistoryFile(path: link, maximumEntries: 10).load()

        let described = "\(link) (a symbolic link to \(fifo))"
        #expect(loaded == HistoryFile.LoadResult(savesHistory: false, warning: offWarning(described, "a FIFO")))
    }

    @Test func folderTurnsHistoryOff() throws {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }

        let loaded = HistoryFile(path: folder, maximumEntries: 10).load()

        #expect(loaded == HistoryFile.LoadResult(savesHistory: false, warning: offWarning(folder, "a folder")))
    }

    @Test func saveLeavesFIFOInPlace() throws {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let fifo = folder + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)

        let warning = HistoryFile(path: fifo, maximumEntries: 10).save()

        #expect(warning == "could not save the history to \(fifo): it is not a regular file (a device, FIFO or socket)")
        #expect(isFIFO(fifo))
    }

    @Test func saveThroughLinkReplacesTarget() throws {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let target = folder + "/real_hist"
        let link = folder + "/link_hist"
        try "_HiStOrY_V2_\nold\n".write(toFile: target, atomically: false, encoding: .utf8)
        #expect(symlink("real_hist", link) == 0)

        let warning = HistoryFile(path: link, maximumEntries: 10).save()

        #expect(warning == nil)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real_hist")
        let saved = try String(contentsOfFile: target, encoding: .utf8)
        #expect(saved.hasPrefix("_HiStOrY_V2_\n"))
        #expect(!saved.contains("old"))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
    }

    @Test func saveCreatesMissingFile() throws {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/history"
        let file = HistoryFile(path: path, maximumEntries: 10)

        #expect(file.load() == HistoryFile.LoadResult(savesHistory: true, warning: nil))
        #expect(file.save() == nil)

        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("_HiStOrY_V2_\n"))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(leftovers == ["history"])
    }

    @Test func saveReportsMissingFolder() throws {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/missing/history"

        let warning = HistoryFile(path: path, maximumEntries: 10).save()

        #expect(warning == "could not save the history to \(path): cannot create a file in '\(folder)/missing': No such file or directory")
    }

    // `/dev/null` reads as empty, so this load ends even without the type check: it would then
    // return a "not a libedit history file" warning. The test never saves to a device.
    @Test func characterDeviceTurnsHistoryOffSilently() {
        let loaded = HistoryFile(path: "/dev/null", maximumEntries: 10).load()

        #expect(loaded == HistoryFile.LoadResult(savesHistory: false, warning: nil))
    }
}
