/// The exit statuses of `slsx`, as documented in `slsx --help` and the README.
enum ExitCode: Int32 {
    /// The run succeeded; warnings may have been printed.
    case success = 0
    /// The script has errors (lexical, syntax, name, type, range, unknown key, ...); nothing was written.
    case scriptError = 1
    /// The command line is wrong.
    case usageError = 2
    /// A file could not be read or written.
    case ioError = 3
    /// slsx itself failed; this is a bug.
    case internalError = 70
}
