// Package imapfetch is an IMAP session against the postmaster mailbox: it reads a mailbox's
// UIDVALIDITY, streams the messages newer than a UID cursor one at a time, and flags, moves or
// deletes a mail once the caller says it is safe to do so.
//
// Every go-imap type stays inside this package; callers see plain values ([Message], [Mailbox],
// [Mark]) and UIDs as uint32.
//
// Protocols and sections it follows:
//   - IMAP4rev1 and IMAP4rev2 (RFC 3501, RFC 9051): UID FETCH with BODY.PEEK[] (§6.4.5), which
//     never sets \Seen, and partial fetches BODY.PEEK[]<0.N> for the size cap.
//   - Implicit TLS on port 993 (RFC 8314 §3.2) and STARTTLS (RFC 3501 §6.2.1).
//   - SASL PLAIN (RFC 4616), LOGIN (RFC 3501 §6.2.3) and XOAUTH2 (Google's and Microsoft's
//     bearer-token mechanism, https://developers.google.com/gmail/imap/xoauth2-protocol).
//   - MOVE (RFC 6851), with COPY + STORE \Deleted + UID EXPUNGE (RFC 4315 UIDPLUS) where MOVE is
//     missing.
//   - IDLE (RFC 2177), with polling by NOOP where the server lacks it.
package imapfetch
