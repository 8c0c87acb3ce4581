package dsn

import (
	"html"
	"strings"
	"testing"
)

// htmlToTextByReplace is htmlToText as it was before writeBlanked: every chunk of text goes
// through blankReplacer and html.UnescapeString. The tests hold htmlToText to it.
func htmlToTextByReplace(s string) string {
	var b strings.Builder
	pre := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c != '<' {
			j := strings.IndexByte(s[i:], '<')
			if j < 0 {
				j = len(s) - i
			}
			chunk := s[i : i+j]
			if pre == 0 {
				chunk = blankReplacer.Replace(chunk)
			}
			b.WriteString(html.UnescapeString(chunk))
			i += j
			continue
		}
		end := strings.IndexByte(s[i:], '>')
		if end < 0 {
			break
		}
		tag := strings.ToLower(s[i+1 : i+end])
		i += end + 1
		name := tag
		if k := strings.IndexAny(name, " \t\n/"); k >= 0 {
			if k == 0 && strings.HasPrefix(name, "/") {
				name = name[1:]
				if k2 := strings.IndexAny(name, " \t\n"); k2 >= 0 {
					name = name[:k2]
				}
			} else {
				name = name[:k]
			}
		}
		switch name {
		case "script", "style", "head":
			if strings.HasPrefix(tag, "/") {
				continue
			}
			if k := indexFoldASCII(s[i:], "</"+name); k >= 0 {
				i += k
			}
		case "pre":
			if strings.HasPrefix(tag, "/") {
				pre = max(pre-1, 0)
			} else {
				pre++
			}
			b.WriteByte('\n')
		case "br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "table", "blockquote", "hr":
			b.WriteByte('\n')
		case "td", "th":
			b.WriteByte(' ')
		}
	}
	return b.String()
}

var htmlCases = []string{
	"", "a\nb\tc", "<p>a\n b</p>", "x &amp;\ny", "&#10;\n&Tab;\t", "<pre>a\n\tb</pre>c\nd",
	"<PRE>x\n</PRE>\ny", "<script>a\nb</script>c\td", "a<b", "<br>\n<br/>&lt;\n", "\t\n\t",
	"<SCRIPT TYPE=\"A\">x</Script>y", "<Br STYLE=\"X:Y\">a</P CLASS=B><TD\tX>b", "<BLOC\u212aQUOTE>q", "</STYLE>z",
}

func TestHTMLToTextAgrees(t *testing.T) {
	for _, s := range htmlCases {
		if got, want := htmlToText(s), htmlToTextByReplace(s); got != want {
			t.Errorf("htmlToText(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzHTMLToText(f *testing.F) {
	for _, s := range htmlCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := htmlToText(s), htmlToTextByReplace(s); got != want {
			t.Errorf("htmlToText(%q) = %q, want %q", s, got, want)
		}
	})
}
