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
    /// The decoder reads about twenty settings of every event. A search of the entries by key for
    /// each one compared every key with each setting name again, where this table matches each
    /// key once and finds a setting by comparing enum cases.
    struct StreamSettings {
        let entries: [Node.Entry]
        /// The setting of each entry, at the entry's index, or `nil` for a key no setting has.
        private let settings: [StreamSetting?]

        init(_ entries: [Node.Entry]) {
            self.entries = entries
            // `init(rawValue:)` compares with `String ==`, as `ServiceDecoding.keysMatch` does.
            settings = entries.map { StreamSetting(rawValue: $0.key) }
        }

        /// Returns the first entry of `setting`, or `nil` when the event does not set it.
        subscript(_ setting: StreamSetting) -> Node.Entry? {
            for index in settings.indices where settings[index] == setting {
                return entries[index]
            }
            return nil
        }

        /// The entries whose key is no stream event setting, in order.
        var unknownEntries: [Node.Entry] {
            entries.indices.filter { settings[$0] == nil }.map { entries[$0] }
        }
    }
}
