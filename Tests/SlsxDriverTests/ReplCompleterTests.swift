import Foundation
@testable import SlsxDriver
import Testing

@Suite struct ReplCompleterTests {
    private func completer(directory: String = "/nonexistent") -> ReplCompleter {
        ReplCompleter(
            keywords: ["let", "fn", "for", "function", "if"],
            builtinNames: ["len", "format", "lower"],
            boundNames: ["ordersTable", "arn", "cfg"],
            members: { path in
                switch path {
                case ["arn"]: return ["kinesisStream", "dynamodbStream", "sqsQueue"]
                case ["cfg"]: return ["a", "b"]
                default: return nil
                }
            },
            workingDirectory: directory
        )
    }

    private func complete(_ line: String, pending: String = "", directory: String = "/nonexistent") -> [String] {
        let request = CompletionRequest(line: line, cursor: line.unicodeScalars.count)
        return completer(directory: directory).candidates(for: request, pendingText: pending)
    }

    @Test func keywordsBuiltinsAndNames() {
        #expect(complete("fo") == ["for", "format"])
        #expect(complete("let x = ord") == ["ordersTable"])
        #expect(complete("le") == ["len", "let"])
    }

    @Test func commandsOnlyAtLineStart() {
        #expect(complete(":l") == [":load"])
        #expect(complete(":") == ReplCommandTable.commands.map(\.name).sorted())
        // Elsewhere a colon separates a key from its value, so the name after it is completed.
        #expect(complete("x :l") == [":len", ":let", ":lower"])
    }

    @Test func commandsNotInsidePendingEntry() {
        #expect(complete(":lo", pending: "[1,") == [":lower"])
    }

    @Test func membersAfterDot() {
        #expect(complete("arn.kin") == ["arn.kinesisStream"])
        #expect(complete("let s = arn.") == ["arn.dynamodbStream", "arn.kinesisStream", "arn.sqsQueue"])
        #expect(complete("unknown.x") == [])
    }

    @Test func operatorInsideWordKept() {
        #expect(complete("1-ord") == ["1-ordersTable"])
        #expect(complete("cfg.a-cfg.") == ["cfg.a-cfg.a", "cfg.a-cfg.b"])
    }

    @Test func numbersNotCompleted() {
        #expect(complete("12") == [])
    }

    @Test func streamPropertiesInsideStreamBlock() {
        #expect(complete("  batch", pending: "function \"f\" {\n  stream {") == ["batchSize", "batchWindow"])
        #expect(complete("stream { arn: x, startingPos") == ["startingPosition", "startingPositionTimestamp"])
        #expect(complete("  batch", pending: "function \"f\" {") == [])
    }

    @Test func functionPropertiesInsideFunctionBlock() {
        #expect(complete("  hand", pending: "function \"orders-{x}\" {") == ["handler"])
    }

    @Test func closedBlockNoLongerCounts() {
        #expect(complete("batch", pending: "stream { arn: x }") == [])
    }

    @Test func bracesInCommentsAndStringsIgnored() {
        #expect(ReplCompleter.innermostBlock(in: "stream { // {\n a: \"{\"") == "stream")
        #expect(ReplCompleter.innermostBlock(in: "stream { /* } */") == "stream")
        #expect(ReplCompleter.innermostBlock(in: "stream { a: \"\\\"}\"") == "stream")
        #expect(ReplCompleter.innermostBlock(in: "stream { destinations: {") == "destinations")
        #expect(ReplCompleter.innermostBlock(in: "let x = {") == nil)
        #expect(ReplCompleter.innermostBlock(in: "stream { a: [") == nil)
    }

    @Test func formatAfterCfn() {
        #expect(complete(":cfn j") == ["json"])
        #expect(complete(":cfn ") == ["json", "yaml"])
        #expect(complete(":help b") == ["builtins"])
    }

    @Test func filePathsAfterLoad() throws {
        let folder = NSTemporaryDirectory() + "slsx-completer-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder + "/scripts", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(FileManager.default.createFile(atPath: folder + "/scripts/orders.slsx", contents: Data()))
        #expect(FileManager.default.createFile(atPath: folder + "/scripts/other.slsx", contents: Data()))
        #expect(FileManager.default.createFile(atPath: folder + "/.hidden", contents: Data()))

        #expect(complete(":load sc", directory: folder) == ["scripts/"])
        #expect(complete(":load scripts/or", directory: folder) == ["scripts/orders.slsx"])
        #expect(complete(":save scripts/o", directory: folder) == ["scripts/orders.slsx", "scripts/other.slsx"])
        #expect(complete(":load ", directory: folder) == ["scripts/"])
        #expect(complete(":load .h", directory: folder) == [".hidden"])
        #expect(complete(":load \(folder)/scr", directory: "/") == ["\(folder)/scripts/"])
    }

    @Test func noCompletionAfterArgumentlessCommand() {
        #expect(complete(":yaml x") == [])
    }
}

@Suite struct ReplCommandTableTests {
    @Test func exactAndPrefixNames() {
        #expect(ReplCommandTable.command(named: ":quit")?.name == ":quit")
        #expect(ReplCommandTable.command(named: ":q")?.name == ":quit")
        #expect(ReplCommandTable.command(named: ":l")?.name == ":load")
        #expect(ReplCommandTable.command(named: ":s")?.name == ":save")
        #expect(ReplCommandTable.command(named: ":") == nil)
        #expect(ReplCommandTable.command(named: ":yamll") == nil)
    }

    @Test func suggestionsForMisspellings() {
        #expect(ReplCommandTable.suggestion(for: ":yamll") == ":yaml")
        #expect(ReplCommandTable.suggestion(for: ":sve") == ":save")
        #expect(ReplCommandTable.suggestion(for: ":zzzzzz") == nil)
    }

    @Test func helpListsEveryCommand() {
        for command in ReplCommandTable.commands {
            #expect(ReplCommandTable.helpText.contains("  " + command.name))
        }
    }
}
