/// The YAML rule language: packs and policies as data (docs/rules.md).
public enum RampartRules {}
