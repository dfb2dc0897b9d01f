package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"text/tabwriter"
)

// maxResultBytes bounds a result file: a drill's JSON is a few kB.
const maxResultBytes = 1 << 20

var backendRE = regexp.MustCompile(`^[A-Za-z0-9._-]{0,32}$`)

// readResult reads a result file strictly: one JSON object of known fields
// (their types checked), a known kind, a short backend name. Its errors name
// the file and what is wrong, never the file's bytes.
func readResult(path string) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxResultBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	r, err := parseResult(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

func parseResult(b []byte) (*Result, error) {
	if len(b) > maxResultBytes {
		return nil, fmt.Errorf("not a drill result: over %d bytes", maxResultBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var r Result
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("not a drill result: %s", jsonProblem(err, dec.InputOffset()))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("not a drill result: more after the object, at byte %d", dec.InputOffset())
	}
	if _, err := parseKind(string(r.Kind)); err != nil {
		return nil, errors.New("kind: not one of " + fmt.Sprint(Kinds))
	}
	if !backendRE.MatchString(r.Backend) {
		return nil, errors.New("backend: not a name of at most 32 letters, digits, '.', '_' or '-'")
	}
	return &r, nil
}

// jsonProblem says what is wrong with the JSON without quoting it: the
// decoder's own messages may hold a key or a character of the input.
func jsonProblem(err error, offset int64) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("invalid JSON at byte %d", syn.Offset)
	case errors.As(err, &typ) && typ.Field == "":
		return fmt.Sprintf("not a JSON object, at byte %d", typ.Offset)
	case errors.As(err, &typ):
		// Field is the path of a field of Result: a name of ours.
		return fmt.Sprintf("field %s: not a %s, at byte %d", typ.Field, typ.Type, typ.Offset)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "no JSON object, or a truncated one"
	}
	return fmt.Sprintf("an unknown field or a value out of range, before byte %d", offset)
}

// printRounds prints one line of figures per result.
func printRounds(w io.Writer, results []*Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "backend\tkind\tjobs\taccepted\trejected\tlost\tuncompleted\tdups\ttakeover_s\tgap_s\tbacklog_s\tcompl/s\tpeak/s\taccept_p50_ms\taccept_p99_ms\te2e_p99_pre_ms\te2e_max_ms\trun_exit\t")
	for _, r := range results {
		if r.Error != "" {
			fmt.Fprintf(tw, "%s\t%s\tcould not run\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\n", r.Backend, r.Kind)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%.2f\t%.2f\t%.1f\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%d\t\n",
			r.Backend, r.Kind, r.Jobs, r.Accepted, r.Rejected, r.Lost, r.Uncompleted, r.Duplicates, takeover(r), r.GapS, r.BacklogClearedS,
			r.ThroughputPerS, r.PeakPerS, r.AcceptP50MS, r.AcceptP99MS, r.E2EBeforeP99MS, r.E2EMaxMS, r.RunExit)
	}
	return tw.Flush()
}

func consumerExits(r *Result) int {
	n := 0
	for _, e := range r.ConsumerExits {
		n += e
	}
	return n
}

func takeover(r *Result) string {
	if !r.TookOver {
		return "none"
	}
	return fmt.Sprintf("%.2f", r.TakeoverS)
}

// sentence is one drill in a line.
func sentence(r *Result) string {
	if r.Error != "" {
		return fmt.Sprintf("%s %s: could not run: %s", r.Backend, r.Kind, r.Error)
	}
	return fmt.Sprintf("%s %s: lost %d, uncompleted %d, duplicates %d, rejected %d of %d (%d done anyway), takeover %s s, consumer exits %d, exit %d",
		r.Backend, r.Kind, r.Lost, r.Uncompleted, r.Duplicates, r.Rejected, r.Sent, r.CompletedUnaccepted, takeover(r), consumerExits(r), r.RunExit)
}

// verdict is what a series of drills came to.
type verdict struct {
	drills  int
	lost    int64    // accepted jobs never completed, all drills
	failed  []string // a drill that lost or left undone a job, or could not run
	losing  bool     // some drill lost or left undone a job
	noStart bool     // some drill could not run
}

func (v verdict) exitCode() int {
	switch {
	case v.losing:
		return 99
	case v.noStart:
		return 1
	}
	return 0
}

// line is the last line bench/drills.sh prints: "N drills, 0 lost", or
// the failures too.
func (v verdict) line() string {
	s := fmt.Sprintf("%d drills, %d lost", v.drills, v.lost)
	if len(v.failed) > 0 {
		s += "; failed: " + strings.Join(v.failed, ", ")
	}
	return s
}

// printDrills prints, per broker and kind: drills, lost (total),
// uncompleted (total), duplicates (median/max), rejected (total, and how
// many of those were completed all the same: 503 is no promise), takeover
// (median/max of the drills where it came, and how many where it did not),
// consumer exits (total) and the exit codes of loadgen run seen; then the
// verdict line. files name
// the results in the verdict.
func printDrills(w io.Writer, results []*Result, files []string) (verdict, error) {
	type key struct {
		backend string
		kind    Kind
	}
	groups := map[key][]*Result{}
	var keys []key
	v := verdict{drills: len(results)}
	for i, r := range results {
		k := key{r.Backend, r.Kind}
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], r)
		switch {
		case r.Error != "":
			v.noStart = true
			v.failed = append(v.failed, fmt.Sprintf("%s (%s %s: could not run)", files[i], r.Backend, r.Kind))
		case r.Lost > 0 || r.Uncompleted > 0:
			v.losing = true
			v.failed = append(v.failed, fmt.Sprintf("%s (%s %s: lost %d, uncompleted %d)", files[i], r.Backend, r.Kind, r.Lost, r.Uncompleted))
		}
		v.lost += r.Lost
	}
	slices.SortStableFunc(keys, func(a, b key) int {
		return cmp.Or(strings.Compare(a.backend, b.backend), cmp.Compare(slices.Index(Kinds, a.kind), slices.Index(Kinds, b.kind)))
	})
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "broker\tkind\tdrills\tlost\tuncompleted\tdups med/max\trejected\trejected, done anyway\ttakeover s med/max\tno takeover\tconsumer exits\trun exit codes\tcould not run\t")
	for _, k := range keys {
		var lost, uncompleted, rejected, doneAnyway int64
		var dups, takeovers []float64
		var noTakeover, noRun, exited int
		exits := map[int]int{}
		for _, r := range groups[k] {
			if r.Error != "" {
				noRun++
				continue
			}
			lost += r.Lost
			uncompleted += r.Uncompleted
			rejected += r.Rejected
			doneAnyway += r.CompletedUnaccepted
			dups = append(dups, float64(r.Duplicates))
			if r.TookOver {
				takeovers = append(takeovers, r.TakeoverS)
			} else {
				noTakeover++
			}
			exits[r.RunExit]++
			exited += consumerExits(r)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\t%d\t%d\t%s\t%d\t%d\t%s\t%d\t\n", k.backend, k.kind, len(groups[k]), lost, uncompleted,
			medMax(dups, "%.0f"), rejected, doneAnyway, medMax(takeovers, "%.2f"), noTakeover, exited, exitCounts(exits), noRun)
	}
	if err := tw.Flush(); err != nil {
		return v, err
	}
	_, err := fmt.Fprintln(w, v.line())
	return v, err
}

// medMax is "median/max" (nearest-rank median), "-" for none.
func medMax(xs []float64, format string) string {
	if len(xs) == 0 {
		return "-"
	}
	return fmt.Sprintf(format+"/"+format, nearestRank(xs, 0.5), nearestRank(xs, 1))
}

// exitCounts is "0 x28, 97 x2": each exit code and how often it came.
func exitCounts(exits map[int]int) string {
	if len(exits) == 0 {
		return "-"
	}
	var parts []string
	for _, c := range slices.Sorted(maps.Keys(exits)) {
		parts = append(parts, fmt.Sprintf("%d x%d", c, exits[c]))
	}
	return strings.Join(parts, ", ")
}
