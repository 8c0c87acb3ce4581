package imapfetch_test

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/bounceproc/bounceproc/imapfetch"
)

// Streams the mails above a cursor, stores each one's result (here: prints it), and only then
// says how to mark it; the marks are applied in bulk.
func ExampleClient_Open() {
	srv, _ := imapfetch.StartMemServer("postmaster", "secret", imapfetch.MemServerOptions{})
	defer srv.Close()
	for i := 1; i <= 3; i++ {
		srv.Append("INBOX", fmt.Appendf(nil, "Subject: bounce %d\r\n\r\nbody\r\n", i), time.Now())
	}

	ctx := context.Background()
	c, err := imapfetch.Dial(ctx, imapfetch.Config{
		Addr: srv.Addr(), TLS: imapfetch.TLSNone, AllowPlaintext: true, // loopback test server only
		User: "postmaster", Password: "secret",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()

	var cursor uint32 = 1 // UID 1 was processed by an earlier run
	s, err := c.Open(ctx, "INBOX", cursor, imapfetch.StreamOptions{
		OnMarked: func(_ context.Context, m imapfetch.Mark, uids []uint32) error {
			fmt.Println(m, uids) // the place to note in the store that marking is done
			return nil
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for {
		m, err := s.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		body, _ := io.ReadAll(m.Body)
		fmt.Printf("UID %d: %d bytes\n", m.UID, len(body)) // decode and commit here
		s.Done(m.UID, imapfetch.Mark{Action: imapfetch.MarkMove, Folder: "Processed"})
	}
	if err := s.Close(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// UID 2: 27 bytes
	// UID 3: 27 bytes
	// move to Processed [2 3]
}
