import SlsxSource

extension ServiceDecoding {
    /// A key that a stream event accepts, in the order of `KnownKeys.streamEvent`.
    enum StreamSetting: String, CaseIterable {
        case arn, type, batchSize, batchWindow, parallelizationFactor, startingPosition
        case startingPositionTimestamp, enabled, consumer, maximumRetryAttempts
        case bisectBatchOnFunctionError, maximumRecordAgeInSeconds, functionResponseType
        case destinations, tumblingWindowInSeconds, filterPatterns
    }

    /// The entries of a stream event with the setting of each, matched in one pass.
    ///
    /// The decoder reads about twenty settings of every event, so the table matches each key with
    /// the setting names once, and each read then compares enum cases instead of strings.
    struct StreamSettings {
        private let entries: [Node.Entry]
        /// The setting of each entry, at the entry's index, or `nil` for a key no setting has.
        private let settings: [StreamSetting?]

        init(_ entries: [Node.Entry]) {
            self.entries = entries
            settings = entries.map { StreamSettings.setting(ofKey: $0.key) }
        }

        /// Returns the setting whose name is `key` as `ServiceDecoding.keysMatch` compares them,
        /// or `nil`. Every setting name is ASCII, so a key whose first byte is another ASCII
        /// character is no match, and only the names that start like `key` are compared in full.
        /// This loop takes fewer instructions than the synthesized `StreamSetting(rawValue:)` or a
        /// dictionary of the names (callgrind figures in docs/benchmarks.md).
        private static func setting(ofKey key: String) -> StreamSetting? {
            let keyFirstByte = ServiceDecoding.firstByte(key)
            for index in names.indices {
                if let keyFirstByte, keyFirstByte < 0x80, keyFirstByte != names[index].firstByte { continue }
                if names[index].text == key {
                    return names[index].setting
                }
            }
            return nil
        }

        private static let names: [(firstByte: UInt8?, text: String, setting: StreamSetting)] =
            StreamSetting.allCases.map { (ServiceDecoding.firstByte($0.rawValue), $0.rawValue, $0) }

        /// Returns the first entry of `setting`, or `nil` when the event does not set it.
        subscript(_ setting: StreamSetting) -> Node.Entry? {
            for index in settings.indices where settings[index] == setting {
                return entries[index]
            }
            return nil
        }

        /// Returns whether an entry of `setting` satisfies `predicate`. It reads only the entries
        /// of `setting`, whereas `entries.contains` would copy every entry to test its key.
        func contains(_ setting: StreamSetting, where predicate: (Node.Entry) -> Bool) -> Bool {
            for index in settings.indices where settings[index] == setting && predicate(entries[index]) {
                return true
            }
            return false
        }

        /// The entries whose key is no stream event setting, in order.
        var unknownEntries: [Node.Entry] {
            entries.indices.filter { settings[$0] == nil }.map { entries[$0] }
        }
    }
}
