// TODO: the output commands (:yaml, :json, :cfn, :model, :save) need the driver's Pipeline, which
// has not landed yet. Until then they report that they are not available.

extension ReplSession {
    func emit(_ format: OutputFormat) -> ReplOutcome { failure("\(format) output is not available yet") }
    func emitCloudFormation(_ argument: String) -> ReplOutcome { failure("CloudFormation output is not available yet") }
    func describeModel() -> ReplOutcome { failure(":model is not available yet") }
    func save(_ path: String) -> ReplOutcome { failure(":save is not available yet") }
}
