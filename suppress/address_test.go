package suppress

import (
	"errors"
	"strings"
	"testing"
	"unicode"
)

func TestNormalize(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"plain", "user@example.org", "user@example.org"},
		{"blanks", "  user@example.org\t\n", "user@example.org"},
		{"angle brackets", "<user@example.org>", "user@example.org"},
		{"display name", `"Some User" <User@Example.org>`, "user@example.org"},
		{"mailto", "mailto:User@Example.org", "user@example.org"},
		{"mailto in brackets", "<MAILTO:user@example.org>", "user@example.org"},
		{"mailto with query", "mailto:user@example.org?subject=hi", "user@example.org"},
		{"domain case", "user@EXAMPLE.Org", "user@example.org"},
		{"local part case", "John.Smith+Tag@example.org", "john.smith+tag@example.org"},
		{"trailing dot on domain", "user@example.org.", "user@example.org"},
		{"IDNA domain to A-label", "user@Bücher.Example", "user@xn--bcher-kva.example"},
		{"A-label kept", "user@xn--bcher-kva.example", "user@xn--bcher-kva.example"},
		{"full-width domain mapped", "user@ｅｘａｍｐｌｅ.org", "user@example.org"},
		{"NFC local part", "jose\u0301@example.org", "jos\u00e9@example.org"},
		{"UTF-8 local part case", "JÖRG@example.org", "jörg@example.org"},
		{"quoted local part with @", `"a@b"@example.org`, `"a@b"@example.org`},
		{"formula-looking but valid", "=1+2@example.org", "=1+2@example.org"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Normalize(tc.in)
			if err != nil || got != tc.want {
				t.Errorf("Normalize(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
			// Normalising twice changes nothing.
			if again, err := Normalize(got); err != nil || again != got {
				t.Errorf("Normalize(%q) = %q, %v; want it unchanged", got, again, err)
			}
		})
	}
}

func TestNormalizeRejects(t *testing.T) {
	cases := []struct{ name, in string }{
		{"empty", ""},
		{"blank", "   "},
		{"no at", "user.example.org"},
		{"empty local part", "@example.org"},
		{"empty domain", "user@"},
		{"two ats", "a@b@example.org"},
		{"space in local part", "us er@example.org"},
		{"space in domain", "user@exa mple.org"},
		{"unbalanced bracket", "user@example.org>"},
		{"text after bracket", "<user@example.org> junk"},
		{"leading dot", ".user@example.org"},
		{"double dot", "us..er@example.org"},
		{"control character", "us\x01er@example.org"},
		{"invalid UTF-8", "us\xffer@example.org"},
		{"empty label", "user@example..org"},
		{"label too long", "user@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.org"},
		{"address literal", "user@[192.0.2.1]"},
		{"local part too long", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.org"},
		{"only mailto", "mailto:"},
		{"comma list", "a@example.org,b@example.org"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Normalize(tc.in)
			if !errors.Is(err, ErrInvalidAddress) {
				t.Errorf("Normalize(%q) = %q, %v; want an error wrapping ErrInvalidAddress", tc.in, got, err)
			}
		})
	}
}

func TestNormalizeDomain(t *testing.T) {
	for in, want := range map[string]string{"Example.ORG": "example.org", "bücher.example": "xn--bcher-kva.example", " example.org. ": "example.org"} {
		if got, err := NormalizeDomain(in); err != nil || got != want {
			t.Errorf("NormalizeDomain(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "a b.org", "x@y.org", "-bad-.org", "\x01", "a(b).org", "a,b.org", "a:b.org"} {
		if got, err := NormalizeDomain(in); !errors.Is(err, ErrInvalidAddress) {
			t.Errorf("NormalizeDomain(%q) = %q, %v; want ErrInvalidAddress", in, got, err)
		}
	}
}

// FuzzNormalize checks that Normalize never panics, that what it returns is stable (normalising
// again changes nothing) and free of blanks and control characters, and that it has one @
// outside a quoted local part.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"user@example.org", "<A@B.C>", "mailto:x@y.z?a=b", `"a@b"@c.d`, "jörg@bücher.example",
		"@", "a@", "@b", "a@b@c", "\xff@x.y", "x@xn--", "x@-a.b", "a@b..c", "José@ＥＸＡＭＰＬＥ.org", "0@\x01", "a@b(c).d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Normalize(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidAddress) {
				t.Fatalf("Normalize(%q) error %v does not wrap ErrInvalidAddress", s, err)
			}
			return
		}
		if again, err := Normalize(n); err != nil || again != n {
			t.Fatalf("Normalize(%q) = %q, but Normalize(%q) = %q, %v", s, n, n, again, err)
		}
		if strings.ContainsFunc(n, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
			t.Fatalf("Normalize(%q) = %q holds a blank or control character", s, n)
		}
		at := strings.LastIndexByte(n, '@')
		if at <= 0 || at == len(n)-1 {
			t.Fatalf("Normalize(%q) = %q is not local@domain", s, n)
		}
	})
}
