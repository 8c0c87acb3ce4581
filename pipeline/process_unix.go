//go:build unix

package pipeline

import (
	"errors"
	"syscall"
)

// processGone says whether no process with this id exists.
func processGone(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
