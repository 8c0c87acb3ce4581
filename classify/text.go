package classify

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// normalizedBuf is the size of the buffers on the stack that Classify and CommandIn
// normalize a diagnostic into: most are shorter, and a longer one moves to the heap.
const normalizedBuf = 512

// appendNormalized appends s to dst prepared for phrase matching: lower-case, every run of
// blanks (folded header lines included) turned into one space, and the "550-5.7.1 " markers
// that multi-line SMTP replies repeat at the start of each line removed, so that a phrase
// broken across reply lines still matches.
//
// With fold, it also writes what many languages write in more than one way alike, so that
// one phrase of the tables finds each way (see foldRune): a Unicode blank (a no-break space,
// the ideographic space of Japanese and Chinese text) is a blank, and a Latin letter with a
// diacritic is the letter without it, as 7-bit MTAs write it. Classify folds; CommandIn,
// whose words are ASCII alone, does not.
func appendNormalized(dst []byte, s string, fold bool) []byte {
	started := false // whether anything was written: blanks and markers before it are dropped
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		// The common case first: an ASCII byte that is kept, lower-cased.
		if lc := foldASCII[c]; lc != 0 && !(space && isDigit(c)) {
			if space && started {
				dst = append(dst, ' ')
			}
			dst = append(dst, lc)
			// The rest of the word: after a byte that was kept, every byte foldASCII keeps is
			// kept, digits included.
			for i++; i < len(s); i++ {
				lc := foldASCII[s[i]]
				if lc == 0 {
					break
				}
				dst = append(dst, lc)
			}
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
		var r rune
		size := 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
			if fold && r != utf8.RuneError && unicode.IsSpace(r) {
				space = true
				i += size
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
		if fold {
			if f := foldRune(unicode.ToLower(r)); f != "" {
				dst = append(dst, f...)
				i += size
				continue
			}
		}
		if caseless(r) {
			dst = append(dst, s[i:i+size]...) // the rune as it stands: it lowers to itself
		} else {
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
		i += size
	}
	return dst
}

// foldRune returns what a lower-case rune is written as when normalizing folds, or "" for
// the rune itself: a Latin letter with a diacritic (Latin-1 and Latin Extended-A, and
// Romanian's comma-below letters) is its base letter ("é" "e", "ł" "l", Turkish's dotless
// "ı" "i", the same as its capital "I" lowers to), a ligature or "ß" its letters; Russian's
// "ё" is "е", which Russian text writes for it; a typographic apostrophe is "'"; a
// full-width Latin letter (U+FF41 to U+FF5A, as Japanese and Chinese mail systems write
// "ＵＳＥＲ ＵＮＫＮＯＷＮ") is its ASCII letter.
func foldRune(r rune) string {
	switch {
	case 0xff41 <= r && r <= 0xff5a:
		return asciiLower[r-0xff41 : r-0xff41+1]
	case 0xc0 <= r && r < 0x180:
		b := latinBase[r-0xc0]
		switch b {
		case '-':
			return "" // × and ÷
		case '*':
			return latinLigatures[r]
		}
		return latinBase[r-0xc0 : r-0xc0+1]
	case 0x218 <= r && r < 0x21c: // Ș ș Ț ț
		return "sstt"[r-0x218 : r-0x218+1]
	case r == 'ё':
		return "е"
	case r == '\u2018' || r == '\u2019':
		return "'"
	}
	return ""
}

// latinBase holds the base letter of each rune from U+00C0 to U+017F, '-' for the two signs
// among them and '*' for those that latinLigatures spell.
const latinBase = "aaaaaa*ceeeeiiiidnooooo-ouuuuy**" + "aaaaaa*ceeeeiiiidnooooo-ouuuuy*y" + // U+00C0
	"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkkkllllllllllnnnnnnnnnoooooo**rrrrrrsssssssstttttt" +
	"uuuuuuuuuuuuwwyyyzzzzzzs"

// asciiLower is the ASCII small letters, which foldRune slices.
const asciiLower = "abcdefghijklmnopqrstuvwxyz"

// latinLigatures spells the small runes that latinBase marks '*'; foldRune gets capitals
// lowered.
var latinLigatures = map[rune]string{'æ': "ae", 'þ': "th", 'ß': "ss", 'ĳ': "ij", 'œ': "oe"}

// caseless reports, cheaper than unicode.ToLower would find it, that r is in a block of
// scripts without case (CJK, kana, Hangul; TestCaseless checks it): it lowers to itself.
func caseless(r rune) bool {
	return 0x2e80 <= r && r < 0xa640 || 0xac00 <= r && r < 0xd800
}

// foldASCII maps each ASCII byte that appendNormalized keeps to the byte it writes (the byte
// itself, upper-case letters lowered), and blanks, control bytes and non-ASCII bytes to 0.
var foldASCII = func() (t [256]byte) {
	for c := ' ' + 1; c < utf8.RuneSelf-1; c++ {
		t[c] = byte(unicode.ToLower(rune(c)))
	}
	return t
}()

// continuationMarker returns the length of a "550-5.7.1", "550-" or "550 5.7.1" marker at
// s[i:] followed by a blank (the line starts of RFC 5321 §4.2.1 multi-line replies), or 0.
func continuationMarker(s string, i int) int {
	if i+4 > len(s) || !isDigit(s[i]) || !isDigit(s[i+1]) || !isDigit(s[i+2]) || (s[i+3] != '-' && s[i+3] != ' ') {
		return 0
	}
	j := i + 4
	n := statusLen(s, j)
	if s[i+3] == ' ' && n == 0 {
		return 0 // "550 " alone may be ordinary prose; "550 5.7.1 " is a reply line's start
	}
	j += n
	if j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n') {
		return j - i
	}
	return 0
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// statusLen returns the length of an enhanced status code at s[i:], such as "5.7.1", or 0.
func statusLen(s string, i int) int {
	j := i
	for part := 0; part < 3; part++ {
		k := j
		for k < len(s) && isDigit(s[k]) && k-j < 3 {
			k++
		}
		if k == j {
			return 0
		}
		j = k
		if part < 2 {
			if j >= len(s) || s[j] != '.' {
				return 0
			}
			j++
		}
	}
	if !Status(s[i:j]).Valid() {
		return 0
	}
	return j - i
}

// phrase is a piece of wording to find in normalized text. Parts separated by "*" in the
// source must appear in that order within one clause, with anything between them but the
// end of a clause ("user * does not exist"; gapEnd): the words of one statement, not a
// prefix of one and the end of the next ("host mx.example.org[192.0.2.1] said: 550 ... not
// found" names no host that was not found).
type phrase struct {
	parts []string
	ids   []int32 // the parts' ids in the matcher, set when it is built
}

func (p phrase) in(text string) bool {
	_, end := p.span(text)
	return end >= 0
}

// span returns where p is first found in text, from its first part's start to its last
// part's end, or -1, -1. Where a gap between two parts holds the end of a clause, the search
// starts again after it: every part of a match lies in one clause.
func (p phrase) span(text string) (int, int) {
	at, off := -1, 0
	for k := 0; k < len(p.parts); k++ {
		i := strings.Index(text[off:], p.parts[k])
		if i < 0 {
			return -1, -1
		}
		if k > 0 {
			if e := gapEnd(text[off : off+i]); e >= 0 {
				off += e
				at, k = -1, -1
				continue
			}
		}
		if at < 0 {
			at = off + i
		}
		off += i + len(p.parts[k])
	}
	return at, off
}

// gapEnd returns the index just past the first end of a clause in gap (a clauseEnd byte
// followed by a blank, as in ". ", ": ", "; "), or -1 when it holds none.
func gapEnd(gap string) int {
	for i := 0; i+1 < len(gap); i++ {
		if clauseEnd(gap[i]) && gap[i+1] == ' ' {
			return i + 1
		}
	}
	return -1
}

func (p phrase) String() string { return strings.Join(p.parts, "…") }

func compilePhrases(src []string) []phrase {
	out := make([]phrase, 0, len(src))
	for _, s := range src {
		var parts []string
		for _, p := range strings.Split(s, "*") {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		if len(parts) > 0 {
			out = append(out, phrase{parts: parts})
		}
	}
	return out
}

// textRule picks a reason when one of its phrases is found.
type textRule struct {
	reason  Reason
	phrases []phrase
	// note is added to the evidence, such as "greylisting".
	note string
	// certain marks unknown-user wording that a mail system writes about its own directory
	// ("not listed in Domino Directory"): the lookup found no such user whatever the SMTP
	// command it answered, so it stays an unknown user even in reply to the message data.
	certain bool
	// subject marks wording that says something was not found or does not exist without
	// naming what; the reason is an unknown host when the clause names a server, host or
	// domain (subjectIsHost).
	subject bool
	// under, when set, lists the enhanced codes (subject.detail, such as "1.1") under which
	// the wording means the reason: a generic text that a receiver documents only with these
	// codes says nothing of its own under another code or none.
	under []string
}

// holds reports whether the rule's wording means its reason under the status s.
func (r *textRule) holds(s Status) bool {
	if r.under == nil {
		return true
	}
	if !s.Valid() {
		return false
	}
	return slices.Contains(r.under, string(s[2:]))
}

// rule builds a textRule from plain phrases, written in lower case.
func rule(r Reason, phrases ...string) textRule {
	return textRule{reason: r, phrases: compilePhrases(phrases)}
}

// subjectIsHost reports whether the clause of text around text[at:end] (a "was not found"
// or "does not exist" without a subject of its own) speaks of a server, host or domain: the
// nearest noun before the phrase names what is missing ("the destination server was not
// found", "le serveur est introuvable"), or else the first one after it ("no se encontró el
// servidor"). A clause ends at a full stop, colon, semicolon, "!" or "?" followed by a
// blank, so "host mx.example.org said: 550 user not found" reads only "550 user not found".
// Names such as "server.example.org" are one word, not a noun.
func subjectIsHost(text string, at, end int) bool {
	start := clauseStart(text, at)
	stop := len(text)
	if e := gapEnd(text[end:]); e >= 0 {
		stop = end + e - 1 // the clause's closing mark
	}
	before := nounNone
	for i := start; i < stop; {
		for i < stop && wordSep(text[i]) {
			i++
		}
		j := i
		for j < stop && !wordSep(text[j]) {
			j++
		}
		if i == j {
			break
		}
		kind := nounOf(strings.TrimRight(text[i:j], "."))
		switch {
		case kind == nounNone:
		case j <= at:
			before = kind
		case i >= end && before == nounNone:
			return kind == nounHost
		}
		i = j
	}
	return before == nounHost
}

// clauseStart returns where the clause holding text[at] starts: after the last full stop,
// colon, semicolon, "!" or "?" followed by a blank before at, or at 0.
func clauseStart(text string, at int) int {
	for i := at - 1; i > 0; i-- {
		if text[i] == ' ' && clauseEnd(text[i-1]) {
			return i + 1
		}
	}
	return 0
}

// hedged reports whether the clause of text up to the end of text[at:end] puts what it says
// under a hedge or a condition: a modal ("may", "might", "could be"), a word of likelihood
// ("possibly", "perhaps", "it is possible that", "probably") or a condition ("if", "unless",
// "whether"). "The address may not exist", "possibly the mailbox does not exist", "if the user
// does not exist, ..." say what might be or what would follow, not that it is. Words after
// the phrase do not count: "User unknown, check if the address is correct" states it.
//
// The same holds in the other languages receivers write (hedgeAbroad, conditionAbroad),
// where the hedge stands before the phrase; and in Japanese, Chinese and Korean, written
// without blanks between words, where a hedge or condition may also close the clause after
// it ("宛先不明の可能性があります", "존재하지 않을 수 있습니다", "存在しない場合"): hedgedCJK.
func hedged(text string, at, end int) bool {
	if at < 0 {
		return false
	}
	start := clauseStart(text, at)
	if hedgedCJK(text, start, at, end) {
		return true
	}
	prev := ""
	lead := true // no word of the clause before this one but SMTP codes
	cond := false
	for i := start; i < end; {
		comma := false
		for i < end && wordSep(text[i]) {
			comma = comma || text[i] == ','
			i++
		}
		if comma && i <= at {
			// A condition's clause ends at its comma: "si l'adresse n'existe pas, ...".
			cond = false
		}
		j := i
		for j < len(text) && !wordSep(text[j]) {
			j++
		}
		if i == j {
			break
		}
		w := strings.TrimRight(text[i:j], ".")
		switch w {
		case "may", "might", "possibly", "possible", "perhaps", "maybe", "probably", "if", "unless", "whether":
			return true
		case "be", "have":
			// "this could be because", "could have been deleted"; not "could not be found".
			if prev == "could" {
				return true
			}
		}
		if j <= at && hedgeAbroad(prev, w) {
			return true
		}
		if j <= at && (lead || comma) && conditionAbroad(w) {
			cond = true
		}
		lead = lead && (w == "" || isDigit(w[0]) || w[0] == '#')
		prev = w
		i = j
	}
	return cond
}

// hedgeAbroad reports whether the word w (normalized), after the word prev, is a hedge in a
// language other than English: a word of likelihood or a modal that makes the rest of its
// clause a possibility (German "möglicherweise existiert die Adresse nicht", French
// "peut-être une adresse inexistante", "il se peut que", Spanish "probablemente", "puede
// que", Italian "potrebbe essere inesistente", Portuguese "possivelmente", Dutch "mogelijk",
// Polish "być może", Czech "možná", Russian "возможно", Ukrainian "можливо", Turkish
// "muhtemelen", the Nordic "möjligen", "muligvis", "kanskje", "mahdollisesti", Hungarian
// "lehet, hogy"). Not the adjectives "possible" of the Romance languages, which the
// negations of delivery use ("não foi possível entregar"), nor a word the same letters
// spell as a negation in a neighbouring language (Polish "nie można", "cannot", is Czech
// "možná", "maybe", folded; Hungarian "nem lehet", Dutch "niet mogelijk").
func hedgeAbroad(prev, w string) bool {
	switch w {
	case "moglicherweise", "vermutlich", "wahrscheinlich", "vielleicht", "eventuell", "evtl",
		"peut-etre", "probablement", "eventuellement", "possiblement",
		"posiblemente", "probablemente", "quiza", "quizas", "acaso",
		"potrebbe", "potrebbero", "forse", "probabilmente", "possibilmente",
		"possivelmente", "provavelmente", "talvez",
		"misschien", "waarschijnlijk", "wellicht", "eventueel",
		"prawdopodobnie", "pravdepodobne", "nejspis",
		"возможно", "вероятно", "наверное", "можливо", "ймовірно", "мабуть",
		"muhtemelen", "belki",
		"mojligen", "kanske", "eventuellt", "troligen", "troligtvis", "muligvis", "maske",
		"sandsynligvis", "muligens", "kanskje", "sannsynligvis", "mahdollisesti", "ehka",
		"todennakoisesti", "luultavasti", "valoszinuleg", "esetleg", "talan":
		return true
	case "mozna":
		return prev != "nie"
	case "lehet":
		return prev != "nem"
	case "mogelijk":
		return prev != "niet"
	case "moze":
		return prev == "byc" // Polish "być może"
	case "peut":
		return prev == "se" // French "il se peut que"
	case "que":
		return prev == "puede" || prev == "posible" || prev == "possivel"
	case "che":
		return prev == "possibile"
	case "vez":
		return prev == "tal"
	}
	return false
}

// conditionAbroad reports whether w (normalized) is a conditional conjunction in a language
// other than English ("wenn", "falls", "si", "se", "als", "jeśli", "pokud", "если", "якщо",
// "eğer", "om", "hvis", "jos", "ha"). It counts where a conjunction stands, at the head of its
// clause or after a comma, and only over its own clause, which ends at the next comma:
// several of these words are also a reflexive pronoun ("se", "si"), a preposition ("om",
// "als") or a verb ("ha") elsewhere, and "Se ha producido un error, el usuario no existe"
// states that the user does not exist.
func conditionAbroad(w string) bool {
	switch w {
	case "wenn", "falls", "sofern", "si", "se", "qualora", "als", "indien", "jesli", "jezeli", "gdyby",
		"pokud", "jestli", "jestlize", "если", "якщо", "eger", "om", "hvis", "dersom", "jos", "ha":
		return true
	}
	return false
}

// cjkHedgesBefore and cjkHedgesAfter are the hedges and conditions of Japanese, Chinese and
// Korean text: before the phrase, Chinese "可能" (may), "也许"/"或许" (perhaps), "如果"/"假如"/"若"
// (if), Japanese "もし" (if), Korean "만약" (if) and "아마" (perhaps, a word of its own: not
// "아마존"); not "不可能" (impossible), a negation of delivery; after it, Japanese
// "可能性" (the possibility), "場合" (in the case that), "かもしれ" (may), "おそれ" (the risk
// that), Korean "수 있" (may), "경우" (in the case that).
var (
	cjkHedgesBefore = []string{"可能", "也许", "或许", "如果", "假如", "若", "もし", "만약", "아마 ", "아마도"}
	cjkHedgesAfter  = []string{"可能性", "場合", "かもしれ", "おそれ", "恐れ", "수 있", "경우"}
)

// hedgedCJK reports whether a hedge or condition of Japanese, Chinese or Korean stands in
// the clause of text[at:end], before the phrase (from start) or after it. Their clauses end
// at the ideographic full stop and commas as well as at clauseEnd's marks.
func hedgedCJK(text string, start, at, end int) bool {
	if i := lastCJKStop(text[start:at]); i >= 0 {
		start += i
	}
	before := text[start:at]
	for _, h := range cjkHedgesBefore {
		if n := strings.Count(before, h); n > 0 && !(h == "可能" && n == strings.Count(before, "不可能")) {
			return true
		}
	}
	stop := len(text)
	if i := strings.IndexAny(text[end:], ".:;!?,。，、！？"); i >= 0 {
		stop = end + i
	}
	for _, h := range cjkHedgesAfter {
		if strings.Contains(text[end:stop], h) {
			return true
		}
	}
	return false
}

// lastCJKStop returns the index just after the last ideographic full stop or comma in s, or -1.
func lastCJKStop(s string) int {
	i := strings.LastIndexAny(s, "。，、！？")
	if i < 0 {
		return -1
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	return i + size
}

func clauseEnd(b byte) bool { return b == '.' || b == ':' || b == ';' || b == '!' || b == '?' }

// wordSep reports whether b separates words for subjectIsHost; dots, "@", "-" and "_" stay
// inside a word, so that addresses and host names are single words.
func wordSep(b byte) bool {
	switch b {
	case ' ', ',', ';', ':', '(', ')', '<', '>', '[', ']', '"', '\'', '!', '?':
		return true
	}
	return false
}

const (
	nounNone = iota
	nounHost
	nounAddress
)

// nounOf says whether word (normalized: lower case, accents folded) names a server, host or
// domain, or an address, user, mailbox or account.
func nounOf(word string) int {
	switch word {
	case "server", "servers", "host", "hosts", "hostname", "domain", "domains",
		"serveur", "serveurs", "hote", "domaine", "servidor", "servidores", "dominio",
		"domane", "rechner", "сервер", "домен", "хост":
		return nounHost
	case "user", "users", "username", "mailbox", "address", "recipient", "account", "addressee",
		"utilisateur", "destinataire", "adresse", "compte", "usuario", "destinatario", "direccion",
		"cuenta", "buzon", "benutzer", "empfanger", "postfach", "konto", "utente", "indirizzo",
		"casella", "gebruiker", "ontvanger", "adres", "пользователь", "адрес", "ящик", "получатель",
		"адресат":
		return nounAddress
	}
	return nounNone
}
