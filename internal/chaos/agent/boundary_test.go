package agent

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const chaosPath = "github.com/loadchaos/loadgen/internal/chaos"

// The agent and the drill's package chaos meet only through chaos's
// interfaces (Processes, Picker, Fault, Probe), each side calling the other
// through them and never asking what is behind one: the agent asserts no
// value it holds as one of chaos's types, and none of its types has an
// ability chaos checks for by assertion (Restarter), which would change
// what chaos does to the host without either side saying so.
func TestNoTypeAssertionCrossesTheChaosBoundary(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	fset := token.NewFileSet()
	imp := exportImporter(t, ctx, fset, ".", "..")
	agentPkg, agentFiles, agentInfo := typeCheck(t, ctx, fset, imp, ".")
	chaosPkg, chaosFiles, chaosInfo := typeCheck(t, ctx, fset, imp, "..")

	for pos, what := range assertions(agentFiles, agentInfo) {
		if named := namedOf(what.on); named != nil && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == chaosPath {
			t.Errorf("%s: asserts what a %s holds: the agent must not ask what is behind chaos's interfaces", fset.Position(pos), what.on)
		}
	}
	var abilities []*types.Interface
	for _, what := range assertions(chaosFiles, chaosInfo) {
		if what.to == nil {
			continue
		}
		if iface, ok := what.to.Underlying().(*types.Interface); ok {
			abilities = append(abilities, iface)
		}
	}
	if len(abilities) == 0 {
		t.Fatal("chaos checks for no ability by assertion: the test lost track of Signal's Restarter")
	}
	scope := agentPkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok {
			continue
		}
		for _, iface := range abilities {
			if types.Implements(tn.Type(), iface) || types.Implements(types.NewPointer(tn.Type()), iface) {
				t.Errorf("agent.%s has an ability %s checks for by assertion (%s)", name, chaosPkg.Name(), iface)
			}
		}
	}
}

// assertion is one type assertion: the static type of the value asserted
// on and the type asserted to (nil for a type switch's x.(type)).
type assertion struct{ on, to types.Type }

func assertions(files []*ast.File, info *types.Info) map[token.Pos]assertion {
	out := map[token.Pos]assertion{}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			if ta, ok := n.(*ast.TypeAssertExpr); ok {
				a := assertion{on: info.TypeOf(ta.X)}
				if ta.Type != nil {
					a.to = info.TypeOf(ta.Type)
				}
				out[ta.Pos()] = a
			}
			return true
		})
	}
	return out
}

func namedOf(t types.Type) *types.Named {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	named, _ := types.Unalias(t).(*types.Named)
	return named
}

// exportImporter imports dependencies from the export data the go command
// builds (and caches) for dirs' imports.
func exportImporter(t *testing.T, ctx context.Context, fset *token.FileSet, dirs ...string) types.Importer {
	t.Helper()
	args := append([]string{"list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}"}, dirs...)
	out, err := exec.CommandContext(ctx, "go", args...).Output()
	if err != nil {
		t.Fatalf("go list -export: %v", err)
	}
	exports := map[string]string{}
	lines := bufio.NewScanner(bytes.NewReader(out))
	for lines.Scan() {
		if path, file, ok := strings.Cut(lines.Text(), "\t"); ok && file != "" {
			exports[path] = file
		}
	}
	return importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		file, ok := exports[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(file)
	})
}

// typeCheck parses and checks the non-test files of the package in dir
// that the go command builds here.
func typeCheck(t *testing.T, ctx context.Context, fset *token.FileSet, imp types.Importer, dir string) (*types.Package, []*ast.File, *types.Info) {
	t.Helper()
	out, err := exec.CommandContext(ctx, "go", "list", "-f", "{{.ImportPath}}\n{{range .GoFiles}}{{.}}\n{{end}}", dir).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", dir, err)
	}
	names := strings.Fields(string(out))
	var files []*ast.File
	for _, name := range names[1:] {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
	pkg, err := (&types.Config{Importer: imp}).Check(names[0], fset, files, info)
	if err != nil {
		t.Fatalf("type-check %s: %v", dir, err)
	}
	return pkg, files, info
}
