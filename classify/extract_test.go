package classify

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestExtractCodes(t *testing.T) {
	tests := []struct {
		name, text string
		reply      ReplyCode
		status     Status
	}{
		{"postfix said", "host mx.example.org[192.0.2.1] said: 550 5.1.1 <a@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command)", "550", "5.1.1"},
		{"smtp diagnostic", "smtp; 550 5.1.1 <a@example.org>... User Unknown", "550", "5.1.1"},
		{"ip address is not a code", "host [192.0.2.153] refused: 421 too many connections", "421", ""},
		{"date is not a code", "on 4.4.2019 the mailbox was full", "", ""},
		{"version is not a code", "Exim 4.92.1 said hello", "", ""},
		{"exchange hash", "#5.1.1 smtp;550 5.1.1 RESOLVER.ADR.RecipNotFound; not found", "550", "5.1.1"},
		{"generic gives way", "5.0.0 - delivery failed: 550 5.1.1 no such user", "550", "5.1.1"},
		{"full-width colon before the reply", "错误代码：550 用户不存在", "550", ""},
		{"asyncos quoted tuple", "Reason: 5.1.0 - Unknown address error ('550', ['5.1.1 <a@example.org>: Recipient address rejected: User unknown'])", "550", "5.1.1"},
		{"asyncos quoted tuple, deferral", "4.4.0 - Other network problem ('421', ['Too many connections'])", "421", "4.4.0"},
		{"bare number in prose", "the message was 552 bytes too long", "", ""},
		{"continuation line", "550-5.7.1 [192.0.2.1] Our system has detected\n550-5.7.1 that this message is likely spam", "550", "5.7.1"},
		{"status alone", "Status: 4.4.7", "", "4.4.7"},
		{"reply alone at start", "554 Transaction failed", "554", ""},
		{"sentence end dot", "Recipient rejected with 5.2.2.", "", "5.2.2"},
		{"failure wins over success", "250 2.1.0 Ok, then 550 5.7.1 rejected", "550", "5.7.1"},
		{"quoted", "remote server said \"452 4.2.2 Mailbox full\"", "452", "4.2.2"},
		{"no code", "User unknown", "", ""},
		{"four digits", "error 5502", "", ""},
		{"reply after the host's address", "user@example.org: [192.0.2.1], 550 user@example.org... No such user", "550", ""},
		{"comma in prose is no reply", "sizes were 10, 552 and 600", "", ""},
		{"port is not a code", "connect to mx.example.org port 25: Connection refused", "", ""},
		{"lead pair over a quoted one", "554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.0 Unable to lookup DNS for example.org>", "554", "4.4.7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, s := ExtractCodes(tt.text)
			if r != tt.reply || s != tt.status {
				t.Errorf("ExtractCodes(%q) = %q, %q, want %q, %q", tt.text, r, s, tt.reply, tt.status)
			}
		})
	}
}

func TestParseStatus(t *testing.T) {
	tests := []struct {
		in   string
		want Status
		ok   bool
	}{
		{"5.1.1", "5.1.1", true},
		{" 4.4.7 (delivery expired)", "4.4.7", true},
		{"5.7.30", "5.7.30", true},
		{"3.1.1", "", false},
		{"5.01.1", "", false},
		{"5.1", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := ParseStatus(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseStatus(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCommandIn(t *testing.T) {
	tests := []struct{ text, want string }{
		{"host mx.example.org said: 550 5.1.1 unknown (in reply to RCPT TO command)", "RCPT"},
		{"SMTP error from remote mail server after end of data: 550 spam", "DATA"},
		{">>> DATA\n<<< 554 5.7.1 rejected", "DATA"},
		{"SMTP error from remote mail server after initial connection: 554 go away", "CONN"},
		{"550 5.1.1 user unknown", ""},
		{"refused after MAİL FROM:<a@example.org>: 550 rejected", "MAIL"},
		{"550-5.7.1 refused in reply to MAIL\n550-5.7.1 FROM command", "MAIL"},
		{"SMTP error after RCPT TO:<a@example.org>: 550 unknown", "RCPT"},
		// Exim with PIPELINING, qmail-remote and DragonFly's dma.
		{"SMTP error from remote mail server after pipelined MAIL FROM:<s@example.net> SIZE=1234: 550 rejected", "MAIL"},
		{"SMTP error from remote mail server after pipelined RCPT TO:<a@example.org>: 550 unknown", "RCPT"},
		{"Connected to 192.0.2.1 but greeting failed.\nRemote host said: 554 no", "CONN"},
		{"Connected to 192.0.2.1 but sender was rejected.\nRemote host said: 553 no", "MAIL"},
		{"mx.example.org [192.0.2.1] did not like our MAIL FROM:\n553 5.1.8 no", "MAIL"},
		{"mx.example.org [192.0.2.1] did not like our final DATA:\n554 5.7.1 no", "DATA"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := CommandIn(tt.text); got != tt.want {
			t.Errorf("CommandIn(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestCommandWords checks that every hint CommandIn looks for holds one of commandWords,
// which CommandIn requires before it scans.
func TestCommandWords(t *testing.T) {
	if len(commandWords) >= 32 {
		t.Errorf("%d commandWords: commandInitial has bits for 32", len(commandWords))
	}
	for _, c := range commandHints {
		for _, h := range c.hints {
			found := false
			for _, w := range commandWords {
				if strings.Contains(h, w) {
					found = true
				}
			}
			if !found {
				t.Errorf("hint %q of %s holds none of commandWords %q", h, c.command, commandWords)
			}
		}
	}
}

// TestMayNameCommand checks mayNameCommand, which reads the text once for all of
// commandWords, against a search for each word at each offset with strings.EqualFold: on
// named cases and on 20,000 texts drawn (with a fixed seed) from pieces of the words in both
// cases, other letters, and the non-ASCII letters that fold or lower to ASCII ones.
func TestMayNameCommand(t *testing.T) {
	want := func(text string) bool {
		for _, w := range commandWords {
			for j := 0; j+len(w) <= len(text); j++ {
				if strings.EqualFold(text[j:j+len(w)], w) {
					return true
				}
			}
		}
		return strings.Contains(text, "\u0130") || strings.Contains(text, "\u212a")
	}
	cases := []string{"", "rcp", "RCPT", "xx dAtA", "maiL", "helo", "EhLo", "Connect", "greetinG", "gree ting",
		"conne", "\u0130", "\u212a", "dat\u00e1", "r\u00e7pt", "e\u0301hlo"}
	for _, c := range cases {
		if got := mayNameCommand(c); got != want(c) {
			t.Errorf("mayNameCommand(%q) = %v, want %v", c, got, want(c))
		}
	}
	pieces := []string{"r", "R", "c", "C", "p", "t", "T", "d", "D", "a", "A", "m", "i", "l", "L", "h", "H", "e", "E",
		"o", "n", "g", "G", "x", " ", "\u00e9", "\u212a", "\u017f", "rc", "da", "ma", "eh", "he", "co", "gr"}
	r := rand.New(rand.NewPCG(16, 12))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		if text := b.String(); mayNameCommand(text) != want(text) {
			t.Fatalf("mayNameCommand(%q) = %v, want %v", text, mayNameCommand(text), want(text))
		}
	}
}

// TestCommandWordings checks the promise of CommandWordings: whenever CommandIn names a
// command in a text, the text holds, ignoring ASCII case, every word of one of the wordings.
// The texts are drawn (with a fixed seed) from the words of the wordings, cut or in capitals,
// blanks, line breaks and the reply markers that normalizing removes.
func TestCommandWordings(t *testing.T) {
	wordings := CommandWordings()
	var pieces []string
	for _, ws := range wordings {
		for _, w := range ws {
			pieces = append(pieces, w, strings.ToUpper(w), w[:len(w)/2], w[len(w)/2:])
		}
	}
	pieces = append(pieces, " ", "  ", "\n", "\t", "\n550-5.1.1 ", "\n550 ", "x", "\u0130")
	holdsOne := func(text string) bool {
		lower := strings.ToLower(text)
		for _, ws := range wordings {
			if !slices.ContainsFunc(ws, func(w string) bool { return !strings.Contains(lower, w) }) {
				return true
			}
		}
		return false
	}
	r := rand.New(rand.NewPCG(16, 12))
	named := 0
	for range 50000 {
		var b strings.Builder
		for range r.IntN(10) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		text := b.String()
		if c := CommandIn(text); c != "" {
			named++
			if !holdsOne(text) && !strings.Contains(text, "\u0130") {
				t.Fatalf("CommandIn(%q) = %s, but the text holds no wording's words", text, c)
			}
		}
	}
	if named < 100 {
		t.Errorf("only %d of the texts drawn name a command: the test tests little", named)
	}
}

// TestCommandInAgreesWithClassify checks that CommandIn, which scans with a matcher of the
// command hints alone, names the command that Classify's full scan names, for each hint.
func TestCommandInAgreesWithClassify(t *testing.T) {
	for _, c := range commandHints {
		for _, h := range c.hints {
			text := "550 refused " + strings.ToUpper(h) + ": try later"
			var sc scan
			scanText(&sc, normalize(text))
			want := commandOf(Facts{}, &sc)
			if want == "" {
				t.Errorf("the full scan of %q names no command", text)
			}
			if got := CommandIn(text); got != want {
				t.Errorf("CommandIn(%q) = %q, want %q", text, got, want)
			}
		}
	}
}

// TestCommandInAllocs checks that CommandIn normalizes and scans a diagnostic without
// allocating: its buffer stays on the stack.
func TestCommandInAllocs(t *testing.T) {
	text := "SMTP error from remote mail server after RCPT TO:<a@example.org>: 550 5.1.1 unknown"
	if n := testing.AllocsPerRun(100, func() { CommandIn(text) }); n != 0 {
		t.Errorf("CommandIn(%q) allocates %v times, want 0", text, n)
	}
}
