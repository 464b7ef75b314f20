/// The YAML rule language: packs and policies as data (RULES.md).
public enum RampartRules {}
