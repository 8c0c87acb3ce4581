package suppress

import (
	"sync"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/bounceproc/bounceproc/internal/hugepages"
)

// cacheKiB is the page cache of each connection (the DSN's cache_size; see dsn).
const cacheKiB = 4096

// pageCacheSlots is how many database pages the process's page cache buffer holds: a full
// cache of 16 KiB pages for the writing connection and room for what reading connections
// keep. Beyond it SQLite allocates pages one by one, as it does without the buffer.
const pageCacheSlots = cacheKiB/16 + 64

var (
	pageCacheOnce  sync.Once
	pageHeaderSize int32 // SQLite's per-page header in the page cache, in bytes
)

// setupPageCache gives SQLite's page caches one buffer for the whole process, before the
// first connection opens (SQLite takes this setting only before it initializes). Without it
// the driver's allocator maps a 64 KiB region for every 16 KiB page a cache holds and hands
// most of them back to the OS one madvise call at a time when the store closes: about 200
// calls, 10 ms at the end of every run on the project's machine. The buffer's pages go back
// to the buffer instead, and a store opened again in the same process (a watching run, the
// tests) reuses memory already mapped. The buffer takes 5.1 MiB (320 slots of 16,656 bytes
// here) of an 8 MiB block of address space, touched only as pages are cached. Should SQLite
// already be initialized (another package of the program opened a database first), the
// setting is refused and caches work as before.
func setupPageCache() {
	pageCacheOnce.Do(func() {
		tls := libc.NewTLS()
		defer tls.Close()
		args := libc.Xmalloc(tls, 24)
		if args == 0 {
			return
		}
		defer libc.Xfree(tls, args)
		// SQLite writes the size into pageHeaderSize, a global: it cannot move meanwhile.
		if sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_PCACHE_HDRSZ,
			libc.VaList(args, uintptr(unsafe.Pointer(&pageHeaderSize)))) != sqlite3.SQLITE_OK {
			return
		}
		// A slot holds a page and SQLite's header for it, 8-byte aligned. The buffer starts
		// on a huge page boundary and is backed by huge pages (see internal/hugepages): a run
		// fills most of it, 1,200 faults of 4 KiB pages otherwise. The slack before the
		// boundary, and after the buffer to the end of its last huge page, is never used.
		slot := (16384 + int(pageHeaderSize) + 7) &^ 7
		size := uintptr(slot * pageCacheSlots)
		span := (size + hugepages.Size - 1) &^ (hugepages.Size - 1)
		mem := libc.Xmalloc(tls, libc.Tsize_t(span+hugepages.Size))
		if mem == 0 {
			return
		}
		buf := (mem + hugepages.Size - 1) &^ (hugepages.Size - 1)
		hugepages.Advise(buf, span)
		rc := sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_PAGECACHE, libc.VaList(args, buf, int32(slot), int32(pageCacheSlots)))
		if rc != sqlite3.SQLITE_OK {
			libc.Xfree(tls, mem)
		}
		// Otherwise SQLite owns the buffer for the life of the process.
	})
}
