import SlsxModel

/// The text `:model` prints: the checked model, one line per setting, with the
/// framework's defaults shown where the script left a stream setting out.
///
///     service billing
///     provider aws, region us-east-1, stage dev (default), runtime nodejs20.x
///     function orders-indexer (handler src/indexer.handle)
///       stream dynamodb
///         arn: arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000
///         type: dynamodb (from the arn)
///         batchSize: 100
///         startingPosition: LATEST
///         enabled: true (default)
enum ModelDescription {
    /// Describes `service`.
    static func describe(_ service: Service) -> String {
        var lines: [String] = []
        lines.append("service " + (service.name?.value ?? "(no name)"))
        lines.append(providerLine(service.provider))
        if service.functions.isEmpty {
            lines.append("no functions")
        }
        for function in service.functions {
            let handler = function.handler.map { " (handler \($0.value))" } ?? " (no handler)"
            lines.append("function \(function.name.value)\(handler)")
            for event in function.events {
                switch event {
                case .stream(let stream): lines += streamLines(stream)
                case .other(let entry): lines.append("  \(entry.key) event")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func providerLine(_ provider: Provider) -> String {
        var parts = ["provider " + (provider.name?.value ?? "aws")]
        // The framework's defaults: region us-east-1 and stage dev.
        parts.append("region " + (provider.region?.value ?? "us-east-1 (default)"))
        parts.append("stage " + (provider.stage?.value ?? "dev (default)"))
        if let runtime = provider.runtime {
            parts.append("runtime " + runtime.value)
        }
        if let mode = provider.kinesisConsumerNamingMode {
            parts.append("kinesis.consumerNamingMode " + mode.value.rawValue)
        }
        return parts.joined(separator: ", ")
    }

    private static func streamLines(_ stream: StreamEvent) -> [String] {
        let type = stream.resolvedType?.rawValue ?? "(type unknown)"
        var lines = ["  stream \(type)"]

        func add(_ name: String, _ value: String?) {
            if let value { lines.append("    \(name): \(value)") }
        }
        func add(_ name: String, _ value: String?, default defaultValue: String) {
            lines.append("    \(name): " + (value ?? "\(defaultValue) (default)"))
        }

        add("arn", text(stream.arn.value))
        if stream.type == nil, stream.resolvedType != nil {
            lines.append("    type: \(type) (from the arn)")
        } else {
            add("type", stream.type?.value.rawValue)
        }
        // The Serverless Framework writes these three even when the script leaves them out.
        add("batchSize", stream.batchSize.map { String($0.value) }, default: "10")
        add("startingPosition", stream.startingPosition?.value.rawValue, default: "TRIM_HORIZON")
        add("startingPositionTimestamp", stream.startingPositionTimestamp.map { String($0.value) })
        add("enabled", stream.enabled.map { String($0.value) }, default: "true")
        add("batchWindow", stream.batchWindow.map { String($0.value) })
        add("parallelizationFactor", stream.parallelizationFactor.map { String($0.value) })
        add("maximumRetryAttempts", stream.maximumRetryAttempts.map { String($0.value) })
        add("maximumRecordAgeInSeconds", stream.maximumRecordAgeInSeconds.map { String($0.value) })
        add("bisectBatchOnFunctionError", stream.bisectBatchOnFunctionError.map { String($0.value) })
        add("functionResponseType", stream.functionResponseType?.value)
        add("onFailure", stream.onFailure.map { destination in
            let kind = destination.value.resolvedType.map { " (\($0.rawValue))" } ?? ""
            return text(destination.value.arn) + kind
        })
        add("consumer", stream.consumer.map { consumer in
            switch consumer.value {
            case .enabled(let enabled): return String(enabled)
            case .arn(let arn): return text(arn)
            }
        })
        add("tumblingWindowInSeconds", stream.tumblingWindowInSeconds.map { String($0.value) })
        add("filterPatterns", stream.filterPatterns.map { patterns in
            patterns.value.map { compactJSON($0) }.joined(separator: ", ")
        })
        return lines
    }

    private static func text(_ arn: ARNValue) -> String {
        switch arn {
        case .string(let value): return value
        case .intrinsic(let node): return compactJSON(node)
        }
    }

    private static func compactJSON(_ node: Node) -> String {
        (try? JSONWriter(style: .compact).write(node)) ?? "(not writable as JSON)"
    }
}
