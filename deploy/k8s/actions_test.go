package k8s

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	yamlv3 "gopkg.in/yaml.v3"
)

const segmentsWorkflow = "../../examples/ci/github-actions-segments.yml"

// workflow is what the test reads of a GitHub Actions workflow.
type workflow struct {
	Env  map[string]string
	Jobs map[string]struct {
		Needs    yamlv3.Node
		Strategy struct {
			Matrix map[string][]int
		}
		Steps []step
	}
}

// step is one step of a job.
type step struct {
	Name string
	Uses string
	Run  string
	With map[string]string
}

// needs lists a job's needs, given as one name or a list.
func needs(n yamlv3.Node) ([]string, error) {
	var list []string
	switch n.Kind {
	case 0:
		return nil, nil
	case yamlv3.ScalarNode:
		return []string{n.Value}, nil
	case yamlv3.SequenceNode:
		err := n.Decode(&list)
		return list, err
	}
	return nil, fmt.Errorf("needs at line %d is neither a name nor a list", n.Line)
}

func TestTheSegmentsWorkflowMergesEverySegmentOfOneRun(t *testing.T) {
	data, err := os.ReadFile(segmentsWorkflow)
	if err != nil {
		t.Fatal(err)
	}
	var w workflow
	if err := yamlv3.Unmarshal(data, &w); err != nil {
		t.Fatalf("%s: %v", segmentsWorkflow, err)
	}
	n, err := strconv.Atoi(w.Env["SEGMENTS"])
	if err != nil || n < 2 {
		t.Fatalf("env SEGMENTS %q: want N, at least 2", w.Env["SEGMENTS"])
	}
	var segmentJobs, mergeJobs []string
	for name, job := range w.Jobs {
		for _, s := range job.Steps {
			switch {
			case strings.Contains(s.Run, "loadgen run "):
				segmentJobs = append(segmentJobs, name)
				checkSegmentStep(t, name, s.Run)
				if got := job.Strategy.Matrix["index"]; !slices.Equal(got, indexes(n)) {
					t.Errorf("job %s: matrix index %v, want %v for SEGMENTS %d", name, got, indexes(n), n)
				}
			case strings.Contains(s.Run, "loadgen merge "):
				mergeJobs = append(mergeJobs, name)
			}
		}
	}
	if len(segmentJobs) == 0 || len(mergeJobs) != 1 {
		t.Fatalf("segment jobs %v, merge jobs %v: want segments and one merge", segmentJobs, mergeJobs)
	}
	merge := w.Jobs[mergeJobs[0]]
	need, err := needs(merge.Needs)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range segmentJobs {
		if !slices.Contains(need, s) {
			t.Errorf("job %s does not need segment job %s: it could merge before that segment ends", mergeJobs[0], s)
		}
	}
	for _, s := range segmentJobs {
		uploads := slices.ContainsFunc(w.Jobs[s].Steps, func(st step) bool {
			return strings.HasPrefix(st.Uses, "actions/upload-artifact@") && strings.Contains(st.With["name"], "${{ matrix.index }}")
		})
		if !uploads {
			t.Errorf("job %s uploads no artifact named by its segment", s)
		}
	}
}

// checkSegmentStep checks that a segment's loadgen run takes its segment
// from the matrix, and its start and run id from what every segment shares.
func checkSegmentStep(t *testing.T, job, run string) {
	t.Helper()
	if v := quotedFlag(run, "--segment"); v != "${{ matrix.index }}/$SEGMENTS" {
		t.Errorf("job %s: --segment %q, want matrix.index of SEGMENTS", job, v)
	}
	for _, name := range []string{"--start-at", "--run-id"} {
		v := quotedFlag(run, name)
		if strings.Contains(v, "matrix") || !strings.Contains(v, "needs.") {
			t.Errorf("job %s: %s %s, want one value for every segment (a needed job's output)", job, name, v)
		}
	}
}

// quotedFlag is V of `name "V"` in a shell command; "" when absent.
func quotedFlag(run, name string) string {
	m := regexp.MustCompile(regexp.QuoteMeta(name) + ` "([^"]*)"`).FindStringSubmatch(run)
	if m == nil {
		return ""
	}
	return m[1]
}

func indexes(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
