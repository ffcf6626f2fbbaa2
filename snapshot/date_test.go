package snapshot

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestNormalizeDate(t *testing.T) {
	for text, want := range map[string]string{
		"December 17, 2025":             "2025-12-17",
		"17 December 2025":              "2025-12-17",
		"2025-12-17":                    "2025-12-17",
		"17.12.2025":                    "2025-12-17",
		"2025-12-17T09:30:00+09:00":     "2025-12-17",
		"Pyongyang, December 17, 2025":  "2025-12-17",
		"17. Dezember 2025":             "2025-12-17",
		"Wed, 17 Dec 2025 08:00:00 GMT": "2025-12-17",
		"May 5, 2024 • 9:46 AM EDT":     "2024-05-05",
		"2025年12月17日":                   "2025-12-17",
		"2025年12月17日 19:30":             "2025-12-17",
		"2025년 12월 17일":                 "2025-12-17",
		"2025/12/17":                    "2025-12-17",
		"2025年12月7日":                    "2025-12-07",
		"2025/12/07":                    "2025-12-07",
		"2025.12.05 08:00":              "2025-12-05",
		"2025.12.17":                    "2025-12-17",
		"12/17/2025":                    "2025-12-17",
		"05/06/2025":                    "2025-06-05",
		"17 декабря 2025 года":          "2025-12-17",
		"17 tháng 12 năm 2025":          "2025-12-17",
		"2025 M12 17":                   "",
		"١٧ ديسمبر ٢٠٢٥":                "2025-12-17",
		"۲۶ آذر ۱۴۰۴":                   "2025-12-17",
		"پنجشنبه ۲۶ آذر ۱۴۰۴ - ۱۲:۳۰": "2025-12-17",
		"1404/09/26":        "2025-12-17",
		"1 فروردین 1404":    "2025-03-21",
		"١٤٤٧/٠٦/٢٦ هـ":     "2025-12-17",
		"الخميس 26/06/1447": "2025-12-17",
		"1 محرم 1447":       "",
		"Room 1404":         "",
		"２０２５年１２月１７日":       "2025-12-17",
		"17 दिसंबर 2025":    "2025-12-17",
		"2 hours ago":       "",
		"":                  "",
		"no date here":      "",
	} {
		if got := normalizeDate(text); got != want {
			t.Errorf("normalizeDate(%q) = %q, want %q", text, got, want)
		}
	}
}

// TestNormalizeDateConcurrent parses dates of several languages at once
// from many goroutines: the date parser loads each language's tables on
// first use, and that must be safe (run under -race) and give the answers
// a single goroutine gets.
func TestNormalizeDateConcurrent(t *testing.T) {
	texts := map[string]string{
		"17. Dezember 2025":       "2025-12-17",
		"17 декабря 2025":         "2025-12-17",
		"17 décembre 2025":        "2025-12-17",
		"17 de diciembre de 2025": "2025-12-17",
		"December 17, 2025":       "2025-12-17",
	}
	var wg sync.WaitGroup
	for range 8 {
		for text, want := range texts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if got := normalizeDate(text); got != want {
					t.Errorf("normalizeDate(%q) = %q, want %q", text, got, want)
				}
			}()
		}
	}
	wg.Wait()
}

// FuzzNormalizeDate feeds the date parser what pages hold: it must not
// fail, and a day it returns is a real one, of a year the text names.
func FuzzNormalizeDate(f *testing.F) {
	for _, s := range []string{"December 17, 2025", "2025年12月7日", "١٧ ديسمبر ٢٠٢٥", "2025 M12 17", "31/12/2025 23:59 -05:00", "2 hours ago", "17 de diciembre de 2025", "۲۶ آذر ۱۴۰۴", "١٤٤٧/٠٦/٢٦ هـ", "1 محرم 1447"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := normalizeDate(s)
		if got == "" {
			return
		}
		d, err := time.Parse(time.DateOnly, got)
		if err != nil {
			t.Fatalf("normalizeDate(%q) = %q, not a day", s, got)
		}
		if !hasYear(asciiDigits(s), d.Year()) && !namesHijriYear(asciiDigits(s), d.Year()) {
			t.Fatalf("normalizeDate(%q) = %q, a year the text does not name, in any calendar", s, got)
		}
	})
}

// namesHijriYear reports whether text names the Solar Hijri or Islamic
// year that Gregorian year g falls in (give or take one).
func namesHijriYear(text string, g int) bool {
	for _, m := range hijriYear.FindAllString(text, -1) {
		y, _ := strconv.Atoi(m)
		for _, offset := range []int{621, 579} {
			if d := y + offset - g; d >= -1 && d <= 1 {
				return true
			}
		}
	}
	return false
}

// realisticDates are teaser dates as a thousand listings write them: many
// languages and forms, most with a time of day, so that few repeat.
func realisticDates(n int) []string {
	en := strings.Fields("January February March April May June July August September October November December")
	fr := strings.Fields("janvier février mars avril mai juin juillet août septembre octobre novembre décembre")
	out := make([]string, n)
	for i := range out {
		d, m, h, min := 1+i%28, i/28%12, i/7%24, i%60
		switch i % 8 {
		case 0:
			out[i] = fmt.Sprintf("%s %d, 2025", en[m], d)
		case 1:
			out[i] = fmt.Sprintf("%s %d, 2025 %d:%02d AM", en[m][:3], d, 1+h%12, min)
		case 2:
			out[i] = fmt.Sprintf("%d %s 2025 à %02dh%02d", d, fr[m], h, min)
		case 3:
			out[i] = fmt.Sprintf("%02d.%02d.2025 %02d:%02d", d, m+1, h, min)
		case 4:
			out[i] = fmt.Sprintf("2025年%d月%d日 %02d:%02d", m+1, d, h, min)
		case 5:
			out[i] = fmt.Sprintf("%d hours ago", 1+i%23)
		case 6:
			out[i] = fmt.Sprintf("2025-%02d-%02dT%02d:%02d:00+09:00", m+1, d, h, min)
		default:
			out[i] = fmt.Sprintf("%d %s 2025", d, fr[m])
		}
	}
	return out
}

// BenchmarkNormalizeDate: a date read through the cache and the fast
// path, as extraction reads them (fresh: every text read once), against
// the general parser alone.
func BenchmarkNormalizeDate(b *testing.B) {
	dates := realisticDates(4096)
	b.Run("fast", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			parseDate(dates[i%len(dates)], true)
		}
	})
	b.Run("cached", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			normalizeDate(dates[i%len(dates)])
		}
	})
	b.Run("general", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			parseDate(dates[i%len(dates)], false)
		}
	})
}
