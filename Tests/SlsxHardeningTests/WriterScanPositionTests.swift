import Foundation
import SlsxModel
import Testing

/// The writers' byte scans (`ByteScan`) and output chunks (`OutputBuffer`) against independent
/// references: every string of 0 to 70 characters with one special character at every position,
/// and long strings whose escapes and multi-byte characters fall on a 64 KiB chunk boundary.
///
/// JSON is checked byte for byte against `referenceQuoted`, which escapes one scalar at a time as
/// `JSONWriter`'s documentation lists, and read back with Foundation's `JSONSerialization`. YAML is
/// read back with PyYAML through `scripts/yaml_roundtrip.py`.
@Suite struct WriterScanPositionTests {
    /// Characters that a writer escapes or quotes, or that a scan looks for: ASCII, characters of
    /// 2, 3 and 4 UTF-8 bytes, controls, DEL, C1 controls, the line separators and the BOM.
    static let specials = [
        "\"", "\\", "\u{0}", "\u{1}", "\u{8}", "\u{1F}", "\n", "\t", "\r", "\u{7F}", "$", "{", "${", ":",
        ": ", "#", " #", " ", "é", "\u{85}", "\u{9F}", "\u{A0}", "€", "\u{2028}", "\u{2029}", "\u{FEFF}",
        "\u{FFFE}", "😀", "\u{300}", "-", "---",
    ]

    /// Returns every text of `length` fillers, for `length` in 0...70, with one special inserted
    /// at each position.
    static func texts(filler: String) -> [String] {
        var texts: [String] = []
        for length in 0...70 {
            let base = Array(repeating: filler, count: length)
            for special in specials {
                for position in 0...length {
                    texts.append((base[..<position] + [special] + base[position...]).joined())
                }
            }
        }
        return texts
    }

    /// The texts with an ASCII filler and with a two-byte one, which moves the specials across
    /// the eight-byte words differently. About 160,000 texts.
    static let texts = texts(filler: "a") + texts(filler: "é")

    /// Returns the JSON string literal of `text`: `\"`, `\\`, the short escapes of backspace, form feed,
    /// line feed, carriage return and tab, and `\u` with four lowercase hexadecimal digits for the
    /// other scalars of U+0000...U+001F, U+007F...U+009F, U+2028 and U+2029.
    static func referenceQuoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: output += "\\\""
            case 0x5C: output += "\\\\"
            case 0x08: output += "\\b"
            case 0x0C: output += "\\f"
            case 0x0A: output += "\\n"
            case 0x0D: output += "\\r"
            case 0x09: output += "\\t"
            case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029:
                let digits = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }

    /// Returns the mapping `{"<index>:<text>": text}` of every text, so each text is both a key and a value.
    static func keysAndValues(_ texts: [String]) -> Node {
        .mapping(texts.enumerated().map { index, text in Node.Entry("\(index):\(text)", .string(text)) })
    }

    @Test func quotedMatchesReference() {
        var mismatches = 0
        for text in Self.texts {
            let quoted = JSONWriter.quoted(text)
            let expected = Self.referenceQuoted(text)
            if Array(quoted.utf8) != Array(expected.utf8) {
                mismatches += 1
                if mismatches <= 5 { Issue.record("quoted(\(text.debugDescription)) is \(quoted.debugDescription), expected \(expected.debugDescription)") }
            }
            let count = JSONWriter.quotedScalarCount(text)
            if count != expected.unicodeScalars.count {
                mismatches += 1
                if mismatches <= 5 { Issue.record("quotedScalarCount(\(text.debugDescription)) is \(count), expected \(expected.unicodeScalars.count)") }
            }
        }
        #expect(mismatches == 0)
    }

    @Test func jsonReadsBackWithFoundation() throws {
        for style in [JSONWriter.Style.indented, .compact] {
            let bytes = try JSONWriter(style: style).encode(Self.keysAndValues(Self.texts))
            let object = try JSONSerialization.jsonObject(with: Data(bytes))
            let read = try #require(object as? [String: String])
            #expect(read.count == Self.texts.count)
            var mismatches = 0
            // `String ==` treats canonically equivalent texts as equal, so scalars are compared.
            let readScalars = Dictionary(uniqueKeysWithValues: read.map { (Array($0.key.unicodeScalars), Array($0.value.unicodeScalars)) })
            // NOTE: Foundation's JSONSerialization (Swift 6.3.1 on Linux) drops a U+FEFF at the start
            // of a string value, which the writer writes raw as JSON allows. Python's json module
            // reads those texts back whole, so they are left out here.
            for (index, text) in Self.texts.enumerated() where text.unicodeScalars.first != "\u{FEFF}" {
                let key = Array("\(index):\(text)".unicodeScalars)
                if readScalars[key] != Array(text.unicodeScalars) {
                    mismatches += 1
                    if mismatches <= 5 { Issue.record("\(style): \(text.debugDescription) did not read back") }
                }
            }
            #expect(mismatches == 0)
        }
    }

    // MARK: - Chunk boundaries

    /// `OutputBuffer.chunkSize`, which is internal to SlsxModel.
    static let chunkSize = 64 * 1024

    /// Pieces whose JSON form is 1 to 6 bytes long: a boundary can fall inside each of them.
    static let chunkPieces = ["\"", "\\", "\u{0}", "\n", "\u{7F}", "\u{85}", "\u{2028}", "é", "€", "😀", "a"]

    /// Returns documents `{"pad": "p…", "text": piece × chunkSize}`, in which `text` covers the
    /// first chunk boundary. The pads are 0 to 11 bytes long, so that the boundary falls on each
    /// byte of a piece's written form.
    static func chunkDocuments() -> [(pad: String, text: String)] {
        var documents: [(pad: String, text: String)] = []
        for piece in chunkPieces {
            let text = String(repeating: piece, count: chunkSize)
            for padLength in 0..<12 {
                documents.append((String(repeating: "p", count: padLength), text))
            }
        }
        return documents
    }

    @Test func chunkBoundaryMatchesReference() throws {
        for (pad, text) in Self.chunkDocuments() {
            let node = Node.mapping([Node.Entry("pad", .string(pad)), Node.Entry("text", .string(text))])
            let bytes = try JSONWriter().encode(node)
            let expected = "{\n  \"pad\": \(Self.referenceQuoted(pad)),\n  \"text\": \(Self.referenceQuoted(text))\n}\n"
            #expect(bytes.count > Self.chunkSize)
            #expect(bytes == Array(expected.utf8), "pad \(pad.utf8.count), text of \(text.unicodeScalars.first.map { String($0.value, radix: 16) } ?? "")")
        }
    }

    // MARK: - YAML through PyYAML

    @Test func pyYAMLReadsBackEqual() throws {
        guard let python = WriterPropertyTests.pythonWithPyYAML() else {
            // A machine without python3 and PyYAML skips this check. `.ci/run` installs PyYAML from
            // Tests/requirements.txt.
            print("skipping WriterScanPositionTests.pyYAMLReadsBackEqual: python3 with PyYAML not found")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("slsx-yaml-positions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        // PyYAML and ruamel.yaml read YAML slowly, so they get the texts of up to 20 and from 63
        // characters with the ASCII filler, once as keys and values, and a third of the chunk
        // documents.
        let texts = Self.texts(filler: "a").filter { text in
            let count = text.unicodeScalars.count
            return count <= 20 || count >= 63
        }
        var nodes = [Self.keysAndValues(texts)]
        for (index, (pad, text)) in Self.chunkDocuments().enumerated() where index % 3 == 0 {
            nodes.append(.mapping([Node.Entry("pad", .string(pad)), Node.Entry("text", .string(text))]))
        }
        var arguments = [WriterPropertyTests.packageDirectory.appendingPathComponent("scripts/yaml_roundtrip.py").path]
        for (index, node) in nodes.enumerated() {
            let yamlURL = directory.appendingPathComponent("\(index).yaml")
            let jsonURL = directory.appendingPathComponent("\(index).json")
            try Data(try YAMLWriter().encode(node)).write(to: yamlURL)
            try Data(try JSONWriter().encode(node)).write(to: jsonURL)
            arguments += [yamlURL.path, jsonURL.path]
        }
        let (status, errorOutput) = try WriterPropertyTests.run(python, arguments)
        #expect(status == 0, "yaml_roundtrip.py failed: \(errorOutput)")
    }
}
