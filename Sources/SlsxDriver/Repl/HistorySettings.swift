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
    /// explains why.
    public static func resolve(environment: [String: String]) -> HistorySettings {
        if let configured = environment["SLSX_HISTORY"] {
            return HistorySettings(
                path: configured.isEmpty ? nil : configured,
                maximumEntries: defaultMaximumEntries,
                warning: nil
            )
        }
        if let home = environment["HOME"], !home.isEmpty {
            let folder = home.hasSuffix("/") ? String(home.dropLast()) : home
            return HistorySettings(path: folder + "/.slsx_history", maximumEntries: defaultMaximumEntries, warning: nil)
        }
        return HistorySettings(
            path: nil,
            maximumEntries: defaultMaximumEntries,
            warning: "HOME is not set, so history will not be saved; set SLSX_HISTORY to a file path to keep it"
        )
    }
}
