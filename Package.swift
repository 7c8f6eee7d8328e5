// swift-tools-version:6.0
import PackageDescription

// The targets, from the bottom up. Dependencies point one way:
//
//   SlsxSource          source files, spans and diagnostics; depends on nothing
//   SlsxLanguage        .slsx source text to values (lexer, parser, evaluator, built-ins, imports)
//   SlsxModel           the serverless model, its checks and its YAML/JSON writers; knows no language
//   SlsxCloudFormation  the model compiled to a CloudFormation template
//   SlsxDriver          joins the language and the model: pipeline, rendering, REPL session logic
//   CEditLine           libedit's readline-compatible API, linked only by the executable
//   CTCMalloc           gperftools' tcmalloc, the executable's allocator in place of glibc's malloc
//   CTCMallocSettings   the settings the executable gives tcmalloc (a larger transfer batch)
//   slsx                the command line and the terminal REPL
let package = Package(
    name: "slsx",
    // macOS 15 is the first with Synchronization's `Mutex`, which the table of source files uses.
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SlsxLanguage", targets: ["SlsxLanguage"]),
        .library(name: "SlsxModel", targets: ["SlsxModel"]),
        .library(name: "SlsxCloudFormation", targets: ["SlsxCloudFormation"]),
        .library(name: "SlsxDriver", targets: ["SlsxDriver"]),
        .executable(name: "slsx", targets: ["slsx"]),
    ],
    targets: [
        .target(name: "SlsxSource"),
        .target(name: "SlsxLanguage", dependencies: ["SlsxSource"]),
        .target(name: "SlsxModel", dependencies: ["SlsxSource"]),
        .target(name: "SlsxCloudFormation", dependencies: ["SlsxModel"]),
        .target(name: "SlsxDriver", dependencies: ["SlsxLanguage", "SlsxModel", "SlsxCloudFormation"]),
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"]), .brew(["libedit"])]
        ),
        // The executable allocates with tcmalloc. glibc's malloc made the threads that evaluate,
        // compile and write in parallel wait on its arena locks, and with an arena per thread the
        // memory one stage freed stayed out of the next stage's reach. tcmalloc keeps a cache per
        // thread and returns freed memory to a shared heap. The libraries leave the allocator to
        // the program that embeds them.
        .systemLibrary(
            name: "CTCMalloc",
            pkgConfig: "libtcmalloc_minimal",
            providers: [.apt(["libgoogle-perftools-dev"]), .brew(["gperftools"])]
        ),
        // Linked by the executables (and the tests that link `slsx`): it sets tcmalloc's transfer
        // batch for the process.
        .target(name: "CTCMallocSettings"),
        .executableTarget(name: "slsx", dependencies: ["SlsxDriver", "CEditLine", "CTCMalloc", "CTCMallocSettings"]),

        // Micro-benchmarks of the stages (`swift run -c release slsx-benchmarks`); not part of `swift test`.
        // They link tcmalloc and its settings as the executable does, so that they time the allocator users run.
        .executableTarget(
            name: "slsx-benchmarks", dependencies: ["SlsxDriver", "CTCMalloc", "CTCMallocSettings"], path: "Benchmarks/SlsxBenchmarks"),

        .testTarget(name: "SlsxSourceTests", dependencies: ["SlsxSource"]),
        .testTarget(name: "SlsxLanguageTests", dependencies: ["SlsxLanguage", "SlsxTestSupport"], exclude: ["Goldens"]),
        .testTarget(name: "SlsxModelTests", dependencies: ["SlsxModel", "SlsxTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "SlsxCloudFormationTests", dependencies: ["SlsxCloudFormation", "SlsxTestSupport"], exclude: ["Goldens"]),
        .testTarget(name: "SlsxDriverTests", dependencies: ["SlsxDriver", "SlsxTestSupport"]),
        .testTarget(name: "slsxTests", dependencies: ["SlsxDriver", "SlsxTestSupport", "slsx"]),
        // Hostile scripts, interrupted writes and property tests across the whole pipeline.
        .testTarget(name: "SlsxHardeningTests", dependencies: ["SlsxLanguage", "SlsxModel", "SlsxDriver", "SlsxTestSupport", "slsx"]),

        // Golden-file comparison shared by the test targets.
        .target(name: "SlsxTestSupport", path: "Tests/SlsxTestSupport"),
    ]
)
