import SlsxLanguage
import SlsxSource

/// Tokenizes and parses the input as a script. The lexer must end with an end-of-file token,
/// and every error the parser reports must point at a span.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let file = SourceFile(path: "fuzz.slsx", bytes: bytes)

    let tokens = Lexer.tokenize(file)
    guard tokens.last?.kind == .endOfFile else {
        fatalError("the token list does not end with end of file")
    }

    let parsed = Parser.parse(file, maximumDepth: 64)
    for diagnostic in parsed.diagnostics where diagnostic.severity == .error && diagnostic.span == nil {
        fatalError("syntax error without a span: \(diagnostic.message)")
    }
    return 0
}
