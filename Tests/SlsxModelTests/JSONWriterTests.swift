import Testing

@testable import SlsxModel

struct JSONWriterTests {
    @Test func indentedLayout() throws {
        let node = Node.mapping([
            Node.Entry("b", .integer(1)),
            Node.Entry("a", .sequence([.bool(true), .null, .float(2.5), .float(1.0)])),
            Node.Entry("empty", .mapping([Node.Entry("list", .sequence([])), Node.Entry("map", .mapping([]))])),
        ])
        #expect(try JSONWriter().write(node) == """
            {
              "b": 1,
              "a": [
                true,
                null,
                2.5,
                1.0
              ],
              "empty": {
                "list": [],
                "map": {}
              }
            }

            """)
    }

    @Test func compactFilterPattern() throws {
        // The second pattern of the filterPatterns field report, written as Lambda's Pattern string.
        let pattern = try JSONReader.read("""
            {"dynamodb": {"NewImage": {"Kind": {"S": ["Refund"]},
              "Total": {"N": [{"numeric": [">", 5.0]}]}, "Path": {"S": [{"prefix": "orders/2024"}]}}}}
            """)
        #expect(try JSONWriter(style: .compact).write(pattern)
            == #"{"dynamodb":{"NewImage":{"Kind":{"S":["Refund"]},"Total":{"N":[{"numeric":[">",5]}]},"Path":{"S":[{"prefix":"orders/2024"}]}}}}"#)
        #expect(try JSONWriter(style: .compact).write(.sequence([.float(-0.5), .float(1e20), .float(3.0)])) == "[-0.5,1e+20,3]")
    }

    @Test(arguments: [
        ("Line one\nLine two with \"quotes\" and \\ backslash\n", #""Line one\nLine two with \"quotes\" and \\ backslash\n""#),
        ("tab\t cr\r bs\u{08} ff\u{0C}", #""tab\t cr\r bs\b ff\f""#),
        ("nul\u{0} esc\u{1B} del\u{7F} nel\u{85} c1\u{9F}", #""nul\u0000 esc\u001b del\u007f nel\u0085 c1\u009f""#),
        ("ls\u{2028} ps\u{2029}", #""ls\u2028 ps\u2029""#),
        ("a/b café 世界 🚀", #""a/b café 世界 🚀""#),
    ])
    func stringEscapes(text: String, expected: String) throws {
        #expect(try JSONWriter(style: .compact).write(.string(text)) == expected)
        #expect(try JSONReader.read(expected) == .string(text))
    }

    @Test(arguments: [
        ("", 2),
        ("plain ascii", 13),
        ("quote \" backslash \\", 23),
        ("nl\n tab\t nul\u{0} del\u{7F}", 32),
        ("nel\u{85} c1\u{9F} c2-only \u{A0}", 30),
        ("ls\u{2028} ps\u{2029} dash \u{2013}", 26),
        ("café 世界 🚀", 11),
    ])
    func quotedScalarCountMatchesWriter(text: String, expected: Int) {
        #expect(JSONWriter.quotedScalarCount(text) == expected)
        #expect(JSONWriter.quoted(text).unicodeScalars.count == expected)
    }

    @Test func encodeMatchesWrite() throws {
        let node = Node.mapping([Node.Entry("k\u{2028}", .sequence([.string("v\"é"), .integer(-3), .float(0.5)]))])
        #expect(try JSONWriter().encode(node) == Array(try JSONWriter().write(node).utf8))
    }

    @Test func nonFiniteFloatIsAnError() {
        let node = Node.mapping([Node.Entry("functions", .mapping([Node.Entry("worker", .mapping([
            Node.Entry("events", .sequence([.integer(1), .float(Double.nan)])),
        ]))]))])
        do {
            _ = try JSONWriter().write(node)
            Issue.record("expected an error")
        } catch {
            guard case .nonFiniteNumber(_, let path) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(path == "functions.worker.events[1]")
            #expect(error.description == "cannot write nan at functions.worker.events[1] as JSON: JSON has no NaN or infinity")
        }
        #expect(throws: WriterError.nonFiniteNumber(-Double.infinity, path: "")) {
            try JSONWriter().write(.float(-Double.infinity))
        }
    }

    @Test func deepNestingIsAnError() {
        var node = Node.integer(1)
        for _ in 0..<JSONWriter.maximumDepth + 1 {
            node = .mapping([Node.Entry("k", node)])
        }
        #expect(throws: WriterError.self) { try JSONWriter().write(node) }
    }

    @Test func nodePathTextShortensLongPaths() {
        var path = NodePath()
        for key in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"] {
            path.push(key: key)
        }
        #expect(path.text == "a.b.c.d.e.f.g.h.i.j.k.l")
        path.push(index: 7)
        #expect(path.text == "a.b.c.d.e.f.g.h…(2 more)….k.l[7]")
    }

    @Test func deepNestingErrorNamesPath() {
        var node = Node.integer(1)
        for _ in 0..<JSONWriter.maximumDepth {
            node = .sequence([node])
        }
        node = .mapping([Node.Entry("a", .sequence([.null, node]))])
        // `a`, `[1]` and maximumDepth - 1 more components; the message keeps the first 8 and the last 3.
        let expectedPath = "a[1]" + String(repeating: "[0]", count: 6) + "…(\(JSONWriter.maximumDepth - 10) more)…[0][0][0]"
        #expect(throws: WriterError.nestingTooDeep(limit: JSONWriter.maximumDepth, path: expectedPath)) {
            try JSONWriter().write(node)
        }
    }
}
