package lab

import (
	"encoding/binary"
	"errors"
	"net"
	"testing"
)

// startNXDomain answers every DNS query on addr:53 (UDP) with NXDOMAIN (RFC 1035 §4.1.1,
// RCODE 3), so that an MTA looking up the MX of a domain learns that the domain does not
// exist. It stands in for a resolver the machine may not have; the MTAs see it through a
// private /etc/resolv.conf.
func startNXDomain(t *testing.T, addr string) {
	t.Helper()
	pc, err := net.ListenPacket("udp", net.JoinHostPort(addr, "53"))
	if err != nil {
		t.Skipf("lab: no DNS stand-in on %s:53: %v", addr, err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				if errors.Is(err, net.ErrClosed) {
					return
				}
				continue
			}
			if resp := nxdomain(buf[:n]); resp != nil {
				pc.WriteTo(resp, from)
			}
		}
	}()
}

// nxdomain turns a query into its NXDOMAIN answer: the header with QR, RA and RCODE 3 set
// and no records, followed by the query's question section. It returns nil for a packet
// too short to be a query.
func nxdomain(q []byte) []byte {
	if len(q) < 12 || q[2]&0x80 != 0 {
		return nil
	}
	end := 12
	for end < len(q) && q[end] != 0 { // QNAME labels
		end += int(q[end]) + 1
	}
	end += 5 // the root label, QTYPE, QCLASS
	if end > len(q) || binary.BigEndian.Uint16(q[4:6]) != 1 {
		return nil
	}
	resp := append([]byte(nil), q[:end]...)
	resp[2] = 0x80 | q[2]&0x79 // QR, opcode and RD copied
	resp[3] = 0x80 | 3         // RA, RCODE NXDOMAIN
	clear(resp[6:12])          // no answer, authority or additional records
	return resp
}
