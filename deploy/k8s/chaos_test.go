package k8s

import (
	"path"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/loadchaos/loadgen/internal/chaos/agent"
)

func TestTheChaosAgentReadsItsTokenAndExperimentFromWhereTheyAreMounted(t *testing.T) {
	o := build(t, filesys.MakeFsOnDisk(), "chaos")
	ds, ok := o.daemonSets["loadgen-chaos"]
	if !ok {
		t.Fatal("no DaemonSet loadgen-chaos is built")
	}
	spec := ds.Spec.Template.Spec
	if len(spec.Containers) != 1 {
		t.Fatalf("%d containers, want the agent alone", len(spec.Containers))
	}
	c := spec.Containers[0]
	if len(c.Command) != 1 || path.Base(c.Command[0]) != "chaos" || len(c.Args) < 2 || c.Args[0] != "serve" {
		t.Fatalf("runs %q %q, want chaos serve EXPERIMENT", c.Command, c.Args)
	}
	if strings.Contains(strings.Join(c.Args, " "), "--listen-public") {
		t.Error("serves off loopback; kubectl port-forward reaches the loopback")
	}

	tokenFile, ok := flag(c.Args, "--token-file")
	if !ok {
		t.Fatal("no --token-file")
	}
	token, m := placeOf(t, spec, c, tokenFile)
	switch s := token.volume.Secret; {
	case s == nil:
		t.Errorf("the token %s is on volume %s, want a Secret", tokenFile, token.name)
	case s.DefaultMode == nil:
		t.Errorf("the token Secret has no mode; want 0400 (the agent refuses a token others may read)")
	case *s.DefaultMode != 0o400:
		t.Errorf("the token Secret's mode is %04o, want 0400 (the agent refuses a token others may read)", *s.DefaultMode)
	}
	if !m.ReadOnly {
		t.Errorf("the token is mounted read-write")
	}

	experimentFile := c.Args[1]
	exp, m := placeOf(t, spec, c, experimentFile)
	if exp.volume.ConfigMap == nil || !m.ReadOnly {
		t.Fatalf("the experiment %s is on volume %s, want a ConfigMap mounted read-only", experimentFile, exp.name)
	}
	data, ok := o.configMap(t, exp.volume.ConfigMap.Name).Data[strings.TrimPrefix(exp.inside, "/")]
	if !ok {
		t.Fatalf("the experiment's ConfigMap has no key for %s", experimentFile)
	}
	parsed, err := agent.Parse(experimentFile, []byte(data))
	if err != nil {
		t.Fatalf("the example experiment: %v", err)
	}
	for _, a := range parsed.Actions {
		if a.Select == nil || !strings.Contains(a.Select.Select.String(), "cgroup=") {
			t.Errorf("action %s: want it to select the workers of pods, by cgroup=", a.Name)
		}
	}

	journal, _ := placeOf(t, spec, c, path.Join(c.WorkingDir, "chaos-journal.jsonl"))
	if journal.claim() != resultsClaim {
		t.Errorf("the journal goes to volume %s, want the results claim %s", journal.name, resultsClaim)
	}
}
