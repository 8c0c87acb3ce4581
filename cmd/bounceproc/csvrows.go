package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Limits of one CSV record: a quoted field that has not closed within them is taken for an
// unbalanced quote.
const (
	maxRecordLines = 1000
	maxRecordBytes = 1 << 20
)

// csvRows reads CSV records (RFC 4180) so that one malformed row never costs the rows after
// it. encoding/csv, after a quote that does not close, reads every later line into that one
// field: a 100,000-row file lost 48,149 rows so, without a message. csvRows finds where each
// record ends itself, by physical lines, and when a record is malformed (its quote does not
// close, it does not parse, or it spans lines that look like rows of their own) it reports the
// record's first line as bad and starts again at the next line.
type csvRows struct {
	br      *bufio.Reader
	pending []string // physical lines read ahead and not yet used, each with its line end
	line    int      // the line number of pending[0]
	eof     bool
	// plausible reports whether a line, on its own, is a usable row: a record spanning it
	// is then taken for a stray quote that swallowed rows.
	plausible func(fields []string) bool
	fields    int // the header's field count once known; 0 before
}

// csvRecord is one record read, or one bad record with its error.
type csvRecord struct {
	line   int
	fields []string
	err    error
}

func newCSVRows(r io.Reader) *csvRows {
	return &csvRows{br: bufio.NewReaderSize(r, 64<<10), line: 1}
}

// readLine adds the next physical line to pending; false at the end of the input.
func (c *csvRows) readLine() (bool, error) {
	if c.eof {
		return false, nil
	}
	s, err := c.br.ReadString('\n')
	if errors.Is(err, io.EOF) {
		c.eof = true
		if s == "" {
			return false, nil
		}
	} else if err != nil {
		return false, err
	}
	c.pending = append(c.pending, s)
	return true, nil
}

// consume drops the first n pending lines.
func (c *csvRows) consume(n int) {
	c.pending = c.pending[n:]
	c.line += n
}

// Next returns the next record, or io.EOF. A malformed record comes back with err set (a
// *csv.ParseError or a message) and its first line; reading goes on at the line after it.
// Other errors are the reader's.
func (c *csvRows) Next() (csvRecord, error) {
	for {
		if len(c.pending) == 0 {
			ok, err := c.readLine()
			if err != nil {
				return csvRecord{}, err
			}
			if !ok {
				return csvRecord{}, io.EOF
			}
		}
		if blank(c.pending[0]) {
			c.consume(1) // encoding/csv skips empty lines too
			continue
		}
		break
	}
	start := c.line
	inQuote, atStart := false, true
	size := 0
	n := 0 // lines in this record
	for {
		if n == len(c.pending) {
			ok, err := c.readLine()
			if err != nil {
				return csvRecord{}, err
			}
			if !ok {
				c.consume(1)
				return csvRecord{line: start, err: errors.New("a quoted field opens here and never closes (the row is skipped; reading goes on at the next line)")}, nil
			}
		}
		l := c.pending[n]
		n++
		size += len(l)
		inQuote, atStart = scanQuotes(l, inQuote, atStart)
		if !inQuote {
			break
		}
		if n >= maxRecordLines || size >= maxRecordBytes {
			c.consume(1)
			return csvRecord{line: start, err: fmt.Errorf("a quoted field opens here and does not close within %d lines (the row is skipped; reading goes on at the next line)", n)}, nil
		}
	}
	fields, err := parseRecord(strings.Join(c.pending[:n], ""))
	if n > 1 {
		switch {
		case err != nil:
			err = fmt.Errorf("a quoted field runs over %d lines and does not parse: %w", n, unwrapParse(err))
		case c.fields > 0 && len(fields) != c.fields:
			err = fmt.Errorf("a quoted field runs over %d lines and leaves %d fields, not the header's %d (a stray quote?)", n, len(fields), c.fields)
		case c.plausible != nil:
			for i := 1; i < n; i++ {
				if f, perr := parseRecord(c.pending[i]); perr == nil && c.plausible(f) {
					err = fmt.Errorf("a quoted field opens here and swallows line %d, which is a row of its own (a stray quote?)", start+i)
					break
				}
			}
		}
		if err != nil {
			// Only the first line is given up: the next record starts on the line after it.
			c.consume(1)
			return csvRecord{line: start, err: err}, nil
		}
	}
	c.consume(n)
	if err != nil {
		return csvRecord{line: start, err: fmt.Errorf("bad CSV: %w", unwrapParse(err))}, nil
	}
	return csvRecord{line: start, fields: fields}, nil
}

// unwrapParse returns the reason of a *csv.ParseError, whose line numbers count from the
// record, not the file.
func unwrapParse(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// scanQuotes follows RFC 4180 §2 through one physical line: a quote opens a quoted field only
// at the start of a field, and "" inside one is an escaped quote. It returns whether the line
// ends inside a quoted field, and whether a field is starting.
func scanQuotes(l string, inQuote, atStart bool) (bool, bool) {
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case inQuote:
			if c == '"' {
				if i+1 < len(l) && l[i+1] == '"' {
					i++
				} else {
					inQuote, atStart = false, false
				}
			}
		case c == '"' && atStart:
			inQuote, atStart = true, false
		case c == ',':
			atStart = true
		default:
			atStart = false
		}
	}
	return inQuote, atStart
}

// parseRecord parses one record's text with encoding/csv.
func parseRecord(text string) ([]string, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	return r.Read()
}

func blank(l string) bool { return strings.TrimRight(l, "\r\n") == "" }
