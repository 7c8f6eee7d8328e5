import Testing

@testable import SlsxModel

/// `ByteScan` and `OutputBuffer` against plain byte-by-byte versions, on every offset of texts
/// that put the interesting bytes at each place in and across the eight-byte words.
struct ByteScanTests {
    /// Texts of 0 to 40 bytes with one special byte at every position, or two at 3, 9 or 12 bytes
    /// apart, plus non-ASCII text.
    static let texts: [String] = {
        var texts = ["", "a", "plain ascii text without specials", "ünïcödé and \u{2028} separators", "日本語のテキスト"]
        for special in ["\"", "\\", "\n", "\u{7F}", "\u{01}", "é", "$", "{", "${", ":", "#"] {
            for length in [1, 7, 8, 9, 15, 16, 17, 24, 40] {
                for position in 0..<length {
                    var characters = Array(repeating: "x", count: length)
                    characters[position] = special
                    texts.append(characters.joined())
                    for distance in [3, 9, 12] where position + distance < length {
                        var pair = characters
                        pair[position + distance] = special
                        texts.append(pair.joined())
                    }
                }
            }
        }
        return texts
    }()

    @Test func jsonSpecialByteMatchesByteLoop() {
        for text in Self.texts {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { buffer in
                for start in 0...bytes.count {
                    let expected = bytes[start...].firstIndex(where: ByteScan.isJSONSpecialByte) ?? bytes.count
                    #expect(ByteScan.firstJSONSpecialByte(in: buffer, from: start) == expected, "\(text.debugDescription) from \(start)")
                }
            }
        }
    }

    @Test func alphanumericMatchesByteLoop() {
        let alphanumerics = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        // The neighbours of each range, one at every position of alphanumeric texts of 1 to 40
        // bytes, so that each falls in a whole word, the overlapping last word and the byte loop.
        var texts = Self.texts
        for other in ["/", "0", "9", ":", "@", "A", "Z", "[", "`", "a", "z", "{", "\u{7F}", "é"] {
            for length in [1, 3, 7, 8, 9, 15, 16, 17, 40] {
                for position in 0..<length {
                    var characters = Array(repeating: "q", count: length)
                    characters[position] = other
                    texts.append(characters.joined())
                }
            }
        }
        for text in texts {
            let bytes = Array(text.utf8)
            let expected = bytes.allSatisfy { alphanumerics.contains($0) }
            bytes.withUnsafeBufferPointer { buffer in
                #expect(ByteScan.isASCIIAlphanumeric(buffer) == expected, "\(text.debugDescription)")
            }
        }
    }

    @Test func yamlPlainSpecialByteMatchesByteLoop() {
        let isSpecial = { (byte: UInt8) in
            byte < 0x20 || byte >= 0x7F || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "#")
        }
        for text in Self.texts + ["a: b", "a #b", "x" + String(repeating: "y", count: 20) + "#"] {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { buffer in
                for start in 0...bytes.count {
                    let expected = bytes[start...].firstIndex(where: isSpecial) ?? bytes.count
                    #expect(ByteScan.firstYAMLPlainSpecialByte(in: buffer, from: start) == expected, "\(text.debugDescription) from \(start)")
                }
            }
        }
    }

    @Test func firstIndexMatchesByteLoop() {
        for text in Self.texts {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { buffer in
                for start in 0...bytes.count + 1 {
                    let expected = start < bytes.count ? bytes[start...].firstIndex(of: UInt8(ascii: ":")) ?? bytes.count : bytes.count
                    #expect(ByteScan.firstIndex(of: UInt8(ascii: ":"), in: buffer, from: start) == expected)
                }
            }
        }
    }

    @Test func placeholderStartAndASCIIMatchByteLoop() {
        for text in Self.texts {
            let bytes = Array(text.utf8)
            let hasPlaceholder = zip(bytes, bytes.dropFirst()).contains { $0 == UInt8(ascii: "$") && $1 == UInt8(ascii: "{") }
            bytes.withUnsafeBufferPointer { buffer in
                #expect(ByteScan.containsPlaceholderStart(buffer) == hasPlaceholder, "\(text.debugDescription)")
                #expect(ByteScan.isASCII(buffer) == bytes.allSatisfy { (byte: UInt8) in byte < 0x80 }, "\(text.debugDescription)")
            }
        }
    }

    @Test func arnColonsFound() {
        let cases: [(String, [Int]?)] = [
            ("arn:aws:kinesis:us-east-1:123456789012:stream/orders", [3, 7, 15]),
            ("arn:aws", [3, -1, -1]),
            ("no colons", [-1, -1, -1]),
            ("arn:${AWS::Partition}:kinesis", nil),
            ("arn:aws:kinésis:x", nil),
        ]
        for (text, expected) in cases {
            let found = Array(text.utf8).withUnsafeBufferPointer { ARNColons.find(in: $0) }
            #expect(found.map { [$0.0, $0.1, $0.2] } == expected, "\(text)")
        }
    }

    @Test func quotedMatchesScalarEscaping() {
        for text in Self.texts {
            var expected = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": expected += "\\\""
                case "\\": expected += "\\\\"
                case "\n": expected += "\\n"
                case "\r": expected += "\\r"
                case "\t": expected += "\\t"
                case "\u{08}": expected += "\\b"
                case "\u{0C}": expected += "\\f"
                case "\u{00}"..."\u{1F}", "\u{7F}"..."\u{9F}", "\u{2028}", "\u{2029}":
                    let digits = String(scalar.value, radix: 16)
                    expected += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
                default: expected.unicodeScalars.append(scalar)
                }
            }
            expected += "\""
            #expect(JSONWriter.quoted(text) == expected)
            #expect(JSONWriter.quotedScalarCount(text) == expected.unicodeScalars.count)
        }
    }

    @Test func outputBufferCrossesChunks() {
        let run = (0..<(OutputBuffer.chunkSize + 100)).map { UInt8(truncatingIfNeeded: $0) }
        var expected: [UInt8] = []
        let bytes = OutputBuffer.collect(reservingCapacity: 16) { output in
            for round in 0..<3 {
                output.append(UInt8(round))
                expected.append(UInt8(round))
                output.append(repeating: UInt8(ascii: " "), count: OutputBuffer.chunkSize - 3)
                expected += repeatElement(UInt8(ascii: " "), count: OutputBuffer.chunkSize - 3)
                output.append("é\u{2028}")
                expected += Array("é\u{2028}".utf8)
                run.withUnsafeBufferPointer { output.append(contentsOf: $0) }
                expected += run
                output.append(repeating: UInt8(ascii: "-"), count: OutputBuffer.chunkSize * 2)
                expected += repeatElement(UInt8(ascii: "-"), count: OutputBuffer.chunkSize * 2)
            }
        }
        #expect(bytes.count == expected.count)
        #expect(bytes == expected)
    }

    @Test func lineBreaksMatchReferenceAcrossChunkEnd() {
        // Indents of 0 to 20 around the end of the first chunk, where the eight-byte stores of
        // spaces would pass it, and one indent longer than a chunk.
        var expected: [UInt8] = []
        let bytes = OutputBuffer.collect(reservingCapacity: 16) { output in
            let filler = OutputBuffer.chunkSize - 30
            output.append(repeating: UInt8(ascii: "x"), count: filler)
            expected += repeatElement(UInt8(ascii: "x"), count: filler)
            for indent in [0, 1, 7, 8, 9, 15, 16, 17, 20, OutputBuffer.chunkSize + 5] {
                output.appendLineBreak(indent: indent)
                expected.append(UInt8(ascii: "\n"))
                expected += repeatElement(UInt8(ascii: " "), count: indent)
                output.append(UInt8(ascii: "y"))
                expected.append(UInt8(ascii: "y"))
            }
        }
        #expect(bytes.count == expected.count)
        #expect(bytes == expected)
    }

    @Test func decimalMatchesStringDescription() {
        let values: [Int64] = [0, 1, 9, 10, 99, 100, -1, -10, 1234567890, .max, .min, .min + 1]
        for value in values {
            let bytes = OutputBuffer.collect(reservingCapacity: 0) { output in output.append(decimal: value) }
            #expect(String(decoding: bytes, as: UTF8.self) == String(value))
        }
        #expect(OutputBuffer.collect(reservingCapacity: 0) { $0.append(decimal: .min) } == Array("-9223372036854775808".utf8))
    }
}
