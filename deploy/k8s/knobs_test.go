package k8s

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// withKnobs is the run's folder in memory with run.env and profile.yaml
// replaced, as a user sets the knobs.
func withKnobs(t *testing.T, runEnv, profile string) filesys.FileSystem {
	t.Helper()
	fsys := filesys.MakeFsInMemory()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(e.Name())
		if err != nil {
			t.Fatal(err)
		}
		switch e.Name() {
		case "run.env":
			data = []byte(runEnv)
		case "profile.yaml":
			data = []byte(profile)
		}
		if err := fsys.WriteFile(filepath.Join("/run", e.Name()), data); err != nil {
			t.Fatal(err)
		}
	}
	return fsys
}

const otherProfile = `version: 1
description: another profile
stages:
  - {shape: constant, rate: 50, for: 10s}
`

func TestEachKnobSetInOnePlaceReachesEveryPlaceThatUsesIt(t *testing.T) {
	const start = "2027-03-04T05:06:07Z"
	o := build(t, withKnobs(t, "LOADGEN_SEGMENTS=5\nLOADGEN_START_AT="+start+"\nLOADGEN_RUN_ID=knobs\n", otherProfile), "/run")
	job, c, env := generator(t, o)
	if n := segments(t, env); n != 5 {
		t.Errorf("LOADGEN_SEGMENTS %d, want 5", n)
	}
	if *job.Spec.Completions != 5 || *job.Spec.Parallelism != 5 {
		t.Errorf("N=5 gave completions %d and parallelism %d", *job.Spec.Completions, *job.Spec.Parallelism)
	}
	at, _ := flag(c.Args, "--start-at")
	if got := expand(t, env, c.Name, at).value; got != start {
		t.Errorf("--start-at resolves to %q, want %q", got, start)
	}
	out, _ := flag(c.Args, "--out")
	if got := expand(t, env, c.Name, out).value; !regexp.MustCompile(`^/results/knobs/`).MatchString(got) {
		t.Errorf("--out resolves to %q, want it under the run id", got)
	}
	p, _ := placeOf(t, job.Spec.Template.Spec, c, c.Args[1])
	if got := o.configMap(t, p.volume.ConfigMap.Name).Data[filepath.Base(p.inside)]; got != otherProfile {
		t.Errorf("the profile the run reads is %q, want the one set", got)
	}
}

func TestEveryReplacementFindsItsSourceAndTargets(t *testing.T) {
	k := readKustomization(t, ".")
	if len(k.Replacements) == 0 {
		t.Fatal("no replacements: N would not reach the Job")
	}
	rm, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), ".")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range k.Replacements {
		src := r.Source
		found := false
		for _, res := range rm.Resources() {
			if res.GetKind() == src.Kind && builtFrom(res.GetName(), src.Name) {
				if _, err := res.GetFieldValue(src.FieldPath); err != nil {
					t.Errorf("replacements[%d]: source %s %s has no %s: %v", i, src.Kind, src.Name, src.FieldPath, err)
				}
				found = true
			}
		}
		if !found {
			t.Errorf("replacements[%d]: no source %s %s", i, src.Kind, src.Name)
		}
		for j, target := range r.Targets {
			matched := 0
			for _, res := range rm.Resources() {
				if res.GetKind() != target.Select.Kind || !builtFrom(res.GetName(), target.Select.Name) {
					continue
				}
				matched++
				for _, fp := range target.FieldPaths {
					if _, err := res.GetFieldValue(fp); err != nil {
						t.Errorf("replacements[%d].targets[%d]: %s %s has no %s: %v", i, j, target.Select.Kind, target.Select.Name, fp, err)
					}
				}
			}
			if matched == 0 {
				t.Errorf("replacements[%d].targets[%d]: selects no resource (%s %s)", i, j, target.Select.Kind, target.Select.Name)
			}
		}
	}
}

// hashSuffix is what kustomize appends to a generated ConfigMap's name.
var hashSuffix = regexp.MustCompile(`^-[a-z0-9]{10}$`)

// builtFrom says whether a built resource's name is name, or name with the
// hash of a generated ConfigMap.
func builtFrom(built, name string) bool {
	rest, ok := strings.CutPrefix(built, name)
	return ok && (rest == "" || hashSuffix.MatchString(rest))
}
