import SlsxModel
import Testing
@testable import SlsxCloudFormation

@Suite("DependsOn without implied dependencies")
struct DependsOnListTests {
    typealias T = TestSupport

    @Test("Ref and GetAtt targets are removed")
    func referencedNamesRemoved() {
        var list = DependsOnList(["Role", "Consumer", "Alias", "Queue"])
        list.removeNames(referencedIn: [
            Node.Entry("EventSourceArn", T.json(#"{"Ref": "Consumer"}"#)),
            Node.Entry("FunctionName", T.json(#"{"Fn::Join": [":", [{"Fn::GetAtt": ["Alias", "Arn"]}, "x"]]}"#)),
            // Only the list form of `Fn::GetAtt` is read for its target, and a mapping of two
            // entries is not an intrinsic function.
            Node.Entry("Destination", T.json(#"{"Fn::GetAtt": "Queue.Arn"}"#)),
            Node.Entry("Other", T.json(#"{"Ref": "Role", "Extra": 1}"#)),
        ])
        #expect(list.names == ["Role", "Queue"])
        #expect(list.node() == T.json(#"["Role", "Queue"]"#))
    }

    @Test("every copy of a referenced name is removed")
    func repeatedNameRemoved() {
        var list = DependsOnList(["Role", "Role", "Other"])
        list.removeNames(referencedIn: [Node.Entry("Role", T.json(#"{"Fn::GetAtt": ["Role", "Arn"]}"#))])
        #expect(list.names == ["Other"])
    }

    @Test("skipped value keeps its targets")
    func skippedValueKept() {
        var list = DependsOnList(["Role", "Consumer"])
        list.removeNames(
            referencedIn: [
                Node.Entry("EventSourceArn", T.json(#"{"Ref": "Consumer"}"#)),
                Node.Entry("FunctionName", T.json(#"{"Fn::GetAtt": ["Role", "Arn"]}"#)),
            ],
            skipping: 1
        )
        #expect(list.names == ["Role"])
    }

    @Test("one name and no name")
    func nodeForms() {
        #expect(DependsOnList(["Role"]).node(asString: true) == .string("Role"))
        #expect(DependsOnList(["Role"]).node() == T.json(#"["Role"]"#))
        #expect(DependsOnList(["Role", "Alias"]).node(asString: true) == T.json(#"["Role", "Alias"]"#))
        #expect(DependsOnList([]).node() == nil)
    }

    @Test("references below the depth limit are not read")
    func depthLimit() {
        var deep = T.json(#"{"Ref": "Role"}"#)
        // The property's value is at depth 1, so the reference sits at depth `maximumDepth`.
        for _ in 1..<ScriptResources.maximumDepth {
            deep = .sequence([deep])
        }
        var list = DependsOnList(["Role"])
        list.removeNames(referencedIn: [Node.Entry("Deep", deep)])
        #expect(list.names == ["Role"])

        var shallower = DependsOnList(["Role"])
        let sequence = deep.sequenceValue ?? []
        shallower.removeNames(referencedIn: [Node.Entry("Deep", sequence.first ?? .null)])
        #expect(shallower.names.isEmpty)
    }
}
