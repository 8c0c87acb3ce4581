package dsn

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// lookupCharset finds the decoder for a MIME charset name (RFC 2046 §4.1.2), or nil when it
// is unknown. us-ascii and utf-8 need no decoder and return nil with ok true.
func lookupCharset(name string) (enc encoding.Encoding, ok bool) {
	name = strings.ToLower(strings.Trim(strings.TrimSpace(name), `"'`))
	switch name {
	case "", "us-ascii", "ascii", "utf-8", "utf8", "unicode-1-1-utf-8", "x-unknown", "unknown-8bit", "default":
		return nil, true
	// QUIRK: common mislabels that the WHATWG and IANA indexes do not resolve the way mail
	// means them (seen in Japanese carrier bounces and old Chinese webmail).
	case "x-sjis", "shift-jis", "sjis", "cp932", "ms932", "windows-31j":
		return japanese.ShiftJIS, true
	case "gb2312", "euc-cn", "x-gbk", "cp936":
		return simplifiedchinese.GBK, true
	case "iso-2022-jp-2", "iso-2022-jp-3", "csiso2022jp":
		return japanese.ISO2022JP, true
	}
	if e, err := htmlindex.Get(name); err == nil && e != nil {
		return e, true
	}
	if e, err := ianaindex.MIME.Encoding(name); err == nil && e != nil {
		return e, true
	}
	return nil, false
}

// toUTF8 converts b from the named charset to a UTF-8 string. An unknown charset is reported
// through the error, and the bytes are then kept as they are, with invalid UTF-8 replaced.
func toUTF8(b []byte, charset string) (string, error) {
	if isUTF7(charset) {
		return strings.ToValidUTF8(string(decodeUTF7(b)), "\uFFFD"), nil
	}
	enc, ok := lookupCharset(charset)
	if !ok {
		return strings.ToValidUTF8(string(b), "\uFFFD"), fmt.Errorf("unknown charset %q", charset)
	}
	if enc == nil {
		// QUIRK: RFC 2046 §4.1.2 makes us-ascii the default, but ISO-2022-JP text without a
		// label is common in Japanese bounces and recognisable by its escapes.
		// (Most text has no escape at all: one IndexByte pass rules both out.)
		if bytes.IndexByte(b, 0x1b) >= 0 && (bytes.Contains(b, []byte("\x1b$B")) || bytes.Contains(b, []byte("\x1b$@"))) {
			return decodeISO2022JP(b), nil
		}
		if utf8.Valid(b) {
			return string(b), nil
		}
		return strings.ToValidUTF8(string(b), "\uFFFD"), nil
	}
	if bytes.IndexByte(b, 0x1b) < 0 && isASCII(b) {
		return string(b), nil
	}
	if enc == japanese.ISO2022JP {
		return decodeISO2022JP(b), nil
	}
	out, err := enc2string(enc, b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD"), fmt.Errorf("charset %q: %w", charset, err)
	}
	return out, nil
}

func enc2string(enc encoding.Encoding, b []byte) (string, error) {
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return "", err
	}
	return string(out), nil
}

func isASCII(b []byte) bool { return asciiPrefix(b) == len(b) }

// asciiPrefix returns the length of the longest prefix of b in ASCII; it reads eight bytes
// at a time.
func asciiPrefix(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 != 0 {
			break
		}
	}
	for i < len(b) && b[i] < utf8.RuneSelf {
		i++
	}
	return i
}

// wordDecoder decodes RFC 2047 encoded words with the charsets above.
var wordDecoder = &mime.WordDecoder{
	CharsetReader: func(charset string, input io.Reader) (io.Reader, error) {
		if isUTF7(charset) {
			b, err := io.ReadAll(input)
			return bytes.NewReader(decodeUTF7(b)), err
		}
		enc, ok := lookupCharset(charset)
		if !ok {
			return nil, fmt.Errorf("unknown charset %q", charset)
		}
		if enc == nil {
			return input, nil
		}
		// An encoded word is short (RFC 2047 §2: at most 75 characters): decode it whole,
		// rather than through a transform.Reader and the two 4 KB buffers it allocates.
		b, err := io.ReadAll(input)
		if err != nil {
			return nil, err
		}
		out, err := enc.NewDecoder().Bytes(b)
		if err != nil {
			return nil, err
		}
		return bytes.NewReader(out), nil
	},
}

// decodeWords decodes RFC 2047 encoded words in a header value. A value that cannot be
// decoded is returned as it is, with invalid UTF-8 replaced.
func decodeWords(v string) string {
	if !strings.Contains(v, "=?") {
		if utf8.ValidString(v) {
			return v
		}
		// QUIRK: RFC 5322 headers are ASCII, but raw 8-bit headers occur (Japanese carriers
		// send raw ISO-2022-JP escapes; others Latin-1).
		s, _ := toUTF8([]byte(v), "")
		return s
	}
	out, err := wordDecoder.DecodeHeader(v)
	if err != nil {
		return strings.ToValidUTF8(v, "\uFFFD")
	}
	return out
}
