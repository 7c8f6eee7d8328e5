import SlsxSource
import Testing

@testable import SlsxModel

/// Serverless variables pass through the decoder, and references to undeclared resources warn.
struct ServerlessVariableTests {
    @Test("variables found in text", arguments: [
        ("${opt:stage}", ["${opt:stage}"]),
        ("orders-${self:provider.stage}-${opt:region}", ["${self:provider.stage}", "${opt:region}"]),
        ("${opt:stage, ${env:STAGE, 'dev'}}", ["${opt:stage, ${env:STAGE, 'dev'}}"]),
        ("${file(./x.yml):arn}", ["${file(./x.yml):arn}"]),
        ("${aws:accountId}", ["${aws:accountId}"]),
        ("${ssm:/never/closed", ["${ssm:/never/closed"]),
        ("arn:${AWS::Partition}:logs:${AWS::Region}:${MyBucket}", []),
        ("${Opt:stage}", []),
    ])
    func variablesInText(text: String, expected: [String]) {
        #expect(ServerlessVariable.variables(in: text) == expected)
    }

    @Test("whole variable versus embedded variable")
    func wholeVariable() {
        #expect(ServerlessVariable.isWholeVariable("${opt:stage, 'dev'}"))
        #expect(!ServerlessVariable.isWholeVariable("prod-${opt:stage}"))
        #expect(!ServerlessVariable.isWholeVariable("${opt:stage}-x"))
        #expect(!ServerlessVariable.isWholeVariable("LATEST"))
    }

    @Test("Fn::Sub variables found in text")
    func substitutionVariables() {
        #expect(ServerlessVariable.substitutionVariables(in: "arn:${AWS::Partition}:sqs:${AWS::Region}:${Queue.Arn}/${!x}")
            == ["AWS::Partition", "AWS::Region", "Queue.Arn"])
        #expect(ServerlessVariable.substitutionVariables(in: "${opt:stage}-${self:custom.x}") == [])
    }

    @Test("typed stream settings accept a variable", arguments: [
        ("batchSize", "${self:custom.batch}"),
        ("enabled", "${opt:enabled}"),
        ("startingPosition", "${opt:position}"),
        ("maximumRetryAttempts", "${param:retries}"),
        ("bisectBatchOnFunctionError", "${strToBool(${env:BISECT})}"),
        ("type", "${opt:streamType}"),
        ("functionResponseType", "${opt:responseType}"),
        ("consumer", "${ssm:/streams/consumer}"),
        ("filterPatterns", "${file(./filters.yml)}"),
        ("destinations", "${file(./destinations.yml)}"),
    ])
    func typedSettingAcceptsVariable(key: String, variable: String) throws {
        let result = try decodeSetting(key, "\"\(variable)\"")
        #expect(result.diagnostics == [])
        let file = SourceFile(path: "cases.json", text: streamDocument("{\"arn\": \"arn:aws:kinesis:us-east-1:123456789012:stream/s\",\n\"\(key)\": \"\(variable)\"}"))
        let service = try decode(file).service
        let recorded = try #require(service?.serverlessVariables.first)
        #expect(service?.serverlessVariables.count == 1)
        #expect(recorded.text == variable)
        #expect(recorded.setting == key)
        #expect(recorded.span?.startLocation.description == "4:\(key.count + 5)")
    }

    @Test("timestamp accepts a variable")
    func timestampVariable() throws {
        let result = try decode(streamDocument("""
            {"arn": "arn:aws:kinesis:us-east-1:123456789012:stream/s", "startingPosition": "AT_TIMESTAMP",
             "startingPositionTimestamp": "${opt:since}"}
            """))
        #expect(result.diagnostics == [])
        #expect(result.service?.functions.first?.streamEvents.first?.startingPositionTimestamp == nil)
        #expect(result.service?.serverlessVariables.first?.setting == "startingPositionTimestamp")
    }

    @Test("onFailure accepts a variable")
    func onFailureVariable() throws {
        let result = try decodeSetting("destinations", #"{"onFailure": "${cf:queues.FailQueueArn}"}"#)
        #expect(result.diagnostics == [])
        #expect(result.event?.onFailure?.value.arn == .string("${cf:queues.FailQueueArn}"))
    }

    @Test("type variable beside an intrinsic arn")
    func typeVariableWithIntrinsic() throws {
        let stream = try decode(streamDocument(#"{"arn": {"Fn::ImportValue": "OrdersStreamArn"}, "type": "${opt:streamType}"}"#))
        #expect(stream.diagnostics == [])

        let destination = try decodeSetting(
            "destinations", #"{"onFailure": {"arn": {"Fn::ImportValue": "FailTopicArn"}, "type": "${opt:failType}"}}"#)
        #expect(destination.diagnostics == [])
    }

    @Test("provider settings accept a variable")
    func providerVariables() throws {
        let file = SourceFile(path: "cases.json", text: """
            {"service": "svc",
             "provider": {"name": "aws", "stage": "${opt:stage, 'dev'}", "region": "${opt:region}", "runtime": "${self:custom.runtime}"},
             "functions": {}}
            """)
        let (service, diagnostics, _) = try decode(file)
        #expect(diagnostics == [])
        #expect(service?.provider.stage == nil)
        #expect(service?.serverlessVariables.map(\.text) == ["${opt:stage, 'dev'}", "${opt:region}", "${self:custom.runtime}"])
        #expect(service?.serverlessVariables.map(\.setting) == ["provider.stage", "provider.region", "provider.runtime"])
        #expect(service?.serverlessVariables.map { $0.span?.startLocation.description } == ["2:39", "2:72", "2:100"])
    }

    @Test("stage containing a variable skips the pattern check")
    func stageWithVariable() throws {
        let (service, diagnostics, _) = try decode(#"{"service": "svc-${opt:suffix}", "provider": {"stage": "prod-${opt:region}"}}"#)
        #expect(diagnostics == [])
        #expect(service?.provider.stage?.value == "prod-${opt:region}")
        #expect(service?.serverlessVariables.map(\.setting) == [nil, nil])
    }

    @Test("stream arn with a variable")
    func streamARNWithVariable() throws {
        let inside = try decode(streamDocument(#""arn:aws:kinesis:us-east-1:123456789012:stream/${opt:stage}-orders""#))
        #expect(inside.diagnostics == [])
        #expect(inside.service?.functions.first?.streamEvents.first?.resolvedType == .kinesis)

        let whole = try decode(streamDocument(#"{"arn": "${cf:streams.OrdersArn}", "startingPosition": "LATEST"}"#))
        #expect(whole.diagnostics == [])
        #expect(whole.service?.functions.first?.streamEvents.first?.resolvedType == nil)
        #expect(whole.service?.serverlessVariables.first?.setting == "arn")
    }

    @Test("functions and events accept a variable")
    func structuralVariables() throws {
        let functions = try decode(#"{"service": "svc", "functions": "${file(./functions.yml)}"}"#)
        #expect(functions.diagnostics == [])
        #expect(functions.service?.functions.count == 0)
        #expect(functions.service?.serverlessVariables.first?.setting == "functions")

        let events = try decode(#"{"service": "svc", "functions": {"f": {"handler": "h.f", "events": ["${file(./events.yml)}"]}}}"#)
        #expect(events.diagnostics == [])

        let keyFile = SourceFile(path: "cases.json", text: #"{"service": "svc", "functions": {"${opt:prefix}-worker": {"handler": "h.f"}}}"#)
        let key = try decode(keyFile)
        #expect(key.diagnostics == [])
        #expect(key.service?.serverlessVariables.map(\.text) == ["${opt:prefix}"])
        #expect(key.service?.serverlessVariables.first?.span?.startLocation.description == "1:34")
    }

    @Test("pseudo parameter in a plain arn warns")
    func pseudoParameterInPlainARN() throws {
        let result = try decode(streamDocument(#""arn:aws:kinesis:${AWS::Region}:123456789012:stream/orders""#))
        #expect(result.diagnostics == [
            "3:1: warning: `arn` contains `${AWS::Region}`, which only `Fn::Sub` substitutes, so CloudFormation "
                + "would receive it as literal text",
        ])
        #expect(result.hints == [
            "write `Sub(\"arn:aws:kinesis:${AWS::Region}:123456789012:stream/orders\")` in the script, which emits `Fn::Sub`",
        ])
    }

    @Test("ARN fields skip placeholders", arguments: [
        ("arn:aws:kinesis:us-east-1:123456789012:stream/orders", ["arn", "aws", "kinesis", "us-east-1:123456789012:stream/orders"]),
        ("arn:${AWS::Partition}:sqs:${AWS::Region}:1:q", ["arn", "${AWS::Partition}", "sqs", "${AWS::Region}:1:q"]),
        ("arn:aws:${opt:service, 'sqs'}:x", ["arn", "aws", "${opt:service, 'sqs'}", "x"]),
        ("arn:aws:kinesis:${never", ["arn", "aws", "kinesis", "${never"]),
        ("no colon", ["no colon"]),
        ("", [""]),
        ("a::b:c:d:e", ["a", "", "b", "c:d:e"]),
        ("arn:aws:kinésis:x:y", ["arn", "aws", "kinésis", "x:y"]),
    ])
    func arnFields(text: String, expected: [String]) {
        #expect(ServerlessVariable.arnFields(text).map(String.init) == expected)
    }

    @Test("pseudo parameter partition still infers type")
    func pseudoParameterPartition() throws {
        let result = try decode(streamDocument(#""arn:${AWS::Partition}:kinesis:${AWS::Region}:123456789012:stream/orders""#))
        #expect(result.diagnostics == [
            "3:1: warning: `arn` contains `${AWS::Partition}`, which only `Fn::Sub` substitutes, so CloudFormation "
                + "would receive it as literal text",
        ])
        #expect(result.service?.functions.first?.streamEvents.first?.resolvedType == .kinesis)
    }

    @Test("undeclared reference warns with a suggestion")
    func undeclaredReference() throws {
        let result = try decode("""
            {"service": "svc",
             "functions": {"worker": {"handler": "h.worker", "events": [
               {"stream": {"type": "dynamodb", "arn": {"Fn::GetAtt": ["OrdersTabel", "StreamArn"]}}},
               {"stream": {"type": "dynamodb", "arn": {"Fn::GetAtt": ["WorkerLambdaFunction", "Arn"]}}},
               {"stream": {"type": "dynamodb", "arn": {"Ref": "StreamParameter"}}}]}},
             "resources": {"Resources": {"OrdersTable": {"Type": "AWS::DynamoDB::Table"}},
                           "Parameters": {"StreamParameter": {"Type": "String"}},
                           "Outputs": {"Region": {"Value": {"Ref": "AWS::Region"}}}}}
            """)
        #expect(result.diagnostics == [
            "3:58: warning: `Fn::GetAtt` names `OrdersTabel`, which `resources.Resources` does not declare",
        ])
        #expect(result.hints == [
            "did you mean `OrdersTable`? correct the name, or ignore this if a plugin adds `OrdersTabel`; "
                + "CloudFormation output reports it as an error",
        ])
        #expect(result.service != nil)
    }

    @Test("references unchecked without resources")
    func referencesWithoutResources() throws {
        let result = try decode(streamDocument(#"{"type": "dynamodb", "arn": {"Fn::GetAtt": ["OrdersTabel", "StreamArn"]}}"#))
        #expect(result.diagnostics == [])
    }
}
