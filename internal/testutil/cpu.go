package testutil

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// TreeCPU returns the CPU time that process pid and its children have used so far: its own,
// what its exited children used (once it reaped them), and that of its living children. ok is
// false when the process is gone or /proc cannot tell (not Linux). Benchmarks use it for a
// server's share of a cost.
//
// It reads the stat files of pid and of its children, listed in /proc/PID/task/PID/children:
// a benchmark calls it around every measured step, and reading the stat of every process on
// the machine took 4 ms a call and left garbage that the benchmark's measured CPU then paid
// to collect. Without that list (a kernel without CONFIG_PROC_CHILDREN) it scans /proc.
func TreeCPU(pid int) (d time.Duration, ok bool) {
	p := strconv.Itoa(pid)
	stat, err := os.ReadFile("/proc/" + p + "/stat")
	if err != nil {
		return 0, false
	}
	f := statFields(stat)
	if f == nil {
		return 0, false
	}
	ticks := f.get(14) + f.get(15) + f.get(16) + f.get(17)
	children, err := os.ReadFile("/proc/" + p + "/task/" + p + "/children")
	if err != nil {
		children = scanChildren(p)
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

// statFieldList are the fields of a /proc stat file after the command name, from field 3
// (state) on.
type statFieldList [][]byte

// statFields splits a /proc stat file; nil when it is too short. The command name, in
// parentheses, may hold spaces: the fields start after its last ')'.
func statFields(stat []byte) statFieldList {
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
func (f statFieldList) get(k int) int64 {
	v, _ := strconv.ParseInt(string(f[k-3]), 10, 64)
	return v
}

// scanChildren lists, space-separated, the processes whose parent is pid, from every stat
// file in /proc.
func scanChildren(pid string) []byte {
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
		if f := statFields(stat); f != nil && string(f[1]) == pid {
			out = append(append(out, p.Name()...), ' ')
		}
	}
	return out
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
