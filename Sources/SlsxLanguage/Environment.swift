import SlsxSource

/// One lexical scope: the names defined in it and a link to the enclosing scope.
///
/// Every block, function call and loop iteration gets its own scope, so a closure created in a
/// loop captures that iteration's variables.
///
/// NOTE: `@unchecked Sendable` because closures (which are values) hold their scope. A scope is
/// only read and changed by one evaluation thread at a time. The REPL session hands its scopes
/// from one evaluation to the next, never to two threads at once.
public final class Environment: @unchecked Sendable {
    struct Slot {
        var value: Value
        var isMutable: Bool
        var span: SourceSpan?
        var isImport: Bool
    }

    let parent: Environment?
    private(set) var slots: [String: Slot] = [:]
    /// Names in the order they were first defined, for module exports and the REPL.
    private(set) var order: [String] = []

    init(parent: Environment?) {
        self.parent = parent
    }

    func lookup(_ name: String) -> Value? {
        var scope: Environment? = self
        while let current = scope {
            if let slot = current.slots[name] {
                return slot.value
            }
            scope = current.parent
        }
        return nil
    }

    /// Returns the slot of `name` in this scope only.
    func localSlot(_ name: String) -> Slot? {
        slots[name]
    }

    func define(_ name: String, _ value: Value, isMutable: Bool = false, span: SourceSpan? = nil, isImport: Bool = false) {
        if slots[name] == nil {
            order.append(name)
        }
        slots[name] = Slot(value: value, isMutable: isMutable, span: span, isImport: isImport)
    }

    /// Returns the scope that defines `name`, searching outwards.
    func scope(defining name: String) -> Environment? {
        var scope: Environment? = self
        while let current = scope {
            if current.slots[name] != nil {
                return current
            }
            scope = current.parent
        }
        return nil
    }

    /// Changes the value of `name` in this scope in place, so that `xs += [x]` appends without
    /// copying the list.
    func modify(_ name: String, _ body: (inout Value) throws -> Void) rethrows {
        guard let index = slots.index(forKey: name) else { return }
        try body(&slots.values[index].value)
    }

    /// Returns every name visible from this scope, innermost first, for "did you mean" hints.
    func visibleNames() -> [String] {
        var names: [String] = []
        var scope: Environment? = self
        while let current = scope {
            names.append(contentsOf: current.order)
            scope = current.parent
        }
        return names
    }

    /// Returns the user-visible bindings of this scope in definition order.
    func bindings() -> [(name: String, value: Value)] {
        order.compactMap { name in slots[name].map { (name, $0.value) } }
    }

    /// Returns a copy of this scope's contents, for undoing a failed REPL entry.
    func snapshot() -> (slots: [String: Slot], order: [String]) {
        (slots, order)
    }

    func restore(_ saved: (slots: [String: Slot], order: [String])) {
        slots = saved.slots
        order = saved.order
    }
}
