package classify

import "strings"

// Meaning is the plain-language entry for one code: what it says, whether it is temporary,
// the usual cause and what a sender should do.
type Meaning struct {
	Code        string `json:"code"`
	Summary     string `json:"summary"`
	Temporary   bool   `json:"temporary"`
	Explanation string `json:"explanation"`
	Advice      string `json:"advice"`
	Inferred    bool   `json:"inferred"` // answered from the class/subject digits, not a known entry
}

// codeEntry is one dictionary entry. For enhanced codes the code is "subject.detail" and holds
// for every class; the class decides whether the failure is temporary.
type codeEntry struct {
	code        string
	summary     string
	explanation string
	advice      string
}

var (
	statusDict = indexEntries(statusEntries)
	replyDict  = indexEntries(replyEntries)
)

func indexEntries(entries []codeEntry) map[string]*codeEntry {
	m := make(map[string]*codeEntry, len(entries))
	for i := range entries {
		m[entries[i].code] = &entries[i]
	}
	return m
}

// ExplainStatus explains an enhanced status code (RFC 3463 and the IANA "SMTP Enhanced
// Status Codes" registry). A code the registry does not list is explained from its class and
// subject digits and marked Inferred; an invalid code gets an Inferred entry saying so.
func ExplainStatus(s Status) Meaning {
	if !s.Valid() {
		return Meaning{Code: string(s), Summary: "not an enhanced status code", Inferred: true,
			Explanation: "An enhanced status code has the form class.subject.detail, such as 5.1.1, with class 2, 4 or 5.",
			Advice:      "Look for a code such as 5.1.1 or 4.2.2 in the bounce."}
	}
	class := s.Class()
	m := Meaning{Code: s.String(), Temporary: class == '4'}
	sd := string(s[2:])
	if e := statusDict[sd]; e != nil {
		m.Summary = e.summary
		m.Explanation = classPrefix(class) + e.explanation
		m.Advice = e.advice
	} else {
		m.Inferred = true
		if subj, ok := subjectEntries[s.Subject()]; ok {
			m.Summary = subj.summary + " (detail " + s.Detail() + " is not in the registry)"
			m.Explanation = classPrefix(class) + subj.explanation +
				" The detail number is not a registered one, so only the class and subject say something; receivers such as Microsoft use private detail numbers."
			m.Advice = subj.advice
		} else {
			m.Summary = "unknown subject " + s.Subject() + " (only subjects 0 to 7 are defined)"
			m.Explanation = classPrefix(class) + "The subject digit is not one RFC 3463 defines, so only the class says something."
			m.Advice = "Read the text that came with the code."
		}
	}
	if class == '2' {
		m.Advice = "Nothing to do: this reports success."
	} else if class == '4' {
		m.Advice = "Temporary: the sending server retries on its own. " + m.Advice
	}
	return m
}

func classPrefix(class byte) string {
	switch class {
	case '2':
		return "Success. "
	case '4':
		return "Temporary failure: the problem may clear, and the message can be retried. "
	default:
		return "Permanent failure: retrying the same message will fail the same way. "
	}
}

// subjectEntries explain the subject digit of an enhanced code (RFC 3463 §3), for codes whose
// detail is not registered.
var subjectEntries = map[string]codeEntry{
	"0": {summary: "other or undefined status",
		explanation: "The receiver did not say which part of the delivery failed.",
		advice:      "Read the text that came with the code; it usually says more."},
	"1": {summary: "addressing status",
		explanation: "Something is wrong with an address: the recipient's, the sender's, or their domains.",
		advice:      "Check both addresses for typos and check that their domains exist."},
	"2": {summary: "mailbox status",
		explanation: "The recipient's mailbox exists but has a problem, such as being full or disabled.",
		advice:      "Retry later; if it persists, the mailbox may be abandoned."},
	"3": {summary: "mail system status",
		explanation: "The receiving mail system has a problem of its own, such as storage or configuration.",
		advice:      "Retry later; the receiver's administrators have to act."},
	"4": {summary: "network or routing status",
		explanation: "The message could not be routed or the connection between the servers failed.",
		advice:      "Check DNS of the recipient's domain and the sending server's network; retry later."},
	"5": {summary: "mail delivery protocol status",
		explanation: "The servers did not agree on the SMTP conversation: a command, argument or limit was refused.",
		advice:      "Check the sending software's SMTP behaviour."},
	"6": {summary: "message content or media status",
		explanation: "The content of the message could not be accepted or converted.",
		advice:      "Check the message's format, encoding and attachments."},
	"7": {summary: "security or policy status",
		explanation: "A security or policy check refused the message: authentication, reputation, encryption or local policy.",
		advice:      "Read the text for the check that failed; check SPF, DKIM, DMARC and block lists."},
}

// ExplainReply explains a basic SMTP reply code (RFC 5321 §4.2, with the non-standard codes
// seen in the wild). A code with no entry is explained from its first two digits and marked
// Inferred.
func ExplainReply(c ReplyCode) Meaning {
	if !c.Valid() {
		return Meaning{Code: string(c), Summary: "not an SMTP reply code", Inferred: true,
			Explanation: "An SMTP reply code has three digits, the first 2 to 5, such as 550.",
			Advice:      "Look for a three-digit code such as 550 or 421 in the bounce."}
	}
	m := Meaning{Code: c.String(), Temporary: c[0] == '4'}
	if e := replyDict[c.String()]; e != nil {
		m.Summary, m.Explanation, m.Advice = e.summary, e.explanation, e.advice
		return m
	}
	m.Inferred = true
	m.Summary = replyClassSummary[c[0]] + ", " + replySubjectSummary[c[1]]
	m.Explanation = "The code is not a standard one; its first digit says " + replyClassSummary[c[0]] +
		" and its second digit concerns " + replySubjectSummary[c[1]] + "."
	switch c[0] {
	case '4':
		m.Advice = "Temporary: the sending server retries on its own; read the text that came with the code."
	case '5':
		m.Advice = "Permanent: read the text that came with the code before sending again."
	default:
		m.Advice = "Nothing to do: this is not a failure."
	}
	return m
}

var replyClassSummary = map[byte]string{
	'2': "success", '3': "more input needed", '4': "temporary failure", '5': "permanent failure",
}

// RFC 5321 §4.2.1: the second digit of a reply code.
var replySubjectSummary = map[byte]string{
	'0': "syntax", '1': "information", '2': "the connection", '3': "authentication (non-standard)",
	'4': "the connection or routing (non-standard)", '5': "the mail system or mailbox",
}

// TextExplanation is what ExplainText finds in a pasted error line: the codes, their meanings,
// and the verdict the classifier draws from the line alone.
type TextExplanation struct {
	Reply   ReplyCode `json:"reply"`
	Status  Status    `json:"status"`
	Codes   []Meaning `json:"codes"`
	Verdict Verdict   `json:"verdict"`
}

// ExplainText finds the reply and enhanced status codes in a pasted error line (with
// ExtractCodes), explains each, and classifies the line as if it were the diagnostic of a
// failed delivery.
func ExplainText(text string) TextExplanation {
	reply, status := ExtractCodes(text)
	te := TextExplanation{Reply: reply, Status: status}
	if reply.Valid() {
		te.Codes = append(te.Codes, ExplainReply(reply))
	}
	if status.Valid() {
		te.Codes = append(te.Codes, ExplainStatus(status))
	}
	f := Facts{
		Action:       ActionFailed,
		Status:       status,
		StatusSource: "the text",
		Reply:        reply,
		Diagnostic:   strings.TrimSpace(text),
	}
	if status.Class() == '2' || (status == "" && reply.Class() == '2') {
		f.Action = ActionDelivered
	}
	te.Verdict = Classify(f)
	return te
}
