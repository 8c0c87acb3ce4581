package dsn

import (
	"mime"
	"os"
	"strings"
	"testing"

	"github.com/bounceproc/bounceproc/internal/testutil"
)

// mediaTypeByMap is mediaType as it was before simpleMediaType: mime.ParseMediaType, or the
// parameters one by one into a map. The tests hold mediaType to it.
func mediaTypeByMap(v, def string) (string, map[string]string) {
	if strings.TrimSpace(v) == "" {
		return def, nil
	}
	t, params, err := mime.ParseMediaType(v)
	if err == nil {
		return strings.ToLower(t), params
	}
	parts := strings.Split(v, ";")
	t = strings.ToLower(strings.TrimSpace(parts[0]))
	if !strings.Contains(t, "/") {
		t = def
	}
	params = make(map[string]string, len(parts)-1)
	for _, p := range parts[1:] {
		k, val, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		if len(val) >= 2 && val[0] == '"' {
			if j := strings.IndexByte(val[1:], '"'); j >= 0 {
				val = val[1 : j+1]
			}
		}
		params[strings.ToLower(strings.TrimSpace(k))] = val
	}
	return t, params
}

// checkMediaType fails when mediaType(v) differs from mediaTypeByMap(v).
func checkMediaType(t *testing.T, v string) {
	t.Helper()
	wantT, wantP := mediaTypeByMap(v, "text/plain")
	gotT, gotP := mediaType(v, "text/plain")
	if gotT != wantT || gotP.boundary != wantP["boundary"] || gotP.charset != wantP["charset"] {
		t.Errorf("mediaType(%q) = %q, %+v; want %q, boundary %q, charset %q", v, gotT, gotP, wantT, wantP["boundary"], wantP["charset"])
	}
}

var mediaTypeCases = []string{
	"", " ", "text/plain", "TEXT/Plain", "text", "text/", "/plain", " text/plain ", "text/plain;",
	"text/plain; ", "text/plain;;", "text/plain; charset=us-ascii", "text/plain;charset=\"utf-8\"",
	"text/plain; charset=UTF-8; format=flowed", "text/plain; CHARSET=x", "text/plain; charset = x",
	"text/plain; charset=", "text/plain; charset=\"\"", "text/plain; charset=\"a\\\"b\"",
	"text/plain; charset=\"a\\b\"", "text/plain; charset=\"unterminated", "text/plain; charset=x y",
	"text/plain; charset=a; charset=a", "text/plain; charset=a; charset=b", "text/plain; charset=a; CHARSET=b",
	"text/plain; charset*=utf-8''x", "text/plain; charset*0=a; charset*1=b", "text/plain\t;\tcharset=x\t",
	"multipart/report; report-type=delivery-status; boundary=\"=_x:y/z\"",
	"multipart/report; report-type=delivery-status; boundary=\"x\"; charset=",
	"multipart/mixed; boundary==_abc", "multipart/mixed; boundary=abc=def", "multipart/mixed; boundary=\"\xe2\x80\x94\"",
	"multipart/mixed;\u00a0boundary=x", "multipart/mixed; boundary=x\u0085", "text/plain; a=1; b=2; c=3; d=4; e=5; f=6; g=7; h=8; charset=x",
	"text/plain; a=1; b=2; c=3; d=4; e=5; f=6; g=7; charset=x", "text/plain; charset=x;", "text/plain; charset=x; ;",
	"text/plain; charset=\"x\"y", "text/plain; charset=\"x\" ; boundary=y", "text/plain; =x", "te(xt/plain",
}

func TestMediaTypeAgreesWithMap(t *testing.T) {
	for _, v := range mediaTypeCases {
		checkMediaType(t, v)
	}
	// Every Content-Type of the samples, at any depth.
	for _, p := range testutil.Samples(t) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		h := parseHeader(normalizeEOL(b), nil)
		for _, f := range h {
			if strings.EqualFold(f.Name, "Content-Type") {
				checkMediaType(t, f.Value)
			}
		}
		for _, line := range strings.Split(string(b), "\n") {
			if name, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(strings.TrimSpace(name), "content-type") {
				checkMediaType(t, strings.TrimSpace(v))
			}
		}
	}
}

// FuzzMediaType holds mediaType, with its fast path, to the map-based reading.
func FuzzMediaType(f *testing.F) {
	for _, v := range mediaTypeCases {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		checkMediaType(t, v)
	})
}
