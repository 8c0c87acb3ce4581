package suppress

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// statusCur and statusHigh receive sqlite3_status's values (globals: SQLite writes them
// through their addresses).
var statusCur, statusHigh int32

// pageCacheStatus returns how many slots of the page cache buffer are in use, and how many
// bytes of pages SQLite had to allocate outside it.
func pageCacheStatus(t *testing.T) (used, overflow int32) {
	t.Helper()
	tls := libc.NewTLS()
	defer tls.Close()
	for _, op := range []int32{sqlite3.SQLITE_STATUS_PAGECACHE_USED, sqlite3.SQLITE_STATUS_PAGECACHE_OVERFLOW} {
		if rc := sqlite3.Xsqlite3_status(tls, op, uintptr(unsafe.Pointer(&statusCur)), uintptr(unsafe.Pointer(&statusHigh)), 0); rc != sqlite3.SQLITE_OK {
			t.Fatalf("sqlite3_status(%d) = %d", op, rc)
		}
		if op == sqlite3.SQLITE_STATUS_PAGECACHE_USED {
			used = statusCur
		} else {
			overflow = statusCur
		}
	}
	return used, overflow
}

// TestPageCacheBuffer records a run's worth of mails in a process where no database was open
// before (a child of the test binary): the pages cached while recording sit in the buffer
// setupPageCache made, none outside it, and closing the store gives the slots back.
func TestPageCacheBuffer(t *testing.T) {
	sqliteOnly(t, "the page cache")
	if os.Getenv("SUPPRESS_PCACHE_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestPageCacheBuffer$", "-test.count=1")
		cmd.Env = append(os.Environ(), "SUPPRESS_PCACHE_CHILD=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("child process: %v\n%s", err, out)
		}
		return
	}
	ctx := context.Background()
	for round := range 2 { // a store opened again in the same process reuses the buffer
		s := openTest(t, Options{})
		batch := make([]MailEvents, 250)
		ids := make([]MailID, 250)
		uid := 0
		for range 8 {
			uid = runBatch(batch, ids, uid)
			if _, err := s.RecordMails(ctx, batch); err != nil {
				t.Fatal(err)
			}
		}
		used, overflow := pageCacheStatus(t)
		if used < 100 || overflow != 0 {
			t.Errorf("round %d: %d slots of the buffer in use and %d bytes of pages outside it; want over 100 and none",
				round, used, overflow)
		}
		s.Close()
		if used, _ := pageCacheStatus(t); used != 0 {
			t.Errorf("round %d: %d slots still in use after Close", round, used)
		}
	}
}
