package classify

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// appendNormalizedByByte is appendNormalized as it was before it copied the rest of a word
// in a loop of its own, kept as the oracle.
func appendNormalizedByByte(dst []byte, s string) []byte {
	started := false // whether anything was written: blanks and markers before it are dropped
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		// The common case first: an ASCII byte that is kept, lower-cased.
		if lc := foldASCII[c]; lc != 0 && !(space && isDigit(c)) {
			if space && started {
				dst = append(dst, ' ', lc)
			} else {
				dst = append(dst, lc)
			}
			i++
			space, started = false, true
			continue
		}
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			space = true
			i++
			continue
		case isDigit(c) && started:
			if k := continuationMarker(s, i); k > 0 {
				i += k
				continue
			}
		}
		if space && started {
			dst = append(dst, ' ')
		}
		space, started = false, true
		if c < utf8.RuneSelf {
			dst = append(dst, c) // a digit that starts no marker, or a control byte
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
		i += size
	}
	return dst
}

// checkNormalized compares appendNormalized with appendNormalizedByByte on s, appended to
// an empty buffer and to one that holds text already.
func checkNormalized(t *testing.T, s string) {
	t.Helper()
	for _, prefix := range []string{"", "x"} {
		got := string(appendNormalized([]byte(prefix), s, false))
		want := string(appendNormalizedByByte([]byte(prefix), s))
		if got != want {
			t.Errorf("appendNormalized(%q, %q) = %q, want %q", prefix, s, got, want)
		}
	}
}

// TestAppendNormalizedLikeByByte compares appendNormalized with the oracle on blanks, reply
// markers, digits, control bytes and non-ASCII text.
func TestAppendNormalizedLikeByByte(t *testing.T) {
	tests := []struct{ name, s string }{
		{"empty", ""},
		{"word", "Word"},
		{"blanks", "  a \t b\r\n\tc  "},
		{"reply markers", "550-5.7.26 This mail has been blocked\n550-5.7.26 because the sender is unauthenticated"},
		{"digits after a blank", "error 550 5.1.1 user unknown"},
		{"digits in a word", "abc123 x9y 4.4.7"},
		{"control bytes", "a\x00b\x7fc\x01"},
		{"non-ASCII", "Adresse IP source bloquée pour incident de spam, İSTANBUL \u212a"},
		{"invalid UTF-8", "\xff\xfe 550-\x00 5."},
		{"caseless scripts", "\u5b9b\u5148\u30e1\u30fc\u30eb\u30a2\u30c9\u30ec\u30b9 \ud55c\uad6d\uc5b4 ＡＢＣ \xe3\x81 550"},
		{"diagnostic", "host mx1.example.org [192.0.2.17] SMTP error from remote mail server after RCPT TO:<dave@example.org>: 550 5.1.1 <dave@example.org>: Recipient address rejected: User unknown in local recipient table"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { checkNormalized(t, tc.s) })
	}
}

// TestCaseless checks that every rune caseless accepts lowers to itself, and that it accepts
// none outside the blocks it names.
func TestCaseless(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if caseless(r) && unicode.ToLower(r) != r {
			t.Fatalf("caseless(%U), but it lowers to %U", r, unicode.ToLower(r))
		}
	}
	for _, r := range []rune{'A', 0x2e7f, 0xa640, 0xff21, 0xabff, 0xd800} {
		if caseless(r) {
			t.Errorf("caseless(%U), want false", r)
		}
	}
}

// FuzzAppendNormalized compares appendNormalized with the oracle on arbitrary text.
func FuzzAppendNormalized(f *testing.F) {
	f.Add("550-5.7.26 This mail has been blocked\n 550-5.7.26 because")
	f.Add("abc123 x9y \xff 4.4.7")
	f.Fuzz(checkNormalized)
}

// prefolded is s with each rune that appendNormalized folds written as it folds it: the
// oracle of folding is appendNormalizedByByte on prefolded text.
func prefolded(s string) string {
	var b []byte
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError || r < utf8.RuneSelf:
			b = append(b, s[i:i+size]...)
		case unicode.IsSpace(r):
			b = append(b, ' ')
		case foldRune(unicode.ToLower(r)) != "":
			b = append(b, foldRune(unicode.ToLower(r))...)
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}

// checkFolded compares appendNormalized with folding with the oracle on s.
func checkFolded(t *testing.T, s string) {
	t.Helper()
	got := string(appendNormalized(nil, s, true))
	if want := string(appendNormalizedByByte(nil, prefolded(s))); got != want {
		t.Errorf("appendNormalized(%q, fold) = %q, want %q", s, got, want)
	}
}

// TestAppendNormalizedFolds checks what folding writes, and compares it with the oracle.
func TestAppendNormalizedFolds(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Boîte aux lettres PLEINE", "boite aux lettres pleine"},
		{"Empfänger unbekannt, Größe", "empfanger unbekannt, grosse"},
		{"KULLANICI BULUNAMADI / Kullanıcı bulunamadı / İleti", "kullanici bulunamadi / kullanici bulunamadi / ileti"},
		{"Użytkownik Łódź ŻÓŁW", "uzytkownik lodz zolw"},
		{"Œuvre Æther þorn Ĳssel", "oeuvre aether thorn ijssel"},
		{"Ștefan Țara", "stefan tara"},
		{"Учётная ЗАПИСЬ Ёлка", "учетная запись елка"},
		{"n’existe pas", "n'existe pas"},
		{"550\u00a05.1.1 inconnu\u00a0: a", "550 5.1.1 inconnu : a"},
		{"宛先\u3000不明", "宛先 不明"},
		{"2 × 3 ÷ 4", "2 × 3 ÷ 4"},
		{"５５０ ＵＳＥＲ ｕｎｋｎｏｗｎ", "５５０ user unknown"},
	}
	for _, tc := range tests {
		if got := string(appendNormalized(nil, tc.in, true)); got != tc.want {
			t.Errorf("appendNormalized(%q, fold) = %q, want %q", tc.in, got, tc.want)
		}
		checkFolded(t, tc.in)
	}
	checkFolded(t, "\xff\xfe 550-\x00 5. é550-5.7.1 x\u00a0550-5.1.1 y")
}

// TestLatinBase checks the table of base letters: it covers U+00C0 to U+017F, and a capital
// and its small letter fold alike, which they do only where the table is not shifted.
func TestLatinBase(t *testing.T) {
	if len(latinBase) != 0x180-0xc0 {
		t.Fatalf("latinBase has %d letters, want %d", len(latinBase), 0x180-0xc0)
	}
	for r := rune(0xc0); r < 0x180; r++ {
		// foldRune is given the rune lowered, as appendNormalized does; "İ" lowers to ASCII.
		f := foldRune(unicode.ToLower(r))
		if l := unicode.ToLower(r); f == "" && l < utf8.RuneSelf {
			f = string(l)
		}
		if !unicode.IsLetter(r) {
			if f != "" {
				t.Errorf("foldRune(%q) = %q, want none for a sign", r, f)
			}
			continue
		}
		if f == "" || f[0] < 'a' || f[0] > 'z' {
			t.Errorf("foldRune(%q) = %q, want ASCII letters", r, f)
		}
		if l := unicode.ToLower(r); l != r && l >= 0xc0 && l < 0x180 && latinBase[r-0xc0] != latinBase[l-0xc0] {
			t.Errorf("latinBase has %q for %q, but %q for %q", latinBase[r-0xc0], r, latinBase[l-0xc0], l)
		}
	}
}

// FuzzAppendNormalizedFolds compares folding with the oracle on arbitrary text.
func FuzzAppendNormalizedFolds(f *testing.F) {
	f.Add("Boîte pleine\u00a0550-5.2.2 ÜBER")
	f.Fuzz(checkFolded)
}

// TestSubjectIsHost checks which noun the clause around a subjectless "not found" names.
func TestSubjectIsHost(t *testing.T) {
	tests := []struct {
		text, phrase string
		want         bool
	}{
		{"550 the destination server was not found", "was not found", true},
		{"no se encontro el servidor de destino para el dominio example.org.", "no se encontro", true},
		{"le serveur est introuvable : example.org", "introuvable", true},
		{"550 domain example.org does not exist", "does not exist", true},
		{"the address a@example.org was not found on server mx.example.org", "was not found", false},
		{"host mx.example.org said: 550 user a was not found", "was not found", false},
		{"the mail server reports that the user does not exist", "does not exist", false},
		{"a@server.example.org does not exist", "does not exist", false},
		{"550 does not exist", "does not exist", false},
	}
	for _, tc := range tests {
		at := strings.Index(tc.text, tc.phrase)
		if got := subjectIsHost(tc.text, at, at+len(tc.phrase)); got != tc.want {
			t.Errorf("subjectIsHost(%q, %q) = %v, want %v", tc.text, tc.phrase, got, tc.want)
		}
	}
}
