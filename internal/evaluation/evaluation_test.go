package evaluation

import (
	"context"
	"testing"
)

// A small version of the evaluation: every event found, nothing else, in
// both modes.
func TestEvaluation(t *testing.T) {
	for _, zero := range []bool{true, false} {
		res, err := Run(context.Background(), Options{Sites: 4, Revisions: 12, Seed: 1, Dir: t.TempDir()}, zero)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range res.Misses {
			t.Errorf("%s: %s", res.Mode, m)
		}
		for typ, s := range res.Scores {
			t.Logf("%s %-10s TP %3d FP %2d FN %2d", res.Mode, typ, s.TP, s.FP, s.FN)
		}
		t.Logf("%s: %d noise revisions with %d events, %d broken with %d baselines taken", res.Mode, res.NoiseRevisions, res.NoiseEvents, res.BrokenRevisions, res.BrokenBaselines)
	}
}

// A short version of the long histories: every event found once, nothing
// else; a cut list suspect only until it is confirmed; outages silent.
func TestHistory(t *testing.T) {
	for _, zero := range []bool{true, false} {
		res, err := RunHistory(context.Background(), HistoryOptions{Sites: 6, Revisions: 80, Seed: 1, Dir: t.TempDir()}, zero)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range res.Misses {
			t.Errorf("%s: %s", res.Mode, m)
		}
		for typ, s := range res.Scores {
			t.Logf("%s %-10s TP %4d FP %2d FN %2d", res.Mode, typ, s.TP, s.FP, s.FN)
		}
		t.Logf("%s: %d turnovers, %d redesigns, %d cuts; %d outage checks with %d events and %d baselines; %d suspect checks (%d unexpected), longest run %d",
			res.Mode, res.Turnovers, res.Redesigns, res.Cuts, res.OutageChecks, res.OutageEvents, res.OutageBaselines, res.Suspect, res.Unexpected, res.LongestSuspect)
		if res.Turnovers == 0 || res.Redesigns == 0 || res.Cuts == 0 || res.OutageChecks == 0 {
			t.Errorf("%s: the history lacks a kind of revision it should hold", res.Mode)
		}
	}
}
