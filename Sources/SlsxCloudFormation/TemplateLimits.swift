import SlsxModel
import SlsxSource

/// CloudFormation's per-stack quotas that slsx checks before any upload.
public enum TemplateLimits {
    /// Resources in one stack (raised from 200 to 500 in October 2020).
    public static let maximumResources = 500
    /// From this count on, slsx warns that the stack is close to the limit.
    public static let resourceWarningThreshold = 450
    /// Outputs in one stack.
    public static let maximumOutputs = 200
    /// A template body passed inline in the `CreateStack` request, in bytes.
    public static let maximumInlineBodyBytes = 51_200
    /// A template body uploaded to S3 and passed by URL, in bytes. AWS documents "1 MB"; this is the
    /// figure cfn-lint 1.51 checks against (`cfnlint/helpers.py`), the smaller reading.
    public static let maximumS3BodyBytes = 1_000_000

    /// Checks the size of the written template (JSON or YAML) against both body limits. A template
    /// over the S3 limit is reported with `overLimit`, an error unless the caller measures
    /// templates that will never be deployed as one stack.
    public static func checkTemplateSize(byteCount: Int, overLimit: Diagnostic.Severity = .error) -> [Diagnostic] {
        if byteCount > maximumS3BodyBytes {
            return [Diagnostic(
                overLimit,
                "the template is \(byteCount) bytes; CloudFormation accepts at most \(maximumS3BodyBytes) bytes, even from S3",
                hint: "emit nested stacks with `--split DIR`"
            )]
        }
        if byteCount > maximumInlineBodyBytes {
            return [.warning(
                "the template is \(byteCount) bytes, more than the \(maximumInlineBodyBytes) bytes CloudFormation accepts inline",
                hint: "upload the template to S3 and create the stack with `--template-url` (limit \(maximumS3BodyBytes) bytes)"
            )]
        }
        return []
    }

    /// Checks the number of resources, naming the functions that contribute most when the count is
    /// over the limit. A count over the limit is reported with `overLimit`.
    static func checkResourceCount(
        _ table: ResourceTable, scriptResourceCount: Int, overLimit: Diagnostic.Severity = .error
    ) -> [Diagnostic] {
        let count = table.count
        guard count >= resourceWarningThreshold else { return [] }
        let notes = largestContributors(table, scriptResourceCount: scriptResourceCount).map { Diagnostic.Note($0) }
        if count > maximumResources {
            return [Diagnostic(
                overLimit,
                "the template has \(count) resources; CloudFormation allows at most \(maximumResources) in one stack",
                hint: "emit nested stacks with `--split DIR`, or split the functions into several services",
                notes: notes
            )]
        }
        return [.warning(
            "the template has \(count) resources, close to CloudFormation's limit of \(maximumResources) in one stack",
            notes: notes
        )]
    }

    /// Lines such as `f1, f2, … f90: 90 functions × 6 resources (function, log group, 4 event source
    /// mappings) = 540`, largest first, at most five.
    static func largestContributors(_ table: ResourceTable, scriptResourceCount: Int) -> [String] {
        // What each function contributes, as kind counts in first-seen order. A function's
        // resources are mostly adjacent, so its counts are taken out of `kindsByFunction` while
        // its resources follow each other and swapped back when another function's resource
        // comes. Each resource then updates a local array instead of an element of the nested one.
        var functionOrder: [String] = []
        var kindsByFunction: [[(kind: String, count: Int)]] = []
        var positionByFunction: [String: Int] = [:]
        // At most one function per resource; reserving that many keeps the dictionary from
        // growing step by step.
        positionByFunction.reserveCapacity(table.count)
        var currentPosition = -1
        var currentKinds: [(kind: String, count: Int)] = []
        var shared = 0
        // Only two fields of each origin are read, so they are read in place.
        let origins = table.origins
        for resourceIndex in origins.indices {
            guard let function = origins[resourceIndex].function else {
                shared += 1
                continue
            }
            if currentPosition < 0 || functionOrder[currentPosition] != function {
                if currentPosition >= 0 { swap(&currentKinds, &kindsByFunction[currentPosition]) }
                // `updateValue` hashes the name once to look it up and insert it. A function seen
                // before, which is rare, gets its first position back.
                if let known = positionByFunction.updateValue(functionOrder.count, forKey: function) {
                    positionByFunction[function] = known
                    currentPosition = known
                } else {
                    currentPosition = functionOrder.count
                    functionOrder.append(function)
                    // A function has few kinds of resources (function, log group, mappings,
                    // consumers, role), so room for four keeps most lists from growing twice.
                    var kinds: [(kind: String, count: Int)] = []
                    kinds.reserveCapacity(4)
                    kindsByFunction.append(kinds)
                }
                swap(&currentKinds, &kindsByFunction[currentPosition])
            }
            // The kinds are a few different literals, so most comparisons end at the length,
            // where `==` of two different strings calls into the runtime.
            let kind = origins[resourceIndex].kind
            let kindLength = kind.utf8.count
            if let index = currentKinds.firstIndex(where: { $0.kind.utf8.count == kindLength && $0.kind == kind }) {
                currentKinds[index].count += 1
            } else {
                currentKinds.append((kind, 1))
            }
        }
        if currentPosition >= 0 { swap(&currentKinds, &kindsByFunction[currentPosition]) }

        // Functions with the same breakdown form one group. Most functions have the kind counts
        // of a group found before, which compare without spelling out the breakdown.
        var groups: [(kinds: [(kind: String, count: Int)], breakdown: String, perFunction: Int, functions: [String])] = []
        for (position, function) in functionOrder.enumerated() {
            let kinds = kindsByFunction[position]
            if let index = groups.firstIndex(where: { Self.sameKinds($0.kinds, kinds) }) {
                groups[index].functions.append(function)
                continue
            }
            let breakdown = kinds.map { $0.count == 1 ? $0.kind : "\($0.count) \($0.kind)s" }.joined(separator: ", ")
            let perFunction = kinds.reduce(0) { $0 + $1.count }
            if let index = groups.firstIndex(where: { $0.breakdown == breakdown }) {
                groups[index].functions.append(function)
            } else {
                groups.append((kinds, breakdown, perFunction, [function]))
            }
        }
        groups.sort { $0.perFunction * $0.functions.count > $1.perFunction * $1.functions.count }

        var lines = groups.prefix(5).map { group -> String in
            let names = group.functions.count > 3
                ? "\(group.functions[0]), \(group.functions[1]), … \(group.functions[group.functions.count - 1])"
                : group.functions.joined(separator: ", ")
            let total = group.perFunction * group.functions.count
            let unit = group.functions.count == 1 ? "function" : "functions"
            return "\(names): \(group.functions.count) \(unit) × \(group.perFunction) resources (\(group.breakdown)) = \(total)"
        }
        let sharedOnly = shared - scriptResourceCount
        if sharedOnly > 0 { lines.append("shared resources such as the execution role: \(sharedOnly)") }
        if scriptResourceCount > 0 { lines.append("resources declared in the script: \(scriptResourceCount)") }
        return lines
    }

    /// Returns whether two functions' kind counts are the same, in the same order, which gives
    /// them the same breakdown.
    private static func sameKinds(_ first: [(kind: String, count: Int)], _ second: [(kind: String, count: Int)]) -> Bool {
        first.elementsEqual(second) { $0.kind == $1.kind && $0.count == $1.count }
    }
}
