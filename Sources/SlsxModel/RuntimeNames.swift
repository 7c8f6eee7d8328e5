/// The names Lambda accepts in a function's `Runtime`, current and deprecated.
///
/// Source: the keys of cfn-lint 1.51's `data/AdditionalSpecs/LmbdRuntimeLifecycle.json`, which
/// follows AWS Lambda's runtime deprecation policy, plus `dotnet9` and `dotnet10`, which that
/// table does not list. A deprecated runtime is still a name Lambda accepts, so it is included.
enum RuntimeNames {
    static let known: Set<String> = [
        "dotnet10", "dotnet6", "dotnet8", "dotnet9", "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1",
        "dotnetcore3.1", "go1.x", "java11", "java17", "java21", "java25", "java8", "java8.al2",
        "nodejs", "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x", "nodejs18.x", "nodejs20.x",
        "nodejs22.x", "nodejs24.x", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10",
        "provided", "provided.al2", "provided.al2023", "python2.7", "python3.10", "python3.11",
        "python3.12", "python3.13", "python3.14", "python3.6", "python3.7", "python3.8", "python3.9",
        "ruby2.5", "ruby2.7", "ruby3.2", "ruby3.3", "ruby3.4",
    ]
}
