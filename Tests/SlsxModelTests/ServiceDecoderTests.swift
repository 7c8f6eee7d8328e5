import SlsxSource
import Testing

@testable import SlsxModel

/// Decodes `json` (a serverless.yml document written as JSON) with spans into `cases.json`, and
/// returns the service and each diagnostic as `line:column: severity: message`.
func decode(_ json: String) throws -> (service: Service?, diagnostics: [String]) {
    let file = SourceFile(path: "cases.json", text: json)
    let (service, diagnostics) = ServiceDecoder.decode(try JSONReader.read(file))
    let lines = diagnostics.map { diagnostic in
        "\(diagnostic.span.map { $0.startLocation.description } ?? "-"): \(diagnostic.severity.rawValue): \(diagnostic.message)"
    }
    return (service, lines)
}

struct ServiceDecoderTests {
    @Test func decodesEveryStreamSetting() throws {
        let (service, diagnostics) = try decode("""
            {"service": "tracking",
             "functions": {"tracker": {"handler": "h.tracker", "events": [{"stream": {
               "type": "kinesis",
               "arn": "arn:aws:kinesis:us-east-1:123456789012:stream/pageviews",
               "batchSize": 25, "startingPosition": "LATEST", "enabled": true,
               "bisectBatchOnFunctionError": true, "maximumRetryAttempts": 3,
               "parallelizationFactor": 4, "batchWindow": 5, "maximumRecordAgeInSeconds": 120,
               "functionResponseType": "ReportBatchItemFailures", "tumblingWindowInSeconds": 60}}]}}}
            """)
        #expect(diagnostics == [])
        let function = try #require(service?.functions.first)
        #expect(function.name.value == "tracker")
        #expect(function.handler?.value == "h.tracker")
        let event = try #require(function.streamEvents.first)
        #expect(event.arn.value == .string("arn:aws:kinesis:us-east-1:123456789012:stream/pageviews"))
        #expect(event.type?.value == .kinesis)
        #expect(event.resolvedType == .kinesis)
        #expect(event.batchSize?.value == 25)
        #expect(event.startingPosition?.value == .latest)
        #expect(event.enabled?.value == true)
        #expect(event.bisectBatchOnFunctionError?.value == true)
        #expect(event.maximumRetryAttempts?.value == 3)
        #expect(event.parallelizationFactor?.value == 4)
        #expect(event.batchWindow?.value == 5)
        #expect(event.maximumRecordAgeInSeconds?.value == 120)
        #expect(event.functionResponseType?.value == "ReportBatchItemFailures")
        #expect(event.tumblingWindowInSeconds?.value == 60)
        #expect(event.batchSize?.span?.startLocation.description == "5:17")
    }
}
