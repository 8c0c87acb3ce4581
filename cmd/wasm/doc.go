// Command wasm is the decoder of the paste-and-decode page (web/), built with
// GOOS=js GOARCH=wasm. It registers one JavaScript function and then waits for calls:
//
//	bounceproc.decode(input) -> string
//
// input is a string or a Uint8Array holding a whole mail (raw source, as an .eml file) or just
// an error line such as "550 5.1.1 <a@example.org>: Recipient address rejected". The result is
// JSON: for a mail {"input": "mail", "report": dsn.Report, "verdicts": [classify.Verdict, one
// per recipient], "codes": [[classify.Meaning, ...], one list per recipient]}; for an error line
// {"input": "text", "text": classify.TextExplanation, "address": ..., "line": ...}; and
// {"error": "..."} when the input is neither. It never throws: even an internal failure comes
// back as an error message.
//
// It reaches only dsn and classify (and the standard library), which keeps the module small.
package main
