package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// findChromium returns the path of a Chromium or Chrome binary, or "".
func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// pageLog records what the server was asked for and what the browser reported.
type pageLog struct {
	mu       sync.Mutex
	served   []string // paths the test server received
	requests []string // URLs of Network.requestWillBeSent, from the page
	problems []string // exceptions, console errors, error log entries
}

func (l *pageLog) add(list *[]string, s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	*list = append(*list, s)
}

func (l *pageLog) snapshot() (served, requests, problems []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.served), slices.Clone(l.requests), slices.Clone(l.problems)
}

// listen is run by the tab's message loop: it must return fast and run no command.
func (l *pageLog) listen(ev any) {
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		l.add(&l.requests, ev.Request.URL)
	case *runtime.EventExceptionThrown:
		l.add(&l.problems, "exception: "+ev.ExceptionDetails.Text+" "+describe(ev.ExceptionDetails.Exception))
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError {
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, describe(a))
			}
			l.add(&l.problems, "console.error: "+strings.Join(parts, " "))
		}
	case *cdplog.EventEntryAdded:
		if ev.Entry.Level == cdplog.EntryLevelError {
			l.add(&l.problems, "log: "+ev.Entry.Text+" "+ev.Entry.URL)
		}
	}
}

func describe(o *runtime.RemoteObject) string {
	if o == nil {
		return ""
	}
	if o.Description != "" {
		return o.Description
	}
	return string(o.Value)
}

// browserTest holds one page in headless Chromium.
type browserTest struct {
	t   *testing.T
	ctx context.Context
	log *pageLog
}

func (b *browserTest) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatal(err)
	}
}

func evalAs[T any](b *browserTest, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func (b *browserTest) text(css string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", css, err)
	}
	return s
}

// paste focuses the input box, empties it and inserts text the way a paste does (one input
// event), then waits for the decode it triggers.
func (b *browserTest) paste(text string) {
	b.t.Helper()
	before := evalAs[int](b, `window.bp.decodes`)
	b.do(
		chromedp.Click(chromedp.ID("clear")),
		chromedp.Focus(chromedp.ID("input")),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: text})
			return err
		}),
	)
	b.waitDecodes(before + 1)
}

func (b *browserTest) waitDecodes(n int) {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.Poll[bool](fmt.Sprintf(`window.bp && window.bp.decodes >= %d`, n),
		chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		b.t.Fatalf("waiting for decode #%d: %v", n, err)
	}
}

func (b *browserTest) screenshot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	dirs := []string{b.t.ArtifactDir()}
	if d := os.Getenv("BOUNCEPROC_SCREENSHOTS"); d != "" {
		dirs = append(dirs, d)
	}
	for _, dir := range dirs {
		p := filepath.Join(dir, name+".png")
		if err := os.WriteFile(p, png, 0o644); err != nil {
			b.t.Fatal(err)
		}
		b.t.Logf("screenshot: %s", p)
	}
}

func (b *browserTest) colorScheme(scheme string) {
	b.t.Helper()
	b.do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	}))
}

// TestPageInChromium loads the page from Handler in real headless Chromium, decodes a bounce,
// an error line and garbage, and checks that the page makes no request once loaded.
func TestPageInChromium(t *testing.T) {
	browser := findChromium()
	if browser == "" {
		t.Skip("chromium is not installed (apt-get install chromium); CI installs it")
	}
	sample, err := os.ReadFile("testdata/postfix-user-unknown.eml")
	if err != nil {
		t.Fatal(err)
	}
	h, err := Handler(os.DirFS(builtModule(t)))
	if err != nil {
		t.Fatal(err)
	}
	plog := &pageLog{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plog.add(&plog.served, r.URL.Path)
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()

	tmp := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(filepath.Join(tmp, "profile")),
		chromedp.Env("TMPDIR="+tmp),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	tabCtx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithListener(plog.listen))
	defer cancelTab()
	if err := chromedp.Do(tabCtx); err != nil { // start the browser with no deadline
		t.Fatalf("starting %s: %v", browser, err)
	}
	ctx, cancel := context.WithTimeout(tabCtx, 2*time.Minute)
	defer cancel()
	b := &browserTest{t: t, ctx: ctx, log: plog}

	// Load, and paste at once: the first decode waits for the module, as it would for a
	// person who pastes right after the page appears.
	b.colorScheme("light")
	b.do(chromedp.Navigate(srv.URL + "/"))
	b.do(chromedp.Focus(chromedp.ID("input")), chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: string(sample)})
		return err
	}))
	b.waitDecodes(1)
	firstAt := evalAs[float64](b, `window.bp.firstResultAt`)
	loadMs := evalAs[float64](b, `window.bp.loadMs`)
	fetchMs := evalAs[float64](b, `window.bp.fetchMs || 0`)
	warmMs := evalAs[float64](b, `window.bp.warmMs`)
	loadedAt := evalAs[float64](b, `performance.getEntriesByType('navigation')[0].loadEventEnd`)
	firstMs := evalAs[float64](b, `window.bp.lastMs`)
	t.Logf("page loaded %.0f ms after navigation start; module fetched in %.0f ms, compiled and started in %.0f ms, warmed up in %.0f ms; "+
		"first result shown %.0f ms after navigation start, %.0f ms after load (that decode took %.1f ms in the worker)",
		loadedAt, fetchMs, loadMs, warmMs, firstAt, firstAt-loadedAt, firstMs)

	// Everything the page needs is loaded now; from here on it may send nothing. The browser's
	// network events cover the page; the worker is a target of its own, so its requests (the
	// module) show up only at the server, which sees every request to the page's origin. The
	// worker's own policy (WorkerCSP) allows no other origin.
	servedAtLoad, requestsAtLoad, _ := plog.snapshot()
	t.Logf("requests while loading, at the server: %v; from the page, in the browser: %d", servedAtLoad, len(requestsAtLoad))

	t.Run("bounce", func(t *testing.T) {
		b := &browserTest{t: t, ctx: ctx, log: plog}
		table := b.text("#recipients tbody")
		for _, want := range []string{"pat.nobody@example.org", "hard bounce", "yes", "550", "5.1.1", "mx.example.org"} {
			if !strings.Contains(table, want) {
				t.Errorf("recipients table lacks %q:\n%s", want, table)
			}
		}
		if n := evalAs[int](b, `document.querySelectorAll('#recipients tbody .badge.kind-hard').length`); n != 1 {
			t.Errorf("%d hard-bounce badges, want 1", n)
		}
		if orig := b.text("#original"); !strings.Contains(orig, "<receipt-77120@example.com>") {
			t.Errorf("original message section lacks the Message-ID:\n%s", orig)
		}
		if details := b.text("#details"); !strings.Contains(details, "Decoded by") {
			t.Errorf("details section lacks the decoder's name:\n%s", details)
		}
		if st := b.text("#status"); !strings.Contains(st, "1 to suppress") {
			t.Errorf("status line %q does not announce the suppression", st)
		}
		b.screenshot("bounce-light")
		if bg := evalAs[string](b, `getComputedStyle(document.body).backgroundColor`); bg != "rgb(255, 255, 255)" {
			t.Errorf("light scheme: body background %s, want white", bg)
		}
		b.colorScheme("dark")
		if bg := evalAs[string](b, `getComputedStyle(document.body).backgroundColor`); bg != "rgb(15, 18, 23)" {
			t.Errorf("dark scheme: body background %s, want rgb(15, 18, 23)", bg)
		}
		b.screenshot("bounce-dark")
		b.colorScheme("light")

		// Copy and CSV.
		b.do(chromedp.Click(chromedp.ID("copy")))
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById('copied').textContent === 'Copied.'`,
			chromedp.WithPollingTimeout(5*time.Second))); err != nil {
			t.Errorf("Copy result as JSON: no confirmation: %v", err)
		}
		var copied struct {
			Input    string            `json:"input"`
			Verdicts []json.RawMessage `json:"verdicts"`
		}
		if err := json.Unmarshal([]byte(evalAs[string](b, `window.bp.json()`)), &copied); err != nil || copied.Input != "mail" || len(copied.Verdicts) != 1 {
			t.Errorf("copied JSON: input %q, %d verdicts, error %v; want mail, 1", copied.Input, len(copied.Verdicts), err)
		}
		csv := strings.Split(strings.TrimSpace(evalAs[string](b, `window.bp.csv()`)), "\r\n")
		if len(csv) != 2 || !strings.HasPrefix(csv[0], "address,original_address,kind,suppress,") ||
			!strings.HasPrefix(csv[1], "pat.nobody@example.org,pat.nobody@example.org,hard,yes,") {
			t.Errorf("CSV = %q, want a header and one row for pat.nobody@example.org, hard, yes", csv)
		}
	})

	t.Run("phone", func(t *testing.T) {
		b := &browserTest{t: t, ctx: ctx, log: plog}
		b.colorScheme("dark")
		b.do(chromedp.EmulateViewport(390, 844))
		if w := evalAs[int](b, `document.documentElement.scrollWidth - window.innerWidth`); w > 0 {
			t.Errorf("on a 390 px wide screen the page scrolls sideways by %d px", w)
		}
		if d := evalAs[string](b, `getComputedStyle(document.querySelector('#recipients td')).display`); d != "block" {
			t.Errorf("on a phone, table cells display as %q, want block (one card per recipient)", d)
		}
		b.screenshot("bounce-phone-dark")
		b.do(chromedp.EmulateViewport(1280, 900))
		b.colorScheme("light")
	})

	t.Run("open file", func(t *testing.T) {
		b := &browserTest{t: t, ctx: ctx, log: plog}
		dir := t.TempDir()
		small := filepath.Join(dir, "bounce.eml")
		crlf := strings.ReplaceAll(string(sample), "\n", "\r\n")
		if err := os.WriteFile(small, []byte(crlf), 0o644); err != nil {
			t.Fatal(err)
		}
		before := evalAs[int](b, `window.bp.decodes`)
		b.do(chromedp.SetUploadFiles(chromedp.ID("file"), []string{small}))
		b.waitDecodes(before + 1)
		if table := b.text("#recipients tbody"); !strings.Contains(table, "pat.nobody@example.org") {
			t.Errorf("opened .eml file: table lacks the recipient:\n%s", table)
		}

		// A large mail: the page shows a note instead of the text, and decodes all of it in
		// the worker while the page stays responsive.
		big := filepath.Join(dir, "large.eml")
		if err := os.WriteFile(big, largeBounce(sample, 6<<20), 0o644); err != nil {
			t.Fatal(err)
		}
		before = evalAs[int](b, `window.bp.decodes`)
		b.do(chromedp.Evaluate[chromedp.Void](`window.__ticks = 0; window.__tick = setInterval(() => window.__ticks++, 5)`))
		b.do(chromedp.SetUploadFiles(chromedp.ID("file"), []string{big}))
		b.waitDecodes(before + 1)
		ticks := evalAs[int](b, `clearInterval(window.__tick), window.__ticks`)
		ms := evalAs[float64](b, `window.bp.lastMs`)
		t.Logf("a %d-byte mail decoded in %.0f ms in the worker; the page's timer ran %d times meanwhile", 6<<20, ms, ticks)
		if ticks == 0 {
			t.Errorf("the page's timers did not run while a large mail was decoded: the main thread was blocked")
		}
		if table := b.text("#recipients tbody"); !strings.Contains(table, "pat.nobody@example.org") {
			t.Errorf("large mail: table lacks the recipient:\n%s", table)
		}
		if v := evalAs[string](b, `document.getElementById('input').value`); !strings.Contains(v, "too large to show") {
			t.Errorf("large mail: the box holds %d characters, want the short note", len(v))
		}
	})

	t.Run("drop file", func(t *testing.T) {
		b := &browserTest{t: t, ctx: ctx, log: plog}
		text, _ := json.Marshal(strings.ReplaceAll(string(sample), "pat.nobody@", "dropped@"))
		before := evalAs[int](b, `window.bp.decodes`)
		b.do(chromedp.Evaluate[chromedp.Void](`(() => {
			const dt = new DataTransfer();
			dt.items.add(new File([` + string(text) + `], 'dropped.eml', { type: 'message/rfc822' }));
			document.getElementById('drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
		})()`))
		b.waitDecodes(before + 1)
		if table := b.text("#recipients tbody"); !strings.Contains(table, "dropped@example.org") {
			t.Errorf("dropped .eml file: table lacks the recipient:\n%s", table)
		}
	})

	t.Run("error line", func(t *testing.T) {
		b := &browserTest{t: t, ctx: ctx, log: plog}
		b.paste("550 5.1.1 <kim@example.org>: Recipient address rejected: User unknown in virtual mailbox table")
		if in := evalAs[string](b, `window.bp.last.input`); in != "text" {
			t.Errorf("error line decoded as %q, want text", in)
		}
		table := b.text("#recipients tbody")
		for _, want := range []string{"kim@example.org", "hard bounce", "550", "5.1.1"} {
			if !strings.Contains(table, want) {
				t.Errorf("recipients table for the error line lacks %q:\n%s", want, table)
			}
		}
	})

	t.Run("truncated", func(t *testing.T) {
		b := &browserTest{t: t, ctx: ctx, log: plog}
		b.paste(string(sample[:len(sample)*2/3])) // cut before the closing boundary
		if hidden := evalAs[bool](b, `document.getElementById('problems-section').hidden`); hidden {
			t.Fatal("a truncated mail shows no problems section")
		}
		if probs := b.text("#problems"); !strings.Contains(probs, "truncated") {
			t.Errorf("problems section %q does not name the truncation", probs)
		}
		if table := b.text("#recipients tbody"); !strings.Contains(table, "pat.nobody@example.org") {
			t.Errorf("truncated mail: table lacks the recipient decoded before the cut:\n%s", table)
		}
	})

	t.Run("garbage", func(t *testing.T) {
		b := &browserTest{t: t, ctx: ctx, log: plog}
		b.paste("Lorem ipsum dolor sit amet, consectetur adipiscing elit.\nNothing here is a bounce.")
		visible := evalAs[bool](b, `!document.getElementById('error').hidden && document.getElementById('output').hidden`)
		msg := b.text("#error")
		if !visible || !strings.Contains(msg, "does not look like a bounce") {
			t.Errorf("garbage: error shown %v, message %q; want the not-a-bounce message alone", visible, msg)
		}
		b.screenshot("garbage-light")
	})

	t.Run("keyboard and labels", func(t *testing.T) {
		b := &browserTest{t: t, ctx: ctx, log: plog}
		unlabelled := evalAs[[]string](b, `[...document.querySelectorAll('input, select, textarea, button')]
			.filter((e) => !(e.labels && e.labels.length) && !e.textContent.trim() && !e.getAttribute('aria-label'))
			.map((e) => e.id || e.tagName)`)
		if len(unlabelled) > 0 {
			t.Errorf("controls without a label: %v", unlabelled)
		}
		if live := evalAs[string](b, `document.getElementById('status').getAttribute('aria-live')`); live != "polite" {
			t.Errorf("status line aria-live = %q, want polite", live)
		}
		// Choose the first built-in example with the keyboard alone.
		before := evalAs[int](b, `window.bp.decodes`)
		b.do(chromedp.Focus(chromedp.ID("example")), chromedp.KeyEvent(kb.ArrowDown))
		b.waitDecodes(before + 1)
		if kind := evalAs[string](b, `window.bp.last.verdicts[0].kind`); kind != "hard" {
			t.Errorf("first example chosen by keyboard: verdict %q, want hard", kind)
		}
	})

	// A paste after choosing an example clears the drop-down: the box no longer holds it.
	t.Run("example cleared by paste", func(t *testing.T) {
		b := &browserTest{t: t, ctx: ctx, log: plog}
		before := evalAs[int](b, `window.bp.decodes`)
		b.do(chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById('example');
			s.value = '0'; s.dispatchEvent(new Event('change')); })()`))
		b.waitDecodes(before + 1)
		before = evalAs[int](b, `window.bp.decodes`)
		b.do(chromedp.Focus(chromedp.ID("input")), chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: "\n550 5.1.1 <kim@example.org>: User unknown"})
			return err
		}))
		b.waitDecodes(before + 1)
		if v := evalAs[string](b, `document.getElementById('example').value`); v != "" {
			t.Errorf("after a paste the example drop-down still shows example %q", v)
		}
	})

	// A long address stays on one line on a wide screen; on a phone it may break, but the page
	// never scrolls sideways.
	t.Run("addresses whole", func(t *testing.T) {
		b := &browserTest{t: t, ctx: ctx, log: plog}
		long := "firstname.lastname.department-of-things@subdomain.example-company.org"
		b.paste(strings.ReplaceAll(string(sample), "pat.nobody@example.org", long))
		lines := `(() => { const td = document.querySelector('#recipients td.address'); const r = document.createRange();
			r.selectNodeContents(td); const tops = new Set([...r.getClientRects()].map((x) => Math.round(x.top)));
			return tops.size; })()`
		if n := evalAs[int](b, lines); n != 1 {
			t.Errorf("on a 1280 px screen the address %s spans %d lines, want 1", long, n)
		}
		b.do(chromedp.EmulateViewport(390, 844))
		defer b.do(chromedp.EmulateViewport(1280, 900))
		if w := evalAs[int](b, `document.documentElement.scrollWidth - window.innerWidth`); w > 0 {
			t.Errorf("on a phone the page scrolls sideways by %d px with a long address", w)
		}
	})

	t.Run("speed", func(t *testing.T) {
		b := &browserTest{t: t, ctx: ctx, log: plog}
		text, _ := json.Marshal(string(sample))
		times := evalAs[[]float64](b, `(async () => {
			const ms = [];
			for (let i = 0; i < 50; i++) ms.push((await window.bp.decode(`+string(text)+`)).ms);
			return ms;
		})()`)
		slices.Sort(times)
		t.Logf("decode of a typical bounce (%d bytes) in the worker, 50 runs: median %.2f ms, fastest %.2f ms, slowest %.2f ms",
			len(sample), times[len(times)/2], times[0], times[len(times)-1])
	})

	// No request after load: neither the server nor the browser saw one.
	served, requests, problems := plog.snapshot()
	if extra := served[len(servedAtLoad):]; len(extra) > 0 {
		t.Errorf("the server got requests after the page had loaded: %v", extra)
	}
	for _, u := range requests[len(requestsAtLoad):] {
		if !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
			t.Errorf("the page sent a request after it had loaded: %s", u)
		}
	}
	if len(problems) > 0 {
		t.Errorf("the page reported errors:\n%s", strings.Join(problems, "\n"))
	}

	// And the Content-Security-Policy forbids one: a script that tries is refused before
	// anything reaches the server.
	got := evalAs[string](b, `fetch('/probe').then(() => 'sent', () => 'refused')`)
	img := evalAs[string](b, `new Promise((done) => { const i = new Image(); i.onload = () => done('loaded');
		i.onerror = () => done('refused'); i.src = '/probe.png'; })`)
	if got != "refused" || img != "refused" {
		t.Errorf("after load, fetch was %s and an image was %s; want both refused by the CSP", got, img)
	}
	served, _, _ = plog.snapshot()
	for _, p := range served {
		if strings.HasPrefix(p, "/probe") {
			t.Errorf("the server received %s despite the CSP", p)
		}
	}

	// A module that does not compile (a broken upload to a static host) gives a clear message,
	// and a decode asked for meanwhile is answered with it instead of waiting for ever.
	t.Run("broken module", func(t *testing.T) {
		built, err := os.ReadFile(filepath.Join(builtModule(t), ExecFile))
		if err != nil {
			t.Fatal(err)
		}
		bad, err := Handler(fstest.MapFS{WasmFile: {Data: []byte("\x00asm truncated")}, ExecFile: {Data: built}})
		if err != nil {
			t.Fatal(err)
		}
		badSrv := httptest.NewServer(bad)
		defer badSrv.Close()
		b := &browserTest{t: t, ctx: ctx, log: plog}
		b.do(chromedp.Navigate(badSrv.URL + "/"))
		got := evalAs[string](b, `window.bp.decode('550 5.1.1 <a@example.org>').then((r) => r.result.error)`)
		if !strings.Contains(got, "could not start") {
			t.Errorf("decode with a broken module: error %q, want it to say the decoder could not start", got)
		}
		if st := b.text("#status"); !strings.Contains(st, "could not start") {
			t.Errorf("status line %q does not say the decoder could not start", st)
		}
	})
}

// largeBounce returns sample with a text part of about size bytes added before its
// delivery-status part, as a bounce that quotes a big message would have.
func largeBounce(sample []byte, size int) []byte {
	const marker = "Content-Description: Delivery report"
	i := strings.Index(string(sample), marker)
	boundary := "--7Hc1Q2Zk3Lz4Wd.1763800811/smtp.example.net\n"
	var filler strings.Builder
	filler.WriteString("Content-Type: text/plain; charset=us-ascii\n\n")
	for filler.Len() < size {
		filler.WriteString("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n")
	}
	filler.WriteString("\n" + boundary)
	return []byte(string(sample[:i]) + filler.String() + string(sample[i:]))
}
