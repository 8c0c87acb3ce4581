package pgtest

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
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
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return 0, false
	}
	var ticks int64
	for _, p := range procs {
		pid, err := strconv.Atoi(p.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + p.Name() + "/stat")
		if err != nil {
			continue
		}
		// The fields after the command name (in parentheses, which may hold spaces):
		// state ppid ... utime stime cutime cstime are fields 3, 4, 14, 15, 16, 17.
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(stat[i+1:]))
		if len(f) < 15 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		n := func(k int) int64 { v, _ := strconv.ParseInt(f[k-3], 10, 64); return v }
		switch {
		case pid == pm:
			ticks += n(14) + n(15) + n(16) + n(17)
			ok = true
		case ppid == pm:
			ticks += n(14) + n(15)
		}
	}
	const clockTicks = 100 // USER_HZ on Linux
	return time.Duration(ticks) * time.Second / clockTicks, ok
}
