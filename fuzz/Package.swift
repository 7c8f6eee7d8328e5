// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for slsx. This package depends on the main package by path, so the main
// package builds and tests without the fuzzer runtime. Build and run a target with
// `fuzz/run.sh TARGET SECONDS`, which builds with libFuzzer and AddressSanitizer.
//
//   FuzzParser    bytes → lexer and parser; every syntax error must carry a span
//   FuzzEvaluate  bytes → evaluation with small limits; a failed run must report an error
//   FuzzJSON      bytes → random Node → JSONWriter → JSONReader, which must read back an equal Node
//   FuzzYAML      bytes → random Node → YAMLWriter, twice, which must give the same bytes
//   FuzzSupport   the decoder that turns fuzzer bytes into a Node
let package = Package(
    name: "slsx-fuzz",
    dependencies: [.package(name: "slsx", path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "SlsxModel", package: "slsx")]),
        .executableTarget(name: "FuzzParser", dependencies: [.product(name: "SlsxLanguage", package: "slsx")]),
        .executableTarget(name: "FuzzEvaluate", dependencies: [.product(name: "SlsxLanguage", package: "slsx")]),
        .executableTarget(name: "FuzzJSON", dependencies: ["FuzzSupport", .product(name: "SlsxModel", package: "slsx")]),
        .executableTarget(name: "FuzzYAML", dependencies: ["FuzzSupport", .product(name: "SlsxModel", package: "slsx")]),
    ]
)
