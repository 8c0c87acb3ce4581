package dsn

import (
	"encoding/binary"
	"strings"
	"sync"
	"unicode/utf8"
)

// lowerASCII lower-cases the ASCII letters of s and leaves every other byte alone, so that
// offsets found in the result hold in s. (strings.ToLower may change byte lengths: invalid
// UTF-8 becomes U+FFFD, and a few letters change size.)
func lowerASCII(s string) string {
	i := 0
	for i < len(s) && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	// One allocation: the builder's buffer becomes the string. The letters are lowered in a
	// buffer on the stack, a block at a time.
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	var buf [256]byte
	for s = s[i:]; len(s) > 0; {
		n := copy(buf[:], s)
		j := 0
		for ; j+8 <= n; j += 8 {
			w := binary.LittleEndian.Uint64(buf[j:])
			binary.LittleEndian.PutUint64(buf[j:], lowerASCII8(w))
		}
		for ; j < n; j++ {
			if c := buf[j]; 'A' <= c && c <= 'Z' {
				buf[j] = c + 'a' - 'A'
			}
		}
		b.Write(buf[:n])
		s = s[n:]
	}
	return b.String()
}

// lowerASCII8 lower-cases the ASCII letters among the eight bytes of w, all at once: a byte
// below 0x80 gets its high bit set by adding 0x3f when it is 'A' or more, and by adding 0x25
// when it is more than 'Z'; where the first sum has it and the second and the byte itself do
// not, the byte is a capital, and 0x20 (the high bit shifted down by two) lowers it.
func lowerASCII8(w uint64) uint64 {
	const ones = 0x0101010101010101
	low := w & (0x7f * ones) // no carry from one byte into the next
	capital := (low + 0x3f*ones) &^ (low + 0x25*ones) &^ w & (0x80 * ones)
	return w | capital>>2
}

// containsAny reports whether s contains one of subs.
func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// firstOf returns the offset of the earliest of markers (lower-case) in lower, and the
// marker's length, or -1.
func firstOf(lower string, markers []string) (int, int) {
	at, n := -1, 0
	for _, mk := range markers {
		if i := strings.Index(lower, mk); i >= 0 && (at < 0 || i < at) {
			at, n = i, len(mk)
		}
	}
	return at, n
}

// indexFoldASCII returns the first offset of sub (lower-case ASCII) in s, ignoring ASCII case,
// or -1. Unlike lower-casing s first, it allocates nothing.
func indexFoldASCII(s, sub string) int { return indexCaseless(s, sub, false) }

// indexLowerASCII returns strings.Index(lowerASCII(s), sub): the first offset at which s,
// with its ASCII letters lower-cased, holds sub, or -1. It lowers nothing and allocates
// nothing. Unlike indexFoldASCII, only ASCII letters fold: any other byte of sub, non-ASCII
// or not, must stand in s as it is.
func indexLowerASCII(s, sub string) int {
	if sub != "" && 'A' <= sub[0] && sub[0] <= 'Z' {
		return -1 // s lower-cased holds no capital letter
	}
	return indexCaseless(s, sub, true)
}

// indexCaseless is the search of indexFoldASCII and indexLowerASCII. The candidates, the
// places of sub's first byte in either case, are found with strings.IndexByte; each is
// compared whole with equalLowerASCII when asciiOnly, else with strings.EqualFold.
func indexCaseless(s, sub string, asciiOnly bool) int {
	if sub == "" {
		return 0
	}
	first, upper := sub[0], sub[0]
	if 'a' <= first && first <= 'z' {
		upper = first - 'a' + 'A'
	}
	end := len(s) - len(sub) + 1 // a match starts before end
	if end <= 0 {
		return -1
	}
	nextFirst, nextUpper := -1, -1
	if upper == first {
		nextUpper = end // one case only: one search
	}
	for i := 0; i < end; {
		if nextFirst < i {
			nextFirst = indexByteFrom(s[:end], first, i)
		}
		if nextUpper < i {
			nextUpper = indexByteFrom(s[:end], upper, i)
		}
		j := min(nextFirst, nextUpper)
		if j >= end {
			return -1
		}
		if asciiOnly && equalLowerASCII(s[j+1:j+len(sub)], sub[1:]) ||
			!asciiOnly && strings.EqualFold(s[j:j+len(sub)], sub) {
			return j
		}
		i = j + 1
	}
	return -1
}

// equalLowerASCII reports whether lowerASCII(t) == sub, for t and sub of the same length.
func equalLowerASCII(t, sub string) bool {
	for i := 0; i < len(sub); i++ {
		if asciiLower[t[i]] != sub[i] {
			return false
		}
	}
	return true
}

// asciiLower maps each byte to itself with ASCII letters lower-cased.
var asciiLower = func() (t [256]byte) {
	for c := range t {
		t[c] = byte(c)
		if 'A' <= c && c <= 'Z' {
			t[c] = byte(c + 'a' - 'A')
		}
	}
	return t
}()

// firstOfLower is firstOf(lowerASCII(s), markers), without lowering s.
func firstOfLower(s string, markers []string) (int, int) {
	at, n := -1, 0
	for _, mk := range markers {
		if i := indexLowerASCII(s, mk); i >= 0 && (at < 0 || i < at) {
			at, n = i, len(mk)
		}
	}
	return at, n
}

// indexByteFrom returns the offset of the first c in s at or after from, or len(s).
func indexByteFrom(s string, c byte, from int) int {
	if i := strings.IndexByte(s[from:], c); i >= 0 {
		return from + i
	}
	return len(s)
}

// grams is a summary of a text that rules markers out cheaply: a set of the hashes of every
// three bytes that occur in it, one byte per hash. A marker with a three-byte sequence whose
// slot is clear cannot be in the text; one whose slots are all set may be, and is then
// searched for. The decoders ask the same text for some hundred markers, most of them absent,
// and one pass to build the set costs less than a few searches. A byte per slot, not a bit,
// makes each gram a plain store: setting a bit reads the word first, and the CPU stalls when
// two grams close together land in the same word.
type grams struct {
	slots  []byte  // 1 where a gram hashes to
	shift  uint    // 32 minus log2 of the number of slots
	pooled *[]byte // the buffer of slots when it came from gramsPool
}

// pooledGramSlots is the largest set kept in gramsPool: the set of a text of up to 16 KB.
// Larger ones are rare and are left to the garbage collector.
const pooledGramSlots = 1 << 16

// maxGramSlots caps the set of a long text (up to Limits.MaxText): with fewer slots than
// grams, more slots are set and fewer markers ruled out, but none wrongly.
const maxGramSlots = 1 << 21

// gramsPool holds sets for newGrams to reuse. Each mail builds one for its text and needs
// it only while it is decoded; parseBytes hands it back (release).
var gramsPool = sync.Pool{New: func() any {
	b := make([]byte, pooledGramSlots)
	return &b
}}

// newGrams summarises s with its ASCII letters lower-cased (the set of lowerASCII(s), which
// need not be made), with four to eight slots per byte of s so that few grams collide
// (one to two beyond the pooled size).
func newGrams(s string) grams {
	logSlots := uint(10)
	for 1<<logSlots < 4*len(s) && 1<<logSlots < pooledGramSlots {
		logSlots++
	}
	for 1<<logSlots < len(s) && 1<<logSlots < maxGramSlots {
		logSlots++
	}
	g := grams{shift: 32 - logSlots}
	if n := 1 << logSlots; n <= pooledGramSlots {
		g.pooled = gramsPool.Get().(*[]byte)
		g.slots = (*g.pooled)[:n]
		clear(g.slots)
	} else {
		g.slots = make([]byte, n)
	}
	if len(s) < 3 {
		return g
	}
	// The loop works on locals: through g, the compiler would load the set and the shift
	// again after every store into the set.
	slots, shift := g.slots, g.shift
	h := uint32(asciiLower[s[0]])<<8 | uint32(asciiLower[s[1]])
	for i := 2; i < len(s); i++ {
		h = h<<8 | uint32(asciiLower[s[i]])
		slots[gramHash(h, shift)] = 1
	}
	return g
}

// release hands the set back to gramsPool; g is empty afterwards.
func (g *grams) release() {
	if g.pooled != nil {
		gramsPool.Put(g.pooled)
	}
	*g = grams{}
}

// gramHash maps the last three bytes held in h to a slot of a set of 1<<(32-shift) slots.
func gramHash(h uint32, shift uint) uint32 {
	return (h & 0xFFFFFF) * 0x9E3779B1 >> (shift & 31) // shift < 32: the mask spares a check
}

// mayContain reports whether sub may occur in the summarised text: false means it does not.
func (g *grams) mayContain(sub string) bool {
	if len(sub) < 3 {
		return true
	}
	h := uint32(sub[0])<<8 | uint32(sub[1])
	for i := 2; i < len(sub); i++ {
		h = h<<8 | uint32(sub[i])
		if g.slots[gramHash(h, g.shift)] == 0 {
			return false
		}
	}
	return true
}

// collapseBlanks returns strings.Join(strings.Fields(s), " "): s with its blanks trimmed and
// each run of them turned into one space. ASCII text that needs no change comes back as it
// is, and other ASCII text costs one allocation.
func collapseBlanks(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			// unicode.IsSpace knows blanks beyond ASCII.
			return strings.Join(strings.Fields(s), " ")
		}
		if asciiBlank(c) && (c != ' ' || i == 0 || i == len(s)-1 || s[i+1] == ' ') {
			clean = false
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		for i < len(s) && asciiBlank(s[i]) {
			i++
		}
		j := i
		for j < len(s) && !asciiBlank(s[j]) {
			j++
		}
		if j > i {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(s[i:j])
		}
		i = j
	}
	return b.String()
}

// asciiBlank reports whether c is an ASCII byte that unicode.IsSpace accepts.
func asciiBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// hasPrefixLower reports whether strings.ToLower(s) starts with prefix (lower-case ASCII),
// without lower-casing s when the bytes that count are ASCII.
func hasPrefixLower(s, prefix string) bool {
	for i := 0; i < len(s) && i < len(prefix); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.HasPrefix(strings.ToLower(s), prefix)
		}
	}
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// equalLower reports whether strings.ToLower(s) == lower (lower-case ASCII), without
// lower-casing s when it is ASCII.
func equalLower(s, lower string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.ToLower(s) == lower
		}
	}
	return strings.EqualFold(s, lower)
}

// appendLower appends s with its ASCII letters lower-cased to buf. For a field name (ASCII:
// parseHeader and parseFieldBlock keep no other) it is strings.ToLower without an allocation:
// `switch string(appendLower(buf[:0], name))` compares without copying.
func appendLower(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf
}

// recent remembers the values last computed for a few keys, for a step that recipients in a
// row often ask of the same text (an address listed many times, a diagnostic shared). Unlike
// a map it costs nothing per key when the keys are all different.
type recent struct {
	keys, vals [4]string
	n          int // the number of entries put, of which the last len(keys) are kept
}

// of returns f(key), kept from an earlier call when key was among the last few asked; a
// value computed is kept in place of the one kept longest.
func (c *recent) of(key string, f func(string) string) string {
	for i := range min(c.n, len(c.keys)) {
		if c.keys[i] == key {
			return c.vals[i]
		}
	}
	val := f(key)
	i := c.n % len(c.keys)
	c.keys[i], c.vals[i] = key, val
	c.n++
	return val
}
