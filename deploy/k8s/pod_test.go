package k8s

import (
	"path"
	"regexp"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// podValue is what a $(VAR) in a container's command resolves to, and
// whether it differs from pod to pod (it comes from the pod's own fields,
// such as its completion index).
type podValue struct {
	value       string
	perPod      bool
	fieldPath   string // the pod's field it comes from, when perPod
	fromMissing bool
}

// envOf is a container's environment as the kubelet makes it: its envFrom
// ConfigMaps, then its env entries.
func envOf(t *testing.T, o *objects, c corev1.Container) map[string]podValue {
	t.Helper()
	env := map[string]podValue{}
	for _, from := range c.EnvFrom {
		if from.ConfigMapRef == nil {
			t.Fatalf("container %s: envFrom other than a ConfigMap", c.Name)
		}
		for k, v := range o.configMap(t, from.ConfigMapRef.Name).Data {
			env[from.Prefix+k] = podValue{value: v}
		}
	}
	for _, e := range c.Env {
		switch {
		case e.ValueFrom == nil:
			env[e.Name] = podValue{value: e.Value}
		case e.ValueFrom.ConfigMapKeyRef != nil:
			ref := e.ValueFrom.ConfigMapKeyRef
			v, ok := o.configMap(t, ref.Name).Data[ref.Key]
			env[e.Name] = podValue{value: v, fromMissing: !ok}
		case e.ValueFrom.FieldRef != nil:
			// A stand-in without a slash, so that paths built from it keep their shape.
			env[e.Name] = podValue{value: "<" + e.Name + ">", perPod: true, fieldPath: e.ValueFrom.FieldRef.FieldPath}
		default:
			t.Fatalf("container %s: env %s comes from a source this test does not read", c.Name, e.Name)
		}
	}
	return env
}

var varRef = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)

// expand resolves the $(VAR)s of s as the kubelet does in a command, failing
// the test on one the container does not define (Kubernetes would leave it
// as it is, and the command would get "$(VAR)" literally).
func expand(t *testing.T, env map[string]podValue, container, s string) podValue {
	t.Helper()
	out := podValue{}
	out.value = varRef.ReplaceAllStringFunc(s, func(ref string) string {
		name := varRef.FindStringSubmatch(ref)[1]
		v, ok := env[name]
		if !ok || v.fromMissing {
			t.Errorf("container %s: %s uses $(%s), which the container does not define", container, s, name)
		}
		out.perPod = out.perPod || v.perPod
		return v.value
	})
	return out
}

// flag is the value of --name=V or --name V (or -name) in args; "" and false
// when absent.
func flag(args []string, name string) (string, bool) {
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v, true
		}
		if a == name && i+1 < len(args) {
			return args[i+1], true
		}
	}
	return "", false
}

// place is where a path of a container lands: in which volume, at which path
// inside it.
type place struct {
	volume corev1.VolumeSource
	name   string
	inside string
}

// placeOf finds the mount that holds p (the deepest one) and the path of p
// inside its volume.
func placeOf(t *testing.T, spec corev1.PodSpec, c corev1.Container, p string) (place, corev1.VolumeMount) {
	t.Helper()
	var best *corev1.VolumeMount
	for i, m := range c.VolumeMounts {
		if (p == m.MountPath || strings.HasPrefix(p, strings.TrimSuffix(m.MountPath, "/")+"/")) &&
			(best == nil || len(m.MountPath) > len(best.MountPath)) {
			best = &c.VolumeMounts[i]
		}
	}
	if best == nil {
		t.Fatalf("container %s: no volume is mounted where %s is", c.Name, p)
	}
	for _, v := range spec.Volumes {
		if v.Name == best.Name {
			inside := path.Join("/", best.SubPath, strings.TrimPrefix(p, best.MountPath))
			return place{volume: v.VolumeSource, name: v.Name, inside: inside}, *best
		}
	}
	t.Fatalf("container %s mounts %s, which the pod does not have", c.Name, best.Name)
	return place{}, corev1.VolumeMount{}
}

// claim is the PersistentVolumeClaim a place is on; "" when none.
func (p place) claim() string {
	if p.volume.PersistentVolumeClaim == nil {
		return ""
	}
	return p.volume.PersistentVolumeClaim.ClaimName
}

// allContainers lists a pod's init containers and containers.
func allContainers(spec corev1.PodSpec) []corev1.Container {
	return append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...)
}
