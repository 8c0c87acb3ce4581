package pgtest

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// ServerCPU returns the CPU time the private server's processes have used so far (the
// postmaster, its backends and what its exited children used), for benchmarks that want the
// server's share of a cost; ok is false when no server runs or /proc cannot tell (not Linux).
//
// It reads the postmaster's list of children (/proc/PID/task/PID/children) and their stat
// files only: a benchmark calls it around every measured step, and reading the stat of every
// process on the machine took 4 ms and left garbage that the client's measured CPU then paid
// to collect. Without that list (a kernel without CONFIG_PROC_CHILDREN) it scans /proc.
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
	first, _, _ := bytes.Cut(pidFile, []byte("\n"))
	pm := string(bytes.TrimSpace(first))
	if _, err := strconv.Atoi(pm); err != nil {
		return 0, false
	}
	var ticks int64
	stat, err := os.ReadFile("/proc/" + pm + "/stat")
	if err != nil {
		return 0, false
	}
	f := statFields(stat)
	if f == nil {
		return 0, false
	}
	// The postmaster's own time and what its exited children used.
	ticks += f.get(14) + f.get(15) + f.get(16) + f.get(17)
	children, err := os.ReadFile("/proc/" + pm + "/task/" + pm + "/children")
	if err != nil {
		children = scanChildren(pm)
	}
	for _, c := range bytes.Fields(children) {
		stat, err := os.ReadFile("/proc/" + string(c) + "/stat")
		if err != nil {
			continue // it exited meanwhile
		}
		if f := statFields(stat); f != nil {
			ticks += f.get(14) + f.get(15)
		}
	}
	const clockTicks = 100 // USER_HZ on Linux
	return time.Duration(ticks) * time.Second / clockTicks, true
}

// fields are the fields of a /proc stat file after the command name, from field 3 (state) on.
type fields [][]byte

// statFields splits a /proc stat file; nil when it is too short. The command name, in
// parentheses, may hold spaces: the fields start after its last ')'.
func statFields(stat []byte) fields {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return nil
	}
	f := bytes.Fields(stat[i+1:])
	if len(f) < 15 {
		return nil
	}
	return f
}

// get returns field k (numbered from 1, as in proc(5)) as an integer.
func (f fields) get(k int) int64 {
	v, _ := strconv.ParseInt(string(f[k-3]), 10, 64)
	return v
}

// scanChildren lists, space-separated, the processes whose parent is pm, from every stat
// file in /proc.
func scanChildren(pm string) []byte {
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []byte
	for _, p := range procs {
		if _, err := strconv.Atoi(p.Name()); err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + p.Name() + "/stat")
		if err != nil {
			continue
		}
		if f := statFields(stat); f != nil && string(f[1]) == pm {
			out = append(append(out, p.Name()...), ' ')
		}
	}
	return out
}
