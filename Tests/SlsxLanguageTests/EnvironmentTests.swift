@testable import SlsxLanguage
import Testing

/// A scope stores the slots of the layout it was made with in the object itself and the slots of
/// names added later in an overflow array. These tests read and change both kinds of slot.
@Suite struct EnvironmentTests {
    private func integer(_ value: Value?) -> Int64? {
        guard case .int(let number)? = value?.kind else { return nil }
        return number
    }

    @Test func inlineAndOverflowSlotsReadBack() {
        let scope = Environment.make(parent: nil, layout: ScopeLayout(names: ["a", "b"]))
        scope.define("a", Value(.int(1)), address: NameAddress(depth: 0, index: 0))
        scope.define("c", Value(.int(3)))

        #expect(scope.layout.names == ["a", "b", "c"])
        #expect(integer(scope.lookup("a")) == 1)
        #expect(scope.lookup("b") == nil)
        #expect(integer(scope.lookup("c")) == 3)
        #expect(integer(scope.value(at: NameAddress(depth: 0, index: 2), named: "c")) == 3)
        #expect(scope.value(at: NameAddress(depth: 0, index: 2), named: "a") == nil)
        #expect(scope.value(at: NameAddress(depth: 0, index: 3), named: "c") == nil)
        #expect(scope.order == ["a", "c"])
    }

    @Test func addressReadsParentSlot() {
        let outer = Environment.make(parent: nil, layout: ScopeLayout(names: ["x"]))
        outer.define("x", Value(.int(7)))
        let inner = Environment.make(parent: outer, layout: ScopeLayout(names: ["y"]))

        #expect(integer(inner.value(at: NameAddress(depth: 1, index: 0), named: "x")) == 7)
        #expect(inner.value(at: NameAddress(depth: 2, index: 0), named: "x") == nil)
        #expect(inner.scope(defining: "x") === outer)
        #expect(inner.scope(defining: "y") == nil)
        #expect(inner.visibleNames() == ["x"])
    }

    @Test func addressReadsTwoScopesOut() {
        // Only `inner` keeps the two outer scopes alive once the test drops its own references.
        let text = String(repeating: "x", count: 40)
        var outer: Environment? = Environment.make(parent: nil, layout: ScopeLayout(names: ["x"]))
        outer?.define("x", Value(.string(text)))
        var middle: Environment? = Environment.make(parent: outer, layout: ScopeLayout(names: ["y"]))
        middle?.define("y", Value(.int(2)))
        let inner = Environment.make(parent: middle, layout: ScopeLayout(names: ["z"]))
        outer = nil
        middle = nil

        let value = inner.value(at: NameAddress(depth: 2, index: 0), named: "x")
        guard case .string(let read)? = value?.kind else {
            Issue.record("expected a string, got \(String(describing: value))")
            return
        }
        #expect(read == text)
        #expect(integer(inner.value(at: NameAddress(depth: 1, index: 0), named: "y")) == 2)
        #expect(inner.value(at: NameAddress(depth: 2, index: 0), named: "y") == nil)
        #expect(inner.value(at: NameAddress(depth: 3, index: 0), named: "x") == nil)
        #expect(inner.value(at: NameAddress(depth: 0, index: 0), named: "z") == nil)
    }

    @Test func modifyChangesOverflowSlot() {
        let scope = Environment.make(parent: nil, layout: ScopeLayout(names: ["a"]))
        scope.define("a", Value(.int(1)), isMutable: true)
        scope.define("b", Value(.int(2)), isMutable: true)

        scope.modify("a") { $0 = Value(.int(10)) }
        scope.modify("b") { $0 = Value(.int(20)) }

        #expect(integer(scope.lookup("a")) == 10)
        #expect(integer(scope.lookup("b")) == 20)
        #expect(scope.localSlot("b")?.isMutable == true)
    }

    @Test func restoreUndoesDefinitions() {
        let scope = Environment.make(parent: nil, layout: ScopeLayout(names: ["a"]))
        scope.define("a", Value(.int(1)))
        let saved = scope.snapshot()

        scope.extend(to: ScopeLayout(names: ["a", "b", "c"]))
        scope.define("a", Value(.int(5)))
        scope.define("c", Value(.int(3)))
        #expect(scope.order == ["a", "c"])

        scope.restore(saved)
        #expect(scope.layout.names == ["a"])
        #expect(integer(scope.lookup("a")) == 1)
        #expect(scope.lookup("c") == nil)
        #expect(scope.bindings().map(\.name) == ["a"])
    }
}
