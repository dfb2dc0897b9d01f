package report

import (
	"os"
	"testing"

	"github.com/loadchaos/loadgen/internal/report/reporttest"
)

// bundles holds the synthetic bundles the tests share, read-only.
var bundles reporttest.Cache

func TestMain(m *testing.M) { os.Exit(bundles.Run(m)) }
