extension String {
    /// Whether every scalar of the string is ASCII. Such text can be searched and split by bytes
    /// with the same result as by `Character`, which is much slower. ARNs and names nearly always
    /// are ASCII.
    package var isASCII: Bool {
        var text = self
        return text.withUTF8 { bytes in ByteScan.isASCII(bytes) }
    }
}
