import FuzzSupport
import SlsxModel

/// Builds a Node from the input, writes it as indented JSON and reads it back with JSONReader.
/// The result must equal the Node, except for the documented float cases that `NodeDecoder`
/// never generates (non-finite floats, integral floats in compact style).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    var decoder = NodeDecoder(bytes: bytes)
    let node = decoder.node()

    let text: String
    do {
        text = try JSONWriter().write(node)
    } catch {
        fatalError("JSONWriter rejected a node within its depth limit: \(error)")
    }
    let readBack: Node
    do {
        readBack = try JSONReader.read(text)
    } catch {
        fatalError("JSONReader rejected JSONWriter output: \(error)\n\(text)")
    }
    if readBack != node {
        fatalError("JSON round trip changed the node:\n\(text)")
    }
    return 0
}
