// Package dsn decodes bounce mail: bytes in, a Report out.
//
// It reads delivery status notifications (RFC 3464, and RFC 6533 for internationalised
// addresses), feedback reports (RFC 5965 ARF), automatic replies (RFC 3834) and the free-text
// bounces that many mail servers still send, and finds every recipient whose delivery the mail
// reports on, with its action, SMTP reply code (RFC 5321 §4.2), enhanced status code
// (RFC 3463) and diagnostic text.
//
// MIME (RFC 2045–2047, RFC 2231 parameters) is walked on the bytes of the mail without copying
// the parts it does not need: a returned attachment is skipped, a returned message contributes
// only its headers. Damaged content never stops the decoder: it becomes a Problem on the Report
// and decoding goes on with what is left. Parse returns an error only when reading fails.
//
// Free-text formats are tried in the order of the formats list (formats.go): specific mail
// servers first, then the generic delivery-status decoder, feedback reports, automatic replies,
// and last a generic decoder that finds an address next to an SMTP reply in any prose bounce.
//
// The package does no I/O of its own (no files, no network, no clock), so it builds for
// GOOS=js GOARCH=wasm.
package dsn
