import SlsxSource
import Testing

@Suite struct SuggestionsTests {
    @Test func misspellingFindsCandidate() {
        #expect(["batchSize", "batchWindow", "enabled"].closest(to: "batchsize") == "batchSize")
        #expect(["batchSize", "batchWindow", "enabled"].closest(to: "batchWindw") == "batchWindow")
    }

    @Test func swappedLettersCountAsOneEdit() {
        #expect(["emit", "check", "repl", "help"].closest(to: "emti") == "emit")
        #expect(["emit", "check", "repl", "help"].closest(to: "chekc") == "check")
    }

    @Test func distantWordFindsNothing() {
        #expect(["batchSize", "enabled"].closest(to: "region") == nil)
    }

    @Test func tieGoesToMatchingCase() {
        // `stag` is one edit from both when case is ignored, and `stage` also matches its case.
        #expect(["STAGE", "stage"].closest(to: "stag") == "stage")
        #expect(["stage", "STAGE"].closest(to: "STAG") == "STAGE")
    }

    @Test func tieGoesToFirstCandidate() {
        // `hat` is one edit from both `bat` and `cat`.
        #expect(["bat", "cat"].closest(to: "hat") == "bat")
    }
}
