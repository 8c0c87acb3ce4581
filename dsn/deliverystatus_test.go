package dsn

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/bounceproc/bounceproc/internal/testutil"
)

// splitGroupsByBuilder and parseFieldBlockBySplit are splitGroups and parseFieldBlock as
// they were before they cut their results from the text; the tests hold them to these.
func splitGroupsByBuilder(s string) []string {
	var groups []string
	var cur strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) == "" {
			if cur.Len() > 0 {
				groups = append(groups, cur.String())
				cur.Reset()
			}
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
	}
	if cur.Len() > 0 {
		groups = append(groups, cur.String())
	}
	return groups
}

func parseFieldBlockBySplit(s string) []Field {
	var fs []Field
	for _, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(fs) > 0 {
				fs[len(fs)-1].Value += " " + strings.TrimSpace(line)
			}
			continue
		}
		name, val, ok := strings.Cut(line, ":")
		name = strings.TrimSpace(name)
		if !ok || !isFieldName(name) {
			continue
		}
		fs = append(fs, Field{Name: name, Value: strings.TrimSpace(val)})
	}
	return fs
}

func checkFieldText(t *testing.T, s string) {
	t.Helper()
	if got, want := splitGroups(s), splitGroupsByBuilder(s); !slices.Equal(got, want) {
		t.Errorf("splitGroups(%q) = %q, want %q", s, got, want)
	}
	if got, want := parseFieldBlock(s), parseFieldBlockBySplit(s); !slices.Equal(got, want) {
		t.Errorf("parseFieldBlock(%q) = %q, want %q", s, got, want)
	}
}

var fieldTextCases = []string{
	"", "\n", "\n\n", " \n\t\n", "a", "a\n", "a\nb", "a\n\nb", "a\n \nb\n", "\na: 1\n",
	"Reporting-MTA: dns; x\n\nFinal-Recipient: rfc822; a@b\nStatus: 5.1.1\n",
	"Final-Recipient: rfc822; a@b\n  folded\nStatus: 5.1.1", " lead\nA: b\n", "A : b\n\n\n\nC: d\n \n",
	"A:\u00a0b\n\u00a0\nC: d", "no colon\nA: b\r\n\r\nC: d\r\n",
}

func TestFieldTextAgrees(t *testing.T) {
	for _, s := range fieldTextCases {
		checkFieldText(t, s)
	}
	for _, p := range testutil.Samples(t) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		checkFieldText(t, string(normalizeEOL(b)))
	}
}

func FuzzFieldText(f *testing.F) {
	for _, s := range fieldTextCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkFieldText(t, s)
	})
}

// TestTypedValueLowerCases checks that typedValue gives the type lower-cased, whether it
// comes from commonAddressTypes or from a copy.
func TestTypedValueLowerCases(t *testing.T) {
	for _, v := range []string{"RFC822; a@b", " rfc822 ;a@b", "DNS; mx", "Smtp; 550 x", "UTF-8; a@b", "X-Unix; |x",
		"X-POSTFIX; x", "X-Other; y", "x-other; y", "rfc822", "bad type; x", "; x", "İ; x"} {
		typ, val := typedValue(v)
		wantTyp, wantVal := "", strings.TrimSpace(v)
		if tt, rest, ok := strings.Cut(v, ";"); ok && isAtom(strings.TrimSpace(tt)) {
			wantTyp, wantVal = strings.ToLower(strings.TrimSpace(tt)), strings.TrimSpace(rest)
		}
		if typ != wantTyp || val != wantVal {
			t.Errorf("typedValue(%q) = %q, %q; want %q, %q", v, typ, val, wantTyp, wantVal)
		}
	}
}

func TestDSRecipientPrefersUsableOriginal(t *testing.T) {
	tests := []struct {
		name, final, orig string
		want, wantFinal   string
	}{
		{"x400 final", "x400; /S=ann/PRMD=EX/ADMD= /C=GB/", "rfc822; ann@example.org", "ann@example.org", "/S=ann/PRMD=EX/ADMD= /C=GB/"},
		{"internal host", "rfc822; ann@ims-ms-daemon", "rfc822; ann@example.org", "ann@example.org", "ann@ims-ms-daemon"},
		{"usable final stays", "rfc822; ann@mx.example.net", "rfc822; ann@example.org", "ann@mx.example.net", ""},
		{"unusable original", "x400; /S=ann/C=GB/", "x400; /S=ann/O=EX/C=GB/", "/S=ann/C=GB/", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := dsRecipient([]Field{{"Final-Recipient", tc.final}, {"Original-Recipient", tc.orig}, {"Action", "failed"}}, false)
			if r.Address != tc.want || r.FinalAddress != tc.wantFinal {
				t.Errorf("dsRecipient(%q, %q) = %q (final %q), want %q (final %q)", tc.final, tc.orig, r.Address, r.FinalAddress, tc.want, tc.wantFinal)
			}
		})
	}
}
