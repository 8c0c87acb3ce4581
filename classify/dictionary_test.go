package classify

import (
	"fmt"
	"strings"
	"testing"
)

// ianaDetails is the highest registered detail of each subject in the IANA "SMTP Enhanced
// Status Codes" registry (X.0.0 through X.7.30).
var ianaDetails = map[int]int{0: 0, 1: 10, 2: 4, 3: 6, 4: 7, 5: 6, 6: 10, 7: 30}

// referenceReplyCodes are the basic reply codes listed in ../shared/reference, standard and
// non-standard.
var referenceReplyCodes = []string{
	"211", "214", "220", "221", "250", "251", "252", "253", "354", "355",
	"421", "432", "441", "450", "451", "452", "453", "454", "458", "459",
	"500", "501", "502", "503", "504", "510", "512", "515", "517", "521", "522", "523",
	"530", "531", "533", "534", "535", "538", "540", "541", "542", "543", "544", "546", "547",
	"550", "551", "552", "553", "554",
}

func TestEveryIANACodeIsKnown(t *testing.T) {
	for subject := 0; subject <= 7; subject++ {
		for detail := 0; detail <= ianaDetails[subject]; detail++ {
			for _, class := range []string{"2", "4", "5"} {
				if subject == 0 && detail > 0 {
					continue
				}
				s := Status(fmt.Sprintf("%s.%d.%d", class, subject, detail))
				m := ExplainStatus(s)
				if m.Inferred {
					t.Errorf("ExplainStatus(%q).Inferred = true, want a registry entry", s)
				}
				if m.Temporary != (class == "4") {
					t.Errorf("ExplainStatus(%q).Temporary = %v", s, m.Temporary)
				}
			}
		}
	}
}

func TestEveryReferenceReplyCodeIsKnown(t *testing.T) {
	for _, c := range referenceReplyCodes {
		m := ExplainReply(ReplyCode(c))
		if m.Inferred {
			t.Errorf("ExplainReply(%q).Inferred = true, want an entry", c)
		}
		if m.Temporary != (c[0] == '4') {
			t.Errorf("ExplainReply(%q).Temporary = %v", c, m.Temporary)
		}
	}
}

func TestDictionaryEntriesAreComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, list := range [][]codeEntry{statusEntries, replyEntries} {
		for _, e := range list {
			if e.summary == "" || e.explanation == "" || e.advice == "" {
				t.Errorf("dictionary entry %q has an empty text: %+v", e.code, e)
			}
			if !strings.HasSuffix(e.explanation, ".") || !strings.HasSuffix(e.advice, ".") {
				t.Errorf("dictionary entry %q: explanation and advice should be sentences: %+v", e.code, e)
			}
		}
	}
	for _, e := range statusEntries {
		if seen["s"+e.code] {
			t.Errorf("status entry %q listed twice", e.code)
		}
		seen["s"+e.code] = true
	}
	for _, e := range replyEntries {
		if seen["r"+e.code] {
			t.Errorf("reply entry %q listed twice", e.code)
		}
		seen["r"+e.code] = true
		if !ReplyCode(e.code).Valid() {
			t.Errorf("reply entry %q is not a valid reply code", e.code)
		}
	}
	for _, ri := range reasonTable {
		if ri.explanation == "" || ri.advice == "" {
			t.Errorf("reason %v has an empty explanation or advice", ri.reason)
		}
	}
}

func TestExplainInferred(t *testing.T) {
	tests := []struct {
		code      string
		status    bool
		temporary bool
		summary   string
	}{
		{"4.7.650", true, true, "security or policy status"},
		{"5.1.99", true, false, "addressing status"},
		{"5.9.1", true, false, ""},
		{"559", false, false, "permanent failure, the mail system or mailbox"},
		{"429", false, true, "temporary failure, the connection"},
		{"999", false, false, "not an SMTP reply code"},
	}
	for _, tc := range tests {
		var m Meaning
		if tc.status {
			m = ExplainStatus(Status(tc.code))
		} else {
			m = ExplainReply(ReplyCode(tc.code))
		}
		if !m.Inferred || m.Temporary != tc.temporary || !strings.Contains(m.Summary, tc.summary) || m.Explanation == "" || m.Advice == "" {
			t.Errorf("Explain(%q) = %+v, want inferred, temporary %v, summary containing %q", tc.code, m, tc.temporary, tc.summary)
		}
	}
}

func TestExplainText(t *testing.T) {
	tests := []struct {
		text   string
		reply  ReplyCode
		status Status
		kind   Kind
		reason Reason
	}{
		{"550 5.7.1 Service unavailable; client host blocked", "550", "5.7.1", KindBlocked, ReasonBlocked},
		{"550 5.1.1 <a@example.org>: Recipient address rejected: User unknown in local recipient table", "550", "5.1.1", KindHard, ReasonUserUnknown},
		{"451 4.7.1 Greylisting in action, please come back later", "451", "4.7.1", KindSoft, ReasonExpired},
		{"250 2.0.0 Ok: queued as 4Zx", "250", "2.0.0", KindDelivered, ReasonDelivered},
		{"mailbox full", "", "", KindSoft, ReasonMailboxFull},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			got := ExplainText(tc.text)
			if got.Reply != tc.reply || got.Status != tc.status {
				t.Errorf("ExplainText(%q) codes = %q %q, want %q %q", tc.text, got.Reply, got.Status, tc.reply, tc.status)
			}
			wantCodes := 0
			if tc.reply != "" {
				wantCodes++
			}
			if tc.status != "" {
				wantCodes++
			}
			if len(got.Codes) != wantCodes {
				t.Errorf("ExplainText(%q) explained %d codes, want %d", tc.text, len(got.Codes), wantCodes)
			}
			if got.Verdict.Kind != tc.kind || got.Verdict.Reason != tc.reason {
				t.Errorf("ExplainText(%q).Verdict = %v/%v, want %v/%v", tc.text, got.Verdict.Kind, got.Verdict.Reason, tc.kind, tc.reason)
			}
		})
	}
}
