package gate

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// maxClaimBytes bounds a claim: a sentence or two.
const maxClaimBytes = 600

// A claim is a sentence that a scenario makes about a run, with the figures
// that bear it out in braces: "{phases.fault.async.reject_ratio%} of the
// async requests rejected". Each {PATH} is a threshold path (one value, no
// [*]); {PATH%} writes a ratio as a percentage. RenderClaim fills them in
// from a summary.

// CheckClaim parses a claim's placeholders against the summary schema.
func CheckClaim(text string) error {
	if len(text) > maxClaimBytes {
		return fmt.Errorf("longer than %d bytes", maxClaimBytes)
	}
	_, err := renderClaim(text, nil)
	return err
}

// RenderClaim writes the claim with its figures from s; a figure the run
// did not record is "-".
func RenderClaim(text string, s *bundle.Summary) (string, error) {
	return renderClaim(text, s)
}

func renderClaim(text string, s *bundle.Summary) (string, error) {
	var b strings.Builder
	for rest := text; ; {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			if strings.IndexByte(rest, '}') >= 0 {
				return "", errors.New("a } without its {")
			}
			b.WriteString(rest)
			return b.String(), nil
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return "", errors.New("a { without its }")
		}
		b.WriteString(rest[:open])
		figure, err := claimFigure(rest[open+1:open+end], s)
		if err != nil {
			return "", err
		}
		b.WriteString(figure)
		rest = rest[open+end+1:]
	}
}

// claimFigure is one placeholder's text: PATH or PATH%.
func claimFigure(placeholder string, s *bundle.Summary) (string, error) {
	path, percent := strings.CutSuffix(placeholder, "%")
	p := &parser{src: path}
	steps, err := p.path()
	if err == nil && p.pos < len(path) {
		err = fmt.Errorf("unexpected %s after the path", excerpt(path[p.pos:]))
	}
	if err == nil && slicesHasAll(steps) {
		err = errors.New("a claim's figure is one value: no [*]")
	}
	if err != nil {
		return "", fmt.Errorf("figure {%s}: %w", clipped(placeholder), err)
	}
	if s == nil {
		return "", nil
	}
	var found []value
	walk([]reflect.Value{reflect.ValueOf(*s)}, steps, &found)
	if len(found) != 1 || !found[0].ok {
		return "-", nil
	}
	if percent {
		return strconv.FormatFloat(100*found[0].v, 'f', 1, 64) + "%", nil
	}
	return formatNumber(found[0].v), nil
}

// clipped is at most the first 40 bytes of s.
func clipped(s string) string {
	if c, cut := clip(s); cut {
		return c + "..."
	}
	return s
}

func slicesHasAll(steps []Step) bool {
	for _, s := range steps {
		if s.All {
			return true
		}
	}
	return false
}
