package gate

import (
	"fmt"
	"strconv"
	"strings"
)

// Expr is one parsed threshold: PATH OP NUMBER.
type Expr struct {
	Text  string  // as written
	Path  []Step  // into summary.json
	Op    Op      // the comparison
	Bound float64 // the number, divided by 100 when written with %
}

// Step is one step of a path: a field or key name, a list index, or [*]
// (every element of a list, every value of a map).
type Step struct {
	Name  string // a field or map key; "" for an index or [*]
	Index int    // a list index, when Name is "" and All is false
	All   bool   // [*]
}

// Op is a comparison operator.
type Op string

// The operators.
const (
	Less      Op = "<"
	LessEq    Op = "<="
	Greater   Op = ">"
	GreaterEq Op = ">="
	Equal     Op = "=="
	NotEqual  Op = "!="
)

// Holds tells whether value op bound is true.
func (op Op) Holds(value, bound float64) bool {
	switch op {
	case Less:
		return value < bound
	case LessEq:
		return value <= bound
	case Greater:
		return value > bound
	case GreaterEq:
		return value >= bound
	case Equal:
		return value == bound
	case NotEqual:
		return value != bound
	}
	return false
}

// ParseError is a malformed threshold. Column counts characters from 1 and
// names where the parser stopped: right after the last part it understood.
type ParseError struct {
	Expr   string
	Column int
	Msg    string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("threshold %s: at column %d: %s", excerpt(e.Expr), e.Column, e.Msg)
}

// excerptRunes bounds how much of an expression an error quotes: a
// threshold may come from a bundle's profile.yaml, which anyone may have
// written.
const excerptRunes = 64

// excerpt quotes s, cut to excerptRunes runes with "..." after the quote
// when it is longer.
func excerpt(s string) string {
	if c, cut := clip(s); cut {
		return strconv.Quote(c) + "..."
	}
	return strconv.Quote(s)
}

// clip cuts s to excerptRunes runes and tells whether it did.
func clip(s string) (string, bool) {
	runes := 0
	for i := range s {
		if runes == excerptRunes {
			return s[:i], true
		}
		runes++
	}
	return s, false
}

// Parse reads one threshold expression and checks its path against the
// summary.json schema (see the package documentation). Errors are
// *ParseError.
func Parse(text string) (*Expr, error) {
	p := &parser{src: text}
	e, err := p.expr()
	if err != nil {
		return nil, &ParseError{Expr: text, Column: len([]rune(text[:p.end])) + 1, Msg: err.Error()}
	}
	return e, nil
}

// parser reads src from pos; end is where the last accepted part ended.
type parser struct {
	src      string
	pos, end int
}

func (p *parser) expr() (*Expr, error) {
	e := &Expr{Text: p.src}
	p.space()
	var err error
	if e.Path, err = p.path(); err != nil {
		return nil, err
	}
	p.space()
	if e.Op, err = p.op(); err != nil {
		return nil, err
	}
	p.space()
	if e.Bound, err = p.number(); err != nil {
		return nil, err
	}
	p.space()
	if p.pos < len(p.src) {
		return nil, fmt.Errorf("unexpected %s after the number", excerpt(p.src[p.pos:]))
	}
	return e, nil
}

func (p *parser) space() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
}

// accept moves past n bytes and marks them understood.
func (p *parser) accept(n int) string {
	s := p.src[p.pos : p.pos+n]
	p.pos += n
	p.end = p.pos
	return s
}

func isNameByte(c byte) bool {
	return c == '_' || c == '-' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func (p *parser) name() (string, bool) {
	n := 0
	for p.pos+n < len(p.src) && isNameByte(p.src[p.pos+n]) {
		n++
	}
	if n == 0 {
		return "", false
	}
	return p.accept(n), true
}

// path reads name ('.' name | '[' index ']' | '[*]')* and checks every step
// against the schema as it goes, so that an error names the step.
func (p *parser) path() ([]Step, error) {
	mark := p.end
	first, ok := p.name()
	if !ok {
		return nil, fmt.Errorf("expected a path such as sync.latency_ms.p99")
	}
	p.end = mark
	at, err := root.step(Step{Name: first})
	if err != nil {
		return nil, err
	}
	p.end = p.pos
	steps := []Step{{Name: first}}
	for p.pos < len(p.src) && (p.src[p.pos] == '.' || p.src[p.pos] == '[') {
		var s Step
		if p.src[p.pos] == '.' {
			p.accept(1)
			mark := p.end
			if s.Name, ok = p.name(); !ok {
				return nil, fmt.Errorf("expected a name after %q", ".")
			}
			p.end = mark // a name the schema refuses is not understood
		} else {
			p.accept(1)
			if s, err = p.index(); err != nil {
				return nil, err
			}
		}
		next, err := at.step(s)
		if err != nil {
			return nil, err
		}
		p.end = p.pos
		at, steps = next, append(steps, s)
	}
	if !at.numeric() {
		return nil, at.notNumber()
	}
	return steps, nil
}

func (p *parser) index() (Step, error) {
	if strings.HasPrefix(p.src[p.pos:], "*]") {
		p.pos += 2
		return Step{All: true}, nil
	}
	n := 0
	for p.pos+n < len(p.src) && '0' <= p.src[p.pos+n] && p.src[p.pos+n] <= '9' {
		n++
	}
	if n == 0 || p.pos+n >= len(p.src) || p.src[p.pos+n] != ']' {
		return Step{}, fmt.Errorf("expected an index or * and then ]")
	}
	i, err := strconv.Atoi(p.src[p.pos : p.pos+n])
	if err != nil {
		return Step{}, fmt.Errorf("index %s is too large", excerpt(p.src[p.pos:p.pos+n]))
	}
	p.pos += n + 1
	return Step{Index: i}, nil
}

var ops = []Op{LessEq, GreaterEq, Equal, NotEqual, Less, Greater} // longest first

func (p *parser) op() (Op, error) {
	for _, op := range ops {
		if strings.HasPrefix(p.src[p.pos:], string(op)) {
			p.accept(len(op))
			return op, nil
		}
	}
	if p.pos == len(p.src) {
		return "", fmt.Errorf("expected an operator (< <= > >= == !=)")
	}
	if p.src[p.pos] == '=' {
		return "", fmt.Errorf("expected an operator (< <= > >= == !=): use == to compare")
	}
	return "", fmt.Errorf("expected an operator (< <= > >= == !=)")
}

// number reads a decimal number, optionally signed, with an exponent or a
// trailing % (a percentage: 1% is 0.01).
func (p *parser) number() (float64, error) {
	n := 0
	if p.pos < len(p.src) && (p.src[p.pos] == '-' || p.src[p.pos] == '+') {
		n++
	}
	digits := 0
	for p.pos+n < len(p.src) && strings.IndexByte("0123456789.eE", p.src[p.pos+n]) >= 0 {
		if c := p.src[p.pos+n]; (c == 'e' || c == 'E') && p.pos+n+1 < len(p.src) && strings.IndexByte("+-", p.src[p.pos+n+1]) >= 0 {
			n++
		}
		if '0' <= p.src[p.pos+n] && p.src[p.pos+n] <= '9' {
			digits++
		}
		n++
	}
	v, err := strconv.ParseFloat(p.src[p.pos:p.pos+n], 64)
	if digits == 0 || err != nil {
		return 0, fmt.Errorf("expected a number")
	}
	p.accept(n)
	if p.pos < len(p.src) && p.src[p.pos] == '%' {
		p.accept(1)
		v /= 100
	}
	return v, nil
}

// String writes the expression back in the form Parse reads.
func (e *Expr) String() string {
	return fmt.Sprintf("%s %s %s", e.PathText(), e.Op, strconv.FormatFloat(e.Bound, 'g', -1, 64))
}

// PathText writes the path back: sync.latency_ms.p99, chaos[*].recover_s.
func (e *Expr) PathText() string {
	var b strings.Builder
	for i, s := range e.Path {
		switch {
		case s.All:
			b.WriteString("[*]")
		case s.Name == "":
			fmt.Fprintf(&b, "[%d]", s.Index)
		default:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.Name)
		}
	}
	return b.String()
}
