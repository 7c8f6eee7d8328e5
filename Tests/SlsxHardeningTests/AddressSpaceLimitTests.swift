import Foundation
import Testing

/// Under an address-space limit too small for the evaluation thread's stack, `slsx` ends with an
/// error instead of waiting for a thread that never starts.
@Suite struct AddressSpaceLimitTests {
    @Test func emitFailsWhenThreadCannotStart() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -v 450000 && exec \"$0\" emit -", InterruptedEmitTests.executable.path]
        process.environment = ["NO_COLOR": "1"]
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data("service \"limited\"\n".utf8))
        try input.fileHandleForWriting.close()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        #expect(process.terminationStatus == 1)
        #expect(text == """
            error: cannot start a thread with a 512 MiB stack: Resource temporarily unavailable
            help: raise the address-space limit (ulimit -v): evaluation reserves its 512 MiB stack up front, so the process needs about 600 MiB of address space

            """)
    }
}
