package suppress

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Format is an export format.
type Format string

// The export formats.
const (
	FormatCSV   Format = "csv"   // RFC 4180, with a header row
	FormatJSONL Format = "jsonl" // one JSON object per line
)

// CSVHeader is the header row of a CSV export.
var CSVHeader = []string{"email", "kind", "reason", "status", "reply_code", "first_seen", "last_seen", "bounce_count", "last_diagnostic"}

// Export writes the entries that match f to w in the given format, streamed in address order
// without loading them all, and returns how many it wrote.
//
// CSV cells that a spreadsheet would run as a formula (starting with '=', '+', '-', '@', a tab
// or a carriage return) get a leading apostrophe, in every column including email: an address
// such as "=1+2@example.org" is valid mail syntax and a live formula. JSONL is written as it
// is, since it is read by programs.
func Export(ctx context.Context, st Store, w io.Writer, format Format, f Filter) (int, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	var n int
	var err error
	switch format {
	case FormatCSV, "":
		n, err = exportCSV(ctx, st, bw, f)
	case FormatJSONL:
		n, err = exportJSONL(ctx, st, bw, f)
	default:
		return 0, fmt.Errorf("suppress: export: unknown format %q (want csv or jsonl)", format)
	}
	if err != nil {
		return n, err
	}
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("suppress: export: %w", err)
	}
	return n, nil
}

func exportCSV(ctx context.Context, st Store, w io.Writer, f Filter) (int, error) {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return 0, fmt.Errorf("suppress: export: %w", err)
	}
	n := 0
	rec := make([]string, len(CSVHeader))
	write := func(r *exportRow) error {
		rec[0] = r.address
		rec[1] = r.kind
		if rec[1] == "" {
			rec[1] = r.source
		}
		rec[2] = r.reason
		rec[3] = r.status
		rec[4] = r.reply
		rec[5] = exportTime(fromMS(r.first))
		rec[6] = exportTime(fromMS(r.last))
		rec[7] = strconv.Itoa(r.count)
		rec[8] = r.diagnostic
		for i := range rec {
			rec[i] = NeutralizeCell(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
		n++
		return nil
	}
	var err error
	if s, ok := st.(*SQLite); ok {
		err = s.exportRows(ctx, f, write)
	} else {
		var r exportRow
		err = st.Entries(ctx, f, func(e Entry) error {
			r = exportRow{address: e.Address, kind: string(e.Kind), source: string(e.Source), reason: string(e.Reason),
				status: string(e.Status), reply: string(e.Reply), diagnostic: e.LastDiagnostic,
				first: toMS(e.FirstSeen), last: toMS(e.LastSeen), count: e.BounceCount}
			return write(&r)
		})
	}
	if err != nil {
		return n, fmt.Errorf("suppress: export: %w", err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, fmt.Errorf("suppress: export: %w", err)
	}
	return n, nil
}

// exportKind is the kind column: the latest failure kind, or how an address only known by
// hand got on the list ("manual", "import").
func exportKind(e Entry) string {
	if e.Kind != "" {
		return string(e.Kind)
	}
	return string(e.Source)
}

func exportTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// NeutralizeCell returns s with a leading apostrophe when a spreadsheet would read it as a
// formula: when it starts with '=', '+', '-', '@', a tab or a carriage return.
func NeutralizeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// jsonEntry is one line of a JSONL export.
type jsonEntry struct {
	Email           string `json:"email"`
	Kind            string `json:"kind"`
	Reason          string `json:"reason,omitempty"`
	Status          string `json:"status,omitempty"`
	ReplyCode       string `json:"reply_code,omitempty"`
	FirstSeen       string `json:"first_seen,omitempty"`
	LastSeen        string `json:"last_seen,omitempty"`
	BounceCount     int    `json:"bounce_count"`
	LastDiagnostic  string `json:"last_diagnostic,omitempty"`
	Suppressed      bool   `json:"suppressed"`
	SuppressedKind  string `json:"suppressed_kind,omitempty"`
	SuppressedSince string `json:"suppressed_since,omitempty"`
	Source          string `json:"source,omitempty"`
	By              string `json:"by,omitempty"`
	Why             string `json:"why,omitempty"`
}

func exportJSONL(ctx context.Context, st Store, w io.Writer, f Filter) (int, error) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	n := 0
	err := st.Entries(ctx, f, func(e Entry) error {
		if err := enc.Encode(jsonEntry{
			Email: e.Address, Kind: exportKind(e), Reason: string(e.Reason), Status: string(e.Status),
			ReplyCode: string(e.Reply), FirstSeen: exportTime(e.FirstSeen), LastSeen: exportTime(e.LastSeen),
			BounceCount: e.BounceCount, LastDiagnostic: e.LastDiagnostic, Suppressed: e.Suppressed,
			SuppressedKind: string(e.SuppressedKind), SuppressedSince: exportTime(e.SuppressedSince),
			Source: string(e.Source), By: e.By, Why: e.Why,
		}); err != nil {
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("suppress: export: %w", err)
	}
	return n, nil
}
