package snapshot

import (
	"strconv"
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
