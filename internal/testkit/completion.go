package testkit

import (
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"
)

// run runs bin with args within a minute and returns its standard output.
func run(t testing.TB, bin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, args...).Output()
	if err != nil {
		t.Fatalf("%s %s: %v", bin, strings.Join(args, " "), err)
	}
	return string(out)
}

// longNames lists a flag's names as typed: --name, or -n for one letter.
func longNames(f cli.Flag) []string {
	var out []string
	for _, name := range f.Names() {
		if len(name) > 1 {
			out = append(out, "--"+name)
		}
	}
	return out
}

// question is what a completion script is asked: the words after the
// program, the last one being completed, and what its answer must hold.
type question struct {
	words []string
	want  []string
}

// questions asks, for every command of app's tree, for the commands under
// it and, after "--", for its flags.
func questions(app *cli.App) []question {
	var qs []question
	for _, at := range Commands(app) {
		words := strings.Fields(at.Path)[1:]
		var subs, flags []string
		for _, sub := range at.Cmd.Subcommands {
			subs = append(subs, sub.Name)
		}
		for _, f := range at.Cmd.Flags {
			flags = append(flags, longNames(f)...)
		}
		qs = append(qs, question{append(append([]string{}, words...), ""), subs}, question{append(append([]string{}, words...), "--"), flags})
	}
	return qs
}

// askShell runs script (the completion script, then one "ask" per question,
// each printing "@@N" and the candidates) in shell, and fails t for every
// candidate missing.
func askShell(t testing.TB, app *cli.App, shell string, script string, qs []question) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, shell, "-c", script).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", shell, err, out)
	}
	replies := map[string][]string{}
	for line := range strings.Lines(string(out)) {
		if rest, ok := strings.CutPrefix(line, "@@"); ok {
			i, reply, _ := strings.Cut(strings.TrimSpace(rest), " ")
			replies[i] = strings.Fields(reply)
		}
	}
	for i, q := range qs {
		got := replies[fmt.Sprint(i)]
		for _, want := range q.want {
			if !contains(got, want) {
				t.Errorf("%s: %s %s<TAB> offers %q, not %s", shell, app.Name, strings.Join(q.words, " "), got, want)
			}
		}
	}
}

// CheckBashCompletion fails t unless bin's bash completion script, run in
// bash as a shell would, offers every command of app's tree after its
// parent's words, and every flag after its command's words and "--".
// bin is app's binary.
func CheckBashCompletion(t testing.TB, app *cli.App, bin string) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash to run the bash completion script in")
	}
	qs := questions(app)
	var script strings.Builder
	script.WriteString(run(t, bin, "completion", "bash"))
	for i, q := range qs {
		fmt.Fprintf(&script, "COMP_WORDS=(%q", bin)
		for _, w := range q.words {
			fmt.Fprintf(&script, " %q", w)
		}
		fmt.Fprintf(&script, "); COMP_CWORD=%d; COMPREPLY=(); _%s_complete; echo \"@@%d ${COMPREPLY[*]}\"\n", len(q.words), app.Name, i)
	}
	askShell(t, app, bash, script.String(), qs)
}

// CheckZshCompletion is CheckBashCompletion for zsh, whose completion
// system's compadd, _files and compdef are stood in for: compadd prints
// what it is given, _files prints nothing. The script's own filtering by
// the word typed is zsh's, so every candidate must be offered.
func CheckZshCompletion(t testing.TB, app *cli.App, bin string) {
	t.Helper()
	zsh, err := exec.LookPath("zsh")
	if err != nil {
		t.Skip("no zsh to run the zsh completion script in")
	}
	qs := questions(app)
	var script strings.Builder
	script.WriteString("compdef() { : }\n_files() { : }\ncompadd() { [[ $1 == -a ]] && print -r -- ${(P)2}; }\n")
	script.WriteString(run(t, bin, "completion", "zsh"))
	for i, q := range qs {
		fmt.Fprintf(&script, "words=(%q", bin)
		for _, w := range q.words {
			fmt.Fprintf(&script, " %q", w)
		}
		fmt.Fprintf(&script, "); CURRENT=%d; print -rn -- '@@%d '; _%s\necho\n", len(q.words)+1, i, app.Name)
	}
	askShell(t, app, zsh, script.String(), qs)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// CheckFishCompletion fails t unless bin's fish completion script offers
// every command of app's tree and, under it, every one of its flags.
func CheckFishCompletion(t testing.TB, app *cli.App, bin string) {
	t.Helper()
	script := run(t, bin, "completion", "fish")
	for _, at := range Commands(app) {
		condition := "__fish_" + app.Name + "_no_subcommand"
		if at.Path != app.Name {
			condition = "__fish_seen_subcommand_from " + at.Cmd.Name
			if !strings.Contains(script, " -a '"+at.Cmd.Name) {
				t.Errorf("fish: no %s", at.Path)
			}
		}
		for _, f := range at.Cmd.Flags {
			if !regexp.MustCompile(`(?m)^complete .*` + regexp.QuoteMeta(condition) + `\b.* -l ` + regexp.QuoteMeta(f.Names()[0]) + ` `).MatchString(script) {
				t.Errorf("fish: %s has no --%s", at.Path, f.Names()[0])
			}
		}
	}
}

// manMarkup is the roff markup of urfave/cli's man pages.
var manMarkup = strings.NewReplacer(`\fB`, "", `\fP`, "", `\fR`, "", `\fI`, "", `\-`, "-")

// CheckManPage fails t unless bin's man page has a section for every
// command of app's tree, each naming every one of the command's flags.
func CheckManPage(t testing.TB, app *cli.App, bin string) {
	t.Helper()
	page := manMarkup.Replace(run(t, bin, "man"))
	sections := map[string]string{} // a section's first name: its text
	heading := regexp.MustCompile(`(?m)^\.S[HS] `)
	for _, part := range heading.Split(page, -1)[1:] {
		title, text, _ := strings.Cut(part, "\n")
		name, _, _ := strings.Cut(title, ",")
		sections[name] = text
	}
	for _, at := range Commands(app) {
		name := at.Cmd.Name
		if at.Path == app.Name {
			name = "GLOBAL OPTIONS"
		}
		text, ok := sections[name]
		if !ok {
			t.Errorf("man: no section for %s", at.Path)
			continue
		}
		for _, f := range at.Cmd.Flags {
			for _, flag := range longNames(f) {
				if !strings.Contains(text, flag) {
					t.Errorf("man: the section of %s does not name %s", at.Path, flag)
				}
			}
		}
	}
}
