import FuzzSupport
import SlsxModel

/// Builds a Node from the input and writes it as YAML twice. The writer must not fail on a node
/// within its depth limit, must give the same bytes both times, and must end the document with a
/// line break. Whether a YAML reader reads the output back equal is checked by the PyYAML property
/// tests of the main package, because the main package has no YAML reader of its own.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    var decoder = NodeDecoder(bytes: bytes)
    let node = decoder.node()

    let first: String
    let second: String
    do {
        first = try YAMLWriter().write(node)
        second = try YAMLWriter().write(node)
    } catch {
        fatalError("YAMLWriter rejected a node within its depth limit: \(error)")
    }
    if first != second {
        fatalError("YAMLWriter gave different output for the same node")
    }
    if !first.hasSuffix("\n") {
        fatalError("YAML output does not end with a line break")
    }
    return 0
}
