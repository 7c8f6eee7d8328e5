import SlsxSource
import Testing

@Suite struct SuggestionsTests {
    @Test func misspellingFindsCandidate() {
        #expect(["batchSize", "batchWindow", "enabled"].closest(to: "batchsize") == "batchSize")
        #expect(["batchSize", "batchWindow", "enabled"].closest(to: "batchWindw") == "batchWindow")
    }

    @Test func distantWordFindsNothing() {
        #expect(["batchSize", "enabled"].closest(to: "region") == nil)
    }

    @Test func tieGoesToFirstCandidate() {
        #expect([":yaml", ":json"].closest(to: ":yson") == ":yaml")
    }
}
