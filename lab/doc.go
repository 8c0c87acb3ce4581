// Package lab is the bounce lab: tests that start real MTAs from Debian (Postfix, Exim and
// OpenSMTPD) on loopback, relay mail through them to a scripted SMTP receiver that refuses
// each recipient in a chosen way (RFC 5321 §4.2 replies with RFC 3463 enhanced codes, in the
// wording of the big receivers), and check that the bounce each MTA writes decodes (package
// dsn) and classifies (package classify) to what the refusal means.
//
// The package holds no code outside its tests. `make lab` runs them; they need root and the
// MTA binaries (see .ci/run) and skip with the reason otherwise.
package lab
