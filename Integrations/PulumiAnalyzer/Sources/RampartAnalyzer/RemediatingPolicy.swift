import RampartModel
import RampartPolicy

/// A resource policy that can fix what it finds (CrossGuard's `remediateResource`). When the policy's effective
/// level is `remediate`, the analyzer calls it from `Remediate` before `Analyze`; the returned inputs replace the
/// resource's inputs for later packs, for `Analyze` and for the deployment.
///
/// Defined here rather than in RampartPolicy because only the analyzer can act on a fix today; a Swift pack compiled
/// into an analyzer build (`AnalyzerServer(packs:)`) adopts it.
public protocol RemediatingPolicy: ResourcePolicy {
    /// The complete new inputs (not a patch), or nil to leave the resource as it is.
    func remediate(_ resource: ResourceContext, config: PolicyConfig) throws -> PropertyValue?
}
