extension Double {
    /// This number as an `Int`, clamped into `Int`'s range (NaN is 0): property values such as `1e308` or `-1e308`
    /// are bad input to report or compare, never a reason to trap.
    var clampedInt: Int {
        guard !isNaN else { return 0 }
        if self >= Double(Int.max) { return Int.max }
        if self <= Double(Int.min) { return Int.min }
        return Int(self)
    }
}
