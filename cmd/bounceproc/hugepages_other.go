//go:build !linux || !(amd64 || arm64 || ppc64le || s390x || riscv64 || loong64)

package main

// preferHugePages does nothing outside 64-bit Linux (see hugepages_linux.go).
func preferHugePages() {}
