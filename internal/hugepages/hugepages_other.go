//go:build !linux || !(amd64 || arm64 || ppc64le || s390x || riscv64 || loong64)

package hugepages

// ForHeap does nothing outside 64-bit Linux.
func ForHeap() {}

// Advise does nothing outside 64-bit Linux.
func Advise(addr, size uintptr) {}
