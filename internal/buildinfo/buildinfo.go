package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// Unknown stands for what the build did not record: `go run` and test
// binaries carry no VCS settings, and a binary may carry no build
// information at all.
const Unknown = "unknown"

// Info is one build's identity.
type Info struct {
	Version  string // the main module's: a pseudo-version for a build from a git checkout, "(devel)" without VCS stamping
	Revision string // vcs.revision, or Unknown
	Time     string // vcs.time (the revision's commit time, RFC 3339), or Unknown
	Modified bool   // vcs.modified: the tree had changes the revision does not hold
	Go       string // the Go version that built it, such as go1.26.8
	OSArch   string // GOOS/GOARCH, such as linux/amd64
}

// Read returns the running binary's build information.
func Read() Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return FromBuildInfo(nil)
	}
	return FromBuildInfo(bi)
}

// FromBuildInfo reads bi (nil when the binary has none); what it lacks is
// Unknown. The Go version and the platform come from the runtime, which
// always knows them.
func FromBuildInfo(bi *debug.BuildInfo) Info {
	i := Info{Version: Unknown, Revision: Unknown, Time: Unknown, Go: runtime.Version(), OSArch: runtime.GOOS + "/" + runtime.GOARCH}
	if bi == nil {
		return i
	}
	if bi.Main.Version != "" {
		i.Version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			i.Revision = s.Value
		case "vcs.time":
			i.Time = s.Value
		case "vcs.modified":
			i.Modified = s.Value == "true"
		}
	}
	return i
}

// String is the one line --version prints after the command's name:
// "v1.2.0 (revision 4f1c..., 2026-12-01T03:00:00Z, modified) go1.26.8 linux/amd64".
func (i Info) String() string {
	details := []string{"revision " + i.Revision}
	if i.Time != Unknown {
		details = append(details, i.Time)
	}
	if i.Modified {
		details = append(details, "modified")
	}
	return fmt.Sprintf("%s (%s) %s %s", i.Version, strings.Join(details, ", "), i.Go, i.OSArch)
}
