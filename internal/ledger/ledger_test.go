package ledger

import (
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

const testPrefix = "run1-a"

// apply plays ops on l: "+N" accepts seq N, anything else is the id of a
// completion, handled as the completions reader does.
func apply(l *Ledger, ops string) {
	for _, op := range strings.Fields(ops) {
		if n, ok := strings.CutPrefix(op, "+"); ok {
			seq, err := strconv.ParseUint(n, 10, 64)
			if err != nil {
				panic(op)
			}
			l.Accept(seq)
			continue
		}
		if seq, ok := ParseID(testPrefix, op); ok {
			l.Complete(seq)
		} else {
			l.Foreign()
		}
	}
}

func TestCounts(t *testing.T) {
	const capacity = 10
	for _, tc := range []struct {
		why  string
		ops  string
		want Counts
	}{
		{"nothing happened", "", Counts{}},
		{"all accepted ids completed", "+0 +1 +9 run1-a0 run1-a1 run1-a9",
			Counts{Accepted: 3, Completed: 3}},
		{"an accepted id not completed is pending", "+0 +1 +2 run1-a1",
			Counts{Accepted: 3, Completed: 1, Pending: 2}},
		{"each completion beyond the first is a duplicate", "+3 run1-a3 run1-a3 run1-a3",
			Counts{Accepted: 1, Completed: 1, Duplicates: 2}},
		{"accepting twice counts once", "+3 +3 run1-a3",
			Counts{Accepted: 1, Completed: 1}},
		{"completed but never accepted is completed after rejection, not unexpected", "+1 run1-a1 run1-a2",
			Counts{Accepted: 1, Completed: 2, CompletedAfterRejection: 1}},
		{"a completion recorded before its acceptance is not after a rejection", "run1-a4 run1-a5 +4 +5",
			Counts{Accepted: 2, Completed: 2}},
		{"ids of other runs and paths are unexpected", "+0 run1-a0 run0-a0 run1-s0 run1-a00 nonsense",
			Counts{Accepted: 1, Completed: 1, Unexpected: 4}},
		{"a completion beyond capacity is unexpected, each time", "run1-a10 run1-a10 run1-a99999",
			Counts{Unexpected: 3}},
		{"an accept beyond capacity is untracked", "+10 +11 run1-a10",
			Counts{Unexpected: 1, Untracked: 2}},
		{"all at once", "+0 +1 +2 +3 run1-a0 run1-a0 run1-a2 run1-a7 other",
			Counts{Accepted: 4, Completed: 3, CompletedAfterRejection: 1, Pending: 2, Duplicates: 1, Unexpected: 1}},
	} {
		l := New(capacity)
		apply(l, tc.ops)
		if got := l.Counts(); got != tc.want {
			t.Errorf("%s: %q: Counts = %+v, want %+v", tc.why, tc.ops, got, tc.want)
		}
		if got := l.Pending(); got != tc.want.Pending {
			t.Errorf("%s: %q: Pending = %d, want %d", tc.why, tc.ops, got, tc.want.Pending)
		}
	}
}

// TestARejectedIDCompletedIsNotUnexpected: the edge answered 503 for an id
// whose produce still succeeded; its completion is honest at-least-once
// delivery and counts apart from the ids this run never sent.
func TestARejectedIDCompletedIsNotUnexpected(t *testing.T) {
	l := New(10)
	l.Accept(0)
	// seq 1 was sent and rejected: never accepted, yet completed.
	for _, seq := range []uint64{0, 1} {
		l.Complete(seq)
	}
	l.Foreign()    // an id of another run
	l.Complete(10) // beyond the capacity
	got := l.Final(true)
	want := Counts{Accepted: 1, Completed: 2, CompletedAfterRejection: 1, Unexpected: 2}
	if got != want {
		t.Errorf("Final = %+v, want %+v", got, want)
	}
}

func TestOnlyADrainThatRanItsCourseCountsTheAwaitedLost(t *testing.T) {
	l := New(10)
	apply(l, "+0 +1 +2 run1-a1")
	// The drain ran its course: what it still awaited is lost.
	if got, want := l.Final(true), (Counts{Accepted: 3, Completed: 1, Lost: 2}); got != want {
		t.Errorf("Final(drained) = %+v, want %+v", got, want)
	}
	// The drain was interrupted: the same ids are pending, none lost.
	if got, want := l.Final(false), (Counts{Accepted: 3, Completed: 1, Pending: 2}); got != want {
		t.Errorf("Final(interrupted) = %+v, want %+v", got, want)
	}
}

func TestCompleteFirst(t *testing.T) {
	l := New(100)
	for _, tc := range []struct {
		seq  uint64
		want bool
		why  string
	}{
		{5, true, "the first completion, before any accept"},
		{5, false, "a duplicate"},
		{64, true, "another word"},
		{99, true, "the last seq"},
		{100, false, "beyond capacity"},
	} {
		if got := l.Complete(tc.seq); got != tc.want {
			t.Errorf("%s: Complete(%d) = %v, want %v", tc.why, tc.seq, got, tc.want)
		}
	}
}

// TestConcurrent accepts from many goroutines while one completes and
// another reads the counts, as a run does; run it with -race.
func TestConcurrent(t *testing.T) {
	const workers, perWorker = 8, 5000
	const n = workers * perWorker
	l := New(n)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			// Interleaved seqs: every word is shared by all workers.
			for i := range perWorker {
				l.Accept(uint64(i*workers + w))
			}
		})
	}
	wg.Go(func() {
		// Every id, the odd ones twice; some before their accept.
		for seq := range uint64(n) {
			l.Complete(seq)
			if seq%2 == 1 {
				l.Complete(seq)
			}
		}
	})
	stop := make(chan struct{})
	sampled := make(chan Counts, 1)
	go func() {
		var last Counts
		for {
			select {
			case <-stop:
				sampled <- last
				return
			default:
				last = l.Counts()
			}
		}
	}()
	wg.Wait()
	close(stop)
	if c := <-sampled; c.Accepted > n || c.Completed > n {
		t.Errorf("a sample counted more than %d ids: %+v", n, c)
	}
	want := Counts{Accepted: n, Completed: n, Duplicates: n / 2}
	if got := l.Counts(); got != want {
		t.Errorf("Counts = %+v, want %+v", got, want)
	}
	if p := l.Pending(); p != 0 {
		t.Errorf("Pending = %d, want 0", p)
	}
}

// TestMemory checks that a ledger costs two bits per id.
func TestMemory(t *testing.T) {
	const ids = 12_000_000
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	l := New(ids)
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(l)
	bytes := after.TotalAlloc - before.TotalAlloc
	t.Logf("a ledger of %d ids allocates %d bytes (%.2f bits per id)", ids, bytes, float64(bytes*8)/ids)
	if want := uint64(ids / 4); bytes < want || bytes > want+want/50 {
		t.Errorf("a ledger of %d ids allocates %d bytes, want about %d", ids, bytes, want)
	}
}

func BenchmarkAccept(b *testing.B) {
	l := New(1 << 24)
	b.RunParallel(func(pb *testing.PB) {
		seq := uint64(0)
		for pb.Next() {
			l.Accept(seq & (1<<24 - 1))
			seq++
		}
	})
}

func BenchmarkComplete(b *testing.B) {
	l := New(1 << 24)
	seq := uint64(0)
	for b.Loop() {
		l.Complete(seq & (1<<24 - 1))
		seq++
	}
}

func BenchmarkCounts12M(b *testing.B) {
	l := New(12_000_000)
	for b.Loop() {
		l.Counts()
	}
}
