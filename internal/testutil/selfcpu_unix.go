//go:build unix

package testutil

import (
	"syscall"
	"time"
)

// SelfCPU returns the CPU time (user and system) this process has used so far: benchmarks
// report it per operation, which the load of other processes on the machine hardly changes.
func SelfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
