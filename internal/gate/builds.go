package gate

import (
	"fmt"
	"strings"

	"github.com/loadchaos/loadgen/internal/bundle"
)

// BuildWarning says which builds wrote two bundles when they differ (another
// version or revision, or one bundle recording none): a difference between
// them may then come from loadgen as well as from the target. It is "" when
// both recorded the same version and revision, or neither recorded a build.
// The baseline comes from elsewhere: a field that does not look like a
// version, a revision or a platform is not quoted.
func BuildWarning(current, baseline *bundle.Summary) string {
	cur, base := current.Run.Build, baseline.Run.Build
	switch {
	case cur == nil && base == nil:
		return ""
	case cur != nil && base != nil && cur.Version == base.Version && cur.Revision == base.Revision:
		return ""
	}
	return fmt.Sprintf("the bundles come from different loadgen builds: current %s, baseline %s", describeBuild(cur), describeBuild(base))
}

// describeBuild names a build in a few words.
func describeBuild(b *bundle.Build) string {
	if b == nil {
		return "not recorded (a loadgen older than run.build)"
	}
	modified := ""
	if b.Modified {
		modified = " (modified)"
	}
	return fmt.Sprintf("%s revision %s%s, %s %s", quotable(b.Version), quotable(b.Revision), modified, quotable(b.Go), quotable(b.OSArch))
}

// quotable returns s when it is short and made of the characters of
// versions, revisions and platforms, else a stand-in.
func quotable(s string) string {
	const maxLen = 64
	ok := s != "" && len(s) <= maxLen && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-+_/()") == ""
	if !ok {
		return "(unreadable)"
	}
	return s
}
