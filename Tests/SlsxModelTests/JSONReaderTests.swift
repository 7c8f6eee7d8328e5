import SlsxSource
import Testing

@testable import SlsxModel
import SlsxTestSupport

struct JSONReaderTests {
    @Test func readsScalarsAndKeepsKeyOrder() throws {
        let node = try JSONReader.read(#"{"z": 1, "a": [true, false, null], "m": "text", "f": 2.5}"#)
        #expect(node.mappingValue?.map(\.key) == ["z", "a", "m", "f"])
        #expect(node["z"] == .integer(1))
        #expect(node["a"] == .sequence([.bool(true), .bool(false), .null]))
        #expect(node["m"] == .string("text"))
        #expect(node["f"] == .float(2.5))
    }

    @Test func numbersKeepIntegerOrFloat() throws {
        #expect(try JSONReader.read("0") == .integer(0))
        #expect(try JSONReader.read("-0") == .integer(0))
        #expect(try JSONReader.read("-12") == .integer(-12))
        #expect(try JSONReader.read("9223372036854775807") == .integer(Int64.max))
        #expect(try JSONReader.read("-9223372036854775808") == .integer(Int64.min))
        #expect(try JSONReader.read("9223372036854775808") == .float(9223372036854775808.0))
        #expect(try JSONReader.read("1.0") == .float(1.0))
        #expect(try JSONReader.read("1e3") == .float(1000.0))
        #expect(try JSONReader.read("-2.5E-3") == .float(-0.0025))
        #expect(try JSONReader.read("123456789012345678901234567890") == .float(1.2345678901234568e29))
    }

    @Test func stringEscapes() throws {
        let node = try JSONReader.read(#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude80""#)
        #expect(node == .string("a\"b\\c/d\u{08}\u{0C}\n\r\té🚀"))
        #expect(try JSONReader.read("\"café 世界 🚀\"") == .string("café 世界 🚀"))
    }

    @Test func spansPointAtTheText() throws {
        let file = SourceFile(path: "cases.json", text: "{\n  \"batchSize\": 100,\n  \"list\": [1]\n}")
        let node = try JSONReader.read(file)
        let entries = try #require(node.mappingValue)
        #expect(entries[0].keySpan?.startLocation.description == "2:3")
        #expect(entries[0].keySpan?.text == "\"batchSize\"")
        #expect(entries[0].value.span?.startLocation.description == "2:16")
        #expect(entries[0].value.span?.text == "100")
        #expect(entries[1].value.sequenceValue?.first?.span?.startLocation.description == "3:12")
        #expect(node.span?.text == file.lineText(1) + "\n" + file.lineText(2) + "\n" + file.lineText(3) + "\n}")
    }

    @Test(arguments: [
        ("", "1:1: unexpected end of input, expected a value"),
        ("{", "1:2: unexpected end of input, expected a string key"),
        ("[1,]", "1:4: unexpected ']', expected a value"),
        ("{\"a\" 1}", "1:6: unexpected '1', expected ':' after the key"),
        ("{\"a\": 1,\n \"a\": 2}", "2:2: duplicate key \"a\" in object"),
        ("01", "1:1: leading zero in a number"),
        ("1.", "1:3: expected a digit after the decimal point"),
        ("1e", "1:3: expected a digit in the exponent"),
        ("-", "1:2: expected a digit in the number"),
        ("+1", "1:1: unexpected '+', expected a value"),
        ("1e400", "1:1: number 1e400 is too large for a 64-bit float"),
        ("tru", "1:1: invalid literal, expected 'true'"),
        ("NaN", "1:1: unexpected 'N', expected a value"),
        ("\"abc", "1:5: unterminated string"),
        ("\"a\tb\"", "1:3: raw control character U+0009 in a string; escape it"),
        ("\"\\x41\"", "1:2: invalid escape '\\x' in a string"),
        ("\"\\ud800\"", "1:2: unpaired high surrogate \\uD800"),
        ("\"\\udc00\"", "1:2: unpaired low surrogate \\uDC00"),
        ("\"\\u12\"", "1:6: expected four hexadecimal digits after \\u"),
        ("[1] [2]", "1:5: unexpected '[' after the JSON value"),
        ("\u{FEFF}{}", "1:1: byte order mark at the start of JSON text"),
    ])
    func syntaxErrors(input: String, expected: String) {
        #expect(throws: (any Error).self) { try JSONReader.read(input) }
        do {
            _ = try JSONReader.read(input)
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test func invalidUTF8IsAnError() {
        let cases: [([UInt8], String)] = [
            ([0x22, 0xFF, 0x22], "1:2: invalid UTF-8 byte 0xFF"),
            ([0x22, 0xC0, 0x80, 0x22], "1:2: invalid UTF-8 byte 0xC0"),
            ([0x22, 0xE0, 0x80, 0x80, 0x22], "1:2: invalid UTF-8 sequence"),
            ([0x22, 0xED, 0xA0, 0x80, 0x22], "1:2: invalid UTF-8 sequence"),
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "1:2: invalid UTF-8 sequence"),
            ([0x22, 0xE2, 0x82], "1:2: truncated UTF-8 sequence"),
        ]
        for (bytes, expected) in cases {
            do {
                _ = try JSONReader.read(bytes: bytes)
                Issue.record("expected an error for \(bytes)")
            } catch {
                #expect(error.description == expected)
            }
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let limit = JSONReader.maximumDepth
        let accepted = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(throws: Never.self) { try JSONReader.read(accepted) }

        let tooDeep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        do {
            _ = try JSONReader.read(tooDeep)
            Issue.record("expected a nesting error")
        } catch {
            #expect(error.description == "1:513: nesting deeper than 512 arrays and objects")
        }

        let hostile = String(repeating: "{\"a\":", count: 100_000)
        #expect(throws: JSONReader.SyntaxError.self) { try JSONReader.read(hostile) }
    }

    @Test func manyKeysReadInOrder() throws {
        let count = 50_000
        let text = "{" + (0..<count).map { "\"k\($0)\": \($0)" }.joined(separator: ",") + "}"
        let entries = try #require(try JSONReader.read(text).mappingValue)
        #expect(entries.count == count)
        #expect(entries.last?.key == "k49999")
        #expect(entries.last?.value == .integer(49_999))
    }

    @Test func errorBecomesDiagnosticAtItsSpan() {
        let file = SourceFile(path: "bad.json", text: "{\n  \"a\": tru\n}")
        do {
            _ = try JSONReader.read(file)
            Issue.record("expected an error")
        } catch {
            let diagnostic = error.diagnostic
            #expect(diagnostic.message == "invalid literal, expected 'true'")
            #expect(diagnostic.span?.startLocation.description == "2:8")
        }
    }

    @Test func randomInputNeverCrashes() throws {
        // Fragments that JSON text is made of, glued at random: most results are invalid, some are
        // valid and must survive a write and a second read unchanged.
        let fragments = [
            "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "d83d", "\\ude80", "0", "-", "1", "9", ".", "e",
            "+", "true", "false", "null", " ", "\n", "\"k\"", "\"é\"", "\u{FFFD}", "1e999", "\"a\":",
        ]
        var generator = SeededGenerator(seed: 0x5157_5854)
        var parsed = 0
        for _ in 0..<5000 {
            var text = ""
            for _ in 0..<Int(generator.next() % 24) {
                text += fragments[Int(generator.next() % UInt64(fragments.count))]
            }
            var bytes = Array(text.utf8)
            if generator.next() % 8 == 0, !bytes.isEmpty {
                bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
            }
            guard let node = try? JSONReader.read(bytes: bytes) else { continue }
            parsed += 1
            #expect(try JSONReader.read(try JSONWriter().write(node)) == node, "input: \(bytes)")
        }
        #expect(parsed > 0)
    }
}
