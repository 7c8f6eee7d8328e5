import SlsxSource
import Testing

@testable import SlsxModel

/// The checks on the Lambda settings of the provider and of functions that the CloudFormation
/// compiler writes into the template (`architecture`, `environment`, `tags`, ...). Each rejects a
/// value that fails at deploy time or that the compiler would leave out of the template.
struct FunctionSettingCheckTests {
    // MARK: - Scalar settings

    @Test(arguments: [
        (#"{"service": "s1", "functions": {"f": {"handler": "h.x", "architecture": "sparc"}}}"#,
         "1:73: error: `architecture` must be `x86_64` or `arm64`, but is `sparc`"),
        (#"{"service": "s1", "functions": {"f": {"handler": "h.x", "architecture": 5}}}"#,
         "1:73: error: `architecture` must be a string, but found the integer 5"),
        (#"{"service": "s1", "provider": {"architecture": "x86-64"}}"#,
         "1:48: error: `provider.architecture` must be `x86_64` or `arm64`, but is `x86-64`"),
        (#"{"service": "s1", "functions": {"f": {"handler": "h.x", "logRetentionInDays": 4}}}"#,
         "1:79: error: `logRetentionInDays` must be a number of days that CloudWatch Logs accepts, but is 4"),
        (#"{"service": "s1", "provider": {"logRetentionInDays": "7"}}"#,
         "1:54: error: `provider.logRetentionInDays` must be an integer, but found the string \"7\""),
        (#"{"service": "s1", "provider": {"logRetentionInDays": 0}}"#,
         "1:54: error: `provider.logRetentionInDays` must be a number of days that CloudWatch Logs accepts, but is 0"),
        (#"{"service": "s1", "functions": {"f": {"handler": "h.x", "reservedConcurrency": -5}}}"#,
         "1:80: error: `reservedConcurrency` must be at least 0, but is -5"),
        (#"{"service": "s1", "functions": {"f": {"handler": "h.x", "reservedConcurrency": {"Ref": "Limit"}}}}"#,
         "1:80: error: `reservedConcurrency` must be an integer, but found a map"),
        (#"{"service": "s1", "functions": {"f": {"handler": "h.x", "memorySize": 20000}}}"#,
         "1:71: error: `memorySize` must be from 128 to 10240, but is 20000"),
        (#"{"service": "s1", "provider": {"memorySize": 10241}}"#,
         "1:46: error: `provider.memorySize` must be from 128 to 10240, but is 10241"),
        (#"{"service": "s1", "functions": {"f": {"handler": "h.x", "name": "x y"}}}"#,
         "1:65: error: `name` must contain only letters, digits, `-` and `_`, but is `x y`"),
        (#"{"service": "s1", "functions": {"f": {"handler": "h.x", "name": 5}}}"#,
         "1:65: error: `name` must be a string, but found the integer 5"),
        (#"{"service": "s1", "functions": {"f": {"handler": "h.x", "description": 5}}}"#,
         "1:72: error: `description` must be a string, but found the integer 5"),
        (#"{"service": "s1", "functions": {"f": {"handler": ""}}}"#,
         "1:50: error: `handler` must not be empty"),
        (#"{"service": "s1", "functions": {"f": {"handler": "src/orders handle"}}}"#,
         "1:50: error: `handler` must not contain whitespace, but is `src/orders handle`"),
    ])
    func scalarSettingRejected(document: String, expected: String) throws {
        #expect(try decode(document).diagnostics == [expected])
    }

    @Test func scalarSettingHints() throws {
        let architecture = try decode(#"{"service": "s1", "provider": {"architecture": "ARM64"}}"#)
        #expect(architecture.hints == ["did you mean `arm64`?"])

        let retention = try decode(#"{"service": "s1", "provider": {"logRetentionInDays": 4}}"#)
        #expect(retention.hints.first??.hasPrefix("use 3 or 5; the accepted values are 1, 3, 5, 7, 14,") == true)
        let longRetention = try decode(#"{"service": "s1", "provider": {"logRetentionInDays": 5000}}"#)
        #expect(longRetention.hints.first??.hasPrefix("use 3653; the accepted values are") == true)
    }

    @Test func overlongTextRejected() throws {
        let handler = "src/" + String(repeating: "a", count: 118) + ".handle"
        let longHandler = try decode(#"{"service": "s1", "functions": {"f": {"handler": ""# + handler + #""}}}"#)
        #expect(longHandler.diagnostics == ["1:50: error: `handler` has 129 characters, but Lambda allows at most 128"])

        let description = String(repeating: "d", count: 257)
        let longDescription = try decode(
            #"{"service": "s1", "functions": {"f": {"handler": "h.x", "description": ""# + description + #""}}}"#)
        #expect(longDescription.diagnostics == ["1:72: error: `description` has 257 characters, but Lambda allows at most 256"])
    }

    @Test func validScalarSettingsAccepted() throws {
        let (_, diagnostics, _) = try decode("""
            {"service": "s1", "provider": {"architecture": "arm64", "logRetentionInDays": 1096, "memorySize": 10240},
             "functions": {"f": {"handler": "src/orders.handle", "architecture": "x86_64", "logRetentionInDays": 3653,
                                 "reservedConcurrency": 0, "name": "orders-Handler_1",
                                 "description": "\(String(repeating: "d", count: 256))"},
                           "g": {"handler": "h.x", "logRetentionInDays": 1, "reservedConcurrency": 100}}}
            """)
        #expect(diagnostics == [])
    }

    @Test func scalarSettingsAcceptVariables() throws {
        let (service, diagnostics, _) = try decode("""
            {"service": "s1", "provider": {"architecture": "${opt:arch}", "logRetentionInDays": "${param:days}"},
             "functions": {"f": {"handler": "${self:custom.handler}", "name": "${sls:stage}-orders x",
                                 "description": "${self:custom.description}", "reservedConcurrency": "${param:limit}",
                                 "architecture": "${opt:arch}", "logRetentionInDays": "${param:days}"},
                           "g": {"handler": "src/${opt:dir} handler.x"}}}
            """)
        #expect(diagnostics == [])
        let settings = service?.serverlessVariables.compactMap(\.setting) ?? []
        #expect(settings.contains("provider.architecture"))
        #expect(settings.contains("provider.logRetentionInDays"))
        #expect(settings.contains("description"))
        #expect(settings.contains("reservedConcurrency"))
    }

    // MARK: - Environment

    @Test func environmentVariableNamesChecked() throws {
        let (_, diagnostics, hints) = try decode("""
            {"service": "s1", "provider": {"environment": {"A-B": "1", "1A": "x", "_A": "x", "A": "x", "AB": "x", "a_1": "x"}}}
            """)
        let rule = "must start with a letter and contain at least two letters, digits or `_`"
        #expect(diagnostics == [
            "1:48: error: environment variable name `A-B` in `provider.environment` \(rule)",
            "1:60: error: environment variable name `1A` in `provider.environment` \(rule)",
            "1:71: error: environment variable name `_A` in `provider.environment` \(rule)",
            "1:82: error: environment variable name `A` in `provider.environment` \(rule)",
        ])
        #expect(hints[0] == "rename it, such as `A_B`")
        #expect(hints[1] == "rename the variable; Lambda rejects other names when the stack is deployed")
    }

    @Test func environmentValuesChecked() throws {
        let (_, diagnostics, _) = try decode("""
            {"service": "s1", "functions": {"f": {"handler": "h.x", "environment": {"LIST": [1], "MAP": {"a": 1}, "NULL": null, "EMPTY": "", "NUMBER": 1, "FLAG": true, "REF": {"Ref": "Table"}}}}}
            """)
        let rule = "must be a string, a number, a boolean or an intrinsic function"
        #expect(diagnostics == [
            "1:81: error: environment variable `LIST` in `environment` \(rule), but found a list",
            "1:93: error: environment variable `MAP` in `environment` \(rule), but found a map",
            "1:111: error: environment variable `NULL` in `environment` \(rule), but found null",
        ])
    }

    @Test func environmentMustBeAMap() throws {
        let (_, diagnostics, hints) = try decode("""
            {"service": "s1", "provider": {"environment": 5}, "functions": {"f": {"handler": "h.x", "environment": {"Fn::If": ["C", {}, {}]}}}}
            """)
        #expect(diagnostics == [
            "1:47: error: `provider.environment` must be a map from variable names to values, but found the integer 5",
            "1:104: error: `environment` must be a map from variable names to values, but found the intrinsic function `Fn::If`",
        ])
        #expect(hints[0] == "write each variable as `<NAME>: <value>`, such as `TABLE_NAME: orders`")
    }

    @Test func environmentAcceptsVariables() throws {
        let (_, diagnostics, _) = try decode("""
            {"service": "s1", "provider": {"environment": "${file(./env.yml)}"},
             "functions": {"f": {"handler": "h.x", "environment": {"${self:custom.prefix}-NAME": "${opt:name}"}}}}
            """)
        #expect(diagnostics == [])
    }

    // MARK: - Tags

    @Test func tagsChecked() throws {
        let (_, diagnostics, hints) = try decode("""
            {"service": "s1", "provider": {"tags": 5}, "functions": {"f": {"handler": "h.x", "tags": {"team": ["a"], "cost": 12, "owner": {"Ref": "Owner"}}}}}
            """)
        #expect(diagnostics == [
            "1:40: error: `provider.tags` must be a map from tag keys to values, but found the integer 5",
            "1:99: error: tag `team` in `tags` must be a string, a number, a boolean or an intrinsic function, but found a list",
        ])
        #expect(hints == ["write each tag as `<key>: <value>`, such as `team: payments`", "write the tag's value as a string"])
    }
}
