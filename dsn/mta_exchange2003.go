package dsn

import "strings"

// exchange2003Starts open the recipient list of the plain-text NDR of Microsoft Exchange 5.5,
// 2000 and 2003 (the Internet Mail Service / IMC connector and the SMTP transport), lower-case.
//
// Exchange 5.5 IMS:
//
//	Your message
//	  To:      shironeko@example.org
//	did not reach the following recipient(s):
//
//	kijitora@example.com on Thu, 29 Apr 2007 16:51:51 -0500
//	    The recipient name is not recognized
//	    MSEXCH:IMS:KIJITORA CAT:EXAMPLE:EXCHANGE 0 (000C05A6) Unknown Recipient
//
// Exchange 2000/2003 SMTP transport ("Your message did not reach some or all of the intended
// recipients."), and its German, French and Spanish versions:
//
//	The following recipient(s) could not be reached:
//
//	      kijitora@example.com on 4/29/01 11:34:45 PM
//	            Recipient Not Found
//	            <mx.example.com #5.1.1>
var exchange2003Starts = []string{
	"did not reach the following recipient(s):",
	"the following recipient(s) could not be reached:",
	"folgende(r) empfänger konnte(n) nicht erreicht werden:",
	"impossible de joindre le(s) destinataire(s) suivant(s) :",
	"no se pudo llegar a los siguientes destinatarios:",
}

// exchange2003Ends close the list: the copy of the returned message.
var exchange2003Ends = []string{"\n--- ", "\n----- ", "\n-----original message", "\nreceived: "}

// exchange2003Dates are the words that join an address and its date on an entry line
// ("kijitora@example.com on 4/29/01", German "am", French "le", Spanish "el").
var exchange2003Dates = []string{"on ", "am ", "le ", "el "}

// decodeExchange2003 reads the plain-text NDR of Exchange 5.5 to 2003. These NDRs carry no
// delivery-status part, and their text copies the original To/Subject/Sent lines above the
// list, which hides the list from the generic decoder.
func decodeExchange2003(m *mail) []Recipient {
	if m.pvHasDSRecipient() || !m.pvMentions(exchange2003Starts) || !m.looksLikeBounce() {
		return nil
	}
	text := m.text()
	sec, ok := m.pvSection(text, exchange2003Starts, exchange2003Ends)
	if !ok {
		return nil
	}
	es := pvEntries(exchange2003SMTPLines(sec), func(_, rest string) bool {
		if rest == "" {
			return true
		}
		for _, w := range exchange2003Dates {
			if strings.HasPrefix(rest, w) {
				return true
			}
		}
		return false
	})
	return pvRecipients(es, m.pvAction(sec), "the Exchange NDR text", exchange2003Diagnostic)
}

// exchange2003SMTPLines rewrites entry lines that give a display name before the address
// ("Kijitora Cat (SMTP:kijitora@example.com) on 4/29/99 9:19:59 AM") so that they start with
// the address. sisimai's Exchange2003 reader accepts this form next to the bare one
// (/\A[ \t]*.+(?:SMTP|smtp):([^ ]+[@][^ ]+) on[ \t]*.*\z/); we have no sample of it.
//
// Exchange 5.5 names a recipient it reached through its X.400 side by the O/R address, with
// the SMTP address in a domain-defined attribute (testdata/eml/exchange2003/ims-x400-dda.eml):
//
//	c=US;a= ;p=EXAMPLE;o=Site1;dda:SMTP=kijitora@example.com; on Fri, 4 Oct 2002
func exchange2003SMTPLines(sec string) string {
	if !strings.Contains(sec, "SMTP") && !strings.Contains(sec, "smtp") {
		return sec
	}
	// The lines are rewritten in place in a copy of sec, made at the first that changes.
	var b strings.Builder
	done, at := 0, 0 // sec[:done] is in b; the line l starts at sec[at]
	for l := range strings.SplitSeq(sec, "\n") {
		start := at
		at += len(l) + 1
		j := -1
		for _, mk := range exchange2003SMTPMarkers {
			if k := strings.Index(l, mk); k > 0 {
				j = k
				break
			}
		}
		if j <= 0 || !strings.Contains(l[j:], " on ") {
			continue
		}
		as := findAddresses(l[j+5:])
		if len(as) == 0 || as[0].start != 0 {
			continue
		}
		rest := l[j+5+as[0].end:]
		if k := strings.Index(rest, " on "); k >= 0 {
			b.WriteString(sec[done:start])
			b.WriteString(as[0].addr)
			b.WriteString(rest[k:])
			done = start + len(l)
		}
	}
	if done == 0 {
		return sec
	}
	b.WriteString(sec[done:])
	return b.String()
}

// exchange2003SMTPMarkers stand before the SMTP address in an entry line, all five bytes long.
var exchange2003SMTPMarkers = []string{"SMTP:", "smtp:", "SMTP=", "smtp="}

// exchange2003Diagnostic joins an entry's explanation, leaving out the MTS-ID line (an X.400
// message id that Exchange wraps over several lines).
//
// QUIRK: Exchange 5.5 wraps "The MTS-ID of the original message is: c=jp;a= ;p=neko" onto
// lines that start in column 0 (";l=EXCHANGE0000"); they are skipped up to the next indented
// line (lhost-exchange2003 family, testdata/eml/exchange2003/ims-unknown-recipient.eml).
func exchange2003Diagnostic(e pvEntry) string {
	var keep []string
	inMTS := false
	for _, l := range e.detail {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "The MTS-ID of the original message"):
			inMTS = true
			continue
		case inMTS && l != "" && l[0] != ' ' && l[0] != '\t':
			continue
		}
		inMTS = false
		keep = append(keep, t)
	}
	return pvJoin(keep)
}
