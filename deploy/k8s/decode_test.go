package k8s

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

// kustomizations are the folders applied with kubectl apply -k: the run,
// and the chaos agent apart from it.
var kustomizations = []string{".", "chaos"}

// objects is what a kustomization builds, or a folder's files hold, decoded.
type objects struct {
	jobs       map[string]*batchv1.Job
	daemonSets map[string]*appsv1.DaemonSet
	configMaps map[string]*corev1.ConfigMap // by name as built (a generated one with its hash)
	pvcs       map[string]*corev1.PersistentVolumeClaim
}

func newObjects() *objects {
	return &objects{
		jobs:       map[string]*batchv1.Job{},
		daemonSets: map[string]*appsv1.DaemonSet{},
		configMaps: map[string]*corev1.ConfigMap{},
		pvcs:       map[string]*corev1.PersistentVolumeClaim{},
	}
}

// decode reads the YAML documents of data strictly into the API type their
// kind names: a field the type does not have, a field given twice or a kind
// these manifests do not use is an error naming source and document.
func (o *objects) decode(source string, data []byte) error {
	for i, doc := range bytes.Split(data, []byte("\n---\n")) {
		var tm metav1.TypeMeta
		if err := yaml.Unmarshal(doc, &tm); err != nil {
			return fmt.Errorf("%s: document %d: %w", source, i+1, err)
		}
		var obj interface{ GetName() string }
		switch tm.APIVersion + " " + tm.Kind {
		case "batch/v1 Job":
			obj = &batchv1.Job{}
		case "apps/v1 DaemonSet":
			obj = &appsv1.DaemonSet{}
		case "v1 ConfigMap":
			obj = &corev1.ConfigMap{}
		case "v1 PersistentVolumeClaim":
			obj = &corev1.PersistentVolumeClaim{}
		default:
			return fmt.Errorf("%s: document %d: kind %q of %q is not one these manifests use", source, i+1, tm.Kind, tm.APIVersion)
		}
		if err := yaml.UnmarshalStrict(doc, obj); err != nil {
			return fmt.Errorf("%s: document %d (%s): %w", source, i+1, tm.Kind, err)
		}
		o.add(obj)
	}
	return nil
}

func (o *objects) add(obj interface{ GetName() string }) {
	switch obj := obj.(type) {
	case *batchv1.Job:
		o.jobs[obj.Name] = obj
	case *appsv1.DaemonSet:
		o.daemonSets[obj.Name] = obj
	case *corev1.ConfigMap:
		o.configMaps[obj.Name] = obj
	case *corev1.PersistentVolumeClaim:
		o.pvcs[obj.Name] = obj
	}
}

// configMap is the ConfigMap a pod refers to by its built name (with the
// hash kustomize appends to a generated one).
func (o *objects) configMap(t *testing.T, name string) *corev1.ConfigMap {
	t.Helper()
	if cm, ok := o.configMaps[name]; ok {
		return cm
	}
	t.Fatalf("no ConfigMap %s is built", name)
	return nil
}

// build runs kustomize on folder dir of fsys, as kubectl apply -k would, and
// decodes what it makes strictly.
func build(t *testing.T, fsys filesys.FileSystem, dir string) *objects {
	t.Helper()
	res, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(fsys, dir)
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	out, err := res.AsYaml()
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	o := newObjects()
	if err := o.decode("kustomize build "+dir, out); err != nil {
		t.Fatal(err)
	}
	return o
}

// builtRun is the run's kustomization as built from the files on disk.
func builtRun(t *testing.T) *objects {
	t.Helper()
	return build(t, filesys.MakeFsOnDisk(), ".")
}

// readKustomization decodes dir/kustomization.yaml strictly.
func readKustomization(t *testing.T, dir string) types.Kustomization {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var k types.Kustomization
	if err := yaml.UnmarshalStrict(data, &k); err != nil {
		t.Fatalf("%s/kustomization.yaml: %v", dir, err)
	}
	return k
}

// generatorFiles are the files a kustomization's ConfigMap generators read.
func generatorFiles(k types.Kustomization) []string {
	var files []string
	for _, g := range k.ConfigMapGenerator {
		files = append(files, g.FileSources...)
		files = append(files, g.EnvSources...)
	}
	return files
}

func TestEveryManifestDecodesStrictlyIntoTheAPITypes(t *testing.T) {
	for _, dir := range kustomizations {
		k := readKustomization(t, dir)
		for _, name := range k.Resources {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if err := newObjects().decode(filepath.Join(dir, name), data); err != nil {
				t.Error(err)
			}
		}
		build(t, filesys.MakeFsOnDisk(), dir)
	}
}

func TestAMisspelledFieldIsRefused(t *testing.T) {
	data, err := os.ReadFile("run-job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := newObjects().decode("run-job.yaml", data); err != nil {
		t.Fatalf("the file as it is: %v", err)
	}
	misspelled := bytes.Replace(data, []byte("completionMode:"), []byte("completionMod:"), 1)
	err = newObjects().decode("run-job.yaml", misspelled)
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte(`unknown field "completionMod"`)) {
		t.Fatalf("completionMod: got %v, want an unknown field error", err)
	}
	twice := bytes.Replace(data, []byte("  backoffLimit: 0\n"), []byte("  backoffLimit: 0\n  backoffLimit: 1\n"), 1)
	if err := newObjects().decode("run-job.yaml", twice); err == nil {
		t.Fatal("backoffLimit given twice was accepted")
	}
}

func TestEachKustomizationListsEveryManifestOfItsFolder(t *testing.T) {
	for _, dir := range kustomizations {
		k := readKustomization(t, dir)
		listed := append(slices.Clone(k.Resources), generatorFiles(k)...)
		for _, name := range listed {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				t.Errorf("%s/kustomization.yaml lists %s: %v", dir, name, err)
			}
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || name == "kustomization.yaml" || (filepath.Ext(name) != ".yaml" && filepath.Ext(name) != ".env") {
				continue
			}
			if !slices.Contains(listed, name) {
				t.Errorf("%s/%s is in the folder but not in its kustomization.yaml", dir, name)
			}
		}
	}
}
