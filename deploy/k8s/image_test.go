package k8s

import (
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// dockerfile is what the tests need of the Dockerfile: its base images, the
// commands its stages run, and its last stage's user and binaries.
type dockerfile struct {
	bases    []string
	runs     []string
	user     string
	binaries []string // paths in the final image
}

func readDockerfile(t *testing.T) dockerfile {
	t.Helper()
	data, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var d dockerfile
	for line := range strings.Lines(string(data)) {
		words := strings.Fields(line)
		if len(words) == 0 || strings.HasPrefix(words[0], "#") {
			continue
		}
		switch strings.ToUpper(words[0]) {
		case "FROM":
			d.bases = append(d.bases, words[1])
			d.user, d.binaries = "", nil
		case "RUN":
			d.runs = append(d.runs, strings.Join(words[1:], " "))
		case "USER":
			d.user = words[1]
		case "COPY":
			if len(words) > 3 && strings.HasSuffix(words[len(words)-1], "/") {
				for _, src := range words[2 : len(words)-1] {
					d.binaries = append(d.binaries, path.Join(words[len(words)-1], path.Base(src)))
				}
			}
		}
	}
	return d
}

// registryHost matches an image reference whose first part names a host.
var registryHost = regexp.MustCompile(`^([^/]*[.:][^/]*|localhost)/`)

func TestTheImageIsBuiltByTheSharedScriptFromBaseImagesNamedWithoutAHost(t *testing.T) {
	d := readDockerfile(t)
	if len(d.bases) < 2 {
		t.Fatalf("FROM %v: want a build stage and a final one", d.bases)
	}
	for _, b := range d.bases {
		if registryHost.MatchString(b) {
			t.Errorf("FROM %s names a registry host", b)
		}
	}
	if !slices.ContainsFunc(d.runs, func(r string) bool { return strings.HasPrefix(r, "deploy/k8s/build-static.sh ") }) {
		t.Errorf("no RUN deploy/k8s/build-static.sh: the image must build as .ci/run checks")
	}
	uid, _, _ := strings.Cut(d.user, ":")
	if n, err := strconv.Atoi(uid); err != nil || n == 0 {
		t.Errorf("the final stage's USER is %q, want a numeric user other than root", d.user)
	}
	script, err := os.ReadFile("build-static.sh")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath"} {
		if !strings.Contains(string(script), want) {
			t.Errorf("build-static.sh does not build with %s", want)
		}
	}
	ci, err := os.ReadFile("../../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(ci), "deploy/k8s/build-static.sh") {
		t.Error(".ci/run does not build the binaries with deploy/k8s/build-static.sh")
	}
}

func TestEveryContainerRunsABinaryTheImageHas(t *testing.T) {
	d := readDockerfile(t)
	for _, p := range pods(t) {
		for _, c := range allContainers(p.spec) {
			if len(c.Command) == 0 || !slices.Contains(d.binaries, c.Command[0]) {
				t.Errorf("%s container %s runs %q; the image has %v", p.name, c.Name, c.Command, d.binaries)
			}
			if name, _, _ := strings.Cut(c.Image, ":"); name != "loadgen" {
				t.Errorf("%s container %s: image %s, want loadgen (the kustomizations' images entry names where it is)", p.name, c.Name, c.Image)
			}
		}
	}
}
