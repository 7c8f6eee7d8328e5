import SlsxModel

/// Estimates how many characters IAM counts for a role's inline policies once CloudFormation has
/// resolved their intrinsic functions.
///
/// IAM counts the characters of each policy document without whitespace and sums them over all the
/// inline policies of one role (IAM quota "role policy size", 10,240 characters). The estimate
/// counts each `PolicyDocument` as compact JSON after replacing what CloudFormation would resolve:
/// `${AWS::Region}` by the region, `${AWS::AccountId}` by 12 digits, `${AWS::Partition}` by
/// `aws-us-gov` (the longest partition name, so the estimate errs high), and `Fn::Join` by its
/// joined parts. A value slsx cannot know (`Ref` or `Fn::GetAtt` of a resource, `Fn::ImportValue`)
/// counts as `unknownValueLength` characters.
public struct PolicySize: Sendable {
    /// The characters assumed for a value that is only known at deploy time, such as a stream ARN
    /// read with `Fn::GetAtt`.
    // NOTE: an estimate. A Kinesis stream ARN with a 40-character name in us-east-1 has about 85
    // characters. An ARN from Fn::ImportValue may be longer, because stream names have up to 128.
    public static let unknownValueLength = 100

    public var region: String

    public init(region: String) {
        self.region = region
    }

    /// Returns the estimated characters of every `PolicyDocument` in `role`'s `Policies`, summed.
    public func inlinePolicyCharacters(ofRole role: Node) -> Int {
        let policies = role["Properties"]?["Policies"]?.sequenceValue ?? []
        var total = 0
        var memo = SequenceMemo()
        for index in policies.indices {
            // A document that cannot be measured counts as `Int.max / 4`, so a few such documents
            // would overflow the sum. It stops at `Int.max` instead.
            let (sum, overflow) = total.addingReportingOverflow(documentCharacters(ofPolicy: policies, at: index, memo: &memo))
            total = overflow ? Int.max : sum
        }
        return total
    }

    /// Returns the estimated characters of one policy document, written without whitespace.
    public func characters(of document: Node) -> Int {
        var memo = SequenceMemo()
        return compactCharacters(of: document, depth: 0, memo: &memo) ?? Int.max / 4
    }

    /// Returns the characters of the `PolicyDocument` of `policies[index]`, or 0 when it has none.
    /// The policy is read in place, because a shared role's document is one large tree.
    private func documentCharacters(ofPolicy policies: [Node], at index: Int, memo: inout SequenceMemo) -> Int {
        guard case .mapping(let entries) = policies[index].kind,
              let documentIndex = entries.firstIndex(where: { $0.key == "PolicyDocument" })
        else { return 0 }
        return entryCharacters(entries, at: documentIndex, depth: 0, memo: &memo) ?? Int.max / 4
    }

    /// Returns the Unicode scalars of `node` as `JSONWriter(style: .compact)` would write it once
    /// the intrinsic functions are resolved, or `nil` where the writer would throw. It counts
    /// instead of writing, because a shared role's policy grows with every function.
    ///
    /// The recursion hands each child on as its array and index (`itemCharacters`,
    /// `entryCharacters`), not as a `Node`. Swift copies a `Node` argument read from an array (a
    /// retain and a release of its payload), but reads the element in place when this function is
    /// inlined into them.
    @inline(__always)
    private func compactCharacters(of node: Node, depth: Int, memo: inout SequenceMemo) -> Int? {
        guard depth <= JSONWriter.maximumDepth else { return nil }
        switch node.kind {
        case .string(let text):
            return JSONWriter.quotedScalarCount(text)
        case .sequence(let items):
            if let count = memo.count(of: items, depth: depth) { return count }
            var total = 1 + max(items.count, 1)  // The brackets and the commas between items.
            for index in items.indices {
                guard let count = itemCharacters(items, at: index, depth: depth + 1, memo: &memo) else { return nil }
                total += count
            }
            memo.store(total, for: items, depth: depth)
            return total
        case .mapping(let entries):
            // An intrinsic function is a mapping with one entry. From `ScriptResources.maximumDepth`
            // down, intrinsic functions stay as they are, as in `resolve`.
            if entries.count == 1, depth < ScriptResources.maximumDepth,
               let (name, argument) = Intrinsics.intrinsic(of: node) {
                return JSONWriter.quotedScalarCount(resolvedText(name: name, argument: argument, depth: depth))
            }
            var total = 1 + max(entries.count, 1)  // The braces and the commas between entries.
            for index in entries.indices {
                guard let count = entryCharacters(entries, at: index, depth: depth + 1, memo: &memo) else { return nil }
                total += JSONWriter.quotedScalarCount(entries[index].key) + 1 + count  // `"key":value`
            }
            return total
        case .null, .bool, .integer, .float:
            return (try? JSONWriter(style: .compact).write(node))?.unicodeScalars.count
        }
    }

    private func itemCharacters(_ items: [Node], at index: Int, depth: Int, memo: inout SequenceMemo) -> Int? {
        compactCharacters(of: items[index], depth: depth, memo: &memo)
    }

    private func entryCharacters(_ entries: [Node.Entry], at index: Int, depth: Int, memo: inout SequenceMemo) -> Int? {
        compactCharacters(of: entries[index].value, depth: depth, memo: &memo)
    }

    /// The counts of the lists measured last during one measurement, by the address of their
    /// storage. A list that many statements share, such as the `Action` of every DynamoDB
    /// statement in the shared role, is then counted once instead of once per statement.
    ///
    /// Equal addresses mean the same elements only while that storage is alive and not reused.
    /// Every list measured belongs to the node that the measurement reads, which keeps its
    /// storage alive, and a memo lives only as long as one measurement.
    private struct SequenceMemo {
        private struct Slot {
            var address: UnsafeRawPointer?
            var depth = 0
            var count = 0
        }

        /// A direct-mapped cache: a list goes to the slot picked by bits of its address, and
        /// replaces the list that was there. Between two uses of a shared list, a shared role's
        /// policy stores about three lists of its own, the `Resource` lists of one function. So
        /// with 64 slots, a shared list stays in its slot for most of its uses (an estimate from
        /// 3 of 64 slots taken per function). The slots are allocated on the first store.
        private var slots: [Slot] = []

        private static let slotCount = 64

        /// Returns the count stored for `items` at `depth`, or `nil` when none is stored.
        func count(of items: [Node], depth: Int) -> Int? {
            guard !slots.isEmpty, let address = Self.address(of: items) else { return nil }
            let slot = slots[Self.slotIndex(of: address)]
            guard slot.address == address, slot.depth == depth else { return nil }
            return slot.count
        }

        mutating func store(_ count: Int, for items: [Node], depth: Int) {
            guard let address = Self.address(of: items) else { return }
            if slots.isEmpty { slots = [Slot](repeating: Slot(), count: Self.slotCount) }
            slots[Self.slotIndex(of: address)] = Slot(address: address, depth: depth, count: count)
        }

        /// Returns the address of the elements of `items`, or `nil` for an empty list, whose
        /// storage all empty lists share.
        private static func address(of items: [Node]) -> UnsafeRawPointer? {
            guard !items.isEmpty else { return nil }
            return items.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        }

        /// Returns a slot index from the address bits above the 16-byte alignment of heap blocks.
        private static func slotIndex(of address: UnsafeRawPointer) -> Int {
            Int(bitPattern: UInt(bitPattern: address) >> 4) & (slotCount - 1)
        }
    }

    /// Returns `node` with each intrinsic function replaced by its estimated text, as a string.
    private func resolve(_ node: Node, depth: Int) -> Node {
        guard depth < ScriptResources.maximumDepth else { return node }
        if let (name, argument) = Intrinsics.intrinsic(of: node) {
            return .string(resolvedText(name: name, argument: argument, depth: depth))
        }
        switch node.kind {
        case .sequence(let items):
            return .sequence(items.map { resolve($0, depth: depth + 1) })
        case .mapping(let entries):
            return .mapping(entries.map { Node.Entry($0.key, resolve($0.value, depth: depth + 1)) })
        default:
            return node
        }
    }

    private func resolvedText(name: String, argument: Node, depth: Int) -> String {
        switch name {
        case "Ref":
            return pseudoParameterValue(argument.stringValue ?? "")
                ?? String(repeating: "x", count: Self.unknownValueLength)
        case "Fn::Sub":
            guard let text = argument.stringValue ?? argument.sequenceValue?.first?.stringValue else { break }
            return substituted(text)
        case "Fn::Join":
            guard let parts = argument.sequenceValue, parts.count == 2,
                  let delimiter = parts[0].stringValue, let items = parts[1].sequenceValue
            else { break }
            return items.map { item in
                let resolved = resolve(item, depth: depth + 1)
                return resolved.stringValue ?? String(repeating: "x", count: Self.unknownValueLength)
            }.joined(separator: delimiter)
        default:
            break
        }
        return String(repeating: "x", count: Self.unknownValueLength)
    }

    /// Replaces each `${Name}` of an `Fn::Sub` text by its estimated value; `${!Literal}` stays literal.
    private func substituted(_ text: String) -> String {
        var output = ""
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            guard characters[index] == "$", index + 1 < characters.count, characters[index + 1] == "{",
                  let end = characters[(index + 2)...].firstIndex(of: "}")
            else {
                output.append(characters[index])
                index += 1
                continue
            }
            let name = String(characters[(index + 2)..<end])
            if name.hasPrefix("!") {
                output += "${" + name.dropFirst() + "}"
            } else {
                output += pseudoParameterValue(name) ?? String(repeating: "x", count: Self.unknownValueLength)
            }
            index = end + 1
        }
        return output
    }

    private func pseudoParameterValue(_ name: String) -> String? {
        switch name {
        case "AWS::Region": return region
        case "AWS::AccountId": return "123456789012"
        case "AWS::Partition": return "aws-us-gov"
        case "AWS::URLSuffix": return "amazonaws.com"
        default: return nil
        }
    }
}
