package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// run runs a browser action that gives a value.
func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("browsing: %v", err)
	}
	return v
}

// browser finds headless Chromium: Debian's chromium package, which
// .ci/run installs. Without it the browser tests are skipped, unless
// PUBWATCH_BROWSER_TESTS=1 (CI) asks for them.
func browser(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("PUBWATCH_BROWSER_TESTS") == "1" {
		t.Fatal("PUBWATCH_BROWSER_TESTS=1 but no Chromium is installed (apt-get install chromium)")
	}
	t.Skip("no Chromium (apt-get install chromium); set PUBWATCH_BROWSER_TESTS=1 to require it")
	return ""
}

// artifacts is where the browser tests keep their screenshots:
// $PUBWATCH_ARTIFACTS, or a folder in the system's temporary one.
func artifacts(t *testing.T) string {
	dir := os.Getenv("PUBWATCH_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "pubwatch-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// A person browses the archive of real checks in a real browser: the
// home page, a source, an item, two of its versions compared; on a
// desktop and a phone, light and dark. Nothing the pages do is refused by
// their own Content-Security-Policy, and nothing runs.
func TestServeInBrowser(t *testing.T) {
	exe := browser(t)
	_, a := servedRevisions(t)
	shots := artifacts(t)

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.Flag("headless", "new"))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()

	for _, screen := range []struct {
		name          string
		width, height int64
		mobile, dark  bool
	}{
		{"desktop", 1280, 900, false, false},
		{"phone-dark", 390, 844, true, true},
	} {
		t.Run(screen.name, func(t *testing.T) {
			ctx, cancel := chromedp.NewContext(actx)
			defer cancel()
			ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
			defer cancel()
			if err := chromedp.Do(ctx); err != nil {
				t.Fatalf("starting Chromium: %v", err)
			}
			// Every message the pages write: a style or script their policy
			// refused, a script that ran, would show here.
			var mu sync.Mutex
			var console []string
			messages := chromedp.Console(ctx)
			go func() {
				for m, err := range messages {
					if err != nil {
						return
					}
					mu.Lock()
					console = append(console, m.String())
					mu.Unlock()
				}
			}()
			scheme := "light"
			if screen.dark {
				scheme = "dark"
			}
			do := func(steps ...chromedp.Action[chromedp.Void]) {
				t.Helper()
				if err := chromedp.Do(ctx, steps...); err != nil {
					t.Fatalf("browsing: %v", err)
				}
			}
			shot := func(name string) {
				t.Helper()
				buf := run(t, ctx, chromedp.FullScreenshot(100))
				if err := os.WriteFile(filepath.Join(shots, "archive-"+screen.name+"-"+name+".png"), buf, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			text := func(sel string) string {
				t.Helper()
				return run(t, ctx, chromedp.Text(chromedp.CSS(sel)))
			}
			if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}); err != nil {
				t.Fatal(err)
			}
			do(chromedp.EmulateViewport(screen.width, screen.height), chromedp.Navigate(a.base+"/"))
			homeTitle := run(t, ctx, chromedp.Title())
			overflow := run(t, ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
			background := run(t, ctx, chromedp.Evaluate[string](`getComputedStyle(document.body).backgroundColor`))
			troubled := text("table")
			shot("home")
			// Follow a source.
			do(chromedp.Click(chromedp.CSS(`a[href="/sources/politics"]`), chromedp.NodeVisible),
				chromedp.WaitVisible(chromedp.CSS(`a[href="/sources/politics/feed.atom"]`)))
			timeline := text("main ul")
			shot("source")
			// Follow an item: the delegation teaser that was retitled.
			href := run(t, ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("main ul a")].find(a => a.textContent.includes("Delegation Arrives")).getAttribute("href")`))
			do(chromedp.Click(chromedp.CSS(`main ul a[href="`+href+`"]`), chromedp.NodeVisible),
				chromedp.WaitVisible(chromedp.CSS(`table.versions`)))
			deleted, inserted := text("del"), text("ins")
			// Compare version 2 with itself, then 1 with 2 again, by the form.
			do(chromedp.Click(chromedp.CSS(`input[name="from"][value="2"]`)),
				chromedp.Click(chromedp.CSS(`form.compare button[type="submit"]`)),
				chromedp.WaitVisible(chromedp.CSS(`input[name="from"][value="2"][checked]`)))
			compared := text("main")
			do(chromedp.Click(chromedp.CSS(`input[name="from"][value="1"]`)),
				chromedp.Click(chromedp.CSS(`form.compare button[type="submit"]`)),
				chromedp.WaitVisible(chromedp.CSS(`del`)))
			shot("item")
			if homeTitle != "pubwatch · pubwatch" || !strings.Contains(troubled, "flaky") || !strings.Contains(troubled, "HTTP 500") {
				t.Errorf("home: title %q, first table %q; want flaky failing first", homeTitle, troubled)
			}
			if !strings.Contains(timeline, "Delegation Arrives for Talks") || !strings.Contains(timeline, `New <script>alert("x")</script> Decree Issued`) {
				t.Errorf("the timeline does not show the events as text:\n%s", timeline)
			}
			if deleted != "Leaves" || inserted != "Arrives" {
				t.Errorf("the item's diff: deleted %q, inserted %q; want Leaves → Arrives", deleted, inserted)
			}
			if !strings.Contains(compared, "These versions read the same") {
				t.Errorf("comparing version 2 with itself:\n%s", compared)
			}
			if overflow {
				t.Errorf("the home page is wider than a %d-pixel screen", screen.width)
			}
			if dark := strings.Contains(background, "18, 18, 18"); dark != screen.dark {
				t.Errorf("background %s in %s mode", background, scheme)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(console) > 0 {
				t.Errorf("the pages logged or ran something: %q", console)
			}
		})
	}
	t.Logf("screenshots in %s", shots)
}
