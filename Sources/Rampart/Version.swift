/// Rampart's version, reported in every report.
public enum RampartVersion {
    public static let current = "0.1.0"
}
