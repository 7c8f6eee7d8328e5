import Foundation

/// Reads the stack count of a split that `--split DIR` is about to replace.
///
/// Functions go to bucket `hash mod K` (`StackSplitter`), and only non-empty buckets get a file
/// `stacks/FunctionStack<b>.<ext>`. The count read back is the smallest power of two above the
/// highest bucket with a file. That is K itself unless the upper half of the buckets was empty, and
/// then it is K/2 (or less), which puts every function in the same bucket as K did, because
/// `hash mod K < K/2` implies `hash mod K/2 == hash mod K`. Either way no function moves.
public enum PreviousSplit {
    /// Returns the stack count of the split in `folder`, or `nil` when there is none.
    public static func stackCount(in folder: String) -> Int? {
        let stacks = (folder as NSString).appendingPathComponent("stacks")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: stacks) else { return nil }

        guard let highest = names.compactMap(bucket(ofFileName:)).max() else { return nil }

        var count = 1
        while count <= highest { count *= 2 }
        return count
    }

    /// Returns `b` for a nested template's file name `FunctionStack<b>.json` or `.yaml`, else `nil`.
    static func bucket(ofFileName name: String) -> Int? {
        let prefix = "FunctionStack"
        guard name.hasPrefix(prefix), name.hasSuffix(".json") || name.hasSuffix(".yaml") else { return nil }
        let digits = name.dropFirst(prefix.count).dropLast(".json".count)
        guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }
}
