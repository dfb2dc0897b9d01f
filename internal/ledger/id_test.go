package ledger

import "testing"

func TestParseID(t *testing.T) {
	const prefix = "20261129-112448-3d22e3-a"
	for _, tc := range []struct {
		id  string
		seq uint64
		ok  bool
		why string
	}{
		{prefix + "17", 17, true, "an id of this run"},
		{prefix + "0", 0, true, "the first request"},
		{prefix + "18446744073709551615", 1<<64 - 1, true, "the largest seq"},
		{prefix + "18446744073709551616", 0, false, "a seq beyond uint64"},
		{"20261129-112448-3d22e3-s17", 0, false, "the sync path of the same run"},
		{"20261129-090000-aaaaaa-a17", 0, false, "another run"},
		{prefix, 0, false, "no seq"},
		{prefix + "017", 0, false, "a leading zero is not how seqs are written"},
		{prefix + "+17", 0, false, "a sign"},
		{prefix + "-1", 0, false, "a negative seq"},
		{prefix + "1_7", 0, false, "an underscore"},
		{prefix + "17 ", 0, false, "trailing space"},
		{"", 0, false, "no id at all (a message without the header)"},
	} {
		seq, ok := ParseID(prefix, tc.id)
		if seq != tc.seq || ok != tc.ok {
			t.Errorf("%s: ParseID(%q) = %d, %v; want %d, %v", tc.why, tc.id, seq, ok, tc.seq, tc.ok)
		}
	}
}
