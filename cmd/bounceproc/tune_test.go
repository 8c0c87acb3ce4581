package main

import (
	"runtime"
	"runtime/debug"
	"testing"
)

func TestTuneGC(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)

	restore := tuneGC()
	if got := debug.SetGCPercent(400); got != 400 {
		t.Errorf("GC percent while tuned = %d, want 400", got)
	}
	if got := debug.SetMemoryLimit(-1); got != 512<<20 {
		t.Errorf("memory limit while tuned = %d, want %d", got, 512<<20)
	}
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GC percent after restore = %d, want 100", got)
	}

	// A GOGC of the user's wins.
	t.Setenv("GOGC", "150")
	restore = tuneGC()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GC percent with GOGC set = %d, want it untouched (100)", got)
	}
	restore()
}

func TestTuneProcs(t *testing.T) {
	t.Setenv("GOMAXPROCS", "")
	before := runtime.GOMAXPROCS(2)
	defer runtime.GOMAXPROCS(before)

	restore := tuneProcs()
	if got := runtime.GOMAXPROCS(0); got != minRunProcs {
		t.Errorf("GOMAXPROCS while tuned = %d, want %d", got, minRunProcs)
	}
	restore()
	if got := runtime.GOMAXPROCS(0); got != 2 {
		t.Errorf("GOMAXPROCS after restore = %d, want 2", got)
	}

	// A GOMAXPROCS of the user's wins.
	t.Setenv("GOMAXPROCS", "2")
	restore = tuneProcs()
	if got := runtime.GOMAXPROCS(0); got != 2 {
		t.Errorf("GOMAXPROCS with the variable set = %d, want it untouched (2)", got)
	}
	restore()
}
