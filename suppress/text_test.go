package suppress

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bounceproc/bounceproc/classify"
)

// TestStoreKeepsValidUTF8 (issue 15): bytes that are not UTF-8 (a NUL that Dovecot delivered
// as 0x80) are stored as U+FFFD, so every export reads as UTF-8.
func TestStoreKeepsValidUTF8(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	m := mailN(1)
	m.MessageID = "<id\x80@mx.example.net>"
	if _, err := s.RecordMail(ctx, m, []Event{{Address: "a@example.org", Kind: classify.KindHard,
		Diagnostic: "550 user \x80unknown\x00 \xff\xfe", RemoteMTA: "mx\xc3.example.net"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Suppress(ctx, Manual{Address: "b@example.org", By: "j\xf6rg", Why: "latin-1 \xe9"}); err != nil {
		t.Fatal(err)
	}
	h, err := s.History(ctx, "a@example.org")
	if err != nil {
		t.Fatal(err)
	}
	for _, got := range []string{h.Entry.LastDiagnostic, h.Events[0].Diagnostic, h.Events[0].RemoteMTA, h.Events[0].MessageID} {
		if !utf8.ValidString(got) || strings.ContainsRune(got, 0) {
			t.Errorf("stored %q: not valid UTF-8 without NUL", got)
		}
	}
	if want := "550 user \uFFFDunknown\uFFFD \uFFFD"; h.Events[0].Diagnostic != want {
		t.Errorf("diagnostic stored as %q, want %q", h.Events[0].Diagnostic, want)
	}
	if e := lookup(t, s, "b@example.org"); !utf8.ValidString(e.By) || !utf8.ValidString(e.Why) {
		t.Errorf("manual change stored as by %q why %q", e.By, e.Why)
	}
	// A rerun of the same mail is a duplicate still.
	if res, err := s.RecordMail(ctx, m, nil); err != nil || !res.Duplicate {
		t.Errorf("the same mail again: %+v, %v", res, err)
	}
	for _, f := range []Format{FormatCSV, FormatJSONL, FormatSpreadsheet} {
		var out bytes.Buffer
		if _, err := Export(ctx, s, &out, f, Filter{}); err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(out.Bytes()) {
			t.Errorf("%s export is not UTF-8: %q", f, out.String())
		}
	}
}
