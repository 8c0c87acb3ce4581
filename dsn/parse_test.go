package dsn

import (
	"os"
	"reflect"
	"testing"

	"github.com/bounceproc/bounceproc/internal/testutil"
)

// TestParseReusesNothing decodes every sample in order, then all of them again at once, in
// reverse order: parseBytes reuses its mail structs (mailPool), and a report must not depend
// on the mail decoded before it or beside it.
func TestParseReusesNothing(t *testing.T) {
	paths := testutil.Samples(t)
	mails := make([][]byte, len(paths))
	for i, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		mails[i] = b
	}
	parse := func(i int) *Report { return ParseBytes(append([]byte(nil), mails[i]...)) }
	first := make([]*Report, len(mails))
	for i := range mails {
		first[i] = parse(i)
	}
	again := make([]*Report, len(mails))
	done := make(chan struct{})
	for i := len(mails) - 1; i >= 0; i-- {
		go func() {
			again[i] = parse(i)
			done <- struct{}{}
		}()
	}
	for range mails {
		<-done
	}
	for i, p := range paths {
		if !reflect.DeepEqual(first[i], again[i]) {
			t.Errorf("%s: decoded twice, the reports differ", p)
		}
	}
}
