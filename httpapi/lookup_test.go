package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/suppress"
	"github.com/google/go-cmp/cmp"
)

const testToken = "s3cret-token"

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// newTestStore makes a store in a temp dir with a known set of addresses, then reopens it
// read-only as serve does. The writable handle is returned too, for later changes.
func newTestStore(t testing.TB) (ro, rw *suppress.SQLite) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	rw, err := suppress.Open(ctx, path, suppress.Options{Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rw.Close() })
	n := 0
	record := func(addr string, kind classify.Kind, reason classify.Reason, status classify.Status, diag string) {
		t.Helper()
		n++
		mail := suppress.Mail{MailID: suppress.MailID{Mailbox: "INBOX", UIDValidity: 1, UID: uint32(n)},
			MessageID: fmt.Sprintf("<%d@mx.example.net>", n), Hash: suppress.HashRaw([]byte(fmt.Sprint(n))), Checkpoint: true}
		ev := suppress.Event{Address: addr, Kind: kind, Reason: reason, Status: status, Reply: "550", Diagnostic: diag,
			Hard: kind == classify.KindHard, Suppress: kind == classify.KindHard, OccurredAt: t0.Add(-time.Hour)}
		if _, err := rw.RecordMail(ctx, mail, []suppress.Event{ev}); err != nil {
			t.Fatal(err)
		}
	}
	record("hard@example.org", classify.KindHard, classify.ReasonUserUnknown, "5.1.1", "550 5.1.1 User unknown")
	record("released@example.org", classify.KindHard, classify.ReasonUserUnknown, "5.1.1", "550 5.1.1 User unknown")
	record("vip@example.net", classify.KindHard, classify.ReasonUserUnknown, "5.1.1", "550 5.1.1 User unknown")
	record("blocked@example.org", classify.KindBlocked, classify.ReasonBlocked, "5.7.1", "554 5.7.1 blocked")
	for _, step := range []func() error{
		func() error {
			_, err := rw.Release(ctx, suppress.Manual{Address: "released@example.org", By: "ann"})
			return err
		},
		func() error {
			_, err := rw.Allow(ctx, suppress.Manual{Address: "vip@example.net", By: "ann"})
			return err
		},
		func() error {
			_, err := rw.Suppress(ctx, suppress.Manual{Address: "manual@example.org", By: "bob", Why: "asked to stop"})
			return err
		},
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	ro, err = suppress.OpenReadOnly(ctx, path, suppress.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ro.Close() })
	return ro, rw
}

func newTestServer(t testing.TB, store Store) *httptest.Server {
	t.Helper()
	api, err := NewAPI(store, testToken+"\n", nil)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	api.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func do(t testing.TB, method, url, token string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func TestLookupOne(t *testing.T) {
	ro, _ := newTestStore(t)
	srv := newTestServer(t, ro)
	since := t0.Add(-time.Hour) // the bounce's time
	tests := []struct {
		name, addr string
		code       int
		want       Answer
	}{
		{"suppressed", "Hard@Example.ORG", 200, Answer{Address: "Hard@Example.ORG", Normalized: "hard@example.org", Valid: true,
			Suppressed: true, Known: true, Since: since, Cause: "hard", Source: "policy", Why: "hard bounce",
			LastBounce: &Bounce{Kind: "hard", Reason: string(classify.ReasonUserUnknown), Status: "5.1.1", Reply: "550", Diagnostic: "550 5.1.1 User unknown",
				At: t0.Add(-time.Hour), FirstSeen: t0.Add(-time.Hour), Count: 1}}},
		{"released", "released@example.org", 200, Answer{Address: "released@example.org", Normalized: "released@example.org",
			Valid: true, Known: true, LastBounce: &Bounce{Kind: "hard", Reason: string(classify.ReasonUserUnknown), Status: "5.1.1", Reply: "550",
				Diagnostic: "550 5.1.1 User unknown", At: t0.Add(-time.Hour), FirstSeen: t0.Add(-time.Hour), Count: 1}}},
		{"allowed", "vip@example.net", 200, Answer{Address: "vip@example.net", Normalized: "vip@example.net", Valid: true,
			Allowed: true, Known: true, LastBounce: &Bounce{Kind: "hard", Reason: string(classify.ReasonUserUnknown), Status: "5.1.1", Reply: "550",
				Diagnostic: "550 5.1.1 User unknown", At: t0.Add(-time.Hour), FirstSeen: t0.Add(-time.Hour), Count: 1}}},
		{"manual", "manual@example.org", 200, Answer{Address: "manual@example.org", Normalized: "manual@example.org", Valid: true,
			Suppressed: true, Known: true, Since: t0, Cause: "manual", Source: "manual", By: "bob", Why: "asked to stop"}},
		{"unknown", "nobody@example.org", 200, Answer{Address: "nobody@example.org", Normalized: "nobody@example.org", Valid: true}},
		{"slash in the local part", "a/b@example.org", 200, Answer{Address: "a/b@example.org", Normalized: "a/b@example.org", Valid: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := do(t, "GET", srv.URL+"/v1/suppressions/"+url.PathEscape(tc.addr), testToken, nil)
			if resp.StatusCode != tc.code {
				t.Fatalf("GET %s: status %d, want %d; body %s", tc.addr, resp.StatusCode, tc.code, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("GET %s: Content-Type %q", tc.addr, ct)
			}
			var got Answer
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatalf("GET %s: %v in %s", tc.addr, err, body)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("GET %s (-want +got):\n%s", tc.addr, d)
			}
		})
	}
	t.Run("invalid", func(t *testing.T) {
		resp, body := do(t, "GET", srv.URL+"/v1/suppressions/"+url.PathEscape("no at sign"), testToken, nil)
		var got Answer
		if err := json.Unmarshal(body, &got); err != nil || resp.StatusCode != 400 || got.Valid || got.Error == "" || got.Suppressed {
			t.Errorf("GET invalid address: status %d, %+v, %v; want 400 with valid false and an error", resp.StatusCode, got, err)
		}
	})
}

func TestLookupSeesLaterWrites(t *testing.T) {
	ro, rw := newTestStore(t)
	srv := newTestServer(t, ro)
	if _, err := rw.Suppress(context.Background(), suppress.Manual{Address: "late@example.org", By: "bob"}); err != nil {
		t.Fatal(err)
	}
	_, body := do(t, "GET", srv.URL+"/v1/suppressions/late@example.org", testToken, nil)
	if !strings.Contains(string(body), `"suppressed":true`) {
		t.Errorf("an address suppressed after the API opened the store: %s", body)
	}
}

func TestAuth(t *testing.T) {
	ro, _ := newTestStore(t)
	srv := newTestServer(t, ro)
	for _, tc := range []struct{ name, header string }{
		{"none", ""},
		{"wrong token", "Bearer wrong"},
		{"prefix of the token", "Bearer " + testToken[:4]},
		{"token plus more", "Bearer " + testToken + "x"},
		{"basic scheme", "Basic " + testToken},
		{"no scheme", testToken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, r := range []*http.Request{
				httptest.NewRequest("GET", srv.URL+"/v1/suppressions/hard@example.org", nil),
				httptest.NewRequest("POST", srv.URL+"/v1/suppressions/check", strings.NewReader(`{"addresses":["hard@example.org"]}`)),
			} {
				r.RequestURI = ""
				if tc.header != "" {
					r.Header.Set("Authorization", tc.header)
				}
				resp, err := http.DefaultClient.Do(r)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") == "" || !strings.Contains(string(body), `"error"`) ||
					strings.Contains(string(body), "hard@") {
					t.Errorf("%s %s with %q: status %d, body %s; want 401 with a JSON error only", r.Method, r.URL.Path, tc.header,
						resp.StatusCode, body)
				}
			}
		})
	}
	if resp, _ := do(t, "GET", srv.URL+"/v1/suppressions/hard@example.org", testToken, nil); resp.StatusCode != 200 {
		t.Errorf("the right token: status %d", resp.StatusCode)
	}
	if _, err := NewAPI(ro, " \n", nil); err == nil {
		t.Error("NewAPI with an empty token succeeded")
	}
}

func TestCheckBatch(t *testing.T) {
	ro, _ := newTestStore(t)
	srv := newTestServer(t, ro)
	special := map[int]string{0: "hard@example.org", 17: "not-an-address", 500: "vip@example.net", 4096: "MANUAL@example.org",
		9999: "released@example.org", 7000: "hard@example.org"}
	addrs := make([]string, MaxBatch)
	for i := range addrs {
		addrs[i] = fmt.Sprintf("user%d@example.com", i)
		if s, ok := special[i]; ok {
			addrs[i] = s
		}
	}
	body, _ := json.Marshal(CheckRequest{Addresses: addrs})
	resp, out := do(t, "POST", srv.URL+"/v1/suppressions/check", testToken, body)
	if resp.StatusCode != 200 {
		t.Fatalf("POST check: status %d: %.300s", resp.StatusCode, out)
	}
	var got CheckResponse
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Results) != len(addrs) || got.Suppressed != 3 || got.Invalid != 1 {
		t.Fatalf("POST check: %d results, %d suppressed, %d invalid; want %d, 3, 1", len(got.Results), got.Suppressed, got.Invalid, len(addrs))
	}
	for i, a := range got.Results {
		wantSupp := i == 0 || i == 4096 || i == 7000
		if a.Address != addrs[i] || a.Suppressed != wantSupp || a.Valid != (i != 17) || a.Allowed != (i == 500) {
			t.Errorf("result %d = %+v; want address %q, suppressed %v", i, a, addrs[i], wantSupp)
		}
	}
	if a := got.Results[17]; a.Error == "" {
		t.Errorf("the invalid address has no error: %+v", a)
	}
}

func TestCheckBadRequests(t *testing.T) {
	ro, _ := newTestStore(t)
	srv := newTestServer(t, ro)
	tooMany, _ := json.Marshal(CheckRequest{Addresses: make([]string, MaxBatch+1)})
	huge := []byte(`{"addresses":["` + strings.Repeat("a", MaxBody) + `@example.org"]}`)
	for _, tc := range []struct {
		name string
		body []byte
		ct   string
		code int
	}{
		{"not JSON", []byte("hard@example.org"), "application/json", 400},
		{"no list", []byte(`{}`), "application/json", 400},
		{"unknown field", []byte(`{"addresses":[],"extra":1}`), "application/json", 400},
		{"list of numbers", []byte(`{"addresses":[1,2]}`), "application/json", 400},
		{"two values", []byte(`{"addresses":[]}{"addresses":[]}`), "application/json", 400},
		{"too many addresses", tooMany, "application/json", 413},
		{"oversized body", huge, "application/json", 413},
		{"form body", []byte(`addresses=a@example.org`), "application/x-www-form-urlencoded", 415},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", srv.URL+"/v1/suppressions/check", bytes.NewReader(tc.body))
			req.Header.Set("Authorization", "Bearer "+testToken)
			req.Header.Set("Content-Type", tc.ct)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			out, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			var e ErrorBody
			if resp.StatusCode != tc.code || json.Unmarshal(out, &e) != nil || e.Error == "" {
				t.Errorf("status %d, body %.200s; want %d with a JSON error", resp.StatusCode, out, tc.code)
			}
		})
	}
	if resp, out := do(t, "POST", srv.URL+"/v1/suppressions/check", testToken, []byte(`{"addresses":[]}`)); resp.StatusCode != 200 ||
		!strings.Contains(string(out), `"results":[]`) {
		t.Errorf("an empty list: status %d, %s", resp.StatusCode, out)
	}
	if resp, _ := do(t, "DELETE", srv.URL+"/v1/suppressions/hard@example.org", testToken, nil); resp.StatusCode != 405 {
		t.Errorf("DELETE: status %d, want 405", resp.StatusCode)
	}
}

// failingStore fails every lookup, to check that store errors are not shown to clients.
type failingStore struct{}

func (failingStore) LookupMany(context.Context, []string) ([]suppress.LookupResult, error) {
	return nil, fmt.Errorf("suppress: disk I/O error at /secret/path")
}

func TestStoreErrorHidden(t *testing.T) {
	srv := newTestServer(t, failingStore{})
	resp, body := do(t, "GET", srv.URL+"/v1/suppressions/a@example.org", testToken, nil)
	if resp.StatusCode != 500 || strings.Contains(string(body), "/secret") {
		t.Errorf("store error: status %d, body %s; want 500 without details", resp.StatusCode, body)
	}
}

// The token is kept only as its hash.
func TestTokenNotKept(t *testing.T) {
	api, err := NewAPI(failingStore{}, testToken, nil)
	if err != nil {
		t.Fatal(err)
	}
	if api.token != sha256.Sum256([]byte(testToken)) {
		t.Error("the API keeps something other than the token's hash")
	}
}
