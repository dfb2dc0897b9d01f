package k8s

import (
	"slices"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// pod is one pod template of the manifests, named for messages.
type pod struct {
	name string
	spec corev1.PodSpec
}

// pods lists the pod templates every kustomization builds.
func pods(t *testing.T) []pod {
	t.Helper()
	var ps []pod
	for _, dir := range kustomizations {
		o := build(t, filesys.MakeFsOnDisk(), dir)
		for name, j := range o.jobs {
			ps = append(ps, pod{"Job " + name, j.Spec.Template.Spec})
		}
		for name, d := range o.daemonSets {
			ps = append(ps, pod{"DaemonSet " + name, d.Spec.Template.Spec})
		}
	}
	if len(ps) < 3 {
		t.Fatalf("%d pod templates built, want the generators, the merge and the chaos agent", len(ps))
	}
	return ps
}

// chaosAgent is the one container that runs as root, to hold CAP_KILL
// (chaos/daemonset.yaml says why).
const chaosAgent = "DaemonSet loadgen-chaos"

func TestEveryContainerIsLockedDown(t *testing.T) {
	for _, p := range pods(t) {
		podSC := p.spec.SecurityContext
		if podSC == nil || podSC.SeccompProfile == nil || podSC.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
			t.Errorf("%s: want seccompProfile RuntimeDefault", p.name)
		}
		if p.spec.HostNetwork || p.spec.HostIPC {
			t.Errorf("%s: shares the host's network or IPC", p.name)
		}
		if p.spec.AutomountServiceAccountToken == nil || *p.spec.AutomountServiceAccountToken {
			t.Errorf("%s: mounts a service account token it has no use for", p.name)
		}
		for _, c := range allContainers(p.spec) {
			where := p.name + " container " + c.Name
			sc := c.SecurityContext
			if sc == nil {
				t.Errorf("%s: no securityContext", where)
				continue
			}
			if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
				t.Errorf("%s: root filesystem not read-only", where)
			}
			if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
				t.Errorf("%s: privilege escalation not forbidden", where)
			}
			if sc.Privileged != nil && *sc.Privileged {
				t.Errorf("%s: privileged", where)
			}
			if sc.Capabilities == nil || !slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) {
				t.Errorf("%s: want every capability dropped", where)
			}
			for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
				if _, ok := c.Resources.Requests[r]; !ok {
					t.Errorf("%s: no %s request", where, r)
				}
				if _, ok := c.Resources.Limits[r]; !ok {
					t.Errorf("%s: no %s limit", where, r)
				}
			}
			if p.name == chaosAgent {
				checkChaosAgentRoot(t, where, p.spec, sc)
				continue
			}
			if !nonRoot(podSC, sc) {
				t.Errorf("%s: may run as root", where)
			}
			if p.spec.HostPID {
				t.Errorf("%s: sees the host's processes", where)
			}
			if sc.Capabilities != nil && len(sc.Capabilities.Add) > 0 {
				t.Errorf("%s: adds capabilities %v", where, sc.Capabilities.Add)
			}
		}
	}
}

// nonRoot says whether a container is made to run as a user other than
// root, by its own settings or else by its pod's.
func nonRoot(podSC *corev1.PodSecurityContext, sc *corev1.SecurityContext) bool {
	runAsNonRoot, user := sc.RunAsNonRoot, sc.RunAsUser
	if podSC != nil {
		if runAsNonRoot == nil {
			runAsNonRoot = podSC.RunAsNonRoot
		}
		if user == nil {
			user = podSC.RunAsUser
		}
	}
	return runAsNonRoot != nil && *runAsNonRoot && (user == nil || *user != 0)
}

// checkChaosAgentRoot holds the agent's one exception to the rules above
// to exactly what it needs: root with CAP_KILL alone, in the host's PID
// namespace.
func checkChaosAgentRoot(t *testing.T, where string, spec corev1.PodSpec, sc *corev1.SecurityContext) {
	t.Helper()
	if !spec.HostPID {
		t.Errorf("%s: without hostPID it sees no worker of another pod", where)
	}
	if !slices.Equal(sc.Capabilities.Add, []corev1.Capability{"KILL"}) {
		t.Errorf("%s: adds %v, want KILL alone", where, sc.Capabilities.Add)
	}
}
