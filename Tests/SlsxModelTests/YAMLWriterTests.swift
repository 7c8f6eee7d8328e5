import Testing

@testable import SlsxModel

/// The exact line `YAMLWriter` writes for each string of the YAML field reports (booleans, numbers,
/// dates, nulls, indicator characters, colons and spaces, multi-line text), as a value and as a key.
struct YAMLWriterTests {
    /// Each string and the exact text written for it.
    static let quotingCases: [(String, String)] = [
        // YAML 1.1 booleans in any case: CloudFormation and PyYAML read them as true or false.
        ("yes", #""yes""#), ("No", #""No""#), ("ON", #""ON""#), ("off", #""off""#), ("y", #""y""#),
        ("N", #""N""#), ("True", #""True""#), ("TRUE", #""TRUE""#), ("FALSE", #""FALSE""#), ("on", #""on""#),
        // Numbers in any notation: a bare account id with a leading zero loses it.
        ("012345678901", #""012345678901""#), ("0755", #""0755""#), ("0x10", #""0x10""#), ("0o17", #""0o17""#),
        ("1_000", #""1_000""#), ("+12", #""+12""#), ("-0", #""-0""#), (".5", #"".5""#), ("1.", #""1.""#),
        ("12:30", #""12:30""#), ("123456789012", #""123456789012""#), ("1e3", #""1e3""#), (".inf", #"".inf""#),
        ("-.inf", #""-.inf""#), (".nan", #"".nan""#), ("0b101", #""0b101""#),
        ("+_1", #""+_1""#), ("._5", #""._5""#), ("._", #""._""#), ("1_e5", #""1_e5""#), ("e1", "e1"),
        // Dates and times: YAML 1.1 reads them as timestamps.
        ("1970-01-01", #""1970-01-01""#), ("2012-10-12", #""2012-10-12""#),
        ("2018-09-11T18:31:20.158", #""2018-09-11T18:31:20.158""#),
        ("2001-12-14 21:59:43.10 -5", #""2001-12-14 21:59:43.10 -5""#), ("2010-09-09", #""2010-09-09""#),
        (
            "arn:aws:dynamodb:us-east-1:123456789012:table/foo/stream/1970-01-01T00:00:00.000",
            "arn:aws:dynamodb:us-east-1:123456789012:table/foo/stream/1970-01-01T00:00:00.000"
        ),
        // Nulls and the empty string.
        ("null", #""null""#), ("Null", #""Null""#), ("NULL", #""NULL""#), ("~", #""~""#), ("", #""""#),
        // Leading indicator characters, `=` and `<<`.
        ("@scope", #""@scope""#), ("*", #""*""#), ("&id", #""&id""#), ("!Ref", #""!Ref""#), ("%TAG", #""%TAG""#),
        ("`cmd`", #""`cmd`""#), (">", #"">""#), ("|", #""|""#), ("- x", #""- x""#), ("? q", #""? q""#),
        ("#c", ##""#c""##), ("{a}", #""{a}""#), ("[a]", #""[a]""#), (",", #"",""#), ("=", #""=""#), ("<<", #""<<""#),
        ("a: b", #""a: b""#), ("*.example.com", #""*.example.com""#), ("a #b", #""a #b""#), ("a#b", "a#b"),
        ("'quoted'", #""'quoted'""#), ("\"q\"", #""\"q\"""#), ("---", #""---""#), ("...", #""...""#),
        // Colons and spaces at the ends.
        ("one:", #""one:""#), ("one: ", #""one: ""#), ("Location: https://example.com", #""Location: https://example.com""#),
        (" leading", #"" leading""#), ("trailing ", #""trailing ""#), (":two", #"":two""#), ("one:two", "one:two"),
        ("v:", #""v:""#),
        // Characters that only escapes can write.
        ("tab\there", #""tab\there""#), ("del\u{7F}", #""del\x7F""#), ("nel\u{85}", #""nel\N""#),
        ("ls\u{2028}", #""ls\L""#), ("ps\u{2029}", #""ps\P""#), ("nul\u{0}", #""nul\0""#), ("esc\u{1B}", #""esc\e""#),
        ("c1\u{80}", #""c1\x80""#), ("bom\u{FEFF}", #""bom\uFEFF""#), ("back\\slash", #"back\slash"#),
        // A filter pattern as Lambda's Pattern string starts with `{`.
        (#"{"n":[{"numeric":[">",5]}]}"#, #""{\"n\":[{\"numeric\":[\">\",5]}]}""#),
        // Text that stays plain, non-ASCII included.
        ("café 世界 🚀", "café 世界 🚀"), ("plain text", "plain text"), ("it's", "it's"), ("nodejs20.x", "nodejs20.x"),
        ("${self:custom.x}", "${self:custom.x}"), ("a,b", "a,b"), ("x]", "x]"),
        ("Fn::GetAtt", "Fn::GetAtt"), ("AWS::Region", "AWS::Region"), ("http://example.com/a?b=c#d", "http://example.com/a?b=c#d"),
    ]

    @Test(arguments: quotingCases)
    func stringValue(text: String, expected: String) throws {
        let node = Node.mapping([Node.Entry("key", .string(text))])
        #expect(try YAMLWriter().write(node) == "key: \(expected)\n")
    }

    @Test(arguments: quotingCases)
    func stringKey(text: String, expected: String) throws {
        let node = Node.mapping([Node.Entry(text, .integer(1))])
        #expect(try YAMLWriter().write(node) == "\(expected): 1\n")
    }

    @Test(arguments: [
        // One line break at the end: `|`; none: `|-`; more: `|+`.
        ("Line one\nLine two with \"quotes\" and \\ backslash\n",
         "key: |\n  Line one\n  Line two with \"quotes\" and \\ backslash\n"),
        ("first\nsecond", "key: |-\n  first\n  second\n"),
        ("a\n\n", "key: |+\n  a\n\n"),
        // A leading space or line break needs the indentation indicator.
        ("  indented first line\nnext", "key: |2-\n    indented first line\n  next\n"),
        ("\na", "key: |2-\n\n  a\n"),
        // Empty lines inside stay empty.
        ("x\n\n y\n", "key: |\n  x\n\n   y\n"),
        // No literal for line breaks only, tabs, carriage returns, trailing spaces or escapes.
        ("\n", #"key: "\n""# + "\n"),
        ("a\tb\nc", #"key: "a\tb\nc""# + "\n"),
        ("a\r\nb", #"key: "a\r\nb""# + "\n"),
        ("a \nb", #"key: "a \nb""# + "\n"),
        ("a\nb\u{7F}", #"key: "a\nb\x7F""# + "\n"),
    ])
    func multiLineValue(text: String, expected: String) throws {
        let node = Node.mapping([Node.Entry("key", .string(text))])
        #expect(try YAMLWriter().write(node) == expected)
    }

    @Test func longKeyUsesExplicitForm() throws {
        let long = String(repeating: "k", count: 1001)
        let node = Node.mapping([
            Node.Entry(long, .integer(1)),
            Node.Entry("list", .sequence([.mapping([Node.Entry(long, .mapping([Node.Entry("a", .string("b"))]))])])),
        ])
        #expect(try YAMLWriter().write(node) == "? \(long)\n: 1\nlist:\n  - ? \(long)\n    :\n      a: b\n")

        let limit = String(repeating: "k", count: 1000)
        #expect(try YAMLWriter().write(.mapping([Node.Entry(limit, .integer(1))])) == "\(limit): 1\n")
    }

    @Test(arguments: [
        ("two\nlines", #""two\nlines""#),
        ("Line one\nLine two with \"quotes\" and \\ backslash\n", #""Line one\nLine two with \"quotes\" and \\ backslash\n""#),
        ("  indented first line\nnext", #""  indented first line\nnext""#),
        ("tab\t del\u{7F} nel\u{85} ls\u{2028}", #""tab\t del\x7F nel\N ls\L""#),
        ("\n", #""\n""#),
    ])
    func multiLineKeyIsDoubleQuoted(text: String, expected: String) throws {
        let node = Node.mapping([Node.Entry(text, .integer(1))])
        #expect(try YAMLWriter().write(node) == "\(expected): 1\n")
    }

    @Test func literalInListAndNestedMapping() throws {
        let node = Node.mapping([
            Node.Entry("items", .sequence([.string("a\nb\n"), .mapping([Node.Entry("d", .string(" x\ny"))])])),
        ])
        #expect(try YAMLWriter().write(node) == """
            items:
              - |
                a
                b
              - d: |2-
                   x
                  y

            """)
    }

    @Test func blockLayout() throws {
        let node = Node.mapping([
            Node.Entry("service", .string("orders")),
            Node.Entry("provider", .mapping([Node.Entry("name", .string("aws")), Node.Entry("stage", .string("dev"))])),
            Node.Entry("functions", .mapping([
                Node.Entry("worker", .mapping([
                    Node.Entry("handler", .string("src/worker.handle")),
                    Node.Entry("events", .sequence([
                        .mapping([Node.Entry("stream", .mapping([
                            Node.Entry("arn", .string("arn:aws:kinesis:us-east-1:123456789012:stream/signups")),
                            Node.Entry("batchSize", .integer(20)),
                            Node.Entry("enabled", .bool(true)),
                            Node.Entry("filterPatterns", .sequence([
                                .mapping([Node.Entry("eventName", .sequence([.string("INSERT")]))]),
                            ])),
                        ]))]),
                        .mapping([Node.Entry("http", .string("GET /"))]),
                    ])),
                    Node.Entry("layers", .sequence([])),
                    Node.Entry("environment", .mapping([])),
                    Node.Entry("nested", .sequence([.sequence([.integer(1), .integer(2)]), .null])),
                ])),
            ])),
        ])
        #expect(try YAMLWriter().write(node) == """
            service: orders
            provider:
              name: aws
              stage: dev
            functions:
              worker:
                handler: src/worker.handle
                events:
                  - stream:
                      arn: arn:aws:kinesis:us-east-1:123456789012:stream/signups
                      batchSize: 20
                      enabled: true
                      filterPatterns:
                        - eventName:
                            - INSERT
                  - http: GET /
                layers: []
                environment: {}
                nested:
                  - - 1
                    - 2
                  - null

            """)
    }

    @Test(arguments: [
        (1.0, "1.0"), (-1.5, "-1.5"), (0.1, "0.1"), (1e20, "1.0e+20"), (1e-7, "1.0e-07"), (1.5e300, "1.5e+300"),
        (-0.0, "-0.0"), (Double.infinity, ".inf"), (-Double.infinity, "-.inf"), (Double.nan, ".nan"),
    ])
    func floatsReadBackAsFloats(value: Double, expected: String) throws {
        #expect(try YAMLWriter().write(.mapping([Node.Entry("f", .float(value))])) == "f: \(expected)\n")
    }

    @Test func scalarsAndEmptyRoots() throws {
        let writer = YAMLWriter()
        #expect(try writer.write(.mapping([Node.Entry("count", .integer(-42)), Node.Entry("flag", .bool(false)), Node.Entry("z", .null)]))
            == "count: -42\nflag: false\nz: null\n")
        #expect(try writer.write(.mapping([])) == "{}\n")
        #expect(try writer.write(.sequence([])) == "[]\n")
        #expect(try writer.write(.string("yes")) == "\"yes\"\n")
    }

    @Test func deepNestingIsAnError() {
        var node = Node.integer(1)
        for _ in 0..<YAMLWriter.maximumDepth + 1 {
            node = .sequence([node])
        }
        do {
            _ = try YAMLWriter().write(node)
            Issue.record("expected a nesting error")
        } catch {
            // The path has 512 components; the message keeps the first 8 and the last 3.
            let path = String(repeating: "[0]", count: 8) + "…(501 more)…" + String(repeating: "[0]", count: 3)
            #expect(error == .nestingTooDeep(limit: 512, path: path))
        }
    }
}
