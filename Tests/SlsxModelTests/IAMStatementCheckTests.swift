import SlsxSource
import Testing

@testable import SlsxModel

/// The check of the elements IAM requires in the statements of a role's policy, in the provider's
/// and the functions' settings.
struct IAMStatementCheckTests {
    @Test func statementElementsChecked() throws {
        let (_, diagnostics, hints) = try decode("""
            {"service": "s1", "provider": {"iam": {"role": {"statements": [{}, {"Effect": "allow", "Action": "s3:*", "NotAction": "sqs:*", "Resource": "*", "NotResource": "*"}]}}}}
            """)
        let place = "an IAM statement in `provider.iam.role.statements`"
        #expect(diagnostics == [
            "1:64: error: \(place) has no `Effect`",
            "1:64: error: \(place) has neither `Action` nor `NotAction`",
            "1:64: error: \(place) has neither `Resource` nor `NotResource`",
            "1:79: error: `Effect` of \(place) must be `Allow` or `Deny`, but is `allow`",
            "1:106: error: \(place) has both `Action` and `NotAction`",
            "1:145: error: \(place) has both `Resource` and `NotResource`",
        ])
        #expect(hints[0] == "add `Effect: Allow` or `Effect: Deny`")
        #expect(hints[3] == "write `Allow`: IAM compares the effect case-sensitively")
        #expect(hints[4] == "keep one of them: IAM accepts exactly one")
    }

    @Test func functionStatementsChecked() throws {
        let (_, diagnostics, _) = try decode("""
            {"service": "s1", "functions": {"f": {"handler": "h.x", "iamRoleStatements": [{"Effect": 1, "Action": "s3:*"}]}, "g": {"handler": "h.x", "iam": {"role": {"statements": [{"Effect": "Deny", "Resource": "*"}]}}}}}
            """)
        #expect(diagnostics == [
            "1:90: error: `Effect` of an IAM statement in `iamRoleStatements` must be `Allow` or `Deny`, but found the integer 1",
            "1:79: error: an IAM statement in `iamRoleStatements` has neither `Resource` nor `NotResource`",
            "1:170: error: an IAM statement in `iam.role.statements` has neither `Action` nor `NotAction`",
        ])
    }

    @Test func validStatementsAccepted() throws {
        let (_, diagnostics, _) = try decode("""
            {"service": "s1", "provider": {"iam": {"role": {"statements": [
              {"Effect": "Deny", "NotAction": ["iam:*"], "NotResource": "*"},
              {"Effect": {"Fn::If": ["Strict", "Deny", "Allow"]}, "Action": "s3:*", "Resource": "*"},
              {"Effect": "${opt:effect}", "Action": "s3:*", "Resource": "*"},
              {"Fn::If": ["Extra", {"Effect": "Allow"}, {"Ref": "AWS::NoValue"}]}]}}}}
            """)
        #expect(diagnostics == [])
    }
}
