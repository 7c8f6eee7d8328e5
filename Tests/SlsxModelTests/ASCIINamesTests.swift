import Testing

@testable import SlsxModel

/// `ASCIINames` and `CaseNames` find exactly what `String ==` and `init(rawValue:)` find.
struct ASCIINamesTests {
    static let names = ASCIINames(["arn", "type", "batchSize", "batchWindow", "K"])

    @Test func everyNameFound() {
        #expect(Self.names.position(of: "arn") == 0)
        #expect(Self.names.position(of: "type") == 1)
        #expect(Self.names.position(of: "batchSize") == 2)
        #expect(Self.names.position(of: "batchWindow") == 3)
        #expect(Self.names.position(of: "K") == 4)
    }

    @Test("near misses not found", arguments: ["", "ar", "arnx", "arm", "Arn", "batchsize", "batchSize ", "typé"])
    func nearMissNotFound(text: String) {
        #expect(Self.names.position(of: text) == nil)
    }

    @Test func canonicalEquivalentFound() {
        // U+212A KELVIN SIGN decomposes to `K`, so `String ==` finds them equal.
        #expect("\u{212A}" == "K")
        #expect(Self.names.position(of: "\u{212A}") == 4)
    }

    @Test func longTextFound() {
        // Text of 16 bytes or more is stored out of line, where shorter text is stored inline.
        let names = ASCIINames(["startingPosition", "startingPositionTimestamp"])
        #expect(names.position(of: "startingPosition") == 0)
        #expect(names.position(of: "startingPositionTimestamp") == 1)
        #expect(names.position(of: "startingPositionTimestampX") == nil)
    }

    @Test func firstOfRepeatedNameFound() {
        #expect(ASCIINames(["a", "b", "a"]).position(of: "a") == 0)
    }

    @Test func casesMatchRawValues() {
        for position in StartingPosition.allCases {
            #expect(StartingPosition.names.match(position.rawValue) == position)
        }
        for type in StreamType.allCases {
            #expect(StreamType.names.match(type.rawValue) == type)
        }
        for type in DestinationType.allCases {
            #expect(DestinationType.names.match(type.rawValue) == type)
        }
        #expect(StartingPosition.names.match("latest") == nil)
        #expect(StreamType.names.match("kinesis ") == nil)
        #expect(DestinationType.names.match("") == nil)
    }
}
