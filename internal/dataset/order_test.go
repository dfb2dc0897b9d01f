package dataset

import (
	"strconv"
	"strings"
	"testing"
)

func rowsTable(n int) *Table {
	t := &Table{Columns: []string{"n"}}
	for i := range n {
		t.cells = append(t.cells, strconv.Itoa(i))
	}
	return t
}

func TestSequentialWrapsAndOnceNeverRepeats(t *testing.T) {
	tbl := rowsTable(3)
	var got []string
	for seq := range uint64(7) {
		got = append(got, strconv.Itoa(tbl.Row(Sequential, 99, seq)))
	}
	if s := strings.Join(got, ","); s != "0,1,2,0,1,2,0" {
		t.Errorf("sequential rows %s, want 0,1,2,0,1,2,0", s)
	}
	big := rowsTable(1000)
	seen := map[int]bool{}
	for seq := range uint64(1000) {
		r := big.Row(Once, 99, seq)
		if seen[r] {
			t.Fatalf("once: seq %d took row %d again", seq, r)
		}
		seen[r] = true
	}
}

// TestRandomIsReproducibleAndSpread: the same seed picks the same rows,
// another seed others, and every row is picked about as often.
func TestRandomIsReproducibleAndSpread(t *testing.T) {
	tbl := rowsTable(10)
	counts := make([]int, 10)
	var differs bool
	for seq := range uint64(10_000) {
		r := tbl.Row(Random, 5, seq)
		if r != tbl.Row(Random, 5, seq) {
			t.Fatalf("seq %d: seed 5 picked two rows", seq)
		}
		differs = differs || r != tbl.Row(Random, 6, seq)
		counts[r]++
	}
	for row, n := range counts {
		if n < 850 || n > 1150 { // 1000 expected; 4.7 standard deviations
			t.Errorf("row %d picked %d times in 10000, want about 1000", row, n)
		}
	}
	if !differs {
		t.Error("seeds 5 and 6 picked the same rows")
	}
	var runs int // a row picked twice in a row: 1 in 10 when random
	for seq := range uint64(9999) {
		if tbl.Row(Random, 5, seq) == tbl.Row(Random, 5, seq+1) {
			runs++
		}
	}
	if runs > 1200 {
		t.Errorf("the same row twice in a row %d times in 9999: not random", runs)
	}
}

func TestParseOrder(t *testing.T) {
	for i, name := range Orders {
		if o, err := ParseOrder(name); err != nil || int(o) != i || o.String() != name {
			t.Errorf("ParseOrder(%q) = %v, %v", name, o, err)
		}
	}
	if _, err := ParseOrder("shuffle"); err == nil || err.Error() != `"shuffle" is not sequential, random or once` {
		t.Errorf("ParseOrder(shuffle) = %v", err)
	}
}
