import SlsxModel

/// Turns fuzzer bytes into a `Node`, so that libFuzzer's mutations of the bytes become mutations
/// of the tree. Every byte sequence decodes to some node; nesting stops at `maximumDepth`, below
/// the writers' depth limits. Floats are always finite and never integral, because JSON has no
/// form that keeps an integral float a float after a round trip through JSONReader.
public struct NodeDecoder {
    public static let maximumDepth = 32

    private let bytes: [UInt8]
    private var position = 0

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Decodes the next node from the input.
    public mutating func node() -> Node {
        node(depth: 0)
    }

    private mutating func node(depth: Int) -> Node {
        let tag = nextByte()
        switch tag % 8 {
        case 0:
            return .null
        case 1:
            return .bool(tag & 0x80 != 0)
        case 2:
            return .integer(Int64(bitPattern: nextUInt64()))
        case 3:
            return .float(finiteFloat())
        case 4, 5:
            return .string(string())
        case 6:
            guard depth < Self.maximumDepth else { return .string(string()) }
            let count = Int(nextByte() % 8)
            var items: [Node] = []
            for _ in 0..<count where !isAtEnd {
                items.append(node(depth: depth + 1))
            }
            return .sequence(items)
        default:
            guard depth < Self.maximumDepth else { return .string(string()) }
            let count = Int(nextByte() % 8)
            var entries: [Node.Entry] = []
            var keys: Set<String> = []
            for _ in 0..<count where !isAtEnd {
                let key = string()
                let value = node(depth: depth + 1)
                // JSONReader rejects a key that appears twice, so keep only the first.
                if keys.insert(key).inserted {
                    entries.append(Node.Entry(key, value))
                }
            }
            return .mapping(entries)
        }
    }

    // MARK: - Scalars

    private var isAtEnd: Bool { position >= bytes.count }

    private mutating func nextByte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func nextUInt64() -> UInt64 {
        var value: UInt64 = 0
        for _ in 0..<8 {
            value = value << 8 | UInt64(nextByte())
        }
        return value
    }

    private mutating func finiteFloat() -> Double {
        let value = Double(bitPattern: nextUInt64())
        guard value.isFinite, value.rounded() != value else { return 0.5 }
        return value
    }

    /// Decodes a string of up to 63 scalars: a length byte, then one byte per scalar that picks from
    /// characters YAML and JSON treat specially, or any scalar from the next two bytes.
    private mutating func string() -> String {
        let length = Int(nextByte() % 64)
        var scalars = String.UnicodeScalarView()
        for _ in 0..<length where !isAtEnd {
            let byte = nextByte()
            if byte < 0x80 {
                scalars.append(Unicode.Scalar(byte))
            } else if byte < 0xC0 {
                let special: [Unicode.Scalar] = ["\u{85}", "\u{A0}", "\u{FEFF}", "\u{2028}", "\u{2029}", "é", "🚀", "\u{FFFD}"]
                scalars.append(special[Int(byte) % special.count])
            } else {
                let code = UInt32(nextByte()) << 8 | UInt32(nextByte())
                scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
            }
        }
        return String(scalars)
    }
}
