extension String {
    /// Whether every scalar of the string is ASCII. Such text can be searched and split by bytes
    /// with the same result as by `Character`, which is much slower. ARNs and names nearly always
    /// are ASCII.
    package var isASCII: Bool {
        withUTF8Bytes { bytes in ByteScan.isASCII(bytes) }
    }

    /// Whether every byte of the string is an ASCII letter or digit, as CloudFormation requires of
    /// logical IDs. It reads the bytes eight at a time.
    package var isASCIIAlphanumeric: Bool {
        withUTF8Bytes { bytes in ByteScan.isASCIIAlphanumeric(bytes) }
    }

    /// Returns `body` applied to the string's UTF-8 bytes. A native string lends its storage in
    /// place, whereas `withUTF8` needs a mutable copy of the string, which retains it. A string
    /// without contiguous UTF-8 is first copied into a native one.
    @inline(__always)
    func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return copy.withUTF8(body)
    }
}
