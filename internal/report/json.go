package report

import (
	"io"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// JSON writes the summary as indented JSON: summary.json itself.
func JSON(w io.Writer, s *bundle.Summary) error { return s.Encode(w) }
