package dsn

import (
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// outcome is what a session transcript says became of a recipient after its RCPT command
// was accepted.
type outcome int

const (
	outcomeUnknown  outcome = iota // the transcript does not show the rest of the transaction
	outcomeAccepted                // the message was accepted for the recipient
	outcomeRefused                 // DATA or the end of data was refused
)

// transcriptWindow bounds the transcript that transactionOutcome reads after a RCPT command.
const transcriptWindow = 8 << 10

// transactionOutcome reads a session transcript from the RCPT command at text[at:] (see
// rcptCommands) when the server accepted its recipient, to the reply to DATA or to the end
// of data. RFC 5321 §3.3 and §4.1.1.4: those replies are for the whole transaction, so for
// every recipient accepted in it; an LMTP server (RFC 2033 §4.2) instead answers the end of
// data once for each accepted recipient, in the order of their RCPT commands. It returns the
// outcome (unknown when the RCPT command was not accepted: its own reply is the answer) and,
// when the transaction was refused, the recipient's answer: the RCPT command, its reply,
// and the lines from the DATA command through the refusal.
func transactionOutcome(text string, at int) (outcome, string) {
	ls := lineStart(text, at, max(0, at-512))
	lmtp := indexLowerASCII(text[max(0, ls-transcriptWindow):ls], "lhlo ") >= 0
	rest := text[ls:min(len(text), ls+transcriptWindow)]
	rcptLine, rest, ok := strings.Cut(rest, "\n")
	if !ok {
		return outcomeUnknown, ""
	}
	data := []string{strings.TrimSpace(rcptLine)} // the RCPT command and its reply, then the lines from DATA on
	var afterDot []string                         // the replies to the end of data, for LMTP
	acceptedAfter := 0                            // recipients accepted after this one, for LMTP
	own, rcptPending, inData, dot := false, false, false, false
	for n := 0; len(rest) > 0 && n < 64; n++ {
		var l string
		l, rest, _ = strings.Cut(rest, "\n")
		tl := strings.TrimSpace(l)
		if tl == "" {
			continue
		}
		cmd, reply := transcriptStep(tl)
		if inData {
			data = append(data, tl)
		}
		switch {
		case reply != "" && !own:
			if reply[0] != '2' {
				return outcomeUnknown, ""
			}
			own = true
			data = append(data, tl)
		case reply != "" && !inData:
			if rcptPending {
				rcptPending = false
				if reply[0] == '2' {
					acceptedAfter++
				}
			}
		case reply != "" && lmtp && dot:
			afterDot = append(afterDot, tl)
		case reply != "":
			switch reply[0] {
			case '4', '5':
				return outcomeRefused, strings.Join(data, "\n") + continuation(rest, reply)
			case '2':
				if dot { // a 250 to a BDAT chunk before the last decides nothing
					return outcomeAccepted, ""
				}
			}
		case !own && cmd != "":
			return outcomeUnknown, "" // the transcript shows no reply to the RCPT command
		case cmd == "rcpt" && !inData:
			rcptPending = true
		case (cmd == "data" || cmd == "bdat" || cmd == "bdat last") && !inData:
			inData, dot = true, cmd == "bdat last"
			data = append(data, tl)
		case inData && (cmd == "." || cmd == "bdat last"):
			dot = true
		case cmd == "end" || len(afterDot) > 0:
			// Another transaction, or the end of the LMTP replies.
			return lmtpOutcome(afterDot, acceptedAfter, data)
		}
	}
	return lmtpOutcome(afterDot, acceptedAfter, data)
}

// lmtpOutcome picks a recipient's reply among an LMTP server's replies to the end of data,
// one per accepted recipient in RCPT order (RFC 2033 §4.2), given how many recipients were
// accepted after it; data holds the RCPT command, its reply and the lines from DATA on.
func lmtpOutcome(replies []string, acceptedAfter int, data []string) (outcome, string) {
	i := len(replies) - 1 - acceptedAfter
	if i < 0 {
		return outcomeUnknown, ""
	}
	_, reply := transcriptStep(replies[i])
	switch reply[0] {
	case '4', '5':
		var b strings.Builder
		for k, l := range data {
			if _, r := transcriptStep(l); r == "" || k < 2 {
				// The RCPT command and its reply, DATA and the final dot, without the replies
				// that are for other recipients.
				b.WriteString(l + "\n")
			}
		}
		return outcomeRefused, b.String() + replies[i]
	case '2':
		return outcomeAccepted, ""
	}
	return outcomeUnknown, ""
}

// continuation returns the lines of rest that continue a multiline reply whose code is
// reply ("550-5.7.1 ..." lines before "550 5.7.1 ..."), each after a newline.
func continuation(rest, reply string) string {
	var b strings.Builder
	for n := 0; len(rest) > 0 && n < 16; n++ {
		var l string
		l, rest, _ = strings.Cut(rest, "\n")
		tl := strings.TrimSpace(l)
		if _, r := transcriptStep(tl); r != reply {
			break
		}
		b.WriteString("\n" + tl)
	}
	return b.String()
}

// transcriptStep reads one line of a session transcript: the command the client sent
// ("rcpt", "data", "bdat", "bdat last", "." or "end" for MAIL, RSET, QUIT and the greetings,
// which end a transaction; "" for another) or the reply code the server gave, after the
// markers that transcripts put before them (">>> DATA", "<<< 354 ...", "--> RCPT To:<...>",
// "<-- 250 Ok", "Tue 2026-12-01 10:00:00.410: --> DATA", "C: DATA", "S: 354 ...", or no
// marker at all).
func transcriptStep(l string) (cmd string, reply string) {
	s := l
	for _, mk := range []string{">>>", "<<<", "-->", "<--"} {
		if i := strings.Index(s, mk); i >= 0 && i < 48 {
			s = strings.TrimSpace(s[i+len(mk):])
			break
		}
	}
	if len(s) > 2 && (s[0] == 'C' || s[0] == 'S') && s[1] == ':' {
		s = strings.TrimSpace(s[2:]) // RFC 5321 §D's "C:" and "S:"
	}
	if len(s) >= 3 && (len(s) == 3 || s[3] == ' ' || s[3] == '-') {
		if rc := classify.ReplyCode(s[:3]); rc.Class() >= '2' && rc.Class() <= '5' {
			return "", s[:3]
		}
	}
	switch {
	case hasPrefixLower(s, "rcpt to:"):
		return "rcpt", ""
	case equalLower(s, "data"):
		return "data", ""
	case hasPrefixLower(s, "bdat "):
		// BDAT (RFC 3030 §2) sends the data in chunks, the last one marked LAST; like DATA's,
		// its replies are for the whole transaction.
		if f := strings.Fields(s); len(f) > 2 && equalLower(f[len(f)-1], "last") {
			return "bdat last", ""
		}
		return "bdat", ""
	case s == ".":
		return ".", ""
	case hasPrefixLower(s, "mail from:"), equalLower(s, "rset"), equalLower(s, "quit"),
		hasPrefixLower(s, "ehlo "), hasPrefixLower(s, "helo "), hasPrefixLower(s, "lhlo "):
		return "end", ""
	}
	return "", ""
}
