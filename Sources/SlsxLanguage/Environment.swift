import SlsxSource

/// One lexical scope: a slot for each name of its `ScopeLayout` and a link to the enclosing scope.
///
/// Every block, function call and loop iteration gets its own scope, so a closure created in a
/// loop captures that iteration's variables. A name the resolver placed is read by its address.
/// Any other name is looked up by text, scope by scope outwards, in the layouts. A scope defines
/// a name missing from its layout (a REPL entry's new name, or a script the resolver did not
/// visit) by switching to a larger layout of its own.
///
/// A scope is one allocation: it is a `ManagedBuffer` whose elements are the slots of the layout
/// it was made with, stored after the header in the same object. A separate slot array cost a
/// second allocation for every call and loop iteration. Slots for names added later live in
/// `Header.overflow`. Only `withSlot` and `readSlot` touch the elements, and they check the index.
///
/// Make a scope with `Environment.make(parent:layout:)`, never with `create`, which leaves the
/// slots uninitialized.
///
/// NOTE: a scope is not `Sendable` (`ManagedBuffer` is not), and closures, which are values,
/// hold their scope (see `FunctionValue.Implementation`). A scope is only read and changed by one
/// evaluation thread at a time. The REPL session hands its scopes from one evaluation to the
/// next, never to two threads at once.
public final class Environment: ManagedBuffer<Environment.Header, Environment.Slot> {
    /// A name's value with what assignment and module exports need. An empty slot has
    /// `isDefined` false, so that reading a value copies only the value, not an optional slot.
    public struct Slot {
        /// Null, written out rather than copied from `Value.null`, so that making an empty slot
        /// needs no check that the static is initialized and no outlined copy of a value whose
        /// kind the compiler does not know.
        var value = Value(.null, depth: 0, size: 1, span: nil)
        var isDefined = false
        var isMutable = false
        var span: SourceSpan?
        var isImport = false
    }

    /// The scope's fields, stored before its slots.
    public struct Header {
        let parent: Environment?
        var layout: ScopeLayout
        /// The number of slots stored in the object itself: the size of the layout the scope was
        /// made with. It never changes, so `deinit` destroys exactly that many slots.
        let inlineCount: Int
        /// The interpreter's generation when the scope was made. While a loop runs on two threads,
        /// scopes of an older generation must not change (see `Interpreter.checkWritable`).
        let generation: Int
        /// The slots of names added after the scope was made, in layout order after the inline ones.
        var overflow: [Slot] = []
    }

    /// Returns a new scope inside `parent` with an empty slot for each name of `layout`.
    static func make(parent: Environment?, layout: ScopeLayout = .empty, generation: Int = 0) -> Environment {
        let count = layout.count
        let buffer = create(minimumCapacity: count) { _ in
            Header(parent: parent, layout: layout, inlineCount: count, generation: generation)
        }
        // `create` allocates an instance of the class it is called on, so the downcast holds.
        let scope = unsafeDowncast(buffer, to: Environment.self)
        scope.withUnsafeMutablePointerToElements { slots in
            for index in 0..<count {
                (slots + index).initialize(to: Slot())
            }
        }
        return scope
    }

    deinit {
        withUnsafeMutablePointers { header, slots in
            // One slot at a time, the compiler destroys each slot with the code for its type.
            // `deinitialize(count:)` on all of them went through the runtime's generic
            // `swift_arrayDestroy`, which looks up each slot's destroy function.
            for index in 0..<header.pointee.inlineCount {
                (slots + index).deinitialize(count: 1)
            }
        }
    }

    // `ManagedBuffer.header` is a stored property, so every access to it would pay the runtime's
    // dynamic exclusivity check, which cost more than the read itself (`swift_beginAccess` took
    // 8.6 M of about 340 M instructions of evaluating the benchmark workload at N = 1,000,
    // counted by callgrind). The scope reads and changes its header through the buffer's pointer
    // instead. No check is lost, because one thread evaluates at a time (see the NOTE above) and
    // no access calls out to code that could touch the same scope while it lasts.
    var parent: Environment? { withUnsafeMutablePointerToHeader { $0.pointee.parent } }
    var layout: ScopeLayout { withUnsafeMutablePointerToHeader { $0.pointee.layout } }
    var generation: Int { withUnsafeMutablePointerToHeader { $0.pointee.generation } }

    /// Runs `body` on the header in place. `body` must not read or change any scope.
    @inline(__always)
    private func withHeader<Result>(_ body: (inout Header) throws -> Result) rethrows -> Result {
        try withUnsafeMutablePointerToHeader { header in try body(&header.pointee) }
    }

    /// The number of slots: one per name of `layout`.
    private var slotCount: Int {
        withUnsafeMutablePointerToHeader { $0.pointee.inlineCount + $0.pointee.overflow.count }
    }

    /// Runs `body` on slot `index` in place. This is the only access to the slots stored in the
    /// object. It stops the process on an index outside `0..<slotCount`, so callers check the
    /// index first. `body` must not read or change any scope, because nothing checks overlapping
    /// access to a slot at run time.
    @inline(__always)
    private func withSlot<Result>(_ index: Int, _ body: (inout Slot) throws -> Result) rethrows -> Result {
        precondition(index >= 0, "slot index out of range")
        return try withUnsafeMutablePointers { header, slots in
            let inlineCount = header.pointee.inlineCount
            if index < inlineCount {
                return try body(&slots[index])
            }
            // The array checks this index against the overflow's count.
            return try body(&header.pointee.overflow[index - inlineCount])
        }
    }

    /// Runs `body` on slot `index` without changing it, with the index check of `withSlot`,
    /// whose `inout` access the thread sanitizer counts as a change.
    @inline(__always)
    private func readSlot<Result>(_ index: Int, _ body: (borrowing Slot) -> Result) -> Result {
        precondition(index >= 0, "slot index out of range")
        return withUnsafeMutablePointers { header, slots in
            let inlineCount = header.pointee.inlineCount
            if index < inlineCount {
                return body(slots[index])
            }
            // The array checks this index against the overflow's count.
            return body(header.pointee.overflow[index - inlineCount])
        }
    }

    /// Returns the value of slot `index`, or `nil` when the slot is not defined yet.
    @inline(__always)
    private func definedValue(_ index: Int) -> Value? {
        readSlot(index) { slot in slot.isDefined ? slot.value : nil }
    }

    /// Returns whether slot `index` is defined.
    @inline(__always)
    private func isDefined(_ index: Int) -> Bool {
        readSlot(index) { slot in slot.isDefined }
    }

    /// Returns the value at a resolved address, or `nil` when the address is unresolved or its
    /// slot is not defined yet (the caller then looks `name` up by text). The slot must belong to
    /// `name`, so an address computed for another scope chain can never return a wrong value.
    func value(at address: NameAddress, named name: String) -> Value? {
        guard address.isResolved, let scope = unretainedScope(outward: address.depth) else { return nil }
        return scope._withUnsafeGuaranteedRef { $0.localValue(index: Int(address.index), named: name) }
    }

    /// Runs `body` on the value at a resolved address in place, without copying it, and returns
    /// its result. Returns `nil` without running `body` where `value(at:named:)` returns `nil`.
    ///
    /// A copy of a `Value` and its later destroy take about 120 instructions (callgrind, x86-64),
    /// and most names are read only to be formatted, compared or searched. `body` must not
    /// define, assign or otherwise change any scope, and must not evaluate anything that could,
    /// because the value it borrows is not retained.
    @inline(__always)
    func withValue<Result>(
        at address: NameAddress, named name: String, _ body: (borrowing Value) throws -> Result
    ) rethrows -> Result? {
        guard address.isResolved, let scope = unretainedScope(outward: address.depth) else { return nil }
        return try scope._withUnsafeGuaranteedRef { try $0.withLocalValue(index: Int(address.index), named: name, body) }
    }

    /// Runs `body` on the value in slot `index` of this scope in place, or returns `nil` when the
    /// slot is not defined or belongs to another name than `name`.
    @inline(__always)
    private func withLocalValue<Result>(
        index: Int, named name: String, _ body: (borrowing Value) throws -> Result
    ) rethrows -> Result? {
        guard index >= 0, index < slotCount, layout.names[index] == name else { return nil }
        return try withUnsafeMutablePointers { header, slots in
            let inlineCount = header.pointee.inlineCount
            if index < inlineCount {
                guard slots[index].isDefined else { return nil }
                return try body(slots[index].value)
            }
            // The array checks this index against the overflow's count.
            guard header.pointee.overflow[index - inlineCount].isDefined else { return nil }
            return try body(header.pointee.overflow[index - inlineCount].value)
        }
    }

    /// Returns the int at a resolved address, or `nil` where `value(at:named:)` returns `nil` or
    /// the value is not an int. It reads the int in place, where `value(at:named:)` and
    /// `withValue` copy the whole value (about 70 instructions in callgrind).
    func intValue(at address: NameAddress, named name: String) -> Int64? {
        guard address.isResolved, let scope = unretainedScope(outward: address.depth) else { return nil }
        return scope._withUnsafeGuaranteedRef { $0.localInt(Int(address.index), named: name) }
    }

    /// Returns the string at a resolved address like `intValue`, retaining only the string.
    func stringValue(at address: NameAddress, named name: String) -> String? {
        guard address.isResolved, let scope = unretainedScope(outward: address.depth) else { return nil }
        return scope._withUnsafeGuaranteedRef { $0.localString(Int(address.index), named: name) }
    }

    /// Returns the closure at a resolved address like `intValue`, retaining only the closure.
    /// Through `withValue`, Swift 6.3 copied the whole function value out of the slot.
    func closureValue(at address: NameAddress, named name: String) -> FunctionValue.Closure? {
        guard address.isResolved, let scope = unretainedScope(outward: address.depth) else { return nil }
        return scope._withUnsafeGuaranteedRef { $0.localClosure(Int(address.index), named: name) }
    }

    /// Returns the closure at `key` of the map at a resolved address, with the depth and size of
    /// the map, like `closureValue`. Returns `nil` when the value is not a map, the map has no
    /// such key or the value at the key is not a closure.
    func memberClosure(
        at address: NameAddress, named name: String, key: String
    ) -> (closure: FunctionValue.Closure, depth: Int, size: Int)? {
        guard address.isResolved, let scope = unretainedScope(outward: address.depth) else { return nil }
        return scope._withUnsafeGuaranteedRef { $0.localMemberClosure(Int(address.index), named: name, key: key) }
    }

    /// Returns the int in slot `index` of this scope, or `nil` when the slot is not defined,
    /// belongs to another name than `name` or does not contain an int. The slot is read through the
    /// buffer's pointer, because `readSlot` copied the whole slot into its closure.
    private func localInt(_ index: Int, named name: String) -> Int64? {
        guard index >= 0, index < slotCount, layout.names[index] == name else { return nil }
        return withUnsafeMutablePointers { header, slots in
            let inlineCount = header.pointee.inlineCount
            if index < inlineCount {
                return slots[index].isDefined ? slots[index].value.intPayload : nil
            }
            let position = index - inlineCount
            return header.pointee.overflow[position].isDefined ? header.pointee.overflow[position].value.intPayload : nil
        }
    }

    /// Returns the string in slot `index` of this scope like `localInt`. The two repeat the slot
    /// lookup because reading slots through a shared closure that takes a pointer counted about
    /// 1.1 M instructions more for the N = 1,000 cfn-json benchmark (callgrind).
    private func localString(_ index: Int, named name: String) -> String? {
        guard index >= 0, index < slotCount, layout.names[index] == name else { return nil }
        return withUnsafeMutablePointers { header, slots in
            let inlineCount = header.pointee.inlineCount
            if index < inlineCount {
                return slots[index].isDefined ? slots[index].value.stringPayload : nil
            }
            let position = index - inlineCount
            return header.pointee.overflow[position].isDefined ? header.pointee.overflow[position].value.stringPayload : nil
        }
    }

    /// Returns the closure in slot `index` of this scope like `localInt`.
    private func localClosure(_ index: Int, named name: String) -> FunctionValue.Closure? {
        guard index >= 0, index < slotCount, layout.names[index] == name else { return nil }
        return withUnsafeMutablePointers { header, slots in
            let inlineCount = header.pointee.inlineCount
            if index < inlineCount {
                return slots[index].isDefined ? slots[index].value.closurePayload : nil
            }
            let position = index - inlineCount
            return header.pointee.overflow[position].isDefined ? header.pointee.overflow[position].value.closurePayload : nil
        }
    }

    /// Returns the closure at `key` of the map in slot `index` of this scope like `localInt`,
    /// with the depth and size of the map.
    private func localMemberClosure(
        _ index: Int, named name: String, key: String
    ) -> (closure: FunctionValue.Closure, depth: Int, size: Int)? {
        guard index >= 0, index < slotCount, layout.names[index] == name else { return nil }
        return withUnsafeMutablePointers { header, slots in
            let inlineCount = header.pointee.inlineCount
            if index < inlineCount {
                guard slots[index].isDefined, let closure = slots[index].value.mapPayload?.closure(at: key) else { return nil }
                return (closure, slots[index].value.depth, slots[index].value.size)
            }
            let position = index - inlineCount
            guard header.pointee.overflow[position].isDefined,
                let closure = header.pointee.overflow[position].value.mapPayload?.closure(at: key)
            else { return nil }
            return (closure, header.pointee.overflow[position].value.depth, header.pointee.overflow[position].value.size)
        }
    }

    /// Returns the scope `depth` levels out from this one, not retained, or `nil` when the chain
    /// is shorter. The walk does not retain the scopes it passes, which cost a retain and a
    /// release per level. It is safe because `self` is alive for the caller's whole call, every
    /// scope keeps a strong reference to its parent, and `parent` is a constant.
    @inline(__always)
    private func unretainedScope(outward depth: Int32) -> Unmanaged<Environment>? {
        var scope = Unmanaged.passUnretained(self)
        for _ in 0..<depth {
            guard let parent = scope._withUnsafeGuaranteedRef({ $0.unretainedParent }) else { return nil }
            scope = parent
        }
        return scope
    }

    /// The parent scope, not retained. The caller must keep a scope inside it alive while it uses
    /// the result.
    private var unretainedParent: Unmanaged<Environment>? {
        withUnsafeMutablePointerToHeader { header in
            header.pointee.parent.map { Unmanaged.passUnretained($0) }
        }
    }

    /// Returns the value in slot `index` of this scope, or `nil` when the slot is not defined or
    /// belongs to another name than `name`.
    private func localValue(index: Int, named name: String) -> Value? {
        guard index >= 0, index < slotCount, layout.names[index] == name else { return nil }
        return definedValue(index)
    }

    /// Looks `name` up by text in this scope and then in the enclosing ones.
    func lookup(_ name: String) -> Value? {
        var scope: Environment? = self
        while let current = scope {
            if let index = current.layout.index(of: name), let value = current.definedValue(index) {
                return value
            }
            scope = current.parent
        }
        return nil
    }

    /// Returns the slot of `name` in this scope only, or `nil` when it is not defined here.
    func localSlot(_ name: String) -> Slot? {
        guard let index = layout.index(of: name) else { return nil }
        return readSlot(index) { slot in slot.isDefined ? copy slot : nil }
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
        if address.depth == 0, hinted >= 0, hinted < slotCount, layout.names[hinted] == name {
            withSlot(hinted) { $0 = slot }
            return
        }
        if let index = layout.index(of: name) {
            withSlot(index) { $0 = slot }
            return
        }
        let larger = layout.adding([name])
        withHeader { header in
            header.layout = larger
            header.overflow.append(slot)
        }
    }

    /// Defines parameter `name` of a call in slot `index`, its position, with the value of the
    /// argument at that position. The layout of a call's scope starts with the parameters in
    /// order (see `FunctionLiteral.layout`), so the slot is written without looking the name up.
    /// An empty slot stored in the object is written without destroying its null first. Any
    /// other slot goes through `define`.
    @inline(__always)
    func defineParameter(_ name: String, at index: Int, _ value: consuming Value, span: SourceSpan) {
        let isEmptyInline = withUnsafeMutablePointers { header, slots in
            index >= 0 && index < header.pointee.inlineCount && !slots[index].isDefined
        }
        guard isEmptyInline else {
            define(name, value, span: span, address: NameAddress(depth: 0, index: Int32(truncatingIfNeeded: index)))
            return
        }
        assert(layout.names[index] == name, "a call's layout must start with its parameters")
        // The pointer is used after the closure, which is safe because the slots live as long as
        // `self`. Inside the closure, `value` could not be moved into the slot.
        let slots = withUnsafeMutablePointerToElements { $0 }
        // An empty slot contains null, which owns nothing, so initializing over it leaks nothing.
        (slots + index).initialize(to: Slot(value: value, isDefined: true, isMutable: false, span: span, isImport: false))
    }

    /// Empties every slot, so that the scope can serve another call of the closure it was made
    /// for, and returns whether it did. It declines, changing nothing, when the scope no longer
    /// has `layout`, the layout it was made with, because a name was added to it. The caller
    /// must hold the only reference to the scope, so that no value can read a slot while it
    /// changes.
    func emptyForReuse(layout expected: ScopeLayout) -> Bool {
        withUnsafeMutablePointers { header, slots in
            guard header.pointee.layout === expected, header.pointee.overflow.isEmpty else { return false }
            for index in 0..<header.pointee.inlineCount {
                (slots + index).pointee = Slot()
            }
            return true
        }
    }

    /// Switches to `larger`, a layout that starts with this scope's names, before a REPL entry
    /// that defines new names runs in this scope.
    func extend(to larger: ScopeLayout) {
        guard larger !== layout else { return }
        let missing = larger.count - slotCount
        withHeader { header in
            header.layout = larger
            if missing > 0 {
                header.overflow.append(contentsOf: repeatElement(Slot(), count: missing))
            }
        }
    }

    /// Returns the scope that defines `name`, searching outwards.
    func scope(defining name: String) -> Environment? {
        var scope: Environment? = self
        while let current = scope {
            if let index = current.layout.index(of: name), current.isDefined(index) {
                return current
            }
            scope = current.parent
        }
        return nil
    }

    /// Changes the value of `name` in this scope in place, so that `xs += [x]` appends without
    /// copying the list. `body` must not read or change any scope, because the slots are not
    /// checked for overlapping access at run time.
    func modify(_ name: String, _ body: (inout Value) throws -> Void) rethrows {
        guard let index = layout.index(of: name) else { return }
        try withSlot(index) { slot in
            if slot.isDefined {
                try body(&slot.value)
            }
        }
    }

    /// The defined names of this scope in the order of its layout, which is the order in which
    /// the scope first defined them.
    var order: [String] {
        let names = layout.names
        return (0..<slotCount).compactMap { isDefined($0) ? names[$0] : nil }
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
        let names = layout.names
        return (0..<slotCount).compactMap { index in definedValue(index).map { (names[index], $0) } }
    }

    /// Returns a copy of this scope's contents, for undoing a failed REPL entry.
    func snapshot() -> (layout: ScopeLayout, slots: [Slot]) {
        (layout, (0..<slotCount).map { index in readSlot(index) { copy $0 } })
    }

    /// Puts back the contents that `snapshot` returned. A scope only gains slots, so the saved
    /// slots are at least as many as those stored in the object.
    func restore(_ saved: (layout: ScopeLayout, slots: [Slot])) {
        let inlineCount = withHeader { $0.inlineCount }
        for index in 0..<inlineCount {
            withSlot(index) { $0 = index < saved.slots.count ? saved.slots[index] : Slot() }
        }
        withHeader { header in
            header.layout = saved.layout
            header.overflow = Array(saved.slots.dropFirst(inlineCount))
        }
    }
}
