import Testing

@testable import SlsxModel

/// `StreamType(inferredFromARN:)` and `FailureDestination.resolvedType`: the ASCII path that reads
/// bytes and the path that splits characters give the same types.
struct ARNTypeInferenceTests {
    @Test(arguments: [
        ("arn:aws:kinesis:us-east-1:123456789012:stream/orders", StreamType.kinesis),
        ("arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2024", .dynamodb),
        ("arn:aws:kinesis", .kinesis),
        ("arn:${AWS::Partition}:kinesis:us-east-1:1:stream/x", .kinesis),
        ("arn:aws:dynamodb:eu-west-1:1:table/tablé/stream/x", .dynamodb),
        ("arn:aws-cn:kinesis:cn-north-1:1:stream/ü", .kinesis),
    ] as [(String, StreamType)])
    func streamTypeInferred(arn: String, expected: StreamType) {
        #expect(StreamType(inferredFromARN: arn) == expected)
    }

    @Test(arguments: [
        "", "arn", "arn:aws", "arn:aws:", "arn:aws::x", "arn:aws:s3:::bucket", "ARN:aws:kinesis:x",
        "xarn:aws:kinesis:x", "arn:aws:kinesisx:y", "arn:aws:${opt:service}:x", "arné:aws:kinesis:x",
    ])
    func streamTypeNotInferred(arn: String) {
        #expect(StreamType(inferredFromARN: arn) == nil)
    }

    @Test(arguments: [
        ("arn:aws:sqs:us-east-1:123456789012:failures", DestinationType.sqs),
        ("arn:aws:sns:us-east-1:123456789012:topic", .sns),
        ("arn:${AWS::Partition}:sqs:${AWS::Region}:1:q", .sqs),
        ("arn:aws:sns:eu-west-1:1:tôpic", .sns),
    ] as [(String, DestinationType)])
    func destinationTypeInferred(arn: String, expected: DestinationType) {
        #expect(FailureDestination(arn: .string(arn)).resolvedType == expected)
    }

    @Test func destinationTypeNotInferred() {
        #expect(FailureDestination(arn: .string("arn:aws:lambda:us-east-1:1:function:f")).resolvedType == nil)
        #expect(FailureDestination(arn: .string("queue")).resolvedType == nil)
    }
}
