import SlsxModel
import SlsxSource
@testable import SlsxCloudFormation

/// Helpers shared by the CloudFormation tests: a small ordered JSON reader for expected values,
/// an order-insensitive comparison, and builders for services.
enum TestSupport {
    // MARK: - Expected values

    /// Parses JSON text into a node, keeping key order. Test-only: it accepts the JSON the tests
    /// write and returns `.null` for anything it cannot read.
    static func json(_ text: String) -> Node {
        var reader = Reader(bytes: Array(text.utf8))
        return reader.value()
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, [9, 10, 13, 32].contains(bytes[index]) { index += 1 }
        }

        mutating func value() -> Node {
            skipSpace()
            guard index < bytes.count else { return .null }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var entries: [Node.Entry] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .mapping(entries) }
                while index < bytes.count {
                    skipSpace()
                    let key = string()
                    skipSpace()
                    index += 1  // ':'
                    entries.append(Node.Entry(key, value()))
                    skipSpace()
                    let separator = index < bytes.count ? bytes[index] : UInt8(ascii: "}")
                    index += 1
                    if separator == UInt8(ascii: "}") { break }
                }
                return .mapping(entries)
            case UInt8(ascii: "["):
                index += 1
                var items: [Node] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .sequence(items) }
                while index < bytes.count {
                    items.append(value())
                    skipSpace()
                    let separator = index < bytes.count ? bytes[index] : UInt8(ascii: "]")
                    index += 1
                    if separator == UInt8(ascii: "]") { break }
                }
                return .sequence(items)
            case UInt8(ascii: "\""):
                return .string(string())
            case UInt8(ascii: "t"):
                index += 4
                return .bool(true)
            case UInt8(ascii: "f"):
                index += 5
                return .bool(false)
            case UInt8(ascii: "n"):
                index += 4
                return .null
            default:
                let start = index
                while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                if let integer = Int64(text) { return .integer(integer) }
                return .float(Double(text) ?? 0)
            }
        }

        mutating func string() -> String {
            index += 1  // opening quote
            var scalars: [UInt8] = []
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                if bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count {
                    index += 1
                    switch bytes[index] {
                    case UInt8(ascii: "n"): scalars.append(10)
                    case UInt8(ascii: "t"): scalars.append(9)
                    default: scalars.append(bytes[index])
                    }
                } else {
                    scalars.append(bytes[index])
                }
                index += 1
            }
            index += 1  // closing quote
            return String(decoding: scalars, as: UTF8.self)
        }
    }

    /// Returns whether two nodes contain the same JSON data, comparing mappings without regard to key order
    /// and sequences in order.
    static func sameJSON(_ lhs: Node, _ rhs: Node) -> Bool {
        switch (lhs.kind, rhs.kind) {
        case (.mapping(let left), .mapping(let right)):
            guard left.count == right.count else { return false }
            return left.allSatisfy { entry in
                guard let other = right.first(where: { $0.key == entry.key }) else { return false }
                return sameJSON(entry.value, other.value)
            }
        case (.sequence(let left), .sequence(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { sameJSON($0, $1) }
        default:
            return lhs == rhs
        }
    }

    /// Compact JSON text of a node, for failure messages.
    static func text(_ node: Node?) -> String {
        guard let node else { return "nil" }
        return (try? JSONWriter(style: .compact).write(node)) ?? "unwritable node"
    }

    // MARK: - Services

    static func service(
        _ functions: [Function],
        provider: Provider = Provider(),
        resources: Node? = nil,
        document: Node = .mapping([])
    ) -> Service {
        Service(name: Located("new-service"), provider: provider, functions: functions, resources: resources, document: document)
    }

    static func function(_ name: String, _ events: [StreamEvent], role: RoleReference? = nil) -> Function {
        Function(
            name: Located(name),
            handler: Located("handler.\(name)"),
            role: role.map { Located($0) },
            events: events.map { .stream($0) }
        )
    }

    static func event(_ arn: String, _ configure: (inout StreamEvent) -> Void = { _ in }) -> StreamEvent {
        var event = StreamEvent(arn: Located(.string(arn)))
        configure(&event)
        return event
    }

    static func event(intrinsic: String, type: StreamType?, _ configure: (inout StreamEvent) -> Void = { _ in }) -> StreamEvent {
        var event = StreamEvent(arn: Located(.intrinsic(json(intrinsic))))
        event.type = type.map { Located($0) }
        configure(&event)
        return event
    }

    /// Compiles a full template and returns it with the diagnostics.
    static func compile(
        _ service: Service, mode: CloudFormationCompiler.Mode = .fullTemplate
    ) -> (template: Node?, diagnostics: [Diagnostic]) {
        CloudFormationCompiler(options: .init(mode: mode)).compile(service)
    }

    /// Returns the statements of the shared role after the two log statements.
    static func sharedStreamStatements(_ template: Node?) -> [Node] {
        let statements = template?["Resources"]?["IamRoleLambdaExecution"]?["Properties"]?["Policies"]?
            .sequenceValue?.first?["PolicyDocument"]?["Statement"]?.sequenceValue ?? []
        return Array(statements.dropFirst(2))
    }

    static let kinesisFoo = "arn:aws:kinesis:us-east-1:123456789012:stream/foo"
    static let dynamoFoo = "arn:aws:dynamodb:us-east-1:123456789012:table/foo/stream/2024-01-01T00:00:00.000"
}
