// Package classify turns what a decoder observed about one recipient (Facts) into the decision
// a sender acts on (Verdict), and explains SMTP reply codes (RFC 5321 §4.2) and enhanced status
// codes (RFC 3463, the IANA "SMTP Enhanced Status Codes" registry) in plain language.
//
// It is pure: no I/O, no clock, no setup. Rules live in ordered slices, one file per concern
// (rules_status.go, rules_text.go, rules_receiver.go, rules_reply.go); the precedence between
// them is written down on Classify. The reason vocabulary follows sisimai, so that results can
// be compared with the shared corpus.
package classify
