import RampartBuiltins
import RampartInputs
import RampartModel
import RampartPolicy
import Testing

/// Kubernetes workload policies give the same outcomes through a worker's memo of the last pod template (the
/// engine's path) as without one, for every workload shape, unknown pod specs and container lists, and when the
/// worker moves from one workload to another and back.
@Suite struct PodTemplateMemoTests {
    static let workloads: [(type: String, properties: String)] = [
        ("kubernetes:apps/v1:Deployment", #"{"metadata": {"name": "web", "namespace": "apps"}, "spec": {"replicas": 1, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"hostNetwork": true, "containers": [{"name": "app", "image": "nginx:latest", "securityContext": {"privileged": true}}], "initContainers": [{"name": "init", "image": "busybox"}]}}}}"#),
        ("kubernetes:batch/v1:CronJob", #"{"metadata": {"namespace": "apps"}, "spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "job", "image": "registry.example.com/job@sha256:abc", "resources": {"limits": {"cpu": "1"}}}]}}}}}}"#),
        ("kubernetes:core/v1:Pod", #"{"metadata": {"namespace": "default"}, "spec": {"securityContext": {"runAsNonRoot": true}, "containers": [{"name": "a", "image": "a:1"}, {"image": "b:2", "securityContext": {"runAsUser": 0}}]}}"#),
        ("kubernetes:apps/v1:Deployment", #"{"spec": {"template": {"spec": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"}}}"#),
        ("kubernetes:apps/v1:StatefulSet", #"{"spec": {"template": {"spec": {"containers": "04da6b54-80e4-46f7-96ec-b56ff0331ba9", "initContainers": []}}}}"#),
        ("kubernetes:apps/v1:DaemonSet", #"{"spec": {"template": {"spec": {"containers": [{"name": "d", "image": "d:1"}], "initContainers": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"}}}}"#),
    ]

    @Test func givesTheSameOutcomesAsUncached() throws {
        let stack = try MemoCheck.stack(Self.workloads.enumerated().map { ($1.type, "w\($0)", $1.properties) }, file: "pods.json")
        let handle = try #require(DocumentHandle(stack: stack))
        let order = Array(stack.graph.resources.indices) + [0, 2, 0, 5, 3, 3]
        let bare = MemoCheck.outcomes(KubernetesBaseline.pack, stack, order, handle: nil)
        #expect(bare.contains { $0.contains("privileged") })
        #expect(bare.contains { $0.contains("indeterminate") })
        #expect(MemoCheck.outcomes(KubernetesBaseline.pack, stack, order, handle: handle) == bare)
    }
}
