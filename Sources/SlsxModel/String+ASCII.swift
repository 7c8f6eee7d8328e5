extension String {
    /// Whether every scalar of the string is ASCII. Such text can be searched and split by bytes
    /// with the same result as by `Character`, which is much slower. ARNs and names nearly always
    /// are ASCII.
    package var isASCII: Bool {
        withUTF8Bytes { bytes in ByteScan.isASCII(bytes) }
    }

    /// Returns `body` applied to the string's UTF-8 bytes. A native string lends its storage
    /// without a copy or a retain, which `withUTF8` on a mutable copy of the string does not
    /// promise; a string without contiguous UTF-8 is copied into it first.
    @inline(__always)
    func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return copy.withUTF8(body)
    }
}
