/// The version `slsx --version` prints.
public enum SlsxVersion {
    public static let current = "0.1.0"
}
