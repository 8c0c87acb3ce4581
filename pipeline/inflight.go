package pipeline

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/bounceproc/bounceproc/suppress"
)

// inflight is a small file next to the store that names the mail being decoded: set before
// each decode and cleared after it. A run that dies while decoding (out of memory, a crash
// of the runtime, a kill) leaves the mail named there, and the next run counts the crash
// against it (suppress.NoteCrash); a mail during which runs ended crashesToQuarantine times
// is quarantined instead of decoded again. On Unix the file is mapped into memory, shared
// with the kernel's page cache, so that setting and clearing cost a store to memory each
// (two system calls a mail would cost a run 1-2 % of its time), and the kernel keeps what
// was written when the process dies.
//
// Layout (native byte order): magic (8 bytes), state (8: the UID in the upper 32 bits, 1 in
// the lowest when busy), UIDVALIDITY (4), mails given up on that still decode (4), the
// mailbox name's length (2), padding to 32, the mailbox name.
type inflight struct {
	f *os.File
	// mu guards mem against close: a decode given up on may end after the run did.
	mu   sync.Mutex
	mem  []byte           // nil once closed
	sync func(off, n int) // makes bytes written to mem reach the file (nothing when mapped)
	done func() error     // unmaps
}

// crashesToQuarantine is how many runs may end while decoding a mail before it is set aside.
const crashesToQuarantine = 2

const (
	inflightSize  = 4096
	inflightMagic = "BPINFL1\n"
	offState      = 8
	offValidity   = 16
	offAbandoned  = 20
	offNameLen    = 24
	offName       = 32
)

// crashed is what an in-flight file says about the run that last used it.
type crashed struct {
	busy      bool // the run ended while decoding id
	id        suppress.MailID
	abandoned int // mails given up on were still decoding: the crash may be theirs
}

// openInflight opens (creating) the in-flight file at path, reports what the last run left
// in it, and clears it.
func openInflight(path string) (*inflight, crashed, error) {
	var last crashed
	if data, err := os.ReadFile(path); err == nil {
		last = parseInflight(data)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, last, fmt.Errorf("run: in-flight file: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, last, fmt.Errorf("run: in-flight file: %w", err)
	}
	if err := f.Truncate(inflightSize); err != nil {
		f.Close()
		return nil, last, fmt.Errorf("run: in-flight file: %w", err)
	}
	fl := &inflight{f: f}
	if err := fl.mapFile(); err != nil {
		f.Close()
		return nil, last, fmt.Errorf("run: in-flight file: %w", err)
	}
	clear(fl.mem)
	copy(fl.mem, inflightMagic)
	fl.sync(0, inflightSize)
	return fl, last, nil
}

func parseInflight(data []byte) crashed {
	var c crashed
	if len(data) < offName || !bytes.Equal(data[:8], []byte(inflightMagic)) {
		return c
	}
	state := binary.NativeEndian.Uint64(data[offState:])
	n := int(binary.NativeEndian.Uint16(data[offNameLen:]))
	if state&1 == 0 || offName+n > len(data) {
		return c
	}
	c.busy = true
	c.id = suppress.MailID{Mailbox: string(data[offName : offName+n]),
		UIDValidity: binary.NativeEndian.Uint32(data[offValidity:]), UID: uint32(state >> 32)}
	c.abandoned = int(binary.NativeEndian.Uint32(data[offAbandoned:]))
	return c
}

// mailbox names the mailbox (and UIDVALIDITY) of the mails that follow. Called while idle.
func (fl *inflight) mailbox(name string, validity uint32) {
	if fl == nil {
		return
	}
	fl.mu.Lock()
	defer fl.mu.Unlock()
	if fl.mem == nil {
		return
	}
	n := min(len(name), inflightSize-offName)
	binary.NativeEndian.PutUint32(fl.mem[offValidity:], validity)
	binary.NativeEndian.PutUint16(fl.mem[offNameLen:], uint16(n))
	copy(fl.mem[offName:], name[:n])
	fl.sync(offValidity, inflightSize-offValidity)
}

// state sets the state word in one store, so that a process that dies at any point leaves
// a UID and a busy bit that belong together.
func (fl *inflight) state(v uint64) {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	if fl.mem != nil {
		(*atomic.Uint64)(unsafe.Pointer(&fl.mem[offState])).Store(v)
		fl.sync(offState, 8)
	}
}

// begin names uid as being decoded.
func (fl *inflight) begin(uid uint32) {
	if fl != nil {
		fl.state(uint64(uid)<<32 | 1)
	}
}

// end says that no mail is being decoded.
func (fl *inflight) end() {
	if fl != nil {
		fl.state(0)
	}
}

// abandoned notes how many mails given up on still decode.
func (fl *inflight) abandoned(n int) {
	if fl == nil {
		return
	}
	fl.mu.Lock()
	defer fl.mu.Unlock()
	if fl.mem != nil {
		(*atomic.Uint32)(unsafe.Pointer(&fl.mem[offAbandoned])).Store(uint32(n))
		fl.sync(offAbandoned, 4)
	}
}

// close clears the file (the run ends normally) and closes it.
func (fl *inflight) close() error {
	if fl == nil {
		return nil
	}
	fl.state(0)
	fl.abandoned(0)
	fl.mu.Lock()
	fl.mem = nil
	fl.mu.Unlock()
	err := fl.done()
	if cerr := fl.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// inflightPath is the in-flight file of a mailbox: prefix, '-' and a hash of the name. A
// mailbox is worked on by one run at a time (see lease.go), which alone writes its file.
func inflightPath(prefix, mailbox string) string {
	h := fnv.New64a()
	h.Write([]byte(mailbox))
	return fmt.Sprintf("%s-%016x", prefix, h.Sum64())
}
