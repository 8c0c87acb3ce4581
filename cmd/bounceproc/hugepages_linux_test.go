//go:build linux && (amd64 || arm64 || ppc64le || s390x || riscv64 || loong64)

package main

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

func TestHugePagesWanted(t *testing.T) {
	for godebug, want := range map[string]bool{
		"":                            true,
		"gctrace=1":                   true,
		"disablethp=1":                false,
		"gctrace=1, disablethp=1":     false,
		"disablethp=0":                true,
		"madvdontneed=1,disablethp=1": false,
	} {
		if got := hugePagesWanted(godebug); got != want {
			t.Errorf("hugePagesWanted(%q) = %v, want %v", godebug, got, want)
		}
	}
}

// TestPreferHugePages allocates and touches 16 MiB of heap in a fresh process (the test
// binary run again) after preferHugePages, and reads from /proc/self/smaps how much of the
// mapping holding it is on huge pages: most of it, and none with GODEBUG=disablethp=1, when
// nothing is advised. Skipped where the kernel offers no transparent huge pages on request.
func TestPreferHugePages(t *testing.T) {
	const size = 16 << 20
	if os.Getenv("BOUNCEPROC_HUGEPAGES_CHILD") == "1" {
		preferHugePages()
		buf := make([]byte, size)
		for i := 0; i < len(buf); i += 4096 {
			buf[i] = 1
		}
		kib, err := anonHugeKiB(uintptr(unsafe.Pointer(&buf[0])))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("hugeKiB=%d\n", kib)
		return
	}
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || !(strings.Contains(string(mode), "[always]") || strings.Contains(string(mode), "[madvise]")) {
		t.Skipf("transparent huge pages not offered on request here (%q, %v)", strings.TrimSpace(string(mode)), err)
	}
	hugeKiB := func(godebug string) int {
		cmd := exec.Command(os.Args[0], "-test.run=^TestPreferHugePages$", "-test.v")
		cmd.Env = append(os.Environ(), "BOUNCEPROC_HUGEPAGES_CHILD=1", "GODEBUG="+godebug)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		m := regexp.MustCompile(`hugeKiB=(\d+)`).FindSubmatch(out)
		if m == nil {
			t.Fatalf("child printed no huge page figure:\n%s", out)
		}
		n, _ := strconv.Atoi(string(m[1]))
		return n
	}
	if n := hugeKiB(""); n < size/1024/2 {
		t.Errorf("after preferHugePages, the heap mapping holding 16 MiB just touched has %d KiB on huge pages, want at least %d", n, size/1024/2)
	}
	if n := hugeKiB("disablethp=1"); n != 0 {
		t.Errorf("with GODEBUG=disablethp=1, the heap mapping has %d KiB on huge pages, want none", n)
	}
}

// anonHugeKiB reads from /proc/self/smaps the AnonHugePages of the mapping holding addr.
func anonHugeKiB(addr uintptr) (int, error) {
	data, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return 0, err
	}
	inside := false
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) > 0 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":") {
			lo, hi, _ := strings.Cut(f[0], "-")
			l, err1 := strconv.ParseUint(lo, 16, 64)
			h, err2 := strconv.ParseUint(hi, 16, 64)
			inside = err1 == nil && err2 == nil && uint64(addr) >= l && uint64(addr) < h
			continue
		}
		if v, ok := strings.CutPrefix(line, "AnonHugePages:"); ok && inside {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
	}
	return 0, fmt.Errorf("no mapping holds %#x in /proc/self/smaps", addr)
}
