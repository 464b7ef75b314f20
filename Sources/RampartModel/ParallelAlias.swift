import RampartJSON

/// `Parallel` lives in RampartJSON, the lowest module, so the document's own work (the compact copy) and the model's
/// share one implementation; models and engines name it through here.
public typealias Parallel = RampartJSON.Parallel
