/// Read access to the embedded standard library, for tools and the sync test.
public enum StandardLibrarySource {
    /// The module names, sorted.
    public static var names: [String] { StandardLibrary.modules.keys.sorted() }

    /// The embedded text of a module, or `nil` for an unknown name.
    public static func text(of name: String) -> String? {
        StandardLibrary.modules[name]
    }
}
