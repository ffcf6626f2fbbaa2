package snapshot

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/markusmobius/go-dateparser"
)

// yearPattern marks a date written out in full; relative dates
// ("2 hours ago") are left alone, as their value changes with every check.
var (
	yearPattern = regexp.MustCompile(`\b(19|20)\d\d\b`)
	yearFirst   = regexp.MustCompile(`^(19|20)\d\d\D`)
)

// ISO forms are tried before the general parser, for speed: a plain day,
// or a time of day with or without its zone.
var (
	isoDay   = []string{time.DateOnly}
	isoTimes = []string{time.RFC3339, "2006-01-02T15:04:05"}
)

// normalizeDate returns the calendar day a date text names, as 2006-01-02,
// or "" when it names none. It understands the forms publications use
// ("December 17, 2025", "17 December 2025", "17.12.2025", ISO 8601, and
// many languages) through go-dateparser.
//
// The same text is read once per process (dateCache); most are read by
// fastDate, and only what it cannot read goes to go-dateparser.
func normalizeDate(text string) string {
	text = strings.TrimSpace(text)
	// The commonest of all is its own normal form, without the cache's lock.
	if text == "" || plainISODay(text) {
		return text
	}
	if day, ok := dateCache.Get(text); ok {
		return day
	}
	day := parseDate(text, true)
	dateCache.Add(text, day)
	return day
}

// plainISODay reports whether text is a plain ISO day of this or the last
// century, its own normal form.
func plainISODay(text string) bool {
	if len(text) != len(time.DateOnly) || !strings.HasPrefix(text, "20") && !strings.HasPrefix(text, "19") {
		return false
	}
	_, err := time.Parse(time.DateOnly, text)
	return err == nil
}

// dateCacheSize bounds the dates remembered: a listing's teasers repeat a
// few dozen texts, a thousand listings some thousands.
const dateCacheSize = 1 << 14

// dateCache remembers what each date text read as, for the whole process:
// the one piece of package state, since a date reads the same for every
// source. Safe for concurrent use.
var dateCache = func() *lru.Cache[string, string] {
	c, err := lru.New[string, string](dateCacheSize)
	if err != nil {
		panic(err) // only for a size below 1
	}
	return c
}()

// parseDate is normalizeDate without the cache; fast says whether to try
// fastDate before the general parser (the tests compare the two).
func parseDate(text string, fast bool) string {
	text = strings.TrimSpace(text)
	if plainISODay(text) {
		return text
	}
	text = asciiDigits(text)
	if text == "" {
		return ""
	}
	// What fastDate reads has a year of this or the last century as a
	// word of its own, and no ISO time: what follows would read it the
	// same, slower.
	if fast {
		if day, ok := fastDate(text); ok {
			return day
		}
	}
	if !yearPattern.MatchString(text) {
		return solarOrLunarHijri(text)
	}
	// All begin with the year, and a plain day has a length of its own:
	// most texts are tried against one layout or none.
	if text[0] >= '0' && text[0] <= '9' {
		layouts := isoTimes
		if len(text) == len(time.DateOnly) {
			layouts = isoDay
		}
		for _, l := range layouts {
			if t, err := time.Parse(l, text); err == nil {
				return t.UTC().Format("2006-01-02")
			}
		}
	}
	// Day before month, as most of the world writes; year, month and day
	// when the text begins with the year, as East Asia and ISO write
	// ("2025年12月7日", "2025/12/07"), which the parser refuses or, for
	// days up to the 12th, reads as months in day-first order.
	orders := []dateparser.DateOrder{dateparser.DMY, dateparser.YMD}
	if yearFirst.MatchString(text) {
		orders[0], orders[1] = orders[1], orders[0]
	}
	for _, order := range orders {
		d, err := dateparser.Parse(&dateparser.Configuration{
			DateOrder:       order,
			DefaultTimezone: time.UTC,
			CurrentTime:     time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		}, text)
		if err != nil || d.Time.IsZero() {
			continue
		}
		if !hasYear(text, d.Time.Year()) {
			// A year the text does not have: the parser guessed
			// ("2025 M12 17" read as December 30, 1999).
			return ""
		}
		return d.Time.Format("2006-01-02")
	}
	// A date inside other words ("Pyongyang, December 17, 2025").
	if m := datePattern.FindString(text); m != "" && m != text {
		return parseDate(m, fast)
	}
	return ""
}

// hasYear reports whether text names year, or a year next to it (a time
// late on December 31 is another year somewhere else).
func hasYear(text string, year int) bool {
	for _, m := range yearPattern.FindAllString(text, -1) {
		if y, _ := strconv.Atoi(m); y >= year-1 && y <= year+1 {
			return true
		}
	}
	return false
}

// digitZeros are the zeros of the other digit sets dates are written in:
// Arabic-Indic, Persian, Devanagari, Bengali, Thai, and full width, as
// Japanese and Chinese pages often have ("２０２５年１２月１７日").
var digitZeros = []rune{0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0xFF10}

// asciiDigits writes the digits of other scripts as ASCII ones, which the
// date parser and the year's pattern read.
func asciiDigits(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r > unicode.MaxASCII && unicode.IsDigit(r) }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		for _, z := range digitZeros {
			if r >= z && r <= z+9 {
				return '0' + r - z
			}
		}
		return r
	}, s)
}

// hijriYear finds a year of the Solar Hijri calendar (Iran, Afghanistan:
// 1300–1419, that is 1921–2041) or of the Islamic one (1420–1499, that is
// 1999–2076): the years pages of these decades write do not overlap.
var (
	hijriYear    = regexp.MustCompile(`\b1[34]\d\d\b`)
	numericHijri = regexp.MustCompile(`\b1[34]\d\d[/.-]\d{1,2}[/.-]\d{1,2}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]1[34]\d\d\b`)
)

// solarOrLunarHijri reads a date of the Solar Hijri or the Islamic
// calendar ("۲۶ آذر ۱۴۰۴", "1404/09/26", "١٤٤٧/٠٦/٢٦ هـ") as the
// Gregorian day it is, or returns "".
func solarOrLunarHijri(text string) string {
	m := hijriYear.FindString(text)
	if m == "" {
		return ""
	}
	year, _ := strconv.Atoi(m)
	parse, offset := dateparser.ParseJalali, 621
	if year >= 1420 {
		// The parser reads the Islamic calendar's month names wrong
		// ("1 محرم 1447" as January 18, 2026): numbers only.
		if text = numericHijri.FindString(text); text == "" {
			return ""
		}
		parse, offset = dateparser.ParseHijri, 579
	}
	order := dateparser.DMY
	if strings.HasPrefix(text, m) {
		order = dateparser.YMD
	}
	cfg := &dateparser.Configuration{DateOrder: order, DefaultTimezone: time.UTC, CurrentTime: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}
	d, err := parse(cfg, text)
	if err != nil || d.Time.IsZero() {
		return ""
	}
	// A Gregorian year the calendar's cannot be: the parser guessed.
	if g := d.Time.Year(); g < year+offset-1 || g > year+offset+1 {
		return ""
	}
	return d.Time.Format("2006-01-02")
}

// dateInText finds the date in a teaser's or a dateline's text, as
// written but with the digits of other scripts read as ASCII ones ("۲۶ آذر
// ۱۴۰۴" as "26 آذر 1404"): what datePattern finds, else the first of
// looseDate's finds that the date parser reads. Only these are handed to
// the parser, which is slow to give up on text that is no date.
func dateInText(text string) string {
	text = asciiDigits(text)
	if !containsDigit(text) {
		return ""
	}
	if m := datePattern.FindString(text); m != "" {
		return m
	}
	for _, m := range looseDate.FindAllString(text, 3) {
		if normalizeDate(m) != "" {
			return m
		}
	}
	return ""
}
