// Command listings runs automatic listing detection on the corpus's index
// pages and checks what it finds against the expectations written in the
// corpus README, and scores it on pubwatch's own labelled listing pages.
//
//	go run ./bench/listings [-corpus ../shared/corpus] [-v]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/pubwatch/pubwatch/snapshot"
)

func main() {
	corpus := flag.String("corpus", "../shared/corpus", "the corpus folder")
	verbose := flag.Bool("v", false, "print the items found")
	flag.Parse()
	ok := true
	check := func(name string, pass bool, detail string) {
		mark := "ok  "
		if !pass {
			mark, ok = "FAIL", false
		}
		fmt.Printf("%s %-32s %s\n", mark, name, detail)
	}
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
		check("TIME home page", false, "no listing")
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
		check("TIME: 60 to 99 items", len(items) >= 60 && len(items) < 100, fmt.Sprintf("%d items", len(items)))
		check("TIME: Griner and White House", has("Brittney Griner: What I Endured in Russia", "https://page.com/6972085/brittney-griner-book-coming-home/") &&
			has("Driver Dies After Crashing Into White House Security Barrier", "https://page.com/6974836/white-house-car-crash-driver-dies-security-barrier/"), "")
		check("TIME: no newsletter/author links", bad == 0, fmt.Sprintf("%d such links", bad))
	}
	welt := find("html2rss/welt.html", "https://www.welt.de/")
	n := 0
	if len(welt) > 0 {
		n = len(welt[0].Items)
	}
	check("welt.de: 86 items", n == 86, fmt.Sprintf("%d items", n))
	apple := find("html2rss/apple_support_security_releases_1.html", "https://support.apple.com/en-gb/100100")
	n = 0
	if len(apple) > 0 {
		n = len(apple[0].Items)
	}
	check("Apple security releases: > 100", n > 100, fmt.Sprintf("%d items", n))
	for _, p := range []string{"html2rss/nuxt-releases.html", "newspaper/cnn_main_site.html", "newspaper/wired_main_site.html", "newspaper/yahoo_main_site.html"} {
		ls := find(p, "https://example.com/")
		n := 0
		sel := ""
		if len(ls) > 0 {
			n, sel = len(ls[0].Items), ls[0].Selector.Items
		}
		fmt.Printf("info %-32s %d items (%.60s)\n", filepath.Base(p), n, sel)
	}
	_ = bytes.MinRead
	if !ok {
		os.Exit(1)
	}
}
