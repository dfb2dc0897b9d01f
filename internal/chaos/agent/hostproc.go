package agent

import (
	"cmp"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/loadchaos/loadgen/internal/proc"
)

// HostProc is one process of the host as the agent sees it in /proc.
type HostProc struct {
	proc.Info // Name is LABEL@PID (see describe), its label a plain word; Paused when stopped (state T)

	PPID    int
	State   byte     // from /proc/PID/stat: R, S, D, T, t, Z, ...
	Comm    string   // the kernel's short command name
	Exe     string   // the executable's path; "" when unreadable
	Argv    []string // empty for kernel threads
	Cgroups []string // the process's cgroup path in each hierarchy

	// Loadgen is the loadgen command the process runs ("target", "run",
	// "broker", ...) when its executable or argv[0] is named loadgen.
	Loadgen string
	// Protected says why the agent never signals it; "" when it may.
	Protected string
}

// procFiles is what /proc says of one process: its stat, its command line
// (NUL-separated; nil when unreadable or a kernel thread's), the target of
// its exe link ("" when unreadable) and its cgroup file.
type procFiles struct {
	stat, cmdline []byte
	exe           string
	cgroup        []byte
}

// parseProc reads a process from what /proc says of it (see inspect). Its
// Info is filled from its command line; a registry may name it better later.
func parseProc(pid int, files procFiles) (HostProc, error) {
	p := HostProc{Info: proc.Info{PID: pid}}
	if err := p.parseStat(files.stat); err != nil {
		return HostProc{}, err
	}
	if len(files.cmdline) > 0 {
		p.Argv = strings.Split(strings.TrimSuffix(string(files.cmdline), "\x00"), "\x00")
	}
	p.Exe = strings.TrimSuffix(files.exe, " (deleted)")
	for line := range strings.Lines(string(files.cgroup)) {
		if parts := strings.SplitN(strings.TrimSpace(line), ":", 3); len(parts) == 3 {
			p.Cgroups = append(p.Cgroups, parts[2])
		}
	}
	p.describe()
	return p, nil
}

// parseStat reads name, state, parent and start time from /proc/PID/stat.
func (p *HostProc) parseStat(stat []byte) error {
	s, err := proc.ParseStat(p.PID, stat)
	if err != nil {
		return err
	}
	p.Comm, p.State, p.PPID, p.StartTime = s.Comm, s.State, s.PPID, s.StartTime
	p.Paused = p.State == 'T'
	return nil
}

// describe names the process and, for loadgen's workers, gives it the role
// and group the embedded drill's registry would: `loadgen target
// async-consumer --group G --worker W` (or `target consumer`, its first
// name) is W, a consumer of group G.
func (p *HostProc) describe() {
	label := p.Comm
	if len(p.Argv) > 0 && p.Argv[0] != "" {
		label = filepath.Base(p.Argv[0])
	} else if p.Exe != "" {
		label = filepath.Base(p.Exe)
	}
	if filepath.Base(p.Exe) == "loadgen" || label == "loadgen" {
		args := positional(p.Argv)
		p.Loadgen = "loadgen"
		if len(args) > 0 {
			p.Loadgen = args[0]
		}
		if len(args) > 1 && args[0] == "target" {
			p.Role, p.Group = cmp.Or(proc.TargetRole(args[1]), plainWord(args[1])), plainWord(flagValue(p.Argv, "group"))
			label = cmp.Or(flagValue(p.Argv, "worker"), "loadgen-"+args[1])
		}
	}
	p.rename(plainWord(label))
}

// maxWordBytes bounds a name, role or group taken from a command line.
const maxWordBytes = 255

// plainWord makes what a process's command line says, which any user
// sets, fit to fill into a command ({{.Name}}) that may reach a shell: a
// byte other than a letter, a digit, '.', '_' or '-' becomes '_', and a
// word that would start like a flag gets an x in front.
func plainWord(s string) string {
	isAlnum := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }
	b := []byte(s[:min(len(s), maxWordBytes)])
	for i, c := range b {
		if !isAlnum(c) && c != '.' && c != '_' && c != '-' {
			b[i] = '_'
		}
	}
	if len(b) > 0 && !isAlnum(b[0]) {
		b = append([]byte{'x'}, b...)
	}
	return string(b)
}

// rename sets the process's name to label@PID: unique on the host, and
// still telling which worker it was.
func (p *HostProc) rename(label string) { p.Name = label + "@" + strconv.Itoa(p.PID) }

// Label is the name without its @PID.
func (p HostProc) Label() string {
	label, _, _ := strings.Cut(p.Name, "@")
	return label
}

// Worker reports whether the process is a `loadgen target ...` worker.
func (p HostProc) Worker() bool { return p.Loadgen == "target" }

// Peers names the group of processes that do the same job, whose last live
// member the agent keeps unless an action allows it: the consumers of one
// group, the workers of one kind (backends, edges), or else the processes
// of one program.
func (p HostProc) Peers() string {
	switch {
	case p.Role == proc.RoleConsumer:
		return "consumers of group " + p.Group
	case p.Role != "":
		return p.Role + "s"
	}
	return "processes named " + p.Label()
}

// positional lists argv's words after the program that are not flags or
// flag values written as --flag=value. Flags written as "--flag value"
// leave their value in the list, which is fine for finding a command name,
// since loadgen has no flag before its command.
func positional(argv []string) []string {
	var out []string
	for _, a := range argv[min(1, len(argv)):] {
		if !strings.HasPrefix(a, "-") {
			out = append(out, a)
		}
	}
	return out
}

// flagValue finds --name VALUE or --name=VALUE (or with one dash) in argv.
func flagValue(argv []string, name string) string {
	for i, a := range argv {
		bare := strings.TrimLeft(a, "-")
		if bare == a {
			continue
		}
		if v, ok := strings.CutPrefix(bare, name+"="); ok {
			return v
		}
		if bare == name && i+1 < len(argv) {
			return argv[i+1]
		}
	}
	return ""
}
