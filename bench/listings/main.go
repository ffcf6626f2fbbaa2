// Command listings runs automatic listing detection on the corpus's index
// pages and checks what it finds against the expectations written in the
// corpus README, and scores it on pubwatch's own labelled listing pages.
//
//	go run ./bench/listings [-corpus ../shared/corpus] [-v]
package main

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/pubwatch/pubwatch/snapshot"
	"github.com/pubwatch/pubwatch/snapshot/labelled"
)

func main() {
	corpus := flag.String("corpus", "../shared/corpus", "the corpus folder")
	verbose := flag.Bool("v", false, "print the items found")
	require := flag.String("require", "all", "comma-separated checks that must hold for exit 0 (labelled, apple, time-count, time-named, time-clean, welt), or all")
	flag.Parse()
	required := map[string]bool{}
	for _, r := range strings.Split(*require, ",") {
		required[strings.TrimSpace(r)] = true
	}
	ok := true
	check := func(id, name string, pass bool, detail string) {
		mark := "ok  "
		if !pass {
			mark = "FAIL"
			if required[id] || required["all"] {
				ok = false
			} else {
				mark = "gap "
			}
		}
		fmt.Printf("%s %-36s %s\n", mark, name, detail)
	}
	p, r, pages := labelledScore()
	f1 := 2 * p * r / (p + r)
	check("labelled", "labelled set: F1 >= 0.97", f1 >= 0.97, fmt.Sprintf("%d pages: precision %.3f recall %.3f F1 %.3f", pages, p, r, f1))
	find := func(rel, pageURL string) []snapshot.Listing {
		b, err := os.ReadFile(filepath.Join(*corpus, "listings", rel))
		if err != nil {
			fmt.Fprintln(os.Stderr, "listings:", err)
			os.Exit(2)
		}
		u, _ := url.Parse(pageURL)
		doc, err := snapshot.Parse(b, "text/html")
		if err != nil {
			fmt.Fprintln(os.Stderr, "listings:", err)
			os.Exit(2)
		}
		ls := snapshot.FindListings(doc, u)
		if *verbose {
			for i, l := range ls {
				fmt.Printf("   listing %d: %d items, score %.1f: %.150s\n", i, len(l.Items), l.Score, l.Selector.Items)
			}
		}
		if *verbose && len(ls) > 0 {
			fmt.Printf("-- %s: %d listings; main: %s\n", rel, len(ls), ls[0].Selector.Items)
			for _, it := range ls[0].Items {
				fmt.Printf("   %q -> %s [%s]\n", it.Title, it.URL, it.Date)
			}
		}
		return ls
	}

	time := find("html2rss/time-homepage.html", "https://page.com/")
	if len(time) == 0 {
		check("time-count", "TIME home page", false, "no listing")
	} else {
		items := time[0].Items
		has := func(title, link string) bool {
			for _, it := range items {
				if it.Title == title && it.URL == link {
					return true
				}
			}
			return false
		}
		bad := 0
		for _, it := range items {
			if strings.Contains(strings.ToLower(it.URL), "newsletter") || strings.Contains(it.URL, "/author/") {
				bad++
			}
		}
		check("time-count", "TIME: 60 to 99 items", len(items) >= 60 && len(items) < 100, fmt.Sprintf("%d items", len(items)))
		check("time-named", "TIME: Griner and White House", has("Brittney Griner: What I Endured in Russia", "https://page.com/6972085/brittney-griner-book-coming-home/") &&
			has("Driver Dies After Crashing Into White House Security Barrier", "https://page.com/6974836/white-house-car-crash-driver-dies-security-barrier/"), "")
		check("time-clean", "TIME: no newsletter/author links", bad == 0, fmt.Sprintf("%d such links", bad))
	}
	welt := find("html2rss/welt.html", "https://www.welt.de/")
	n := 0
	if len(welt) > 0 {
		n = len(welt[0].Items)
	}
	check("welt", "welt.de: 86 items", n == 86, fmt.Sprintf("%d items", n))
	apple := find("html2rss/apple_support_security_releases_1.html", "https://support.apple.com/en-gb/100100")
	n = 0
	if len(apple) > 0 {
		n = len(apple[0].Items)
	}
	check("apple", "Apple security releases: > 100", n > 100, fmt.Sprintf("%d items", n))
	for _, p := range []string{"html2rss/nuxt-releases.html", "newspaper/cnn_main_site.html", "newspaper/wired_main_site.html", "newspaper/yahoo_main_site.html"} {
		ls := find(p, "https://example.com/")
		n := 0
		sel := ""
		if len(ls) > 0 {
			n, sel = len(ls[0].Items), ls[0].Selector.Items
		}
		fmt.Printf("info %-32s %d items (%.60s)\n", filepath.Base(p), n, sel)
	}
	if !ok {
		os.Exit(1)
	}
}

// labelledScore scores the main listing found on each page of the
// labelled set: precision and recall of title+link pairs.
func labelledScore() (precision, recall float64, pages int) {
	var tp, fp, fn int
	for _, p := range labelled.Pages() {
		doc, err := snapshot.Parse([]byte(p.HTML), "text/html")
		if err != nil {
			continue
		}
		base, _ := url.Parse(p.URL)
		want := map[string]bool{}
		for _, it := range p.Items {
			want[it.Title+" "+it.URL] = true
		}
		got := map[string]bool{}
		if ls := snapshot.FindListings(doc, base); len(ls) > 0 {
			for _, it := range ls[0].Items {
				got[it.Title+" "+it.URL] = true
			}
		}
		for k := range got {
			if want[k] {
				tp++
			} else {
				fp++
			}
		}
		for k := range want {
			if !got[k] {
				fn++
			}
		}
		pages++
	}
	return float64(tp) / float64(max(tp+fp, 1)), float64(tp) / float64(max(tp+fn, 1)), pages
}
