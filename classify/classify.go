package classify

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Classify draws the verdict for one recipient from what the decoder observed. It is pure and
// deterministic: the same facts always give the same verdict.
//
// The precedence is written down here:
//
//	Precedence, first match wins:
//	1. A feedback report (FeedbackType set) has reason feedback. It is a
//	   complaint (suppressed) unless its registered type says nobody objected
//	   to the mail: not-spam (RFC 6430), auth-failure (RFC 6591) and virus
//	   (RFC 5965 §7.3) report on the message, not on the recipient's wishes.
//	2. An automatic reply (AutoReply) is an autoreply, reason vacation.
//	3. Action delivered, relayed or expanded, or with no action a 2.x.x status,
//	   or a 2xx reply and no status (RFC 5321 §4.2.1: 251 "will forward", 252
//	   "will attempt delivery" are positive completions), is delivered.
//	4. Otherwise the failure reason is drawn from the first of:
//	   a. receiver-specific wording (Gmail, Microsoft, Yahoo, Apple, Orange,
//	      docomo, ...), the provider recognised by the remote or reporting MTA's
//	      name, the decoder that read the mail, or a marker in the text (its
//	      postmaster URL, its error tags); rules_receiver.go
//	   b. a specific enhanced status code (X.1.1, X.2.2, X.7.26, ...), unless the
//	      wording names one of the few reasons that code is known to be misused
//	      for ("5.1.1 ... mailbox full" is a full mailbox); under a code whose
//	      reason is not hard, wording that agrees with the code, found first,
//	      confirms it; rules_status.go
//	   c. a Diagnostic-Code of type X-Unix: a local delivery program failed
//	      (mailererror), unless its wording says more;
//	   d. greylisting wording;
//	   e. generic wording patterns, in their written order; rules_text.go. A
//	      "was not found" or "does not exist" that names no subject reads the
//	      clause: a server, host or domain not found is hostunknown;
//	   f. the default of a vague enhanced code (X.2.1, X.7.1, X.4.4, ...);
//	   g. the bare reply code (552, 521, ...); rules_reply.go
//	   h. onhold when a failure code or text was seen, undefined when nothing was.
//	5. Then the context adjusts the reason:
//	   - host-unknown wording under a temporary (4.x.x) code is networkerror:
//	     the DNS lookup may pass later;
//	   - a delayed action with a vague reason (onhold, systemerror, a code's
//	     default) is expired: delivery is still being retried;
//	   - a vague refusal at connection time (greeting, HELO, EHLO) is blocked:
//	     no address had been given yet;
//	   - unknown-user wording (with no X.1.1/X.1.3 code deciding) given in reply
//	     to the message data (DATA or BDAT, "in reply to end of DATA command",
//	     "after end of data") is filtered: RFC 5321 §3.3 accepts or refuses
//	     recipients at RCPT TO, so a refusal of the data is a filter's. A
//	     directory lookup written by the recipient's own system ("not listed in
//	     Domino Directory") stays an unknown user. At RCPT TO, or where the mail
//	     does not say which command the refusal answered, the words stand: an
//	     unknown stage is no evidence of a filter. The code's class plays no
//	     part: a 4xx "user unknown" at RCPT TO is still userunknown.
//	6. Last, the hard guard (rules_sender.go): a hard reason (userunknown,
//	   hostunknown, hasmoved, notaccept) gives way when the diagnostic speaks of
//	   the sender (its address, domain, IP or server, a deny/block list, its
//	   reputation, SPF/DKIM/DMARC, spam, a policy, its volume or rate), when
//	   the refusal answered MAIL FROM, or when its reply code is one defined for
//	   the sender's address (517). Hard needs positive evidence about the
//	   address itself; the reason becomes the first generic wording that is not
//	   hard, else the sender-side wording's own reason. Nothing moves a reason
//	   the other way: no rule makes a verdict hard because of what it says
//	   about the sender, the content or the stage.
//	7. Kind, hardness and fault follow from the reason (reasonTable in
//	   reasons.go); a hard reason under a temporary code (a 4.x.x status or a
//	   4xx reply, RFC 5321 §4.2.1; where the facts carry neither, one written
//	   in the diagnostic) is soft, and a delayed action makes the kind delayed
//	   whatever the reason (never hard, never suppressed; expired then reads as
//	   a delivery still being retried). Suppress is true for hard verdicts and
//	   complaints only.
func Classify(f Facts) Verdict {
	if f.Judgement != nil {
		return f.Judgement.Apply(f)
	}
	switch {
	case f.FeedbackType != "":
		return feedback(f)
	case f.AutoReply:
		return finish(ReasonVacation, f, []string{"automatic reply (RFC 3834)"})
	case f.Action == ActionDelivered || f.Action == ActionRelayed || f.Action == ActionExpanded:
		return finish(ReasonDelivered, f, []string{"action " + string(f.Action) + " in the delivery-status part"})
	case f.Action == ActionUnknown && f.Status.Class() == '2':
		return finish(ReasonDelivered, f, []string{"status " + f.Status.String() + statusWhere(f)})
	case f.Action == ActionUnknown && f.Status == "" && f.Reply.Class() == '2':
		return finish(ReasonDelivered, f, []string{"reply " + f.Reply.String() + ", a positive completion"})
	}
	reason, evidence := failureReason(f)
	return finish(reason, f, evidence)
}

// reportTypes are the registered feedback types whose report is not a complaint by or for the
// recipient, with what such a report means and what to do about it.
var reportTypes = map[string]struct {
	fault               Fault
	explanation, advice string
}{
	// RFC 6430 §3: the reporter does not consider the message spam, often to correct an
	// earlier report or a misfiled message.
	"not-spam": {FaultNone, "The receiver reports that the message is not spam (RFC 6430), often to correct an earlier report: nobody complained.",
		"Nothing to do: keep mailing the address."},
	// RFC 6591 §3.1: the message failed an authentication check at the receiver. It may not
	// even come from the sender (a spoofed From), and the recipient did nothing.
	"auth-failure": {FaultSender, "The receiver reports that the message failed an authentication check (SPF, DKIM or DMARC; RFC 6591). It says nothing against the recipient, and the message may not even have come from you.",
		"Check the sending domain's SPF, DKIM and DMARC records and signing; if you did not send the message, someone is using your domain."},
	// RFC 5965 §7.3: a virus was found in the message; the recipient did not object to it.
	"virus": {FaultSender, "The receiver reports a virus found in the message (RFC 5965). The recipient did not complain.",
		"Check what was sent and the systems that sent it; keep the address."},
}

// feedback judges a feedback report (step 1): a complaint unless its type is one of
// reportTypes.
func feedback(f Facts) Verdict {
	v := finish(ReasonFeedback, f, []string{"feedback report (Feedback-Type: " + f.FeedbackType + ")"})
	rt, ok := reportTypes[strings.ToLower(strings.TrimSpace(f.FeedbackType))]
	if !ok {
		return v
	}
	v.Kind, v.Suppress, v.Fault = KindUndetermined, false, rt.fault
	v.Explanation, v.Advice = rt.explanation, rt.advice
	v.Evidence = append(v.Evidence, "a report on the message, not a complaint")
	return v
}

// failureReason runs steps 4 to 6 of the precedence list.
func failureReason(f Facts) (Reason, []string) {
	var buf [normalizedBuf]byte
	// Set here, not through a pointer, or the compiler moves buf to the heap.
	sc := scan{norm: appendNormalized(buf[:0], f.Diagnostic, true)}
	scanWith(&sc, getMatcher(), sc.norm)
	sc.dropNames()
	cmd := commandOf(f, &sc)
	reason, evidence, byText := chooseReason(f, &sc)
	switch {
	case reason == ReasonHostUnknown && temporary(f):
		// A DNS lookup that failed with a temporary code may succeed later.
		reason = ReasonNetworkError
		evidence = append(evidence, "the code is temporary, so the lookup failure may pass")
	case f.Action == ActionDelayed && (vague(reason) || reason == ReasonNetworkError && !byText):
		reason = ReasonExpired
		evidence = append(evidence, "action delayed with no more specific cause: delivery keeps being retried")
	case (cmd == "CONN" || cmd == "HELO" || cmd == "EHLO") && (vague(reason) || reason == ReasonUserUnknown || !byText && codeDefault(evidence)):
		reason = ReasonBlocked
		evidence = append(evidence, "refused at "+cmd+", before any address was given")
	}
	if reason == ReasonUserUnknown && byText && (cmd == "DATA" || cmd == "BDAT") {
		// RFC 5321 §3.3: recipients are accepted or refused at RCPT TO; a refusal of the
		// message data says the data was unwelcome, whatever its words.
		reason = ReasonFiltered
		evidence = append(evidence, "refused in reply to the message data ("+cmd+"), so by a filter")
	}
	if r, why := senderGuard(reason, &sc, cmd, f.Reply); why != "" {
		evidence = append(evidence, why+": "+reason.String()+" set aside, a hard verdict needs evidence about the address itself")
		reason = r
	}
	return reason, evidence
}

// chooseReason runs steps 4a to 4h; byText is true when generic wording alone decided.
func chooseReason(f Facts, sc *scan) (reason Reason, evidence []string, byText bool) {
	hasText := !sc.empty()
	// a. receiver-specific wording.
	if ri := matchReceiver(f, sc); ri >= 0 {
		rr := &receiverRules[ri]
		if i, p := sc.firstWhere(receiverLists[ri], func(r *textRule) bool { return r.holds(f.Status) }); i >= 0 {
			return rr.rules[i].reason, []string{rr.name + " wording " + quote(p) + " in the diagnostic"}, false
		}
		if rr.fallback != ReasonUndefined {
			return rr.fallback, []string{"a " + rr.name + " refusal"}, false
		}
	}
	sr := statusRuleFor(f.Status)
	// b. a specific enhanced code.
	if sr != nil && sr.decisive && sr.reason != ReasonUndefined {
		if len(sr.yields) > 0 {
			// The first wording that names a reason the code yields to decides. Under a
			// code whose reason is not hard, wording that agrees with the code, found
			// first, confirms it: "mailbox size limit exceeded" under X.2.2 speaks of the
			// mailbox, whatever "size limit" alone would mean. A hard code gets no such
			// confirmation (the asymmetry of the hard decision): any wording naming
			// another cause sets it aside, as a procmail failure that also says "no such
			// user" does under X.1.1.
			i, yp := sc.firstWhere(textRulesList, func(r *textRule) bool {
				return sr.yieldsTo(r.reason) || r.reason == sr.reason && !hardReason(sr.reason)
			})
			if i >= 0 && textRules[i].reason != sr.reason {
				return textRules[i].reason, []string{textEvidence(f, yp) + " overrides " + statusEvidence(f)}, false
			}
		}
		return sr.reason, []string{statusEvidence(f)}, false
	}
	tr, p := firstStated(sc)
	// c. a local delivery program's failure (Diagnostic-Code type X-Unix), unless its
	// wording says more.
	if strings.EqualFold(f.DiagnosticType, "x-unix") && (tr == nil || vague(tr.reason)) {
		return ReasonMailerError, []string{"diagnostic of type X-Unix: a local delivery program failed"}, false
	}
	// d. greylisting.
	if gr, gp := sc.first(greylistList); gr != nil {
		return greylistRule.reason, []string{textEvidence(f, gp) + " (" + greylistRule.note + ")"}, false
	}
	// e. generic wording.
	if tr != nil {
		ev := []string{textEvidence(f, p)}
		reason := tr.reason
		if tr.subject {
			if at, end := p.span(sc.str()); at >= 0 && subjectIsHost(sc.str(), at, end) {
				reason = ReasonHostUnknown
				ev = append(ev, "what is not found is a server, host or domain")
			}
		}
		if f.Status.Valid() {
			ev = append(ev, "status "+f.Status.String()+statusWhere(f)+" does not decide")
		}
		return reason, ev, !tr.certain
	}
	// f. a vague enhanced code's default.
	if sr != nil && sr.reason != ReasonUndefined {
		return sr.reason, []string{statusEvidence(f)}, false
	}
	// g. the bare reply code.
	reply := f.Reply
	if !reply.Valid() && hasText {
		reply, _ = ExtractCodes(f.Diagnostic)
	}
	if r, ok := replyIndex[reply]; ok && r != ReasonUndefined {
		return r, []string{"reply " + reply.String() + " with no more specific code or wording"}, false
	}
	// h. nothing specific.
	switch {
	case f.Status.Valid():
		return ReasonOnHold, []string{"status " + f.Status.String() + statusWhere(f) + " says only that it failed"}, false
	case reply.Valid():
		return ReasonOnHold, []string{"reply " + reply.String() + " says only that it failed"}, false
	case hasText:
		return ReasonOnHold, []string{"diagnostic text matches no known wording"}, false
	}
	return ReasonUndefined, []string{"no status code, reply code or diagnostic text"}, false
}

// firstStated is the first generic wording (textRules) that the text states. Hard wording
// under a hedge or a condition in its clause (hedged: "the address may not exist", "if the
// user does not exist, ...") is no evidence about the address, and its rule is passed over:
// only a code or plain words elsewhere make such a text hard. Wording a mail system writes
// of its own directory lookup (certain) is never hedged.
func firstStated(sc *scan) (*textRule, phrase) {
	return sc.firstUnless(textRulesList, func(tr *textRule, p phrase) bool {
		if tr.certain || !hardReason(tr.reason) {
			return false
		}
		at, end := p.span(sc.str())
		return hedged(sc.str(), at, end)
	})
}

// finish turns a reason into a full verdict.
func finish(reason Reason, f Facts, evidence []string) Verdict {
	ri := infoOf(reason)
	v := Verdict{
		Kind:        ri.kind,
		Reason:      reason,
		Fault:       ri.fault,
		Evidence:    evidence,
		Explanation: ri.explanation,
		Advice:      ri.advice,
	}
	if v.Kind == KindHard && temporary(f) {
		// RFC 5321 §4.2.1: a 4yz reply says the condition is temporary and the same
		// request may succeed later; an address is not suppressed on a refusal that its
		// own receiver says may not last.
		v.Kind = KindSoft
		v.Evidence = append(v.Evidence, "the code is temporary, so the refusal may not last")
	}
	if f.Action == ActionDelayed && v.Kind != KindComplaint && v.Kind != KindAutoReply {
		v.Kind = KindDelayed
		v.Evidence = append(v.Evidence, "action delayed: the sender's server is still retrying")
		v.Advice = "Nothing to do yet: the sending server keeps retrying and reports again if it gives up."
		if reason == ReasonExpired {
			// RFC 3464 §2.3.3: "delayed" says the sending MTA is still trying; expired,
			// the reason of a delay with no more specific cause, must not read as a
			// queue that gave up.
			v.Explanation = delayExplanation
		}
	}
	v.Hard = v.Kind == KindHard
	v.Suppress = v.Kind == KindHard || v.Kind == KindComplaint
	v.Explanation = explanation(v.Explanation, f)
	return v
}

// delayExplanation explains a delay (Action delayed) whose reason is expired.
const delayExplanation = "Delivery is delayed: the receiver could not be reached yet or keeps deferring (for example greylisting), and the sending server is still retrying."

// temporary reports whether the receiver called the failure temporary: its enhanced status
// or its reply code is of class 4. A sending MTA that gives up on a 4xx reply may still write
// a 5.x.x status of its own; the receiver's reply is the one that speaks of the address.
// Where the facts carry neither code, the codes written in the diagnostic are the receiver's
// ("4.1.1 <a@example.org>... User unknown"): RFC 5321 §4.2.1 and RFC 3463 §3.1 make a
// class-4 code transient wherever it is written.
func temporary(f Facts) bool {
	if !f.Status.Valid() && !f.Reply.Valid() && f.Diagnostic != "" {
		reply, status := ExtractCodes(f.Diagnostic)
		return status.Class() == '4' || reply.Class() == '4'
	}
	return f.Status.Class() == '4' || f.Reply.Class() == '4'
}

// explanation joins the reason's explanation with the codes' registered meanings, in one
// allocation.
func explanation(base string, f Facts) string {
	var reply, status *codeEntry
	if f.Reply.Valid() {
		reply = replyDict[string(f.Reply)]
	}
	if f.Status.Valid() {
		status = statusDict[string(f.Status[2:])]
	}
	if reply == nil && status == nil {
		return base
	}
	var b strings.Builder
	b.Grow(len(base) + 160)
	b.WriteString(base)
	if reply != nil {
		b.WriteString(" Reply ")
		b.WriteString(string(f.Reply))
		b.WriteString(": ")
		b.WriteString(reply.summary)
		b.WriteString(".")
	}
	if status != nil {
		b.WriteString(" Status ")
		b.WriteString(string(f.Status))
		b.WriteString(": ")
		b.WriteString(status.summary)
		b.WriteString(".")
	}
	return b.String()
}

func statusWhere(f Facts) string {
	if f.StatusSource != "" {
		return " in " + f.StatusSource
	}
	return ""
}

func statusEvidence(f Facts) string {
	if f.StatusSource != "" {
		return "status " + string(f.Status) + " in " + f.StatusSource
	}
	return "status " + string(f.Status)
}

func textEvidence(f Facts, p phrase) string {
	if f.Reply.Valid() {
		return "reply " + f.Reply.String() + " + " + quote(p) + " in the diagnostic"
	}
	return quote(p) + " in the diagnostic"
}

func quote(p phrase) string { return `"` + p.String() + `"` }

// commandOf returns the SMTP command the failure answered, from Facts.Command or from the
// way MTAs name it in the diagnostic text.
func commandOf(f Facts, sc *scan) string {
	if f.Command != "" {
		return strings.ToUpper(f.Command)
	}
	if i, _ := sc.firstIndex(commandList); i >= 0 {
		return commandHints[i].command
	}
	return ""
}

// commandHints is how Postfix ("in reply to end of DATA command"), Exim ("after end of
// data", "after RCPT TO", "after pipelined MAIL FROM"), Sendmail (">>> DATA"), qmail-remote
// ("Connected to 192.0.2.1 but greeting failed.", "... but sender was rejected.") and
// DragonFly's dma ("mx.example.org [192.0.2.1] did not like our MAIL FROM:") name the command
// a reply answered.
var commandHints = []struct {
	command string
	hints   []string
}{
	{"DATA", []string{"in reply to end of data command", "in reply to data command", "after end of data",
		"after data", ">>> data", "end of data command", "after pipelined data", "did not like our data",
		"did not like our final data"}},
	{"RCPT", []string{"in reply to rcpt to command", "after rcpt", ">>> rcpt to", "rcpt to command", "our rcpt to",
		"[rcpt_to]", "rcpt command", "smtp:rcpt", "after pipelined rcpt"}},
	{"MAIL", []string{"in reply to mail from command", "after mail from", ">>> mail from", "mail from command",
		"[mail_from]", "after pipelined mail from", "did not like our mail from", "connected to * but sender was rejected"}},
	{"EHLO", []string{"in reply to ehlo command", "in reply to helo command", "after ehlo", "after helo"}},
	{"CONN", []string{"after initial connection", "while connected", "in reply to the greeting", "but greeting failed"}},
}

// commandWords are lower-case words of which every hint in commandHints holds one
// (TestCommandWords checks it).
var commandWords = []string{"rcpt", "data", "mail", "helo", "ehlo", "connect", "greeting"}

// CommandWords returns the lower-case words of which every wording CommandIn recognises holds
// one: text that holds none of them, ignoring ASCII case, and neither 'İ' nor the Kelvin sign
// (which lower-case to ASCII letters) names no command. A caller with a faster way to rule
// words out than CommandIn's own check may test them first.
func CommandWords() []string { return slices.Clone(commandWords) }

// CommandWordings returns, for each wording that CommandIn recognises, the words it is made
// of, lower-case. A wording stands in text only where each of its words stands, ignoring
// ASCII case (CommandIn's normalizing joins no words and splits none): text in which each
// wording misses a word, and which holds neither 'İ' nor the Kelvin sign (which lower-case to
// ASCII letters), names no command. A caller that can rule words out cheaply, such as one
// that has summarised a text for many searches, may test them first.
func CommandWordings() [][]string {
	var out [][]string
	for _, c := range commandHints {
		for _, h := range c.hints {
			out = append(out, strings.Fields(strings.ReplaceAll(h, "*", " ")))
		}
	}
	return out
}

// mayNameCommand reports whether text, once normalized, may hold one of commandHints: it
// must hold one of commandWords, and normalizing neither joins nor splits words. Only the
// case of ASCII letters is ignored, so text with the two non-ASCII letters that normalizing
// lowers to ASCII ones ('İ' to 'i', the Kelvin sign to 'k') always may.
//
// It reads text once, whatever the number of words: at each byte that may start one (a
// commandInitial), the words are compared there.
func mayNameCommand(text string) bool {
	for i := 0; i < len(text); i++ {
		ws := commandInitial[text[i]]
		if ws == 0 {
			continue
		}
		rest := text[i:]
		for k := 0; ws != 0; k, ws = k+1, ws>>1 {
			w := commandWords[k]
			// The second byte rules most places out before strings.EqualFold; one beyond
			// ASCII may still fold to an ASCII letter.
			if ws&1 != 0 && len(rest) >= len(w) && (rest[1]|0x20 == w[1] || rest[1] >= utf8.RuneSelf) &&
				strings.EqualFold(rest[:len(w)], w) {
				return true
			}
		}
	}
	return strings.Contains(text, "\u0130") || strings.Contains(text, "\u212a")
}

// commandInitial has, for each byte, bit k set when commandWords[k] starts with it (in
// either case). There are fewer than 32 commandWords (TestCommandWords checks it).
var commandInitial = func() (t [256]uint32) {
	for k, w := range commandWords {
		t[w[0]] |= 1 << k
		t[w[0]-'a'+'A'] |= 1 << k
	}
	return t
}()

// vague reasons say little about the cause; more specific context may replace them.
func vague(r Reason) bool {
	switch r {
	case ReasonOnHold, ReasonUndefined, ReasonSystemError, ReasonSyntaxError:
		return true
	}
	return false
}

// codeDefault reports whether the reason came from a code's default alone, with no wording.
func codeDefault(evidence []string) bool {
	return len(evidence) == 1 && (strings.HasPrefix(evidence[0], "status ") || strings.HasPrefix(evidence[0], "reply "))
}

// CommandIn returns the SMTP command that a piece of bounce text says a reply answered
// ("CONN", "EHLO", "MAIL", "RCPT" or "DATA"), from wording such as Postfix's "in reply to
// RCPT TO command", Exim's "after end of data" or a Sendmail transcript's ">>> DATA"; or ""
// when the text names none. Decoders use it to fill Facts.Command from text around a
// recipient that is not part of its diagnostic.
func CommandIn(text string) string {
	if !mayNameCommand(text) {
		return ""
	}
	var buf [normalizedBuf]byte
	sc := scan{norm: appendNormalized(buf[:0], text, false)}
	scanWith(&sc, getCommandMatcher(), sc.norm)
	if i, _ := sc.firstIndex(0); i >= 0 {
		return commandHints[i].command
	}
	return ""
}
