package snapshot

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// dateForms are the date texts of the forms fastDate reads, in every
// language it reads, for days that test the edges (the 12th and 13th,
// the end of months, February 29th in a year without one), with and
// without a time of day: one written as every language does (first in
// times), or in one language's words, which the fast path reads only
// beside a date of that language.
func dateForms() (forms []string, universal map[string]bool) {
	var out []string
	universal = map[string]bool{}
	en := strings.Fields("January February March April May June July August September October November December")
	enShort := strings.Fields("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec")
	fr := strings.Fields("janvier février mars avril mai juin juillet août septembre octobre novembre décembre")
	de := strings.Fields("Januar Februar März April Mai Juni Juli August September Oktober November Dezember")
	es := strings.Fields("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre")
	ru := strings.Fields("января февраля марта апреля мая июня июля августа сентября октября ноября декабря")
	const universalTimes = 5
	times := []string{"", " 14:30", ", 10:30 AM", " 23:59:59", " 9:05 pm", " à 14h30", ", 14 h 30", " um 14:30 Uhr", " a las 14:30",
		" г.", " в 14:30", " at 10:30 AM", " - 10:30", " | 10:30", " 10:30 AM ET", " 10:30 a.m.", " 10:30 GMT", " 23:30:00 -0500",
		" 19時30分", " 오후 2:30", " 11:30 PM EST"}
	for m := 0; m < 12; m++ {
		y := 2025 - 26*(m%2) // 1999 too
		for k, d := range []int{1, 12, 13, 29, 31} {
			// The general parser is slow: two times of day a day.
			for _, tm := range []string{times[0], times[1+(m+k)%(len(times)-1)], times[1+(m+2*k)%(universalTimes-1)]} {
				before := len(out)
				out = append(out,
					fmt.Sprintf("%s %d, %d%s", en[m], d, y, tm),
					fmt.Sprintf("%s. %d, %d%s", enShort[m], d, y, tm),
					fmt.Sprintf("Tuesday, %s %d, %d%s", en[m], d, y, tm),
					fmt.Sprintf("%d %s %d%s", d, en[m], y, tm),
					fmt.Sprintf("%d %s %d%s", d, fr[m], y, tm),
					fmt.Sprintf("mardi %d %s %d%s", d, fr[m], y, tm),
					fmt.Sprintf("%d. %s %d%s", d, de[m], y, tm),
					fmt.Sprintf("%d de %s de %d%s", d, es[m], y, tm),
					fmt.Sprintf("%d %s %d%s", d, ru[m], y, tm),
					fmt.Sprintf("%d年%d月%d日%s", y, m+1, d, tm),
					fmt.Sprintf("%d년 %d월 %d일%s", y, m+1, d, tm),
				)
				if slices.Index(times, tm) < universalTimes {
					for _, s := range out[before:] {
						universal[s] = true
					}
				}
			}
			// Numbers stand with any language's words: every time of
			// day with each, on a few days (the general parser is slow
			// to give up).
			for i, tm := range times {
				if k != 0 || m%6 != 0 {
					break
				}
				for _, s := range []string{fmt.Sprintf("%02d.%02d.%d%s", d, m+1, y, tm), fmt.Sprintf("%02d/%02d/%d%s", d, m+1, y, tm),
					fmt.Sprintf("%d-%02d-%02d%s", y, m+1, d, tm), fmt.Sprintf("%d/%02d/%02d%s", y, m+1, d, tm)} {
					out = append(out, s)
					universal[s] = i < universalTimes
				}
			}
		}
	}
	return out, universal
}

// naturalDates are dates as sites write them (the load benchmark's among
// them), each in its language's own words: the fast path reads them all.
var naturalDates = []string{
	"Dec 9, 2025 10:30 AM ET", "9 Dec 2025, 14:30 GMT", "Tuesday, December 9, 2025", "Published December 9, 2025 at 10:30 am",
	"9 décembre 2025 à 14h30", "mardi 9 décembre 2025", "Publié le 09/12/2025 à 14h30", "9. Dezember 2025, 14:30 Uhr",
	"09.12.2025, 14:30 Uhr", "09.12.2025 um 14:30 Uhr", "9 декабря 2025, 14:30", "9 декабря 2025 г.", "09.12.2025 14:30",
	"9 de diciembre de 2025 - 14:30", "09/12/2025 14:30", "9 dic 2025", "2025-12-09 14:30", "2025年12月09日 14:30",
	"2025年12月9日 9:30", "2025/12/09 14:30", "2025년 12월 9일 오후 2:30", "2025.12.09 14:30",
}

// The fast path reads the forms news sites write most, and reads each as
// the general parser does.
func TestFastDateAgreesWithTheParser(t *testing.T) {
	forms, universal := dateForms()
	for _, s := range naturalDates {
		forms, universal[s] = append(forms, s), true
	}
	read, failed := 0, 0
	for _, s := range forms {
		day, ok := fastDate(asciiDigits(s))
		general := parseDate(s, false)
		switch {
		case ok && day != general:
			if failed++; failed <= 20 {
				t.Errorf("%q: fast %q, the parser %q", s, day, general)
			}
		case !ok && universal[s] && general != "":
			t.Errorf("not read by the fast path: %q (the parser: %q)", s, general)
		}
		if ok {
			read++
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d disagree", failed, read)
	}
	t.Logf("the fast path read %d of %d forms, all as the parser does", read, len(forms))
}

// Whatever the text, what the fast path reads, the parser reads the same,
// and normalizeDate (cache, fast path, parser) answers what the parser
// alone does.
func FuzzFastDate(f *testing.F) {
	for _, s := range []string{"December 9, 2025", "9 décembre 2025 14:30", "09.12.2025", "2025年12月9日 19:30", "2025년 12월 9일",
		"Tuesday, Dec. 9, 2025, 10:30 AM", "9 de diciembre de 2025", "31.02.2025", "2025/13/01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		text := asciiDigits(strings.TrimSpace(s))
		general := parseDate(s, false)
		if day, ok := fastDate(text); ok && day != general {
			t.Fatalf("%q: fast %q, the parser %q", s, day, general)
		}
		// And the whole of it, through the cache, twice.
		for i := 0; i < 2; i++ {
			if day := normalizeDate(s); day != general {
				t.Fatalf("%q: normalizeDate %q, the parser %q", s, day, general)
			}
		}
	})
}
