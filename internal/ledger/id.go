package ledger

import (
	"strconv"
	"strings"
)

// ParseID returns the sequence number of id when id is prefix followed by a
// sequence number in canonical decimal (as strconv.FormatUint writes it: no
// sign, no leading zero). It returns ok=false for ids of other runs or paths
// and for malformed ids, which the caller counts as foreign.
func ParseID(prefix, id string) (seq uint64, ok bool) {
	digits, ok := strings.CutPrefix(id, prefix)
	if !ok || digits == "" || (len(digits) > 1 && digits[0] == '0') {
		return 0, false
	}
	seq, err := strconv.ParseUint(digits, 10, 64)
	if err != nil {
		return 0, false
	}
	return seq, true
}
