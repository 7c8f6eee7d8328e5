#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ASCII names, such as the keys of a stream event, that text is matched against byte for byte.
///
/// The decoder matches every key of every stream event, and the type and starting position of
/// every event, against a few names. Comparing bytes with each name of the same length takes a
/// fraction of `String ==` on each name, or of a `switch` over the names, which goes through the
/// standard library's `_findStringSwitchCase`.
struct ASCIINames: Sendable {
    private let names: [String]
    /// The bytes of every name, one after another.
    private let bytes: [UInt8]
    /// The offset in `bytes` just past each name.
    private let ends: [Int]

    /// Creates the table of `names`, which must all be ASCII.
    init(_ names: [String]) {
        precondition(names.allSatisfy(\.isASCII), "names matched by bytes must be ASCII")
        self.names = names
        bytes = names.flatMap(\.utf8)
        var end = 0
        ends = names.map { name in
            end += name.utf8.count
            return end
        }
    }

    /// Returns the position of the first name equal to `text` as `String ==` compares them, or
    /// `nil` when there is none.
    func position(of text: String) -> Int? {
        if let found = text.withUTF8Bytes({ position(ofBytes: $0) }) { return found }
        // Text with a scalar outside ASCII may still equal a name by canonical equivalence
        // (U+212A KELVIN SIGN is `K`), which only `String ==` compares.
        if text.isEmpty || text.isASCII { return nil }
        return names.firstIndex { $0 == text }
    }

    /// Returns the position of the first name whose UTF-8 bytes are `key`, or `nil`. For ASCII
    /// bytes this is the position that `position(of:)` returns for their text.
    func position(ofBytes key: UnsafeBufferPointer<UInt8>) -> Int? {
        bytes.withUnsafeBufferPointer { all -> Int? in
            guard let keyStart = key.baseAddress, let allStart = all.baseAddress else { return nil }
            var start = 0
            for position in ends.indices {
                let end = ends[position]
                if end - start == key.count, memcmp(allStart + start, keyStart, key.count) == 0 {
                    return position
                }
                start = end
            }
            return nil
        }
    }
}

/// The cases of an enum with ASCII raw values, looked up by raw value through `ASCIINames`.
struct CaseNames<Case: CaseIterable & RawRepresentable & Sendable>: Sendable where Case.RawValue == String {
    private let cases: [Case]
    private let names: ASCIINames

    init() {
        cases = Array(Case.allCases)
        names = ASCIINames(cases.map(\.rawValue))
    }

    /// Returns the case whose raw value is `text`, as `Case(rawValue: text)` does.
    func match(_ text: String) -> Case? {
        names.position(of: text).map { cases[$0] }
    }

    /// Returns the case whose raw value has the ASCII bytes `text`, as `match` returns it for
    /// their text.
    func match(asciiBytes text: UnsafeBufferPointer<UInt8>) -> Case? {
        names.position(ofBytes: text).map { cases[$0] }
    }
}

extension StreamType {
    static let names = CaseNames<StreamType>()
}

extension StartingPosition {
    static let names = CaseNames<StartingPosition>()
}

extension DestinationType {
    static let names = CaseNames<DestinationType>()
}

extension ServiceDecoding {
    /// The keys a function accepts.
    static let functionKeys = ASCIINames(KnownKeys.function)
}
