import SlsxSource

extension ServiceDecoding {
    /// A key that a stream event accepts, in the order of `KnownKeys.streamEvent`, which gives each
    /// case its key. The raw value is the setting's lane in `StreamSettings`'s table, which has 16.
    enum StreamSetting: Int, CaseIterable {
        case arn, type, batchSize, batchWindow, parallelizationFactor, startingPosition
        case startingPositionTimestamp, enabled, consumer, maximumRetryAttempts
        case bisectBatchOnFunctionError, maximumRecordAgeInSeconds, functionResponseType
        case destinations, tumblingWindowInSeconds, filterPatterns

        /// The key of the setting, such as `batchSize`, which is also the name of its case.
        var name: String { KnownKeys.streamEvent[rawValue] }
    }

    /// The entries of a stream event with the setting of each, matched in one pass.
    ///
    /// The decoder reads about twenty settings of every event, so the table matches each key with
    /// the setting names once, and each read then looks its setting up by position.
    struct StreamSettings {
        private let entries: [Node.Entry]
        /// The index in `entries` of the first entry of each setting, in the lane of the setting's
        /// raw value, or -1 when the event does not set it. SIMD lanes keep the table inside the
        /// struct, so it needs no allocation per event. `Int32` lanes fit the table in four vector
        /// registers, where `Int` lanes took eight, which the compiler (Swift 6.3) stored and
        /// reloaded for every key. The narrower lanes saved 0.6 M of the decoder's 30.8 M
        /// instructions for the benchmark at n=1000 (callgrind).
        private var firstIndexes = SIMD16<Int32>(repeating: -1)
        /// The indexes of the entries whose key is no stream event setting, in order.
        private var unknownIndexes: [Int] = []
        /// Whether a setting has more than one entry. Keys of a language map or a JSON object are
        /// unique, so only a `Node` built in code can repeat one.
        private var repeatsSetting = false

        init(_ entries: [Node.Entry]) {
            self.entries = entries
            for index in entries.indices {
                guard let setting = StreamSettings.setting(ofKey: entries[index].key) else {
                    unknownIndexes.append(index)
                    continue
                }
                if firstIndexes[setting.rawValue] < 0 {
                    // 2^31 entries of 72 bytes each would take 144 GiB, so `Int32(index)` does
                    // not trap in practice.
                    firstIndexes[setting.rawValue] = Int32(index)
                } else {
                    repeatsSetting = true
                }
            }
        }

        /// Returns the setting whose name is `key` as `String ==` compares them, or `nil`.
        private static func setting(ofKey key: String) -> StreamSetting? {
            keys.position(of: key).flatMap(StreamSetting.init(rawValue:))
        }

        /// The key of each setting, in the order of the cases.
        private static let keys = ASCIINames(KnownKeys.streamEvent)

        /// Returns the value and key span of the first entry of `setting`, or `nil` when the event
        /// does not set it. The decoder reads no setting's key, and copying a whole `Node.Entry`
        /// would retain the key too. It is always inlined, because as a call per read it cost more
        /// than the copies it saves.
        @inline(__always)
        subscript(_ setting: StreamSetting) -> (value: Node, keySpan: SourceSpan?)? {
            let index = Int(firstIndexes[setting.rawValue])
            return index < 0 ? nil : (entries[index].value, entries[index].keySpan)
        }

        /// Returns whether an entry of `setting` satisfies `predicate`. It reads only the entries
        /// of `setting`, whereas `entries.contains` would copy every entry to test its key.
        func contains(_ setting: StreamSetting, where predicate: (Node.Entry) -> Bool) -> Bool {
            let first = Int(firstIndexes[setting.rawValue])
            guard first >= 0 else { return false }
            if predicate(entries[first]) { return true }
            guard repeatsSetting else { return false }
            for index in (first + 1)..<entries.count
            where StreamSettings.setting(ofKey: entries[index].key) == setting && predicate(entries[index]) {
                return true
            }
            return false
        }

        /// The entries whose key is no stream event setting, in order.
        var unknownEntries: [Node.Entry] {
            unknownIndexes.map { entries[$0] }
        }
    }
}
