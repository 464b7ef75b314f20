@testable import RampartBuiltins
import Testing

/// The tag and digest of a container image reference, read over its bytes, are what splitting its text on `/`
/// and `:` gives: registry ports are not tags, digests pin, trailing slashes are left out.
@Suite struct ImageReferenceTests {
    /// The reading by splitting the text (the earlier implementation), kept here as the reference.
    static func bySplitting(_ image: String) -> (tag: String?, pinnedByDigest: Bool) {
        if image.contains("@") { return (nil, true) }
        let lastComponent = image.split(separator: "/").last.map(String.init) ?? image
        guard let colon = lastComponent.lastIndex(of: ":") else { return (nil, false) }
        return (String(lastComponent[lastComponent.index(after: colon)...]), false)
    }

    @Test(arguments: ["nginx", "nginx:1.25", "nginx:latest", "registry.example.com:5000/app", "registry.example.com:5000/app:v2",
                      "registry.example.com:5000/app@sha256:abc", "app:1.0/", "host:5000/app:", "///", "", ":", "a/b/c:d",
                      "a:b/c", "ghcr.io/org/app:1.2.3-rc.1", "app:tag//", "café:été", "/app:1"])
    func readsWhatSplittingTheTextReads(image: String) {
        let read = KubernetesBaseline.imageReference(image)
        let expected = Self.bySplitting(image)
        #expect(read.tag == expected.tag)
        #expect(read.pinnedByDigest == expected.pinnedByDigest)
    }
}
