/// The REPL's history file and size, decided from the environment.
public struct HistorySettings: Equatable, Sendable {
    /// The history file, or nil when history is not saved.
    public var path: String?
    /// The number of entries kept; older entries are dropped first.
    public var maximumEntries: Int
    /// A problem to show once at start-up, such as an unset `HOME`.
    public var warning: String?

    /// The number of entries kept when nothing else is configured.
    public static let defaultMaximumEntries = 1000

    /// Decides the history file: `SLSX_HISTORY` when it is set (an empty value turns saving off),
    /// otherwise `~/.slsx_history` under `HOME`. Without either, history is not saved and `warning`
    /// explains why. `SLSX_HISTORY_SIZE`, a whole number from 1 to 100000, sets `maximumEntries`.
    public static func resolve(environment: [String: String]) -> HistorySettings {
        var settings = HistorySettings(path: nil, maximumEntries: defaultMaximumEntries, warning: nil)
        var warnings: [String] = []

        if let configured = environment["SLSX_HISTORY"] {
            settings.path = configured.isEmpty ? nil : configured
        } else if let home = environment["HOME"], !home.isEmpty {
            let folder = home.hasSuffix("/") ? String(home.dropLast()) : home
            settings.path = folder + "/.slsx_history"
        } else {
            warnings.append("HOME is not set, so history will not be saved; set SLSX_HISTORY to a file path to keep it")
        }

        if let size = environment["SLSX_HISTORY_SIZE"] {
            if let count = Int(size), (1...maximumEntriesLimit).contains(count) {
                settings.maximumEntries = count
            } else {
                warnings.append("SLSX_HISTORY_SIZE must be a whole number from 1 to \(maximumEntriesLimit), but is '\(size)'; keeping \(defaultMaximumEntries) entries")
            }
        }

        settings.warning = warnings.isEmpty ? nil : warnings.joined(separator: "\n")
        return settings
    }

    /// The largest `SLSX_HISTORY_SIZE` accepted. The whole file is rewritten after every entry, so
    /// the size bounds that work.
    public static let maximumEntriesLimit = 100_000
}
