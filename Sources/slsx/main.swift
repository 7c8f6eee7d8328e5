// Links tcmalloc, whose malloc and free replace glibc's in this process, and the settings it
// reads when the process starts (see Package.swift).
import CTCMalloc
import CTCMallocSettings
import SlsxDriver

#if canImport(Glibc)
import Glibc
#endif

// A reader that closes the pipe early (`slsx emit x.slsx | head`) must not kill the process with
// SIGPIPE; the write fails with EPIPE instead and the exit status still reports the run.
signal(SIGPIPE, SIG_IGN)

// A file size limit (`ulimit -f`) must fail a write with EFBIG, which the run reports after
// removing what it wrote, instead of killing the process with SIGXFSZ.
signal(SIGXFSZ, SIG_IGN)

// A standard descriptor that the caller closed (`2>&-`) would be taken by the next file slsx
// opens, such as the new file of `-o`, and diagnostics meant for standard error would land in it.
Terminal.openClosedStandardDescriptors()

var parser = CommandLineParser(Array(CommandLine.arguments.dropFirst()))
let status: ExitCode
do {
    switch try parser.parse() {
    case .emit(let options): status = EmitCommand(options: options, checkOnly: false).run()
    case .check(let options): status = EmitCommand(options: options, checkOnly: true).run()
    case .repl(let arguments): status = ExitCode(rawValue: ReplCommand.run(arguments: arguments)) ?? .internalError
    case .help(let topic): status = Usage.printHelp(topic: topic)
    case .version:
        Terminal.writeOutput("slsx \(SlsxVersion.current)\n")
        status = .success
    }
} catch {
    Terminal.writeError(Usage.render(error, colored: Terminal.colorsStandardError(.auto)))
    status = .usageError
}
exit(status.rawValue)
