package k8s

import (
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/loadchaos/loadgen/profiles"
)

const (
	loadgenBinary = "/usr/local/bin/loadgen"
	resultsClaim  = "loadgen-results"
)

// generator is the Indexed Job's one container, with its environment.
func generator(t *testing.T, o *objects) (*batchv1.Job, corev1.Container, map[string]podValue) {
	t.Helper()
	job, ok := o.jobs["loadgen"]
	if !ok {
		t.Fatal("no Job loadgen is built")
	}
	cs := job.Spec.Template.Spec.Containers
	if len(cs) != 1 || len(job.Spec.Template.Spec.InitContainers) != 0 {
		t.Fatalf("Job loadgen: %d containers and %d init containers, want one container", len(cs), len(job.Spec.Template.Spec.InitContainers))
	}
	c := cs[0]
	if !slices.Equal(c.Command, []string{loadgenBinary}) || len(c.Args) < 2 || c.Args[0] != "run" {
		t.Fatalf("Job loadgen runs %q %q, want %s run PROFILE ...", c.Command, c.Args, loadgenBinary)
	}
	return job, c, envOf(t, o, c)
}

// segments is N as the generators read it.
func segments(t *testing.T, env map[string]podValue) int {
	t.Helper()
	v, ok := env["LOADGEN_SEGMENTS"]
	if !ok || v.perPod {
		t.Fatalf("LOADGEN_SEGMENTS is %+v, want one value for every pod", v)
	}
	n, err := strconv.Atoi(v.value)
	if err != nil || n < 1 {
		t.Fatalf("LOADGEN_SEGMENTS %q is not a positive number", v.value)
	}
	return n
}

func TestTheJobIsIndexedWithOnePodPerSegmentAllAtOnce(t *testing.T) {
	job, _, env := generator(t, builtRun(t))
	n := segments(t, env)
	if job.Spec.CompletionMode == nil || *job.Spec.CompletionMode != batchv1.IndexedCompletion {
		t.Errorf("completionMode %v, want Indexed", job.Spec.CompletionMode)
	}
	if job.Spec.Completions == nil || int(*job.Spec.Completions) != n {
		t.Errorf("completions %v, want LOADGEN_SEGMENTS %d", job.Spec.Completions, n)
	}
	if job.Spec.Parallelism == nil || int(*job.Spec.Parallelism) != n {
		t.Errorf("parallelism %v, want LOADGEN_SEGMENTS %d", job.Spec.Parallelism, n)
	}
	if job.Spec.BackoffLimit == nil || *job.Spec.BackoffLimit != 0 {
		t.Errorf("backoffLimit %v, want 0: a segment run again starts late", job.Spec.BackoffLimit)
	}
}

func TestTheIndexReachesTheSegmentAndTheOutputFolder(t *testing.T) {
	_, c, env := generator(t, builtRun(t))
	index, ok := env["JOB_COMPLETION_INDEX"]
	if !ok || index.fieldPath != "metadata.annotations['batch.kubernetes.io/job-completion-index']" {
		t.Errorf("JOB_COMPLETION_INDEX is %+v, want the pod's completion-index annotation", index)
	}
	if _, ok := flag(c.Args, "--segment"); ok {
		t.Errorf("--segment is given; the segment must come from JOB_COMPLETION_INDEX of LOADGEN_SEGMENTS")
	}
	segments(t, env)
	out, ok := flag(c.Args, "--out")
	if !ok || !strings.Contains(out, "$(JOB_COMPLETION_INDEX)") {
		t.Errorf("--out %q: each segment needs a folder of its own, named by its index", out)
	}
}

func TestEveryPodHasTheSameStartAndRunID(t *testing.T) {
	_, c, env := generator(t, builtRun(t))
	start, ok := flag(c.Args, "--start-at")
	if !ok {
		t.Fatal("no --start-at")
	}
	at := expand(t, env, c.Name, start)
	if at.perPod {
		t.Errorf("--start-at %s differs from pod to pod", start)
	}
	// "+30s" would be from each pod's own start: the segments would not align.
	if _, err := time.Parse(time.RFC3339, at.value); err != nil {
		t.Errorf("--start-at %s is %q: an instant (RFC 3339) is needed, the same for every pod: %v", start, at.value, err)
	}
	runID, ok := flag(c.Args, "--run-id")
	if !ok {
		t.Fatal("no --run-id")
	}
	if id := expand(t, env, c.Name, runID); id.perPod || id.value == "" {
		t.Errorf("--run-id %s is %+v, want one value for every pod", runID, id)
	}
	for _, name := range []string{"LOADGEN_START_AT", "LOADGEN_RUN_ID"} {
		if env[name].perPod {
			t.Errorf("%s differs from pod to pod", name)
		}
	}
}

func TestTheProfileIsMountedWhereTheRunReadsIt(t *testing.T) {
	o := builtRun(t)
	job, c, _ := generator(t, o)
	file := c.Args[1]
	p, m := placeOf(t, job.Spec.Template.Spec, c, file)
	if p.volume.ConfigMap == nil || !m.ReadOnly {
		t.Fatalf("%s is on volume %s, want a ConfigMap mounted read-only", file, p.name)
	}
	cm := o.configMap(t, p.volume.ConfigMap.Name)
	data, ok := cm.Data[strings.TrimPrefix(p.inside, "/")]
	if !ok {
		t.Fatalf("ConfigMap %s has no key %s, which the run reads as %s", cm.Name, p.inside, file)
	}
	if _, err := profiles.Parse(file, []byte(data)); err != nil {
		t.Errorf("the profile the run reads: %v", err)
	}
}

// resultsPlace is where a path of a container lands, which must be on the
// shared results volume.
func resultsPlace(t *testing.T, spec corev1.PodSpec, c corev1.Container, env map[string]podValue, p string) (place, corev1.VolumeMount) {
	t.Helper()
	resolved := expand(t, env, c.Name, p)
	at, m := placeOf(t, spec, c, resolved.value)
	if at.claim() != resultsClaim {
		t.Errorf("container %s: %s is on volume %s, not on the claim %s", c.Name, p, at.name, resultsClaim)
	}
	return at, m
}

func TestTheMergeReadsWhatTheGeneratorsWriteAndTheGateWhatItMerged(t *testing.T) {
	o := builtRun(t)
	job, c, env := generator(t, o)
	out, _ := flag(c.Args, "--out")
	written, m := resultsPlace(t, job.Spec.Template.Spec, c, env, out)
	if m.ReadOnly {
		t.Errorf("the generators mount %s read-only", m.MountPath)
	}

	merge, ok := o.jobs["loadgen-merge"]
	if !ok {
		t.Fatal("no Job loadgen-merge is built")
	}
	spec := merge.Spec.Template.Spec
	if len(spec.InitContainers) != 1 || len(spec.Containers) != 1 {
		t.Fatalf("loadgen-merge: want the merge as its one init container and the gate as its one container")
	}
	mc, gc := spec.InitContainers[0], spec.Containers[0]
	if !slices.Equal(mc.Command, []string{loadgenBinary}) || len(mc.Args) == 0 || mc.Args[0] != "merge" {
		t.Fatalf("the init container runs %q %q, want loadgen merge", mc.Command, mc.Args)
	}
	if !slices.Equal(gc.Command, []string{loadgenBinary}) || len(gc.Args) != 2 || gc.Args[0] != "gate" {
		t.Fatalf("the container runs %q %q, want loadgen gate BUNDLE", gc.Command, gc.Args)
	}
	if _, ok := flag(mc.Args, "--wait"); !ok {
		t.Error("loadgen merge without --wait would not wait for the segments")
	}
	mergeEnv := envOf(t, o, mc)
	inputs := mc.Args[len(mc.Args)-1:]
	read, _ := resultsPlace(t, spec, mc, mergeEnv, inputs[0])
	// The generators write /.../segments/<index>/ (a results root each); the
	// merge reads the folder holding them.
	if want := path.Dir(written.inside); read.inside != want || read.claim() != written.claim() {
		t.Errorf("merge reads %s:%s; the generators write %s:%s, one results root per index", read.claim(), read.inside, written.claim(), written.inside)
	}
	mergedTo, ok := flag(mc.Args, "-o")
	if !ok {
		t.Fatal("loadgen merge without -o")
	}
	merged, m := resultsPlace(t, spec, mc, mergeEnv, mergedTo)
	if m.ReadOnly {
		t.Errorf("the merge mounts %s read-only", m.MountPath)
	}
	if strings.HasPrefix(merged.inside+"/", read.inside+"/") {
		t.Errorf("the merged bundle %s is inside the folder of segments %s", merged.inside, read.inside)
	}
	gated, _ := resultsPlace(t, spec, gc, envOf(t, o, gc), gc.Args[1])
	if gated != merged {
		t.Errorf("gate reads %s:%s, the merge writes %s:%s", gated.claim(), gated.inside, merged.claim(), merged.inside)
	}
	if pvc, ok := o.pvcs[resultsClaim]; !ok || !slices.Contains(pvc.Spec.AccessModes, corev1.ReadWriteMany) {
		t.Errorf("the claim %s must exist and be ReadWriteMany: pods on several nodes mount it", resultsClaim)
	}
}
