import SlsxLanguage
import SlsxSource
import Testing

/// Every JSON document is a valid slsx expression with the same value.
@Suite struct JSONCompatibilityTests {
    @Test(arguments: [
        ("{}", "{}"),
        ("[]", "[]"),
        ("[{}, [], [[]], {\"a\": {}}]", "[{}, [], [[]], {a: {}}]"),
        ("-0", "0"),
        ("-0.0", "-0.0"),
        ("1E+2", "100.0"),
        ("1e-2", "0.01"),
        ("-1.5E3", "-1500.0"),
        ("0.5", "0.5"),
        ("true", "true"),
        ("null", "null"),
        ("\"\"", "\"\""),
        (#""\u00e9\u4e2d\ud83d\ude80""#, "\"é中🚀\""),
        (#""\b\f\n\r\t\/\\\"""#, #""\u{8}\u{C}\n\r\t/\\\"""#),
        (#"{"a b": 1, "": 2, "if": 3, "Fn::GetAtt": ["T", "Arn"]}"#, #"{"a b": 1, "": 2, "if": 3, "Fn::GetAtt": ["T", "Arn"]}"#),
        ("{\n  \"nested\": {\"deep\": [1, 2, {\"x\": null}]},\n  \"n\": -12\n}", "{nested: {deep: [1, 2, {x: null}]}, n: -12}"),
        ("[1,2,3]", "[1, 2, 3]"),
        ("  [ 1 , 2 ]  ", "[1, 2]"),
        ("-9223372036854775808", "-9223372036854775808"),
        ("1.7976931348623157e308", "1.7976931348623157e+308"),
        ("\"${opt:stage}\"", "\"${opt:stage}\""),
    ])
    func jsonValue(json: String, expected: String) {
        #expect(Script.value(json) == expected)
    }

    @Test func serverlessJSONIsADocument() {
        let json = """
            {
              "service": "billing",
              "frameworkVersion": "3",
              "provider": {"name": "aws", "runtime": "nodejs20.x", "stage": "${opt:stage, 'dev'}"},
              "functions": {
                "indexer": {
                  "handler": "src/indexer.handle",
                  "events": [{"stream": {"type": "dynamodb", "arn": {"Fn::GetAtt": ["Orders", "StreamArn"]}, "batchSize": 100}}]
                }
              }
            }
            """
        let expected = #"{service: "billing", frameworkVersion: "3", provider: {name: "aws", runtime: "nodejs20.x", stage: "${opt:stage, 'dev'}"}, functions: {indexer: {handler: "src/indexer.handle", events: [{stream: {type: "dynamodb", arn: {"Fn::GetAtt": ["Orders", "StreamArn"]}, batchSize: 100}}]}}}"#
        #expect(Script.document(json) == expected)
    }

    @Test func duplicateJSONKeyIsError() {
        #expect(Script.firstError(#"{"a": 1, "a": 2}"#) == "1:10: duplicate key 'a' in a map")
    }

    @Test func formattedValuesReadBack() {
        let sources = [#"{a: [1, 2.5, "x\n\"y\""], "b-c": {d: null, e: true}}"#, #"["\u{1}", "é", -0.0, 1e+20]"#]
        for source in sources {
            let once = Script.value(source)
            #expect(Script.value(once) == once)
        }
    }
}
