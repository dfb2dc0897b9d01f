package run

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/loadchaos/loadgen/internal/bundle"
	"github.com/loadchaos/loadgen/profiles"
)

func TestRunLeavesItsOptionsAsGivenAndRecordsOneProfile(t *testing.T) {
	url, _ := serve(t, ok)
	prof := constantProfile(t, 50, time.Second)
	prof.Seed = 0 // the run picks one
	given := *prof
	res := runFor(t, 30*time.Second, Options{Profile: prof, SyncURL: url})

	if !reflect.DeepEqual(*prof, given) {
		t.Errorf("the run changed the caller's profile:\n got %+v\nwant %+v", *prof, given)
	}
	data, err := os.ReadFile(filepath.Join(res.Dir, bundle.ProfileFile))
	if err != nil {
		t.Fatal(err)
	}
	asRun, err := profiles.Parse("profile.yaml", data, ProfileChecks()...)
	if err != nil {
		t.Fatal(err)
	}
	run := res.Summary.Run
	if run.Seed == 0 || asRun.Seed != run.Seed || asRun.Name != run.Profile {
		t.Errorf("summary.json has profile %q seed %d, profile.yaml %q seed %d: want one profile, its seed chosen",
			run.Profile, run.Seed, asRun.Name, asRun.Seed)
	}
}
