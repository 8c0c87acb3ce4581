package dsn

import (
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

// BIGLOBE (biglobe.ne.jp, also inacatv, tmtv and ttv) bounces come from
// postmaster@biglobe.ne.jp, "Subject: Returned mail: ...", and name the recipients between
// two markers, as in lhost-biglobe-01 (compare sisimai's Lhost::Biglobe):
//
//	   ----- The following addresses had delivery problems -----
//	postmaster@mxr.biglobe.ne.jp
//
//	   ----- Non-delivered information -----
//	The number of messages in recipient's mailbox exceeded the local limit.

const (
	biglobeAddrs = "----- The following addresses had delivery problems -----"
	biglobeInfo  = "----- Non-delivered information -----"
)

// decodeBiglobe reads a BIGLOBE bounce. Every address under the first marker is a failed
// recipient, role addresses such as postmaster@ included: the marker says so.
func decodeBiglobe(m *mail) []Recipient {
	if m.dsFound && len(m.dsRecips) > 0 {
		return nil
	}
	t := m.reportText()
	a := strings.Index(t, biglobeAddrs)
	if a < 0 {
		return nil
	}
	// The markers share their dashes, so look for the second one after the whole first.
	a += len(biglobeAddrs)
	b := strings.Index(t[a:], biglobeInfo)
	if b < 0 {
		return nil
	}
	b += a
	var diag []string
	for _, l := range strings.Split(t[b+len(biglobeInfo):], "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			if len(diag) > 0 {
				break
			}
			continue
		}
		if strings.HasPrefix(l, "-----") {
			break
		}
		diag = append(diag, l)
	}
	var out []Recipient
	for _, as := range findAddresses(t[a:b]) {
		out = append(out, Recipient{Address: as.addr, Action: classify.ActionFailed, Diagnostic: strings.Join(diag, " "),
			Source: "the BIGLOBE bounce text"})
	}
	return out
}
