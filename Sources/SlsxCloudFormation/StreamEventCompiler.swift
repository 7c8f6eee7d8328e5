import SlsxModel
import SlsxSource

/// Compiles the `stream` events of one function into event source mappings, stream consumers and
/// the IAM statements that let the function read the streams, as the framework's v3 stream
/// compiler does where it is right.
struct StreamEventCompiler {
    /// The compiled form of one function's events.
    struct Output {
        var resources: [ResourceTable.Resource] = []
        /// The statements for the function's role, grouped and ordered like the framework's:
        /// DynamoDB, Kinesis, Kinesis read through a consumer, `SubscribeToShard`, `sns:Publish`,
        /// then `sqs:ListQueues` with `sqs:SendMessage`. Each group lists its resources in event
        /// order and is left out when empty.
        var statements: [Node] = []
        var diagnostics: [Diagnostic] = []
    }

    var serviceName: String
    var stage: String
    var consumerNamingMode: Located<ConsumerNamingMode>?
    /// The `Type` of every resource the script declares under `resources.Resources`, by logical ID.
    var scriptResourceTypes: [String: String]
    /// Whether a mapping's `DependsOn` leaves out the names that its properties already imply
    /// (`DependsOnList`), and is left out when no name remains. A full template does this, but a
    /// fragment keeps the framework's `DependsOn`.
    var removesImpliedDependencies = false

    /// The statements of one function, collected per group while the events are compiled.
    private struct StatementGroups {
        /// The number of the function's events, the most resources one group can receive.
        var eventCount: Int
        var dynamodb: [Node] = []
        var kinesis: [Node] = []
        var kinesisThroughConsumer: [Node] = []
        var subscribeToShard: [Node] = []
        var snsPublish: [Node] = []
        var sqsSend: [Node] = []

        // The action lists are the same for every function, so each is built once and shared.
        private static let dynamodbActions = Intrinsics.strings([
            "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream", "dynamodb:ListStreams",
        ])
        private static let kinesisActions = Intrinsics.strings([
            "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream", "kinesis:ListStreams",
        ])
        private static let kinesisThroughConsumerActions = Intrinsics.strings([
            "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStreamSummary", "kinesis:ListShards",
        ])
        private static let subscribeToShardActions = Intrinsics.strings(["kinesis:SubscribeToShard"])
        private static let snsPublishActions = Intrinsics.strings(["sns:Publish"])
        private static let sqsSendActions = Intrinsics.strings(["sqs:ListQueues", "sqs:SendMessage"])

        /// Appends `resource` to `group`. The first append reserves room for `eventCount`
        /// resources, so that a group does not grow one step at a time. Each step is an allocation
        /// and a copy, and a function with five events made five of them.
        static func append(_ resource: Node, to group: inout [Node], eventCount: Int) {
            if group.capacity == 0 { group.reserveCapacity(eventCount) }
            group.append(resource)
        }

        var statements: [Node] {
            var statements: [Node] = []
            // Each of the six groups gives at most one statement. The list is copied into its
            // role's statements and then freed, so spare room costs nothing lasting. Counting the
            // groups in an array of all six allocated that array and retained every group.
            statements.reserveCapacity(6)
            func add(_ actions: Node, _ resources: [Node]) {
                guard !resources.isEmpty else { return }
                statements.append(.mapping([
                    Node.Entry("Effect", .string("Allow")),
                    Node.Entry("Action", actions),
                    Node.Entry("Resource", .sequence(resources)),
                ]))
            }
            add(Self.dynamodbActions, dynamodb)
            add(Self.kinesisActions, kinesis)
            add(Self.kinesisThroughConsumerActions, kinesisThroughConsumer)
            add(Self.subscribeToShardActions, subscribeToShard)
            add(Self.snsPublishActions, snsPublish)
            add(Self.sqsSendActions, sqsSend)
            return statements
        }
    }

    /// The parts that every mapping of one function shares, built once per function instead of once per event.
    private struct FunctionContext {
        var name: String
        var ids: FunctionLogicalIDs
        var role: ExecutionRole
        /// The `FunctionName` of every mapping: the function's ARN, or its `provisioned` alias.
        var target: Node
        /// The mapping's `DependsOn` names before a consumer is added: the role, then the alias.
        var dependsOn: [String]
        /// The `DependsOn` value of a mapping that adds no name to `dependsOn` and whose properties
        /// imply none of them, which is nearly every mapping. It is built once and shared.
        var dependsOnNode: Node?
        /// Whether `target` refers to one of `dependsOn` with a `Ref` or `Fn::GetAtt`. It is
        /// checked once per function, so that the walk of each mapping's properties can skip it.
        var targetImpliesDependency = true
    }

    /// Compiles every stream event of `function`, which runs with `role`. `ids` are the logical IDs
    /// of the function's resources.
    func compile(_ function: Function, role: ExecutionRole, ids: FunctionLogicalIDs) -> Output {
        var context = FunctionContext(
            name: function.name.value, ids: ids, role: role,
            target: ids.lambdaFunctionArn, dependsOn: [], dependsOnNode: nil
        )
        if let roleID = role.dependencyID { context.dependsOn.append(roleID) }
        if function.provisionedConcurrency != nil {
            context.dependsOn.append(ids.provisionedConcurrencyAlias)
            context.target = Intrinsics.join(":", [context.target, .string("provisioned")])
        }
        context.dependsOnNode = dependsOnNode(context.dependsOn, role: role)
        var targetDependencies = DependsOnList(context.dependsOn)
        targetDependencies.removeNames(referencedIn: [Node.Entry("FunctionName", context.target)])
        context.targetImpliesDependency = targetDependencies.names.count != context.dependsOn.count

        var output = Output()
        output.resources.reserveCapacity(function.events.count)
        var groups = StatementGroups(eventCount: function.events.count)
        // `function.streamEvents` would first copy every stream event into a new array.
        for case .stream(let event) in function.events {
            compile(event, of: context, into: &output, groups: &groups)
        }
        output.statements = groups.statements
        return output
    }

    // MARK: - One event

    private func compile(
        _ event: StreamEvent,
        of function: FunctionContext,
        into output: inout Output,
        groups: inout StatementGroups
    ) {
        let functionName = function.name
        let eventSpan = event.span ?? event.arn.span

        guard let type = resolveType(of: event, into: &output.diagnostics),
              let logicalID = mappingLogicalID(of: event, type: type, ids: function.ids, diagnostics: &output.diagnostics)
        else { return }

        // The properties are built straight into an array of their final size, in the
        // framework's order.
        let arnNode = Self.node(of: event.arn.value, span: event.arn.span)
        var properties: [Node.Entry] = []
        properties.reserveCapacity(Self.propertyCount(of: event))
        properties.append(Node.Entry(
            "BatchSize", .integer(Int64(event.batchSize?.value ?? 10), span: event.batchSize?.span)))
        properties.append(Node.Entry("Enabled", .bool(event.enabled?.value ?? true, span: event.enabled?.span)))
        // A consumer replaces this value below.
        let eventSourceArnIndex = properties.count
        properties.append(Node.Entry("EventSourceArn", arnNode))
        let functionNameIndex = properties.count
        properties.append(Node.Entry("FunctionName", function.target))
        if let factor = event.parallelizationFactor {
            properties.append(Node.Entry("ParallelizationFactor", .integer(Int64(factor.value), span: factor.span)))
        }
        let startingPosition = event.startingPosition?.value ?? .trimHorizon
        properties.append(Node.Entry(
            "StartingPosition", .string(startingPosition.rawValue, span: event.startingPosition?.span)))
        appendStartingTimestamp(event, type: type, function: functionName, to: &properties, output: &output)
        appendOptionalSettings(event, to: &properties)

        var destinationNode: Node?
        if let destination = event.onFailure {
            destinationNode = appendDestination(destination, to: &properties, groups: &groups, output: &output)
        }
        if let patterns = event.filterPatterns {
            appendFilters(patterns, to: &properties, output: &output)
        }

        switch type {
        case .dynamodb:
            StatementGroups.append(arnNode, to: &groups.dynamodb, eventCount: groups.eventCount)
            if let consumer = event.consumer, consumer.value != .enabled(false) {
                output.diagnostics.append(.error(
                    "`consumer` applies only to Kinesis streams, but this event reads a DynamoDB stream",
                    at: consumer.span ?? eventSpan,
                    hint: "remove `consumer`; DynamoDB streams have no enhanced fan-out consumers"
                ))
            }
        case .kinesis:
            if let consumer = event.consumer, consumer.value != .enabled(false) {
                StatementGroups.append(arnNode, to: &groups.kinesisThroughConsumer, eventCount: groups.eventCount)
            } else {
                StatementGroups.append(arnNode, to: &groups.kinesis, eventCount: groups.eventCount)
            }
        }

        var dependsOn = function.dependsOn
        var consumerResource: ResourceTable.Resource?
        // The `EventSourceArn` as the script wrote it, unless a consumer the compiler creates replaces it.
        var sourceNode: Node? = arnNode
        if type == .kinesis, let consumer = event.consumer {
            switch consumer.value {
            case .enabled(false):
                break
            case .enabled(true):
                // `mappingLogicalID` derived the stream name before, so deriving it again succeeds.
                let streamName = (try? StreamName.derive(from: event.arn).get()) ?? ""
                let name = consumerName(function: functionName, stream: streamName, span: consumer.span, output: &output)
                let consumerID = LogicalIDNaming.streamConsumer(consumerName: name)
                consumerResource = ResourceTable.Resource(
                    logicalID: consumerID,
                    body: .mapping([
                        "Type": .string("AWS::Kinesis::StreamConsumer"),
                        "Properties": .mapping([
                            "StreamARN": arnNode,
                            "ConsumerName": .string(name, span: consumer.span),
                        ]),
                    ]),
                    span: consumer.span ?? eventSpan,
                    function: functionName,
                    kind: "stream consumer"
                )
                dependsOn.append(consumerID)
                let consumerReference = Intrinsics.ref(consumerID)
                properties[eventSourceArnIndex].value = consumerReference
                sourceNode = nil
                StatementGroups.append(consumerReference, to: &groups.subscribeToShard, eventCount: groups.eventCount)
            case .arn(let consumerARN):
                let consumerNode = Self.node(of: consumerARN, span: consumer.span)
                properties[eventSourceArnIndex].value = consumerNode
                sourceNode = consumerNode
                StatementGroups.append(consumerNode, to: &groups.subscribeToShard, eventCount: groups.eventCount)
            }
        }

        let dependsOnNode: Node?
        if removesImpliedDependencies {
            var dependencies = DependsOnList(dependsOn)
            // Most mappings add no consumer, so their names are the function's. Those were checked
            // against the shared `FunctionName` value once in `compile(_:role:ids:)`.
            let skipsTarget = dependsOn.count == function.dependsOn.count && !function.targetImpliesDependency
            // Only three property values can contain a `Ref` or `Fn::GetAtt`. They are the stream or
            // consumer ARN, the function, and the failure destination, three levels down in
            // `DestinationConfig.OnFailure.Destination`. Every other value is a scalar, a list of
            // strings or the filter texts, so a walk of all the properties would find no other
            // reference. Debug builds check that.
            dependencies.removeNames(referencedIn: properties[eventSourceArnIndex].value, depth: 1)
            if !skipsTarget { dependencies.removeNames(referencedIn: properties[functionNameIndex].value, depth: 1) }
            if let destinationNode { dependencies.removeNames(referencedIn: destinationNode, depth: 3) }
            assert(dependencies.names == {
                var walkingAll = DependsOnList(dependsOn)
                walkingAll.removeNames(referencedIn: properties, skipping: skipsTarget ? functionNameIndex : nil)
                return walkingAll.names
            }(), "a property that can contain a reference is not walked")
            // With no consumer added and no name removed, the names are the function's.
            let isUnchanged = dependsOn.count == function.dependsOn.count && dependencies.names.count == dependsOn.count
            dependsOnNode = isUnchanged
                ? function.dependsOnNode
                : dependencies.node(asString: function.role.isDedicated && dependsOn.count == 1)
        } else {
            dependsOnNode = dependsOn.count == function.dependsOn.count
                ? function.dependsOnNode
                : self.dependsOnNode(dependsOn, role: function.role)
        }
        let body: [Node.Entry]
        if let dependsOnNode {
            body = [
                Node.Entry("Type", .string("AWS::Lambda::EventSourceMapping")),
                Node.Entry("DependsOn", dependsOnNode),
                Node.Entry("Properties", .mapping(properties)),
            ]
        } else {
            body = [
                Node.Entry("Type", .string("AWS::Lambda::EventSourceMapping")),
                Node.Entry("Properties", .mapping(properties)),
            ]
        }
        // Every other node of the mapping is a scalar or names the function, its role, alias or
        // consumer, which the compiler adds to the table itself. The properties' values are at
        // depth 2, and the destination under `DestinationConfig.OnFailure` at depth 4.
        var scriptParts: [ResourceTable.ScriptPart] = []
        if let sourceNode { ResourceTable.ScriptPart.append(sourceNode, depth: 2, to: &scriptParts) }
        if let destinationNode { ResourceTable.ScriptPart.append(destinationNode, depth: 4, to: &scriptParts) }
        output.resources.append(ResourceTable.Resource(
            logicalID: logicalID,
            body: .mapping(body),
            span: eventSpan,
            function: functionName,
            kind: "event source mapping",
            scriptParts: scriptParts
        ))
        if let consumerResource { output.resources.append(consumerResource) }
    }

    /// Returns the mapping's logical ID, named after the type and the stream name that `StreamName`
    /// derives from the event's `arn`, or returns `nil` after reporting why there is no name.
    private func mappingLogicalID(
        of event: StreamEvent, type: StreamType, ids: FunctionLogicalIDs, diagnostics: inout [Diagnostic]
    ) -> String? {
        if case .string(let text) = event.arn.value, let range = StreamName.asciiNameRange(ofARN: text) {
            return ids.eventSourceMapping(type: type, streamNameAt: range, ofASCII: text)
        }
        switch StreamName.derive(from: event.arn) {
        case .success(let name):
            return ids.eventSourceMapping(type: type, streamName: name)
        case .failure(let failure):
            diagnostics.append(failure.diagnostic)
            return nil
        }
    }

    /// Returns the `DependsOn` value of a mapping that depends on `names` before implied names are
    /// removed. With a dedicated role as the only name, the framework writes that name as a single
    /// string. A fragment keeps even an empty list, where a full template leaves `DependsOn` out.
    private func dependsOnNode(_ names: [String], role: ExecutionRole) -> Node? {
        let asString = role.isDedicated && names.count == 1
        guard removesImpliedDependencies else {
            return asString ? .string(names[0]) : Intrinsics.strings(names)
        }
        return DependsOnList(names).node(asString: asString)
    }

    /// Returns the number of properties that `compile` gives the event's mapping when the event has
    /// no errors, so that they are reserved at once and no spare room stays in the template. Each
    /// term matches one `append` in `compile` or the helpers it calls.
    private static func propertyCount(of event: StreamEvent) -> Int {
        // BatchSize, Enabled, EventSourceArn, FunctionName and StartingPosition are always written.
        var count = 5
        if event.parallelizationFactor != nil { count += 1 }
        if event.startingPosition?.value == .atTimestamp, event.startingPositionTimestamp != nil { count += 1 }
        if event.batchWindow != nil { count += 1 }
        if event.maximumRetryAttempts != nil { count += 1 }
        if event.bisectBatchOnFunctionError != nil { count += 1 }
        // The settings that contain references are tested with `case .some`, which reads the
        // optional in place. With Swift 6.3, `!= nil` copied such a setting first, retaining and
        // releasing what it refers to.
        if case .some = event.functionResponseType { count += 1 }
        if event.maximumRecordAgeInSeconds != nil { count += 1 }
        if event.tumblingWindowInSeconds != nil { count += 1 }
        if case .some = event.onFailure { count += 1 }
        if case .some = event.filterPatterns { count += 1 }
        return count
    }

    // MARK: - Parts of an event

    /// Returns the stream type, or `nil` after reporting why it is unknown or contradicts the ARN.
    private func resolveType(of event: StreamEvent, into diagnostics: inout [Diagnostic]) -> StreamType? {
        let span = event.arn.span ?? event.span
        if case .string(let text) = event.arn.value {
            let inferred = StreamType(inferredFromARN: text)
            if let written = event.type {
                if let inferred, inferred != written.value {
                    diagnostics.append(.error(
                        "`type: \(written.value.rawValue)` contradicts the arn, which names a \(inferred.rawValue) stream",
                        at: written.span ?? span,
                        hint: "remove `type` or correct the arn"
                    ))
                    return nil
                }
                return written.value
            }
            guard let inferred else {
                diagnostics.append(.error(
                    "cannot tell the stream type from the arn `\(text)`",
                    at: span,
                    hint: "stream events read Kinesis (`arn:aws:kinesis:...`) or DynamoDB "
                        + "(`arn:aws:dynamodb:...`) streams; check the arn's service field"
                ))
                return nil
            }
            return inferred
        }
        guard let written = event.type else {
            diagnostics.append(.error(
                "stream event needs `type: dynamodb|kinesis` when `arn` is an intrinsic function",
                at: event.span ?? span,
                hint: "add `type: kinesis` or `type: dynamodb` to the event"
            ))
            return nil
        }
        return written.value
    }

    private func appendStartingTimestamp(
        _ event: StreamEvent, type: StreamType, function: String, to properties: inout [Node.Entry], output: inout Output
    ) {
        let position = event.startingPosition?.value ?? .trimHorizon
        let span = event.startingPosition?.span ?? event.span
        if position == .atTimestamp {
            if type == .dynamodb {
                output.diagnostics.append(.error(
                    "DynamoDB streams do not support `startingPosition: AT_TIMESTAMP`",
                    at: span,
                    hint: "use LATEST or TRIM_HORIZON"
                ))
            }
            guard let timestamp = event.startingPositionTimestamp else {
                output.diagnostics.append(.error(
                    "you must specify startingPositionTimestamp for function: \(function) when startingPosition is AT_TIMESTAMP",
                    at: span,
                    hint: "add `startingPositionTimestamp` in seconds since 1970-01-01 UTC"
                ))
                return
            }
            properties.append(Node.Entry("StartingPositionTimestamp", number(timestamp.value, span: timestamp.span)))
        } else if let timestamp = event.startingPositionTimestamp {
            output.diagnostics.append(.warning(
                "`startingPositionTimestamp` is left out because `startingPosition` is not AT_TIMESTAMP",
                at: timestamp.span ?? event.span,
                hint: "set `startingPosition: AT_TIMESTAMP` or remove the timestamp"
            ))
        }
    }

    /// Appends the settings the framework writes only when the script gives them, in its order.
    private func appendOptionalSettings(_ event: StreamEvent, to properties: inout [Node.Entry]) {
        if let window = event.batchWindow {
            properties.append(Node.Entry("MaximumBatchingWindowInSeconds", .integer(Int64(window.value), span: window.span)))
        }
        if let attempts = event.maximumRetryAttempts {
            properties.append(Node.Entry("MaximumRetryAttempts", .integer(Int64(attempts.value), span: attempts.span)))
        }
        if let bisect = event.bisectBatchOnFunctionError {
            properties.append(Node.Entry("BisectBatchOnFunctionError", .bool(bisect.value, span: bisect.span)))
        }
        if let responseType = event.functionResponseType {
            properties.append(Node.Entry(
                "FunctionResponseTypes", .sequence([.string(responseType.value, span: responseType.span)])))
        }
        if let age = event.maximumRecordAgeInSeconds {
            properties.append(Node.Entry("MaximumRecordAgeInSeconds", .integer(Int64(age.value), span: age.span)))
        }
        if let window = event.tumblingWindowInSeconds {
            properties.append(Node.Entry("TumblingWindowInSeconds", .integer(Int64(window.value), span: window.span)))
        }
    }

    /// Appends the `DestinationConfig` of `destination` and returns the destination's node, or
    /// returns `nil` after reporting why the destination is invalid.
    private func appendDestination(
        _ destination: Located<FailureDestination>,
        to properties: inout [Node.Entry],
        groups: inout StatementGroups,
        output: inout Output
    ) -> Node? {
        let arnNode = Self.node(of: destination.value.arn, span: destination.span)
        let span = arnNode.span ?? destination.span
        guard let type = destination.value.resolvedType else {
            let message: String
            if case .string(let text) = destination.value.arn {
                message = "cannot tell the failure destination type from the arn `\(text)`"
            } else {
                message = "onFailure destination needs `type: sns|sqs` when `arn` is an intrinsic function"
            }
            output.diagnostics.append(.error(message, at: span, hint: "add `type: sns` or `type: sqs`"))
            return nil
        }
        if case .intrinsic(let node) = destination.value.arn,
           let (name, argument) = Intrinsics.intrinsic(of: node), name == "Ref",
           let target = argument.stringValue, scriptResourceTypes[target] == "AWS::SQS::Queue"
        {
            output.diagnostics.append(.error(
                "`Ref: \(target)` gives the queue URL, but the failure destination must be the queue ARN",
                at: span,
                hint: FailureDestination.queueARNHint(target)
            ))
            return nil
        }
        switch type {
        case .sns: StatementGroups.append(arnNode, to: &groups.snsPublish, eventCount: groups.eventCount)
        case .sqs: StatementGroups.append(arnNode, to: &groups.sqsSend, eventCount: groups.eventCount)
        }
        properties.append(Node.Entry(
            "DestinationConfig", .mapping([Node.Entry("OnFailure", .mapping([Node.Entry("Destination", arnNode)]))])))
        return arnNode
    }

    /// `FilterCriteria.Filters`: each pattern as compact JSON text, as the framework writes it with
    /// `JSON.stringify`, in the order the script lists them.
    private func appendFilters(_ patterns: Located<[Node]>, to properties: inout [Node.Entry], output: inout Output) {
        let writer = JSONWriter(style: .compact)
        var filters: [Node] = []
        filters.reserveCapacity(patterns.value.count)
        for pattern in patterns.value {
            do {
                let text = try writer.write(pattern)
                filters.append(.mapping([Node.Entry("Pattern", .string(text, span: pattern.span))]))
            } catch {
                output.diagnostics.append(.error(
                    "cannot write this filter pattern as JSON: \(error)",
                    at: pattern.span ?? patterns.span,
                    hint: "use only finite numbers and at most \(JSONWriter.maximumDepth) levels of nesting"
                ))
            }
        }
        properties.append(Node.Entry("FilterCriteria", .mapping([Node.Entry("Filters", .sequence(filters, span: patterns.span))])))
    }

    /// Returns the consumer name in the configured naming mode, with characters that Kinesis rejects
    /// replaced by `-` (reported as a warning) and over-long names reported as errors.
    private func consumerName(function: String, stream: String, span: SourceSpan?, output: inout Output) -> String {
        let raw: String
        if consumerNamingMode?.value == .serviceSpecific {
            raw = function + stream + serviceName + stage + "Consumer"
        } else {
            raw = function + stream + "Consumer"
            output.diagnostics.append(.warning(
                "the consumer name `\(raw)` is the same in every stage, so deploying a second stage that reads the same stream fails",
                at: span,
                hint: "set `provider.kinesis.consumerNamingMode: serviceSpecific` to add the service and stage to the name"
            ))
        }
        // Kinesis consumer names match [a-zA-Z0-9_.-]+ and have at most 128 characters.
        let allowed = raw.unicodeScalars.map { scalar -> Character in
            let isAllowed = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || scalar == "_" || scalar == "." || scalar == "-")
            return isAllowed ? Character(scalar) : "-"
        }
        let sanitized = String(allowed)
        if sanitized != raw {
            output.diagnostics.append(.warning(
                "the consumer name `\(raw)` has characters Kinesis does not allow; slsx names the consumer `\(sanitized)`",
                at: span,
                hint: "Kinesis consumer names contain only letters, digits, `_`, `.` and `-`"
            ))
        }
        if sanitized.count > 128 {
            output.diagnostics.append(.error(
                "the consumer name `\(sanitized)` has \(sanitized.count) characters; Kinesis allows at most 128",
                at: span,
                hint: "shorten the function or stream name"
            ))
        }
        return sanitized
    }

    /// Returns the ARN as a node that points at the script value, so that later checks (such as
    /// the one for Serverless variables) report the place where the ARN was written.
    static func node(of arn: ARNValue, span: SourceSpan?) -> Node {
        var node = arn.node
        if node.span == nil { node.span = span }
        return node
    }

    private func number(_ value: Double, span: SourceSpan?) -> Node {
        if value.isFinite, abs(value) < 1e15, Double(Int64(value)) == value { return .integer(Int64(value), span: span) }
        return .float(value, span: span)
    }
}
