package dsn

import "strings"

// Active!Hunter (TransWARE) bounces copy Sendmail's layout, but mark the list entries with
// ">>> " and name the product in the MIME boundary ("------=_Active!Hunter_...") or the
// Received line ("with Active!Hunter esmtp server"):
//
//	  ----- The following addresses had permanent fatal errors -----
//
//	>>> user@example.org <user@example.org>
//
//	  ----- Transcript of session follows -----
//	550 <user@example.org>: Recipient address rejected: User unknown in local recipient table
func decodeActiveHunter(m *mail) []Recipient {
	ct := m.header.get("Content-Type")
	if !strings.Contains(ct, "Active!Hunter") && !strings.Contains(m.header.get("Received"), "Active!Hunter") {
		return nil
	}
	if m.dsUsable() {
		return nil
	}
	// QUIRK: the list marks each address with ">>> "; the transcript names it again.
	return m.sendmailRecipients(strings.ReplaceAll(m.text(), "\n>>> ", "\n"), m.ownAddresses())
}
