package agent

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/loadchaos/loadgen/internal/proc"
	"github.com/loadchaos/loadgen/internal/secretfile"
)

// A registry is a directory of JSON records, one per process, such as
// internal/proc writes for an embedded run's workers. Whoever may write
// there may name processes for the agent to hit, so a directory or record
// any user may write is refused, and each record is read with a bound and
// strictly: its values reach the journal, the API's answers and restart
// commands' templates ({{.Name}}), so only plain words pass.

// maxRecordBytes bounds a record: internal/proc writes about 150 bytes.
const maxRecordBytes = 4 << 10

// maxRegistryEntries bounds a registry directory's listing.
const maxRegistryEntries = 4096

// word is a name, role or group in a record: letters, digits, '.', '_',
// '-', as consumer groups are named; nothing a shell would read.
var word = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// hostPort is an address in a record, such as 127.0.0.1:8080 or [::1]:8080.
var hostPort = regexp.MustCompile(`^[A-Za-z0-9.:\[\]_-]+$`)

func isWord(s string) bool        { return word.MatchString(s) }
func isWordOrEmpty(s string) bool { return s == "" || isWord(s) }

func isHostPort(s string) bool {
	_, port, err := net.SplitHostPort(s)
	n, perr := strconv.Atoi(port)
	return hostPort.MatchString(s) && err == nil && perr == nil && n >= 1 && n <= 65535
}

// parseRecord reads a registry record: a JSON object with name, pid and
// start_time_ticks, and optionally role, group, addr and paused, nothing
// else. Its errors never quote the record.
func parseRecord(data []byte) (proc.Info, error) {
	const wordWant = "letters, digits, '.', '_' and '-'"
	var info proc.Info
	err := readObject(data, map[string]jsonField{
		"name":             stringField(&info.Name, 255, isWord, wordWant),
		"role":             stringField(&info.Role, 64, isWordOrEmpty, wordWant),
		"group":            stringField(&info.Group, 255, isWordOrEmpty, wordWant),
		"pid":              intField(&info.PID, 1, maxPID),
		"start_time_ticks": uintField(&info.StartTime),
		"addr":             stringField(&info.Addr, 255, isHostPort, "HOST:PORT"),
		"paused":           boolField(&info.Paused),
	})
	if err != nil {
		return proc.Info{}, err
	}
	switch {
	case info.Name == "":
		return proc.Info{}, errors.New(`field "name" is required`)
	case info.PID == 0:
		return proc.Info{}, errors.New(`field "pid" is required`)
	case info.StartTime == 0:
		return proc.Info{}, errors.New(`field "start_time_ticks" is required: without it a newer process at the PID passes for this one`)
	}
	return info, nil
}

// readRecord reads one record file.
func readRecord(path string) (proc.Info, error) {
	f, fi, err := secretfile.OpenRegular(path)
	if err != nil {
		return proc.Info{}, err
	}
	defer f.Close()
	if err := refuseWritableByAnyone(fi); err != nil {
		return proc.Info{}, err
	}
	data, err := secretfile.ReadAtMost(f, maxRecordBytes)
	if err != nil {
		return proc.Info{}, err
	}
	return parseRecord(data)
}

// registryFiles lists the records (*.json) of a registry directory.
func registryFiles(dir string) ([]string, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, errors.New("not a directory")
	}
	if err := refuseWritableByAnyone(fi); err != nil {
		return nil, err
	}
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	var names []string
	for seen := 0; ; {
		batch, err := d.ReadDir(256)
		seen += len(batch)
		if seen > maxRegistryEntries {
			return nil, fmt.Errorf("more than %d entries: not a process registry", maxRegistryEntries)
		}
		for _, e := range batch {
			if strings.HasSuffix(e.Name(), ".json") {
				names = append(names, e.Name())
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	slices.Sort(names)
	return names, nil
}

// readRegistry finds the live processes dir's records name, keeping each
// one's record. Records that cannot be read, or that name a process no
// longer running, are skipped and told in notes.
func (src *sources) readRegistry(dir string, live map[int]HostProc) (map[int]bool, error) {
	names, err := registryFiles(dir)
	if err != nil {
		return nil, fmt.Errorf("registry=%s: %w", dir, err)
	}
	found := map[int]bool{}
	for _, name := range names {
		info, err := readRecord(filepath.Join(dir, name))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue // removed since the listing: its process stopped
		case err != nil:
			src.notes = append(src.notes, fmt.Sprintf("registry=%s: %q skipped: %v", dir, name, err))
			continue
		}
		// The record's own start time, not the file's time, tells whether
		// the process at its PID now is the one it names. Both come from
		// /proc/PID/stat on one clock, so they are equal exactly when it is,
		// with no clock to convert and no slack; and a record holding a
		// process's start time cannot have been written before that process
		// started. The file's time would also move when the record is
		// rewritten, as it is on a pause.
		if p, ok := live[info.PID]; !ok || p.StartTime != info.StartTime {
			src.notes = append(src.notes, fmt.Sprintf("registry=%s: %s (pid %d) is stale: its process is gone or its PID reused", dir, info.Name, info.PID))
			continue
		}
		found[info.PID] = true
		src.registry[info.PID] = info
		src.why[info.PID] = append(src.why[info.PID], "in registry "+dir+" as "+info.Name)
	}
	return found, nil
}
