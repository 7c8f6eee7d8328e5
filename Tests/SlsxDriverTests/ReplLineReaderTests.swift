import SlsxDriver
import Testing

@Suite struct CompletionRequestTests {
    @Test(arguments: [
        ("fo", 2, "", "fo"),
        ("let x = arn.kin", 15, "let x = ", "arn.kin"),
        (":lo", 3, "", ":lo"),
        (":load samples/bill", 18, ":load ", "samples/bill"),
        ("f(a, b", 6, "f(a, ", "b"),
        ("stream { arn", 12, "stream { ", "arn"),
        ("x = y", 2, "x ", ""),
        ("", 0, "", ""),
        ("let é = ab", 10, "let é = ", "ab"),
    ])
    func wordSplitAtCursor(line: String, cursor: Int, before: String, word: String) {
        let request = CompletionRequest(line: line, cursor: cursor)
        #expect(request.textBeforeWord == before)
        #expect(request.word == word)
    }

    @Test func cursorBeyondLineIsClamped() {
        let request = CompletionRequest(line: "ab", cursor: 99)
        #expect(request.word == "ab")
        #expect(request.textBeforeWord == "")
    }
}

@Suite struct HistorySettingsTests {
    @Test func slsxHistoryOverridesHome() {
        let settings = HistorySettings.resolve(environment: ["SLSX_HISTORY": "/tmp/h", "HOME": "/home/u"])
        #expect(settings.path == "/tmp/h")
        #expect(settings.warning == nil)
    }

    @Test func emptySlsxHistoryTurnsSavingOff() {
        let settings = HistorySettings.resolve(environment: ["SLSX_HISTORY": "", "HOME": "/home/u"])
        #expect(settings.path == nil)
        #expect(settings.warning == nil)
    }

    @Test func homeGivesDotFile() {
        #expect(HistorySettings.resolve(environment: ["HOME": "/home/u"]).path == "/home/u/.slsx_history")
        #expect(HistorySettings.resolve(environment: ["HOME": "/home/u/"]).path == "/home/u/.slsx_history")
    }

    @Test func missingHomeWarnsOnce() {
        let settings = HistorySettings.resolve(environment: [:])
        #expect(settings.path == nil)
        #expect(settings.warning == "HOME is not set, so history will not be saved; set SLSX_HISTORY to a file path to keep it")
    }

    @Test func maximumEntriesDefault() {
        #expect(HistorySettings.resolve(environment: [:]).maximumEntries == 1000)
    }
}

@Suite struct HistorySizeTests {
    @Test func sizeFromEnvironment() {
        let settings = HistorySettings.resolve(environment: ["HOME": "/h", "SLSX_HISTORY_SIZE": "3"])
        #expect(settings.maximumEntries == 3)
        #expect(settings.warning == nil)
    }

    @Test(arguments: ["0", "-1", "abc", "100001", ""])
    func invalidSizeWarns(size: String) {
        let settings = HistorySettings.resolve(environment: ["HOME": "/h", "SLSX_HISTORY_SIZE": size])
        #expect(settings.maximumEntries == 1000)
        #expect(settings.warning == "SLSX_HISTORY_SIZE must be a whole number from 1 to 100000, but is '\(size)'; keeping 1000 entries")
    }
}
