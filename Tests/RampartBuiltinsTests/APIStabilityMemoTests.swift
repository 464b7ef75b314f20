@testable import RampartBuiltins
import Testing

/// The per-worker memo of API-version stabilities gives the uncached answer for every token, cold and warm.
@Suite struct APIStabilityMemoTests {
    static let tokens = [
        "kubernetes:apps/v1:Deployment", "kubernetes:apps/v1beta1:Deployment", "kubernetes:extensions/v1beta1:Ingress",
        "kubernetes:batch/v1beta1:CronJob", "kubernetes:core/v1:Pod", "kubernetes:yaml/v2:ConfigGroup",
        "kubernetes:example.com/v1alpha1:Widget", "kubernetes:policy/v1beta1:PodSecurityPolicyList",
        "azure-native:storage/v20230101:StorageAccount", "azure-native:storage/v20220301preview:StorageAccount",
        "google-native:compute/v1:Instance", "google-native:compute/alpha:Instance", "google-native:container/v1beta1:Cluster",
        "aws:s3/bucket:Bucket", "kubernetes:helm.sh/v3:Release", "kubernetes:index:Thing", "", "a:b", "kubernetes:apps/v1:",
    ]

    @Test func givesTheUncachedAnswerColdAndWarm() {
        let memo = APIVersionsPack.StabilityMemo()
        for _ in 0..<3 {
            for token in Self.tokens {
                #expect(memo.stability(of: token) == APIVersionsPack.stability(of: token), "\(token)")
            }
        }
    }

    @Test func staysRightPastItsCapacity() {
        let memo = APIVersionsPack.StabilityMemo()
        let many = (0..<(APIVersionsPack.StabilityMemo.capacity + 100)).map { "kubernetes:apps/v\($0)beta1:Deployment" }
        for token in many + many.prefix(200) {
            #expect(memo.stability(of: token) == APIVersionsPack.stability(of: token))
        }
    }
}
