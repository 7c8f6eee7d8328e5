#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SlsxModel
import SlsxSource

/// The stream or table name that the framework puts into a mapping's logical ID and a consumer's
/// name, derived from the event's `arn`.
///
/// The framework's rules (v3 `stream.js`) are these. A string ARN gives the text between its first
/// and second `/`. `Fn::GetAtt` gives the resource name, and `Fn::ImportValue` and `Ref` give their
/// argument. `Fn::Join` gives the text after the last `/` of its last element. Where the framework crashes
/// or writes `undefined`, slsx either applies a documented rule (`Fn::Sub` text is read like a
/// string ARN; `Fn::GetAtt: "T.StreamArn"` gives `T`) or reports an error.
enum StreamName {
    /// The error raised when no name can be derived, with the diagnostic to report.
    struct Failure: Error {
        var diagnostic: Diagnostic

        init(_ diagnostic: Diagnostic) { self.diagnostic = diagnostic }
    }

    /// Derives the name, or returns an error at the ARN's span.
    static func derive(from arn: Located<ARNValue>) -> Result<String, StreamName.Failure> {
        switch arn.value {
        case .string(let text):
            return fromStringARN(text, span: arn.span)
        case .intrinsic(let node):
            return fromIntrinsic(node, span: node.span ?? arn.span)
        }
    }

    /// Returns the UTF-8 offsets of the name that `derive` takes from the string ARN `text`, or
    /// `nil` when `text` is not ASCII or gives no name. The mapping's logical ID is spelled from
    /// the ARN's bytes at these offsets (`FunctionLogicalIDs.eventSourceMapping(type:streamNameAt:ofASCII:)`),
    /// so the usual ASCII ARN needs no `String` of its name. `derive` reports the error for an
    /// ARN that gives no name.
    static func asciiNameRange(ofARN text: String) -> Range<Int>? {
        guard text.isASCII,
              let range = text.utf8.withContiguousStorageIfAvailable(secondPathPartRange(ofASCII:)) ?? nil,
              !range.isEmpty
        else { return nil }
        return range
    }

    private static func fromStringARN(_ text: String, span: SourceSpan?) -> Result<String, StreamName.Failure> {
        guard let name = secondPathPart(of: text), !name.isEmpty else {
            return .failure(Failure(.error(
                "cannot derive a stream name from the arn `\(text)`",
                at: span,
                hint: "a Kinesis stream ARN ends in `:stream/<name>` and a DynamoDB stream ARN in "
                    + "`:table/<name>/stream/<label>`"
            )))
        }
        return .success(name)
    }

    /// Returns the text between the first and the second `/` of `text` (or its end), or `nil` when
    /// `text` has no `/`.
    private static func secondPathPart(of text: String) -> String? {
        if text.isASCII {
            // ASCII text splits the same by bytes as by characters, and much faster. Every stream
            // event's ARN is split here, so the search runs over the contiguous bytes with the C
            // library's `memchr` rather than through `String.UTF8View`'s indices.
            if let part = text.utf8.withContiguousStorageIfAvailable(secondPathPart(ofASCII:)) { return part }
            return Array(text.utf8).withUnsafeBufferPointer(secondPathPart(ofASCII:))
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count >= 2 ? String(parts[1]) : nil
    }

    /// Returns the bytes between the first and the second `/` of `bytes` (or their end) as a
    /// string, or `nil` when `bytes` has no `/`.
    private static func secondPathPart(ofASCII bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let range = secondPathPartRange(ofASCII: bytes) else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// Returns the offsets of the bytes between the first and the second `/` of `bytes` (or
    /// their end), or `nil` when `bytes` has no `/`.
    private static func secondPathPartRange(ofASCII bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        guard let base = bytes.baseAddress, let slash = memchr(base, Int32(UInt8(ascii: "/")), bytes.count) else {
            return nil
        }
        let start = base.distance(to: UnsafePointer(slash.assumingMemoryBound(to: UInt8.self))) + 1
        let end = memchr(base + start, Int32(UInt8(ascii: "/")), bytes.count - start)
            .map { base.distance(to: UnsafePointer($0.assumingMemoryBound(to: UInt8.self))) } ?? bytes.count
        return start..<end
    }

    private static func fromIntrinsic(_ node: Node, span: SourceSpan?) -> Result<String, StreamName.Failure> {
        guard let (name, argument) = Intrinsics.intrinsic(of: node) else {
            return .failure(unsupported("it is neither a string nor a supported intrinsic function", span: span))
        }
        switch name {
        case "Fn::GetAtt":
            if let resource = argument.sequenceValue?.first?.stringValue, !resource.isEmpty {
                return .success(resource)
            }
            if let text = argument.stringValue, let resource = text.split(separator: ".").first {
                return .success(String(resource))
            }
            return .failure(unsupported("its `Fn::GetAtt` names no resource", span: span))
        case "Fn::ImportValue", "Ref":
            if let text = argument.stringValue, !text.isEmpty { return .success(text) }
            return .failure(unsupported("the argument of its `\(name)` is not literal text", span: span))
        case "Fn::Join":
            return fromJoin(argument, span: span)
        case "Fn::Sub":
            let text = argument.stringValue ?? argument.sequenceValue?.first?.stringValue
            guard let text else { return .failure(unsupported("its `Fn::Sub` has no text", span: span)) }
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count >= 2, !parts[1].isEmpty, !parts[1].contains("${") else {
                return .failure(unsupported(
                    "the stream name part of its `Fn::Sub` (after the first `/`) is not literal text", span: span
                ))
            }
            return .success(String(parts[1]))
        default:
            return .failure(unsupported("`\(name)` is not one of the supported forms", span: span))
        }
    }

    private static func fromJoin(_ argument: Node, span: SourceSpan?) -> Result<String, StreamName.Failure> {
        guard let items = argument.sequenceValue, items.count == 2, let parts = items[1].sequenceValue,
              let last = parts.last
        else {
            return .failure(unsupported("its `Fn::Join` is not `[delimiter, [parts]]`", span: span))
        }
        guard let text = last.stringValue else {
            return .failure(unsupported("the last element of its `Fn::Join` is not literal text", span: span))
        }
        let name = text.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? text
        guard !name.isEmpty else {
            return .failure(unsupported("the last element of its `Fn::Join` ends in `/`", span: span))
        }
        return .success(name)
    }

    private static func unsupported(_ reason: String, span: SourceSpan?) -> Failure {
        Failure(.error(
            "cannot derive a stream name from `arn`, because \(reason)",
            at: span,
            hint: "the name goes into the mapping's logical ID; write the arn as a string, as "
                + "`Fn::GetAtt: [<StreamResource>, Arn]`, or as an `Fn::Join` whose last element is "
                + "literal text ending in the stream name, such as `:stream/orders`"
        ))
    }
}
