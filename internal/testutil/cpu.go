package testutil

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// TreeCPU returns the CPU time that process pid and its children have used so far: its own,
// what its exited children used (once it reaped them), and that of its living children. ok is
// false when the process is gone or /proc cannot tell (not Linux). Benchmarks use it for a
// server's share of a cost.
func TreeCPU(pid int) (d time.Duration, ok bool) {
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return 0, false
	}
	var ticks int64
	for _, p := range procs {
		n, err := strconv.Atoi(p.Name())
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
		field := func(k int) int64 { v, _ := strconv.ParseInt(f[k-3], 10, 64); return v }
		switch {
		case n == pid:
			ticks += field(14) + field(15) + field(16) + field(17)
			ok = true
		case ppid == pid:
			ticks += field(14) + field(15)
		}
	}
	const clockTicks = 100 // USER_HZ on Linux
	return time.Duration(ticks) * time.Second / clockTicks, ok
}

// CPU returns the CPU time Dovecot's processes have used so far (see TreeCPU).
func (d *Dovecot) CPU() (time.Duration, bool) {
	pidData, err := os.ReadFile(filepath.Join(d.dir, "run", "master.pid"))
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(string(trimSpace(pidData)))
	if err != nil {
		return 0, false
	}
	return TreeCPU(pid)
}
