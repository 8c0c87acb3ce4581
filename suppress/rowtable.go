package suppress

import (
	"encoding/binary"
	"errors"
	"hash/maphash"
)

// rowTable maps normalised addresses to packed rows (packRow) for Index, holding no Go
// pointers per row: the rows sit end to end in chunks of 1 MiB, and an open-addressing table
// of uint64 slots (a 32-bit hash fingerprint and the row's place) finds them. The garbage
// collector marks the few chunks and the table without scanning a million strings, which
// a map[string]string made it do at every cycle (most of a batch's CPU time). A row that
// is replaced stays in its chunk until the next full reload builds a new table.
type rowTable struct {
	seed   maphash.Seed
	slots  []uint64 // fingerprint<<32 | ref+1; 0 is empty
	n      int
	chunks [][]byte
	// garbage counts the bytes of replaced rows.
	garbage int
}

const (
	chunkBits = 20
	chunkSize = 1 << chunkBits
	// maxChunks keeps ref+1 (chunk<<chunkBits | offset, plus one) within 32 bits: 4 GiB.
	maxChunks = 1<<(32-chunkBits) - 1
)

// errTableFull says the rows do not fit in rowTable's 4 GiB.
var errTableFull = errors.New("the lookup index is full (4 GiB of rows)")

func newRowTable(hint int) *rowTable {
	size := 1024
	for size < 2*hint {
		size *= 2
	}
	return &rowTable{seed: maphash.MakeSeed(), slots: make([]uint64, size)}
}

// rowAt returns the row stored at ref.
func (t *rowTable) rowAt(ref uint32) []byte {
	c := t.chunks[ref>>chunkBits]
	b := c[ref&(chunkSize-1):]
	n, k := binary.Uvarint(b)
	return b[k : k+int(n)]
}

// rowAddress returns the address a packed row is for: the first field of its fixed part.
func rowAddress(row []byte) []byte {
	for range 3 {
		_, k := binary.Uvarint(row)
		if k <= 0 {
			return nil
		}
		row = row[k:]
	}
	for i, c := range row {
		if c == 0x1f {
			return row[:i]
		}
	}
	return row
}

// find returns the slot of addr: the one holding it, or the empty one where it would go.
func (t *rowTable) find(addr string, h uint64) (int, bool) {
	mask := uint64(len(t.slots) - 1)
	fp := h >> 32
	for i := h & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return int(i), false
		}
		if s>>32 == fp && string(rowAddress(t.rowAt(uint32(s)-1))) == addr {
			return int(i), true
		}
	}
}

// get returns the row of addr.
func (t *rowTable) get(addr string) (string, bool) {
	i, ok := t.find(addr, maphash.String(t.seed, addr))
	if !ok {
		return "", false
	}
	return string(t.rowAt(uint32(t.slots[i]) - 1)), true
}

// put stores row (packRow's) for the address it holds, replacing the one stored before.
func (t *rowTable) put(row []byte) error {
	addr := string(rowAddress(row))
	ref, err := t.append(row)
	if err != nil {
		return err
	}
	h := maphash.String(t.seed, addr)
	i, found := t.find(addr, h)
	if found {
		t.garbage += len(t.rowAt(uint32(t.slots[i]) - 1))
	} else {
		t.n++
	}
	t.slots[i] = h>>32<<32 | uint64(ref+1)
	if 2*t.n > len(t.slots) {
		t.grow()
	}
	return nil
}

// append stores row in the chunks and returns its ref.
func (t *rowTable) append(row []byte) (uint32, error) {
	need := binary.MaxVarintLen64 + len(row)
	last := len(t.chunks) - 1
	if last < 0 || len(t.chunks[last])+need > cap(t.chunks[last]) || len(t.chunks[last]) >= chunkSize {
		if len(t.chunks) >= maxChunks {
			return 0, errTableFull
		}
		t.chunks = append(t.chunks, make([]byte, 0, max(chunkSize, need)))
		last++
	}
	c := t.chunks[last]
	ref := uint32(last)<<chunkBits | uint32(len(c))
	c = binary.AppendUvarint(c, uint64(len(row)))
	t.chunks[last] = append(c, row...)
	return ref, nil
}

// grow doubles the table and places every row again.
func (t *rowTable) grow() {
	old := t.slots
	t.slots = make([]uint64, 2*len(old))
	for _, s := range old {
		if s == 0 {
			continue
		}
		addr := string(rowAddress(t.rowAt(uint32(s) - 1)))
		h := maphash.String(t.seed, addr)
		i, _ := t.find(addr, h)
		t.slots[i] = s
	}
}

// bytes returns the memory the table holds.
func (t *rowTable) bytes() int {
	n := 8 * len(t.slots)
	for _, c := range t.chunks {
		n += cap(c)
	}
	return n
}
