import SlsxDriver
import SlsxSource
import Testing

/// `PipelineOptions.enforcesStackLimits`: CloudFormation's per-stack quotas as errors (the default)
/// or as warnings with the template written.
@Suite struct StackLimitOptionTests {
    /// 100 functions with 4 events each. One shared role's policy would pass IAM's 10,240
    /// characters, so each function gets a role of its own: 100 × (log group, role, function,
    /// 4 mappings) = 700 resources, over the quota of 500, and 100 outputs, under the quota of 200.
    static let script = """
        service "wide"
        for i in 0..<100 {
          function "f\\(i)" {
            handler: "h.handle"
            for j in 0..<4 {
              stream "arn:aws:kinesis:us-east-1:123456789012:stream/s\\(i)-\\(j)"
            }
          }
        }
        """

    @Test func quotasAreErrorsByDefault() {
        let result = Pipeline.run(text: Self.script, options: PipelineOptions(format: .cfnJSON))

        #expect(result.output == nil)
        let errors = result.diagnostics.filter { $0.severity == .error }.map(\.message)
        #expect(errors.contains("the template has 700 resources; CloudFormation allows at most 500 in one stack"))
    }

    @Test func noStackLimitsWritesTemplateWithWarnings() {
        let result = Pipeline.run(text: Self.script, options: PipelineOptions(format: .cfnJSON, enforcesStackLimits: false))

        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty)
        let warnings = result.diagnostics.filter { $0.severity == .warning }.map(\.message)
        #expect(warnings.contains("the template has 700 resources; CloudFormation allows at most 500 in one stack"))
        #expect(result.output?.contains("\"F99EventSourceMappingKinesisS993\"") == true)
    }
}
