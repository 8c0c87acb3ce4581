//go:build linux && (amd64 || arm64 || ppc64le || s390x || riscv64 || loong64)

package hugepages

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

func TestWanted(t *testing.T) {
	for godebug, want := range map[string]bool{
		"":                            true,
		"gctrace=1":                   true,
		"disablethp=1":                false,
		"gctrace=1, disablethp=1":     false,
		"disablethp=0":                true,
		"madvdontneed=1,disablethp=1": false,
	} {
		if got := wanted(godebug); got != want {
			t.Errorf("wanted(%q) = %v, want %v", godebug, got, want)
		}
	}
}

// TestForHeap allocates and touches 16 MiB of heap in a fresh process (the test binary run
// again) after ForHeap, and reads from /proc/self/smaps how much of the mapping holding it is
// on huge pages: most of it, and none with GODEBUG=disablethp=1, when nothing is advised.
func TestForHeap(t *testing.T) {
	testInChild(t, "heap", func() uintptr {
		ForHeap()
		buf := make([]byte, childSize)
		for i := 0; i < len(buf); i += 4096 {
			buf[i] = 1
		}
		return uintptr(unsafe.Pointer(&buf[0]))
	})
}

// TestAdvise does the same with 16 MiB mapped outside the Go heap, given to Advise.
func TestAdvise(t *testing.T) {
	testInChild(t, "mmap", func() uintptr {
		buf, err := syscall.Mmap(-1, 0, childSize+Size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
		if err != nil {
			t.Fatal(err)
		}
		Advise(uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
		for i := 0; i < len(buf); i += 4096 {
			buf[i] = 1
		}
		return uintptr(unsafe.Pointer(&buf[0]))
	})
}

// childSize is how much memory the children of testInChild touch.
const childSize = 16 << 20

// testInChild runs the test again in a fresh process, where touch fills memory and returns
// its address, and checks how much of the mapping holding it is on huge pages: at least half
// of childSize, and none with GODEBUG=disablethp=1. Skipped where the kernel offers no
// transparent huge pages on request.
func testInChild(t *testing.T, name string, touch func() uintptr) {
	if os.Getenv("HUGEPAGES_TEST_CHILD") == name {
		kib, err := anonHugeKiB(touch())
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
		cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v")
		cmd.Env = append(os.Environ(), "HUGEPAGES_TEST_CHILD="+name, "GODEBUG="+godebug)
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
	if n := hugeKiB(""); n < childSize/1024/2 {
		t.Errorf("the mapping holding 16 MiB just touched has %d KiB on huge pages, want at least %d", n, childSize/1024/2)
	}
	if n := hugeKiB("disablethp=1"); n != 0 {
		t.Errorf("with GODEBUG=disablethp=1, the mapping has %d KiB on huge pages, want none", n)
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
