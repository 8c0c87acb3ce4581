package pgtest

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/bounceproc/bounceproc/internal/testutil"
)

// ServerCPU returns the CPU time the private server's processes have used so far (the
// postmaster, its backends and what its exited children used), for benchmarks that want the
// server's share of a cost; ok is false when no server runs or /proc cannot tell (not Linux).
func ServerCPU() (d time.Duration, ok bool) {
	mu.Lock()
	s := started
	mu.Unlock()
	if s == nil {
		return 0, false
	}
	pidFile, err := os.ReadFile(filepath.Join(s.dir, "data", "postmaster.pid"))
	if err != nil {
		return 0, false
	}
	first, _, _ := strings.Cut(string(pidFile), "\n")
	pm, err := strconv.Atoi(strings.TrimSpace(first))
	if err != nil {
		return 0, false
	}
	return testutil.TreeCPU(pm)
}
