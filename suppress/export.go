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

	"github.com/bounceproc/bounceproc/internal/textsafe"
)

// Format is an export format.
type Format string

// The export formats.
const (
	FormatCSV   Format = "csv"   // RFC 4180, with a header row, for programs (a sending provider)
	FormatJSONL Format = "jsonl" // one JSON object per line
	// FormatSpreadsheet is CSV for a person to open in a spreadsheet: every cell a
	// spreadsheet would run as a formula gets a leading apostrophe, the email column's too.
	FormatSpreadsheet Format = "spreadsheet"
)

// CSVHeader is the header row of a CSV export. cause is why the address is suppressed: the
// kind of bounce that made the policy suppress it (hard, soft, complaint), or manual or
// import; empty when it is not suppressed. kind and the columns after it describe the latest
// bounce.
var CSVHeader = []string{"email", "cause", "suppressed_since", "kind", "reason", "status", "reply_code", "first_seen", "last_seen",
	"bounce_count", "last_diagnostic"}

// Export writes the entries that match f to w in the given format, streamed in address order
// without loading them all, and returns how many it wrote.
//
// The email column is always the address exactly as stored, in CSV and JSONL: an address
// such as "=1+2@example.org" or "+tag@example.org" is valid, and a provider given
// "'+tag@example.org" would suppress a different address. The free-text diagnostic has its
// control characters escaped (see textsafe.Escape), in every format, and in CSV a leading
// apostrophe when a spreadsheet would run it as a formula (see NeutralizeCell).
// FormatSpreadsheet guards every cell so, the email column included.
func Export(ctx context.Context, st Store, w io.Writer, format Format, f Filter) (int, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	var n int
	var err error
	switch format {
	case FormatCSV, "":
		n, err = exportCSV(ctx, st, bw, f, false)
	case FormatSpreadsheet:
		n, err = exportCSV(ctx, st, bw, f, true)
	case FormatJSONL:
		n, err = exportJSONL(ctx, st, bw, f)
	default:
		return 0, fmt.Errorf("suppress: export: unknown format %q (want csv, spreadsheet or jsonl)", format)
	}
	if err != nil {
		return n, err
	}
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("suppress: export: %w", err)
	}
	return n, nil
}

// cause is the cause column: why an address is suppressed, "" when it is not.
func cause(suppressed bool, source, suppressedKind string) string {
	switch {
	case !suppressed:
		return ""
	case Source(source) == SourcePolicy:
		return suppressedKind
	}
	return source
}

func exportCSV(ctx context.Context, st Store, w io.Writer, f Filter, spreadsheet bool) (int, error) {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return 0, fmt.Errorf("suppress: export: %w", err)
	}
	n := 0
	rec := make([]string, len(CSVHeader))
	write := func(r *exportRow) error {
		rec[0] = r.address
		rec[1] = cause(r.suppressed, r.source, r.suppressedKind)
		rec[2] = ""
		if r.suppressed {
			rec[2] = exportTime(fromMS(r.since))
		}
		rec[3] = r.kind
		rec[4] = r.reason
		rec[5] = r.status
		rec[6] = r.reply
		rec[7] = exportTime(fromMS(r.first))
		rec[8] = exportTime(fromMS(r.last))
		rec[9] = strconv.Itoa(r.count)
		rec[10] = NeutralizeCell(textsafe.Escape(r.diagnostic))
		if spreadsheet {
			for i := range rec {
				rec[i] = NeutralizeCell(rec[i])
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
		n++
		return nil
	}
	var err error
	if s, ok := st.(*DB); ok {
		err = s.exportRows(ctx, f, write)
	} else {
		var r exportRow
		err = st.Entries(ctx, f, func(e Entry) error {
			r = exportRow{address: e.Address, kind: string(e.Kind), source: string(e.Source), reason: string(e.Reason),
				status: string(e.Status), reply: string(e.Reply), diagnostic: e.LastDiagnostic,
				first: toMS(e.FirstSeen), last: toMS(e.LastSeen), count: e.BounceCount,
				suppressed: e.Suppressed, suppressedKind: string(e.SuppressedKind), since: toMS(e.SuppressedSince)}
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
	Cause           string `json:"cause,omitempty"`
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
			Email: e.Address, Cause: cause(e.Suppressed, string(e.Source), string(e.SuppressedKind)), Kind: exportKind(e), Reason: string(e.Reason), Status: string(e.Status),
			ReplyCode: string(e.Reply), FirstSeen: exportTime(e.FirstSeen), LastSeen: exportTime(e.LastSeen),
			BounceCount: e.BounceCount, LastDiagnostic: textsafe.Escape(e.LastDiagnostic), Suppressed: e.Suppressed,
			SuppressedKind: string(e.SuppressedKind), SuppressedSince: exportTime(e.SuppressedSince),
			Source: string(e.Source), By: textsafe.Escape(e.By), Why: textsafe.Escape(e.Why),
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
