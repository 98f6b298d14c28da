package console_test

// The Chromium harness: a real privhub server over a fresh database, and a
// headless Chromium driven through chromedp, which saves a screenshot of
// every page it checks (outside git) and checks it is not blank.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// step is one browser action that returns nothing.
type step = chromedp.Action[chromedp.Void]

// navigate loads a URL in the tab.
func navigate(url string) step { return chromedp.Navigate(url) }

// pressTab presses the Tab key.
func pressTab() step { return chromedp.KeyEvent(kb.Tab) }

// scrollTo scrolls the first element matching a CSS selector into view.
func scrollTo(sel string) step { return chromedp.ScrollIntoView(chromedp.CSS(sel)) }

// clickXPath clicks the first element an XPath expression finds.
func clickXPath(x string) step { return chromedp.Click(chromedp.Search(x), chromedp.NodeVisible) }

// chromiumPath finds the browser: $PRIVHUB_CHROMIUM, /usr/bin/chromium or
// one on the PATH. Without one the test is skipped, or fails when CI=true.
func chromiumPath(t testing.TB) string {
	t.Helper()
	for _, p := range []string{os.Getenv("PRIVHUB_CHROMIUM"), "/usr/bin/chromium"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is required under CI and was not found (apt-get install chromium)")
	}
	t.Skip("Chromium not found (apt-get install chromium, or set PRIVHUB_CHROMIUM); set CI=true to make this a failure")
	return ""
}

// screenshotDir is where screenshots go: $PRIVHUB_SCREENSHOTS, or a
// directory under the system's temporary directory, never the repository.
func screenshotDir(t testing.TB, sub string) string {
	t.Helper()
	dir := os.Getenv("PRIVHUB_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "privhub-console-screenshots")
	}
	dir = filepath.Join(dir, sub)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("making the screenshot directory: %v", err)
	}
	return dir
}

// driver is one browser tab on one server.
type driver struct {
	// wait is how long until waits (30 s unless set).
	wait  time.Duration
	t     testing.TB
	ctx   context.Context
	base  string
	shots string
}

// newDriver starts a headless Chromium with a fresh profile, at 1280×900,
// closed when the test ends.
func newDriver(t testing.TB, base, shots string) *driver {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	d := &driver{t: t, ctx: ctx, base: base, shots: shots}
	// Start the browser now, so that its start-up is not counted in the
	// first page's load; without a timeout, which would stop the browser.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return d
}

// run runs actions, failing the test on an error.
func (d *driver) run(actions ...step) {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(d.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		d.t.Fatalf("browser: %v", err)
	}
}

// evalAs evaluates a JavaScript expression (awaiting a promise) and decodes
// its value.
func evalAs[T any](d *driver, expr string) T {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(d.ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		d.t.Fatalf("browser: evaluating %s: %v", expr, err)
	}
	return v
}

// eval evaluates a JavaScript expression (awaiting a promise) into out, a
// pointer to a bool, an int, a float64, a string or a map.
func (d *driver) eval(expr string, out any) {
	d.t.Helper()
	raw := evalAs[[]byte](d, expr)
	if err := json.Unmarshal(raw, out); err != nil {
		d.t.Fatalf("browser: decoding %s of %s: %v", raw, expr, err)
	}
}

// str evaluates an expression to a string.
func (d *driver) str(expr string) string {
	d.t.Helper()
	return evalAs[string](d, expr)
}

// text answers the text of the first element matching a CSS selector, or
// "" when there is none.
func (d *driver) text(sel string) string {
	d.t.Helper()
	q, _ := json.Marshal(sel)
	return d.str(fmt.Sprintf(`(document.querySelector(%s) || {innerText: ""}).innerText`, q))
}

// count answers how many elements match a CSS selector.
func (d *driver) count(sel string) int {
	d.t.Helper()
	q, _ := json.Marshal(sel)
	var n int
	d.eval(fmt.Sprintf(`document.querySelectorAll(%s).length`, q), &n)
	return n
}

// until polls a JavaScript predicate until it is true.
func (d *driver) until(what, predicate string) {
	d.t.Helper()
	wait := d.wait
	if wait == 0 {
		wait = 30 * time.Second
	}
	deadline := time.Now().Add(wait)
	for {
		var ok bool
		d.eval(predicate, &ok)
		if ok {
			return
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("waited %s for %s; the page shows:\n%s", wait, what, d.text("main"))
		}
		time.Sleep(40 * time.Millisecond)
	}
}

// rendered is the number of the last render of the page (main's
// data-render), to wait for the next one.
func (d *driver) rendered() int {
	d.t.Helper()
	var n int
	d.eval(`Number(document.getElementById('main') && document.getElementById('main').dataset.render || 0)`, &n)
	return n
}

// loaded waits until the page named page has rendered after render number
// after, and answers the GraphQL requests and milliseconds it cost.
func (d *driver) loaded(page string, after int) (requests, ms int) {
	d.t.Helper()
	d.until("page "+page, fmt.Sprintf(`(() => { const m = document.getElementById('main');
		return !!m && m.dataset.page === %q && m.dataset.state === 'loaded' && Number(m.dataset.render) > %d; })()`, page, after))
	d.eval(`Number(document.getElementById('main').dataset.requests)`, &requests)
	d.eval(`Number(document.getElementById('main').dataset.ms)`, &ms)
	return requests, ms
}

// open goes to an address of the console (a fragment such as
// "#/vendors?at=2026-06-30") and waits for its page.
func (d *driver) open(fragment, page string) (requests, ms int) {
	d.t.Helper()
	before := d.rendered()
	// The same address again renders again, as a reload would.
	d.eval(fmt.Sprintf(`(() => { const h = %q; if (location.hash === '#' + h) window.dispatchEvent(new HashChangeEvent('hashchange'));
		else location.hash = h; return true; })()`, strings.TrimPrefix(fragment, "#")), new(bool))
	return d.loaded(page, before)
}

// click clicks the first element matching a CSS selector, as a person does.
func (d *driver) click(sel string) {
	d.t.Helper()
	d.run(chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// clickText clicks the element of the tag whose text contains text.
func (d *driver) clickText(tag, text string) {
	d.t.Helper()
	d.run(chromedp.Click(chromedp.Search(fmt.Sprintf(`//%s[contains(normalize-space(.), %q)]`, tag, text)), chromedp.NodeVisible))
}

// setValue sets a form field's value and fires its input and change events.
func (d *driver) setValue(sel, value string) {
	d.t.Helper()
	q, _ := json.Marshal(sel)
	v, _ := json.Marshal(value)
	d.eval(fmt.Sprintf(`(() => { const e = document.querySelector(%s); e.value = %s;
		e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); return true; })()`, q, v), new(bool))
}

// submit submits a form as pressing its button does.
func (d *driver) submit(sel string) {
	d.t.Helper()
	q, _ := json.Marshal(sel)
	d.eval(fmt.Sprintf(`(document.querySelector(%s).requestSubmit(), true)`, q), new(bool))
}

// viewport sets the size of the page.
func (d *driver) viewport(w, h int64, mobile bool) {
	d.t.Helper()
	if mobile {
		d.run(chromedp.EmulateViewport(w, h, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	} else {
		d.run(chromedp.EmulateViewport(w, h))
	}
}

// screenshot saves the visible page as NAME.png and checks it is not blank:
// it must have many colours and a fair share of pixels that are not white.
func (d *driver) screenshot(name string) string {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(d.ctx, 60*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		d.t.Fatalf("browser: screenshot: %v", err)
	}
	path := filepath.Join(d.shots, name+".png")
	var img image.Image
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		d.t.Fatalf("saving %s: %v", path, err)
	}
	img, err = png.Decode(bytes.NewReader(buf))
	if err != nil {
		d.t.Fatalf("decoding %s: %v", path, err)
	}
	colours, inked := inkOf(img)
	if colours < 16 || inked < 0.02 {
		d.t.Errorf("screenshot %s looks blank: %d colours, %.1f%% of pixels not white", path, colours, 100*inked)
	}
	d.t.Logf("screenshot %s: %d colours, %.1f%% inked", path, colours, 100*inked)
	return path
}

// inkOf counts an image's distinct colours and the share of its pixels
// that are not (nearly) white.
func inkOf(img image.Image) (colours int, inked float64) {
	b := img.Bounds()
	seen := map[uint32]bool{}
	ink, all := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			r8, g8, b8 := r>>8, g>>8, bl>>8
			seen[r8<<16|g8<<8|b8] = true
			if r8 < 240 || g8 < 240 || b8 < 240 {
				ink++
			}
			all++
		}
	}
	return len(seen), float64(ink) / float64(max(all, 1))
}
