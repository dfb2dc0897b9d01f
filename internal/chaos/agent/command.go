package agent

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"text/template"
	"time"

	"github.com/loadchaos/loadgen/internal/proc"
)

// OutputLimit bounds how much of a command's output the journal keeps.
const OutputLimit = 4096

// DefaultCommandTimeout bounds a command when its action says nothing.
const DefaultCommandTimeout = 30 * time.Second

// Command is a command line whose words are templates filled in with the
// target process: {{.Name}}, {{.PID}}, {{.Role}}, {{.Group}}, {{.Addr}}.
// It runs without a shell, so a process name can never become shell code.
// Write `sh -c '...'` for pipes: the values filled in then reach a shell,
// but a host's processes only ever give plain words (letters, digits, '.',
// '_', '-'; see plainWord and parseRecord) and an address, HOST:PORT.
type Command struct {
	Text    string        // as written
	Timeout time.Duration // the command is killed (its process group too) after it; default DefaultCommandTimeout
	words   []*template.Template
}

// ParseCommand splits text into words as a shell would (blanks separate,
// '...' and "..." quote, a backslash escapes the next character) and checks
// each word's template against the fields a target has.
func ParseCommand(text string, timeout time.Duration) (*Command, error) {
	words, err := splitWords(text)
	if err != nil {
		return nil, err
	}
	if len(words) == 0 {
		return nil, errors.New("the command is empty")
	}
	c := &Command{Text: text, Timeout: timeout}
	if c.Timeout <= 0 {
		c.Timeout = DefaultCommandTimeout
	}
	for _, w := range words {
		tmpl, err := template.New("word").Option("missingkey=error").Parse(w)
		if err != nil {
			return nil, fmt.Errorf("template %q: %w", w, err)
		}
		if err := tmpl.Execute(&bytes.Buffer{}, proc.Info{}); err != nil {
			return nil, fmt.Errorf("template %q: %w (a target has .Name, .PID, .Role, .Group, .Addr)", w, err)
		}
		c.words = append(c.words, tmpl)
	}
	return c, nil
}

// Render fills the words in for target.
func (c *Command) Render(target proc.Info) ([]string, error) {
	argv := make([]string, len(c.words))
	for i, w := range c.words {
		var b strings.Builder
		if err := w.Execute(&b, target); err != nil {
			return nil, err
		}
		argv[i] = b.String()
	}
	return argv, nil
}

// Run fills the command in for target and runs it in its own process group
// until it exits or Timeout passes. It returns the command as run and its
// combined output (the last OutputLimit bytes); a non-zero exit is an error.
func (c *Command) Run(ctx context.Context, target proc.Info) (string, string, error) {
	argv, err := c.Render(target)
	if err != nil {
		return c.Text, "", err
	}
	line := strings.Join(argv, " ")
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	newProcessGroup(cmd)
	cmd.Cancel = func() error { return killProcessGroup(cmd) }
	cmd.WaitDelay = time.Second
	var out tailBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	if ctx.Err() != nil && err != nil {
		err = fmt.Errorf("%s: killed after %v: %w", line, c.Timeout, err)
	} else if err != nil {
		err = fmt.Errorf("%s: %w", line, err)
	}
	return line, out.String(), err
}

// tailBuffer keeps the last OutputLimit bytes written to it.
type tailBuffer struct{ b []byte }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > OutputLimit {
		t.b = t.b[len(t.b)-OutputLimit:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return strings.TrimSpace(string(t.b)) }

// splitWords splits a command line as a POSIX shell would, without any
// expansion.
func splitWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch == ' ' || ch == '\t' || ch == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case ch == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, errors.New("unterminated ' quote")
			}
			cur.WriteString(s[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case ch == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte(`"\$`+"`", s[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, errors.New(`unterminated " quote`)
			}
			inWord = true
		case ch == '\\':
			if i+1 >= len(s) {
				return nil, errors.New("a backslash ends the command")
			}
			i++
			cur.WriteByte(s[i])
			inWord = true
		default:
			cur.WriteByte(ch)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
