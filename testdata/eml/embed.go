// Package eml embeds the project's sample mails, so that `bounceproc demo` can serve them
// from an in-memory IMAP server on any machine.
package eml

import (
	"embed"
	"io/fs"
	"slices"
)

// Files holds every sample mail: <format>/<case>.eml.
//
//go:embed */*.eml
var Files embed.FS

// Names lists the sample mails' paths in lexical order.
func Names() ([]string, error) {
	names, err := fs.Glob(Files, "*/*.eml")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	return names, nil
}
