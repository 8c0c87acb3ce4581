// Package hugepages asks Linux to back memory the program is about to fill with transparent
// huge pages (2 MiB) instead of 4 KiB pages.
//
// A fresh process faults in every page of memory it touches, and on the project's machine (a
// virtual machine, transparent huge pages on "madvise") a fault costs about 12 µs per 4 KiB
// page: a 10,000-mail run touches some 40 MB and took ≈ 10,000 faults, 0.12 s of CPU, a
// fifth of the process. A 2 MiB huge page costs about 0.1 ms to fault in, a fortieth as much
// per byte. Neither the Go runtime (for its heap) nor SQLite asks for huge pages.
//
// Everything here is advice: it changes how memory is backed, never what it holds, and does
// nothing where the kernel has huge pages off, outside 64-bit Linux, or when GODEBUG has
// disablethp=1 (Go's own switch for keeping its heap off huge pages). Where memory is short
// and fragmented, a kernel that defragments on request (defrag "madvise", the default) may
// compact memory to find a huge page, which can stall a fault for milliseconds: that is what
// disablethp=1 is for.
package hugepages

import (
	"os"
	"strings"
)

// Size is the size of a transparent huge page on the platforms this package acts on.
const Size = 2 << 20

// wanted reports whether huge pages are to be asked for under this GODEBUG setting: not when
// it has disablethp=1.
func wanted(godebug string) bool {
	for _, kv := range strings.Split(godebug, ",") {
		if strings.TrimSpace(kv) == "disablethp=1" {
			return false
		}
	}
	return true
}

// enabled is wanted for this process's GODEBUG.
func enabled() bool { return wanted(os.Getenv("GODEBUG")) }
