package profiles

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
)

// builtin holds the built-in profiles: the *.yaml files beside this package,
// which users can also read and copy as starting points.
//
//go:embed *.yaml
var builtin embed.FS

// Builtins returns the names of the built-in profiles, sorted.
func Builtins() []string {
	entries, err := builtin.ReadDir(".")
	if err != nil {
		panic("profiles: embedded profiles unreadable: " + err.Error()) // cannot happen: the root is always there
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	return names // ReadDir sorts by file name
}

// Load returns a built-in profile by name ("spike") or reads a profile file
// by path. A built-in name wins over a file of the same name in the working
// directory; write "./spike" for the file. A name that is neither wraps
// fs.ErrNotExist and lists the built-ins; an invalid profile is an *Error.
// opts are Parse's.
func Load(nameOrPath string, opts ...Option) (*Profile, error) {
	source, data, isBuiltin, err := text(nameOrPath)
	if err != nil {
		return nil, err
	}
	p, err := Parse(source, data, opts...)
	if err != nil {
		return nil, err
	}
	if isBuiltin {
		p.Source = "builtin:" + nameOrPath
	}
	return p, nil
}

// Text is a profile's text as Load finds it, and the source Parse is to
// name it by: profiles/NAME.yaml for a built-in, else the path given.
func Text(nameOrPath string) (source string, data []byte, err error) {
	source, data, _, err = text(nameOrPath)
	return source, data, err
}

func text(nameOrPath string) (source string, data []byte, isBuiltin bool, err error) {
	if slices.Contains(Builtins(), nameOrPath) {
		data, err := builtin.ReadFile(nameOrPath + ".yaml")
		if err != nil {
			return "", nil, true, fmt.Errorf("read built-in profile %s: %w", nameOrPath, err)
		}
		return "profiles/" + nameOrPath + ".yaml", data, true, nil
	}
	data, err = readFile(nameOrPath)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil, false, fmt.Errorf("profile %q is neither a built-in (%s) nor a file: %w",
			nameOrPath, strings.Join(Builtins(), ", "), fs.ErrNotExist)
	}
	if err != nil {
		return "", nil, false, fmt.Errorf("read profile: %w", err)
	}
	return nameOrPath, data, false, nil
}

// maxFileBytes bounds a profile file: the largest built-in is under 2 KB.
const maxFileBytes = 1 << 20

// errTooLarge is a profile file longer than maxFileBytes.
var errTooLarge = errors.New("larger than 1 MiB: not a profile")

// readFile reads a profile file, at most maxFileBytes of it.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileBytes {
		return nil, fmt.Errorf("%s: %w", path, errTooLarge)
	}
	return data, nil
}
