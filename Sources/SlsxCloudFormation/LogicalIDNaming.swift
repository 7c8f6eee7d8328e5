/// The Serverless Framework's rules for logical IDs and generated names (v3,
/// `lib/plugins/aws/lib/naming.js`), so that slsx output keeps the IDs of an existing stack.
enum LogicalIDNaming {
    /// Upper-cases the first character: `first` → `First`.
    static func upperFirst(_ name: String) -> String {
        // Most names start with an ASCII letter, which `Character.uppercased()` handles slowly.
        if let byte = name.utf8.first, byte < 0x80 {
            guard (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) else { return name }
            return String(UnicodeScalar(byte - 0x20)) + Substring(name.utf8.dropFirst())
        }
        guard let first = name.first else { return name }
        return first.uppercased() + name.dropFirst()
    }

    /// Spells every `-` as `Dash` and every `_` as `Underscore`, then upper-cases the first
    /// character: `my-func` → `MyDashfunc`. Other characters are kept.
    static func normalizedResourceName(_ name: String) -> String {
        // Function names are nearly always ASCII, and spelling their bytes is much faster than
        // appending `Character`s. Every function's name is normalized, so the bytes are read from
        // the string's contiguous storage and spelled straight into the new string's storage.
        let scan = name.utf8.withContiguousStorageIfAvailable(SeparatorScan.init) ?? SeparatorScan(Array(name.utf8))
        if scan.separatorCount == 0 {
            return upperFirst(name)
        }
        if scan.isASCII {
            return name.utf8.withContiguousStorageIfAvailable { spellASCII($0, capacity: scan.spelledCount) }
                ?? spellASCII(Array(name.utf8), capacity: scan.spelledCount)
        }
        var spelled = ""
        for character in name {
            switch character {
            case "-": spelled += "Dash"
            case "_": spelled += "Underscore"
            default: spelled.append(character)
            }
        }
        return upperFirst(spelled)
    }

    /// The counts that `normalizedResourceName` takes from a name's UTF-8 bytes before it spells them.
    private struct SeparatorScan {
        /// The number of `-` and `_` bytes.
        var separatorCount = 0
        var isASCII = true
        /// The number of bytes with every `-` spelled `Dash` and every `_` spelled `Underscore`.
        var spelledCount = 0

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            var extraCount = 0
            var allBits: UInt8 = 0
            for byte in bytes {
                allBits |= byte
                if byte == UInt8(ascii: "-") {
                    separatorCount += 1
                    extraCount += 3
                } else if byte == UInt8(ascii: "_") {
                    separatorCount += 1
                    extraCount += 9
                }
            }
            isASCII = allBits < 0x80
            spelledCount = bytes.count + extraCount
        }

        init(_ bytes: [UInt8]) {
            self = bytes.withUnsafeBufferPointer(SeparatorScan.init)
        }
    }

    /// Returns `normalizedResourceName` of an ASCII name, whose spelled form has `capacity` bytes.
    /// `Dash` and `Underscore` start with an upper-case letter, so only a leading `a` to `z` of the
    /// name needs upper-casing, as `upperFirst` does for ASCII text.
    private static func spellASCII(_ name: UnsafeBufferPointer<UInt8>, capacity: Int) -> String {
        LogicalIDBuffer.spell(capacity: capacity) { spelled in
            for index in name.indices {
                let byte = name[index]
                switch byte {
                case UInt8(ascii: "-"): spelled.append("Dash")
                case UInt8(ascii: "_"): spelled.append("Underscore")
                case UInt8(ascii: "a")...UInt8(ascii: "z") where index == 0: spelled.append(byte - 0x20)
                default: spelled.append(byte)
                }
            }
        }
    }

    private static func spellASCII(_ name: [UInt8], capacity: Int) -> String {
        name.withUnsafeBufferPointer { spellASCII($0, capacity: capacity) }
    }

    /// Removes every character other than ASCII letters and digits, then upper-cases the first
    /// character: `some-long-name` → `Somelongname`.
    static func alphanumericName(_ name: String) -> String {
        // Every byte of a non-ASCII scalar is 0x80 or more, so filtering bytes removes the same.
        if name.isASCII {
            return LogicalIDBuffer.spell(capacity: name.utf8.count) { appendAlphanumericName(ofASCII: name, to: &$0) }
        }
        let lettersAndDigits = name.unicodeScalars.filter { scalar in
            scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || ("0"..."9").contains(scalar))
        }
        return upperFirst(String(String.UnicodeScalarView(lettersAndDigits)))
    }

    /// Appends `alphanumericName(name)` of an ASCII `name` to `bytes`: its ASCII letters and
    /// digits, the first one upper-cased. It appends at most `name.utf8.count` bytes.
    static func appendAlphanumericName(ofASCII name: String, to bytes: inout LogicalIDBuffer) {
        // Every stream event's logical ID ends in such a name, so the bytes are read from the
        // string's contiguous storage and written in one pass (`LogicalIDBuffer.appendAlphanumerics`).
        if name.utf8.withContiguousStorageIfAvailable({ bytes.appendAlphanumerics(of: $0) }) == nil {
            Array(name.utf8).withUnsafeBufferPointer { bytes.appendAlphanumerics(of: $0) }
        }
    }

    /// Returns the logical ID of a stream consumer named `consumerName`: `firstabcConsumer` →
    /// `FirstabcConsumerStreamConsumer`. Characters other than letters and digits that remain after
    /// the `Dash`/`Underscore` spelling (a `.` is valid in a consumer name) are removed, where the
    /// framework would write an ID that CloudFormation rejects.
    static func streamConsumer(consumerName: String) -> String {
        alphanumericName(normalizedResourceName(consumerName)) + "StreamConsumer"
    }

    /// Returns whether `id` can be a CloudFormation logical ID: 1 to 255 ASCII letters and digits.
    static func isValidLogicalID(_ id: String) -> Bool {
        guard !id.isEmpty, id.utf8.count <= 255 else { return false }
        // A non-ASCII scalar has only bytes of 0x80 or more, so checking bytes rejects it too.
        // Every resource of a template is checked, so the bytes are read eight at a time.
        return id.isASCIIAlphanumeric
    }
}
