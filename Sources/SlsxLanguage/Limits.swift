/// Bounds on the work and memory one evaluation may use. Each limit is reported as a located
/// error when reached, never as a crash, so hostile or buggy scripts fail cleanly.
public struct Limits: Sendable, Equatable {
    /// Nested slsx function calls. The evaluator runs on a thread with a 512 MiB stack, so this
    /// limit, not the native stack, is always what stops deep recursion.
    public var callDepth: Int
    /// Evaluation steps (one per expression and statement evaluated) for the whole run. The
    /// benchmark workload of 10,000 functions with 5 stream events each needs fewer than 5 million,
    /// and a release build stopped a runaway loop at this default after 4.5 s (x86-64 Linux,
    /// 2 loaded cores, `slsx check --max-steps 20000000`).
    public var steps: Int
    /// The size in UTF-8 bytes of any one string the script builds.
    public var stringBytes: Int
    /// The number of items in any one list or map the script builds, including a range that is
    /// turned into a list.
    public var listItems: Int
    /// The maximum nesting of expressions, blocks and statements in the source text.
    public var parserDepth: Int
    /// The maximum nesting of lists and maps in any value the script builds. The formatter,
    /// equality and merging recurse once per level on the evaluation thread's 512 MiB stack. By
    /// an estimate of a few hundred bytes of stack per level, this bound keeps it far from full.
    public var valueDepth: Int
    /// The maximum nesting of lists and maps in the finished document. The converters and writers
    /// that read the document run on ordinary thread stacks, and no serverless.yml nests anywhere
    /// near this deep.
    public var documentDepth: Int
    /// The largest `Value.size` of any value the script builds and of the finished document: one
    /// per item plus the UTF-8 bytes of the strings. The default, 64 Mi, matches the default
    /// output size limit of the command line, because a document's YAML or JSON takes at least
    /// about one byte per item and per string byte. Without it, a value that contains itself
    /// twice per loop step (`l = [l, l]`) shares memory but takes exponential time to format,
    /// compare or write.
    public var valueSize: Int

    public init(
        callDepth: Int = 512,
        steps: Int = 20_000_000,
        stringBytes: Int = 16 * 1024 * 1024,
        listItems: Int = 1_000_000,
        parserDepth: Int = 256,
        valueDepth: Int = 200_000,
        documentDepth: Int = 256,
        valueSize: Int = 64 * 1024 * 1024
    ) {
        self.callDepth = callDepth
        self.steps = steps
        self.stringBytes = stringBytes
        self.listItems = listItems
        self.parserDepth = parserDepth
        self.valueDepth = valueDepth
        self.documentDepth = documentDepth
        self.valueSize = valueSize
    }
}
