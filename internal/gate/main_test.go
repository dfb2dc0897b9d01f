package gate

import (
	"fmt"
	"os"
	"testing"

	"github.com/loadchaos/loadgen/internal/report/reporttest"
)

// bundles holds the synthetic bundles the tests share, read-only.
var bundles reporttest.Cache

func TestMain(m *testing.M) {
	code := m.Run()
	if err := bundles.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}
