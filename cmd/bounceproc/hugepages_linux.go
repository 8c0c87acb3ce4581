//go:build linux && (amd64 || arm64 || ppc64le || s390x || riscv64 || loong64)

package main

import (
	"os"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"unsafe"
)

// A fresh process faults in every page of memory it touches, and on the project's machine (a
// virtual machine, transparent huge pages on "madvise") a fault costs about 12 µs per 4 KiB
// page: a 10,000-mail run touches some 40 MB and took ≈ 10,000 faults, 0.12 s of CPU, a
// fifth of the process. A 2 MiB huge page costs about 0.1 ms to fault in, a fortieth as much
// per byte. The Go runtime does not ask for huge pages for its heap, so preferHugePages does,
// for the heap's first stretch of address space.

// heapArenaBytes is the unit in which the Go runtime reserves address space for the heap on
// 64-bit Linux (the runtime's heapArenaBytes): the heap's memory lies in whole arenas.
const heapArenaBytes = 64 << 20

// hugePageProbe is how much heap preferHugePages has the runtime map before advising it: more
// than a run's heap grows to (31–39 MiB of heap for 10,000 mails).
const hugePageProbe = 48 << 20

var hugePagesOnce sync.Once

// preferHugePages asks the kernel to back the Go heap with transparent huge pages, once per
// process. The runtime maps heap memory as it grows and a kernel advice only holds for what
// is mapped when it is given, so it first has the runtime map hugePageProbe bytes (a slice it
// never touches, so no page is faulted in), advises the arenas around it with MADV_HUGEPAGE
// and drops it: the heap then grows into that memory a huge page at a time. Memory beyond
// it, should the heap outgrow it, is as before. Nothing is done where GODEBUG turns huge
// pages off for Go (disablethp=1), and nothing changes where the kernel has them off.
//
// 10,000 mails from Dovecot, a fresh `bounceproc run` process each, eight rounds with and
// without (GODEBUG=disablethp=1) alternated: page faults 9,647–11,938 → 3,016–3,789; medians
// of CPU 0.689 → 0.575 s and of wall time 0.651 → 0.579 s (0.762 → 0.708 s with --flag).
// `bounceproc decode` over 10,016 files: 5,400–6,100 → 1,650–1,900 faults, 0.42–0.50 →
// 0.38–0.43 s.
func preferHugePages() {
	hugePagesOnce.Do(func() {
		if !hugePagesWanted(os.Getenv("GODEBUG")) {
			return
		}
		probe := make([]byte, hugePageProbe)
		small := new(uint64)
		lo := min(uintptr(unsafe.Pointer(&probe[0])), uintptr(unsafe.Pointer(small)))
		hi := max(uintptr(unsafe.Pointer(&probe[0]))+hugePageProbe, uintptr(unsafe.Pointer(small))+8)
		lo &^= heapArenaBytes - 1
		hi = (hi + heapArenaBytes - 1) &^ (heapArenaBytes - 1)
		// Best effort: an error (an old kernel, a hole in the range) leaves things as they were.
		syscall.Syscall(syscall.SYS_MADVISE, lo, hi-lo, madvHugePage)
		runtime.KeepAlive(probe)
		runtime.KeepAlive(small)
		probe = nil
		runtime.GC() // the probe's memory returns to the heap, for the run to grow into
	})
}

// madvHugePage is Linux's MADV_HUGEPAGE.
const madvHugePage = 14

// hugePagesWanted reports whether huge pages are to be asked for under this GODEBUG setting:
// not when it has disablethp=1, Go's switch for keeping its heap off huge pages.
func hugePagesWanted(godebug string) bool {
	for _, kv := range strings.Split(godebug, ",") {
		if strings.TrimSpace(kv) == "disablethp=1" {
			return false
		}
	}
	return true
}
