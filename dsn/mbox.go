package dsn

import "bytes"

// SplitMbox splits an mbox file (RFC 4155) held in b into its messages: each starts at a
// "From " line at the start of the file or after an empty line. Input that does not start
// with "From " is one message. ">From " quoting inside messages is undone (mboxrd).
// The messages share b's memory.
func SplitMbox(b []byte) [][]byte {
	start := skipBlankLines(b)
	if !bytes.HasPrefix(b[start:], []byte("From ")) {
		return [][]byte{b}
	}
	var msgs [][]byte
	cur := start
	for {
		// Find the next separator: "\n\nFrom " (or "\r\n\r\nFrom ").
		i := nextSeparator(b, cur+5)
		if i < 0 {
			msgs = append(msgs, unquoteFrom(b[cur:]))
			return msgs
		}
		msgs = append(msgs, unquoteFrom(b[cur:i]))
		cur = i
	}
}

func skipBlankLines(b []byte) int {
	i := 0
	for i < len(b) && (b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// nextSeparator returns the offset of the next "From " line that follows an empty line, at
// or after from, or -1.
func nextSeparator(b []byte, from int) int {
	for from < len(b) {
		j := bytes.Index(b[from:], []byte("\nFrom "))
		if j < 0 {
			return -1
		}
		at := from + j + 1
		// The line before must be empty.
		prev := b[:at-1]
		if bytes.HasSuffix(prev, []byte("\n")) || bytes.HasSuffix(prev, []byte("\n\r")) {
			return at
		}
		from = at
	}
	return -1
}

// unquoteFrom undoes mboxrd quoting (">From " → "From ", ">>From " → ">From ") in place when
// there is any.
func unquoteFrom(b []byte) []byte {
	if !bytes.Contains(b, []byte("\n>From ")) && !bytes.Contains(b, []byte("\n>>")) {
		return b
	}
	out := make([]byte, 0, len(b))
	lines := bytes.SplitAfter(b, []byte("\n"))
	for _, l := range lines {
		t := bytes.TrimLeft(l, ">")
		if len(t) < len(l) && bytes.HasPrefix(t, []byte("From ")) {
			l = l[1:]
		}
		out = append(out, l...)
	}
	return out
}
