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
