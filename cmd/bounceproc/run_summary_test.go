package main

import (
	"fmt"
	"path/filepath"
	"testing"
)

// TestRunDryRunPredictsTheRun: a dry run and then a real run on the same mailbox, each on a
// fresh store, count the same. The mailbox bounces the same addresses in several store
// transactions, and holds the same mail twice: a dry run whose transactions were each rolled
// back did not see the suppressions and mails of the ones before, and predicted more new
// suppressions (and fewer repeats) than the run made.
func TestRunDryRunPredictsTheRun(t *testing.T) {
	env := memRunEnv(t)
	first := manyBounces(t, 6)
	var again [][]byte
	for i, m := range first {
		again = append(again, marked(m, fmt.Sprintf("X-Again: %d", i))) // another bounce, the same address
	}
	env.seed(t, append(append(first, again...), first[0])...) // and the first mail once more
	dir := t.TempDir()

	o := runOpts(env, filepath.Join(dir, "dry.db"))
	o.dryRun = true
	dry, _ := doRun(t, o)
	real, _ := doRun(t, runOpts(env, filepath.Join(dir, "real.db")))
	if real.NewlySuppressed != 6 || real.Repeats != 1 || real.AlreadyRecorded != 0 {
		t.Errorf("the run: %d suppressed, %d repeats, %d already known; want 6, 1 (the mail seen twice), 0 (the store was new)",
			real.NewlySuppressed, real.Repeats, real.AlreadyRecorded)
	}
	dry.Marked = real.Marked // a dry run marks nothing
	if dry != real {
		t.Errorf("dry run predicted %+v\nthe run did      %+v", dry, real)
	}
}
