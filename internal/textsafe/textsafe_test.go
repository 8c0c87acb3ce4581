package textsafe

import (
	"strings"
	"testing"
)

func TestEscape(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"plain", "550 5.1.1 user unknown", "550 5.1.1 user unknown"},
		{"unicode kept", "Empfänger unbekannt – 用户", "Empfänger unbekannt – 用户"},
		{"backslash kept", `C:\mail`, `C:\mail`},
		{"window title", "x\x1b]0;pwned\x07y", `x\x1b]0;pwned\x07y`},
		{"clear screen", "\x1b[2Jgone", `\x1b[2Jgone`},
		{"line breaks", "a\r\nb\tc", `a\r\nb\tc`},
		{"nul and del", "a\x00b\x7f", `a\x00b\x7f`},
		{"C1 CSI", "a\u009b2Jb", `a\u009b2Jb`},
		{"bidi override", "evil\u202egro.elpmaxe", `evil\u202egro.elpmaxe`},
		{"invalid UTF-8", "a\x80b\xffc", `a\x80b\xffc`},
		{"truncated rune", "ab\xe2\x82", `ab\xe2\x82`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Escape(tc.in); got != tc.want {
				t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if got := Safe(tc.in); got != (tc.in == tc.want) {
				t.Errorf("Safe(%q) = %v, want %v", tc.in, got, tc.in == tc.want)
			}
		})
	}
}

// FuzzEscape checks that what Escape returns is always safe, and that safe text is kept.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b]0;t\x07", "\x80", "\u202e", "a\u009bb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Escape(s)
		if !Safe(got) {
			t.Errorf("Escape(%q) = %q, which is not safe", s, got)
		}
		if Safe(s) && got != s {
			t.Errorf("Escape(%q) = %q, changed safe text", s, got)
		}
		if strings.ContainsAny(got, "\x1b\x07\x00") {
			t.Errorf("Escape(%q) = %q still holds a control character", s, got)
		}
	})
}
