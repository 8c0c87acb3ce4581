//go:build unix

package pipeline

import "syscall"

// mapFile maps the file shared: what is stored to fl.mem is the file's content.
func (fl *inflight) mapFile() error {
	mem, err := syscall.Mmap(int(fl.f.Fd()), 0, inflightSize, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	if err != nil {
		return err
	}
	fl.mem = mem
	fl.sync = func(int, int) {}
	fl.done = func() error { return syscall.Munmap(mem) }
	return nil
}
