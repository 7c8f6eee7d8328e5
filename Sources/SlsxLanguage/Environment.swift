import SlsxSource

/// One lexical scope: a slot for each name of its `ScopeLayout` and a link to the enclosing scope.
///
/// Every block, function call and loop iteration gets its own scope, so a closure created in a
/// loop captures that iteration's variables. A name the resolver placed is read by its address.
/// Any other name is looked up by text, scope by scope outwards, in the layouts. A scope defines
/// a name missing from its layout (a REPL entry's new name, or a script the resolver did not
/// visit) by switching to a larger layout of its own.
///
/// NOTE: `@unchecked Sendable` because closures (which are values) hold their scope. A scope is
/// only read and changed by one evaluation thread at a time. The REPL session hands its scopes
/// from one evaluation to the next, never to two threads at once.
public final class Environment: @unchecked Sendable {
    /// A name's value with what assignment and module exports need. An empty slot has
    /// `isDefined` false, so that reading a value copies only the value, not an optional slot.
    struct Slot {
        var value = Value.null
        var isDefined = false
        var isMutable = false
        var span: SourceSpan?
        var isImport = false
    }

    let parent: Environment?
    // `layout` and `slots` are read for every name an expression uses. They are marked
    // `@exclusivity(unchecked)` because the runtime's dynamic exclusivity check cost more than the
    // read itself (about 5 % of the instructions of evaluating the benchmark workload, counted by
    // callgrind). The check can never fire here, because one thread evaluates at a time (see the
    // NOTE above) and no access to them calls out to code that could touch the same scope while
    // it lasts. `modify` runs only its caller's `body`,
    // which in `Interpreter.assign` combines two values without evaluating any expression.
    @exclusivity(unchecked) private(set) var layout: ScopeLayout
    /// One entry per name of `layout`.
    @exclusivity(unchecked) private var slots: [Slot]

    init(parent: Environment?, layout: ScopeLayout = .empty) {
        self.parent = parent
        self.layout = layout
        self.slots = Environment.emptySlots(count: layout.count)
    }

    /// Returns `count` empty slots. Appending them one by one costs a fraction of copying a
    /// shared array of empty slots, which went through the generic value witness for every slot,
    /// or of `Array(repeating:count:)`, which looked up generic metadata for every scope.
    private static func emptySlots(count: Int) -> [Slot] {
        var slots: [Slot] = []
        slots.reserveCapacity(count)
        for _ in 0..<count {
            slots.append(Slot())
        }
        return slots
    }

    /// Returns the value at a resolved address, or `nil` when the address is unresolved or its
    /// slot is not defined yet (the caller then looks `name` up by text). The slot must belong to
    /// `name`, so an address computed for another scope chain can never return a wrong value.
    func value(at address: NameAddress, named name: String) -> Value? {
        guard address.isResolved else { return nil }
        return value(depth: Int(address.depth), index: Int(address.index), named: name)
    }

    /// Returns the value in slot `index` of the scope `depth` levels out. It recurses through the
    /// `parent` constant, which a call borrows. Walking a local variable along the chain retained
    /// and released every scope it passed.
    private func value(depth: Int, index: Int, named name: String) -> Value? {
        if depth > 0 {
            return parent?.value(depth: depth - 1, index: index, named: name)
        }
        guard index < slots.count, layout.names[index] == name, slots[index].isDefined else { return nil }
        return slots[index].value
    }

    /// Looks `name` up by text in this scope and then in the enclosing ones.
    func lookup(_ name: String) -> Value? {
        var scope: Environment? = self
        while let current = scope {
            if let index = current.layout.index(of: name), current.slots[index].isDefined {
                return current.slots[index].value
            }
            scope = current.parent
        }
        return nil
    }

    /// Returns the slot of `name` in this scope only, or `nil` when it is not defined here.
    func localSlot(_ name: String) -> Slot? {
        guard let index = layout.index(of: name), slots[index].isDefined else { return nil }
        return slots[index]
    }

    /// Defines or redefines `name` in this scope. `address` is the resolver's slot for the name,
    /// used when it matches this scope's layout. Otherwise the slot is found by text.
    /// `value` is `consuming` so that a caller's last use of a value moves it into the slot.
    func define(
        _ name: String, _ value: consuming Value, isMutable: Bool = false, span: SourceSpan? = nil, isImport: Bool = false,
        address: NameAddress = .unresolved
    ) {
        let slot = Slot(value: value, isDefined: true, isMutable: isMutable, span: span, isImport: isImport)
        let hinted = Int(address.index)
        if address.depth == 0, hinted < slots.count, layout.names[hinted] == name {
            slots[hinted] = slot
            return
        }
        if let index = layout.index(of: name) {
            slots[index] = slot
            return
        }
        layout = layout.adding([name])
        slots.append(slot)
    }

    /// Switches to `larger`, a layout that starts with this scope's names, before a REPL entry
    /// that defines new names runs in this scope.
    func extend(to larger: ScopeLayout) {
        guard larger !== layout else { return }
        layout = larger
        if slots.count < larger.count {
            slots.append(contentsOf: repeatElement(Slot(), count: larger.count - slots.count))
        }
    }

    /// Returns the scope that defines `name`, searching outwards.
    func scope(defining name: String) -> Environment? {
        var scope: Environment? = self
        while let current = scope {
            if current.localSlot(name) != nil {
                return current
            }
            scope = current.parent
        }
        return nil
    }

    /// Changes the value of `name` in this scope in place, so that `xs += [x]` appends without
    /// copying the list. `body` must not read or change any scope, because `slots` is not checked
    /// for overlapping access at run time.
    func modify(_ name: String, _ body: (inout Value) throws -> Void) rethrows {
        guard let index = layout.index(of: name), slots[index].isDefined else { return }
        try body(&slots[index].value)
    }

    /// The defined names of this scope in the order of its layout, which is the order in which
    /// the scope first defined them.
    var order: [String] {
        layout.names.indices.compactMap { slots[$0].isDefined ? layout.names[$0] : nil }
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
        layout.names.indices.compactMap { index in slots[index].isDefined ? (layout.names[index], slots[index].value) : nil }
    }

    /// Returns a copy of this scope's contents, for undoing a failed REPL entry.
    func snapshot() -> (layout: ScopeLayout, slots: [Slot]) {
        (layout, slots)
    }

    func restore(_ saved: (layout: ScopeLayout, slots: [Slot])) {
        layout = saved.layout
        slots = saved.slots
    }
}
