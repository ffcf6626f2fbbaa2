package snapshot

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The fast path reads the forms of dates news sites write most, whole,
// without the general parser: a month's name with the day and year in
// English, French, German, Spanish and Russian ("December 9, 2025",
// "9 décembre 2025", "9. Dezember 2025", "9 de diciembre de 2025",
// "9 декабря 2025"), with or without a weekday before and a time of day
// after; day, month and year in numbers ("09.12.2025 14:30"); and the
// East Asian forms ("2025年12月9日", "2025년 12월 9일"). Anything else, or
// anything more (a time zone, a word it does not know), is left to the
// general parser, whose answer the fast path's always equals (a fuzz test
// holds it to that).

// The languages of the words the fast path reads, as bits: a date's
// words must all be of one language, or the general parser (which tells
// the language from the whole text) may read it otherwise. A month's
// name may be of several ("April": English and German); the words around
// it narrow them down.
const (
	langEN uint16 = 1 << iota
	langFR
	langDE
	langES
	langRU
	langKO
	langJA // and Chinese: 年月日, 時分
	langNum
	langAny = langNum<<1 - 1
)

// narrow returns the languages of a date of the languages langs with a
// word of the languages mask in it: those of both (0: none).
func narrow(langs, mask uint16) uint16 { return langs & mask }

type monthName struct {
	month time.Month
	langs uint16
}

// monthNames maps the names of months (lowercase, without a trailing
// period) to their numbers and languages.
var monthNames = func() map[string]monthName {
	m := map[string]monthName{}
	for _, l := range []struct {
		lang  uint16
		names string
	}{
		{langEN, "january february march april may june july august september october november december"},
		{langEN, "jan feb mar apr may jun jul aug sep oct nov dec"},
		{langFR, "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"},
		{langDE, "januar februar märz april mai juni juli august september oktober november dezember"},
		{langES, "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"},
		{langES, "ene feb mar abr may jun jul ago sep oct nov dic"},
		{langRU, "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"},
		{langRU, "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь"},
	} {
		for i, n := range strings.Fields(l.names) {
			e := m[n]
			e.month, e.langs = time.Month(i+1), e.langs|l.lang
			m[n] = e
		}
	}
	m["sept"] = monthName{time.September, langEN}
	return m
}()

// weekdays are the weekday names that may come before a date.
var weekdays = wordsOf(map[uint16]string{
	langEN: "monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun",
	langFR: "lundi mardi mercredi jeudi vendredi samedi dimanche",
	langDE: "montag dienstag mittwoch donnerstag freitag samstag sonntag",
	langES: "lunes martes miércoles jueves viernes sábado domingo",
})

// Words that may stand around a time of day: before it ("at 10:30",
// "à 14h30", "um 14:30", "a las 14:30", "в 14:30", "오후 2:30"), after it
// ("AM", "Uhr", a time zone), and after a Russian year ("г.", "года").
var (
	beforeClock = wordsOf(map[uint16]string{langAny &^ (langKO | langJA): "- |", langEN: "at", langFR: "à", langDE: "um", langES: "a las", langRU: "в", langKO: "오전 오후"})
	afterClock  = wordsOf(map[uint16]string{langAny: "am pm", langDE: "uhr",
		langEN: "a.m. p.m. et est edt ct cst cdt mt mst mdt pt pst pdt gmt utc bst"})
	afterYear = wordsOf(map[uint16]string{langRU: "г. г года"})
	// leads are the words that may come before a date: "Published",
	// "Publié le".
	leads = wordsOf(map[uint16]string{langEN: "published posted updated on", langFR: "publié le mis à jour",
		langDE: "veröffentlicht aktualisiert am", langES: "publicado el", langRU: "опубликовано обновлено"})
)

func wordsOf(byLang map[uint16]string) map[string]uint16 {
	m := map[string]uint16{}
	for lang, words := range byLang {
		for _, w := range strings.Fields(words) {
			m[w] |= lang
		}
	}
	return m
}

// fastDate reads text (trimmed, its digits ASCII) as fastDate's forms. ok
// is false when it is not one of them.
func fastDate(text string) (day string, ok bool) {
	toks := dateTokens(text)
	if len(toks) == 0 {
		return "", false
	}
	lead := langAny
	for len(toks) > 0 {
		mask, ok := leads[strings.TrimSuffix(toks[0], ":")]
		if !ok {
			break
		}
		lead, toks = narrow(lead, mask), toks[1:]
	}
	if len(toks) == 0 {
		return "", false
	}
	weekday, named := weekdays[strings.TrimSuffix(toks[0], ".")]
	if named {
		toks = toks[1:]
	}
	var y, d int
	var mo time.Month
	var langs uint16
	switch {
	case len(toks) >= 3 && isMonth(toks[0]) && isDay(toks[1]) && isYear(toks[2]):
		// December 9, 2025
		mo, d, y, langs = month(toks[0]), dayOf(toks[1]), yearOf(toks[2]), monthNames[strings.TrimSuffix(toks[0], ".")].langs
		toks = toks[3:]
	case len(toks) >= 3 && isDay(toks[0]) && isMonth(toks[1]) && isYear(toks[2]):
		// 9 December 2025, 9. Dezember 2025
		d, mo, y, langs = dayOf(toks[0]), month(toks[1]), yearOf(toks[2]), monthNames[strings.TrimSuffix(toks[1], ".")].langs
		toks = toks[3:]
	case len(toks) >= 5 && isDay(toks[0]) && toks[1] == "de" && isMonth(toks[2]) && toks[3] == "de" && isYear(toks[4]):
		// 9 de diciembre de 2025
		d, mo, y = dayOf(toks[0]), month(toks[2]), yearOf(toks[4])
		langs = narrow(monthNames[strings.TrimSuffix(toks[2], ".")].langs, langES)
		toks = toks[5:]
	case len(toks) >= 3 && strings.HasSuffix(toks[0], "년") && strings.HasSuffix(toks[1], "월") && strings.HasSuffix(toks[2], "일"):
		// 2025년 12월 9일
		y, d = yearOf(strings.TrimSuffix(toks[0], "년")), dayOf(strings.TrimSuffix(toks[2], "일"))
		m := dayOf(strings.TrimSuffix(toks[1], "월"))
		// (The general parser reads no month written with a zero first.)
		if y == 0 || d == 0 || m < 1 || m > 12 || toks[1][0] == '0' {
			return "", false
		}
		mo, langs = time.Month(m), langKO
		toks = toks[3:]
	case len(toks) >= 1:
		if y, mo, d, langs, ok = numericDate(toks[0]); !ok {
			return "", false
		}
		toks = toks[1:]
	default:
		return "", false
	}
	if named {
		langs = narrow(langs, weekday)
	}
	langs = narrow(langs, lead)
	if langs == 0 || !timeOfDay(toks, langs) {
		return "", false
	}
	t := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	if y < 1900 || y > 2099 || t.Month() != mo || t.Day() != d {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// dateTokens splits text at spaces and commas, lowercased.
func dateTokens(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
}

func isMonth(t string) bool     { _, ok := monthNames[strings.TrimSuffix(t, ".")]; return ok }
func month(t string) time.Month { return monthNames[strings.TrimSuffix(t, ".")].month }

// isDay: 1 to 31, with a period after it as German writes it.
func isDay(t string) bool { return dayOf(t) > 0 }

func dayOf(t string) int {
	t = strings.TrimSuffix(t, ".")
	if len(t) == 0 || len(t) > 2 || !allDigits(t) {
		return 0
	}
	if n := atoi(t); n >= 1 && n <= 31 {
		return n
	}
	return 0
}

func isYear(t string) bool { return yearOf(t) > 0 }

func yearOf(t string) int {
	if len(t) != 4 || (t[:2] != "19" && t[:2] != "20") || !allDigits(t) {
		return 0
	}
	return atoi(t)
}

// numericDate reads a date in numbers at the start of t: 09.12.2025 and
// 09/12/2025 (day first, as the general parser reads them), 2025-12-09,
// 2025/12/09, 2025.12.09, 2025年12月9日, the whole of t. langs are the
// languages of the words it may stand with. ok is false for anything else.
func numericDate(t string) (y int, mo time.Month, d int, langs uint16, ok bool) {
	var nums, widths [3]int
	var seps [3]string
	pos := 0
	for k := 0; k < 3; k++ {
		start := pos
		for pos < len(t) && t[pos] >= '0' && t[pos] <= '9' {
			pos++
		}
		if pos == start || pos-start > 4 {
			return
		}
		nums[k], widths[k] = atoi(t[start:pos]), pos-start
		if pos < len(t) && (k < 2 || !(t[pos] >= '0' && t[pos] <= '9')) {
			r, size := utf8.DecodeRuneInString(t[pos:])
			if r == ':' {
				return
			}
			seps[k] = string(r)
			pos += size
		}
	}
	// (Beside Korean or Japanese words, the general parser reads no date
	// in numbers day first.)
	rest, langs := t[pos:], langAny&^(langKO|langJA)
	switch {
	case widths[0] == 4 && widths[1] <= 2 && widths[2] <= 2 && seps[0] == "年" && seps[1] == "月" && seps[2] == "日" && rest == "":
		// (A time right after 日 the general parser may read as another
		// day: "2000年10月2日0:00" is October 1st.)
		langs = langJA
	case widths[0] == 4 && widths[1] <= 2 && widths[2] <= 2 && seps[0] == seps[1] && strings.Contains("-/.", seps[0]) && seps[2] == "" && rest == "":
		// (The general parser reads these beside no language's words.)
		langs = langNum
	case widths[0] <= 2 && widths[1] <= 2 && widths[2] == 4 && seps[0] == seps[1] && (seps[0] == "." || seps[0] == "/") && seps[2] == "" && rest == "":
		// Day first, as the general parser reads it (12/09/2025 is
		// September 12th).
		nums[0], nums[2] = nums[2], nums[0]
	default:
		return
	}
	if nums[1] < 1 || nums[1] > 12 {
		return
	}
	return nums[0], time.Month(nums[1]), nums[2], langs, true
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// timeOfDay reports whether toks, what follows a date of the languages
// langs, are nothing or a time of day with the words around it (14:30,
// 14:30:05, 10:30 am ET, à 14h30, 19時30分, 23:30:00 -0500).
func timeOfDay(toks []string, langs uint16) bool {
	i := 0
	// take takes toks[i] if it is of the date's languages.
	take := func(mask uint16) bool {
		if narrow(langs, mask) == 0 {
			return false
		}
		langs, i = narrow(langs, mask), i+1
		return true
	}
	skip := func(words map[string]uint16) {
		for i < len(toks) {
			if mask, ok := words[toks[i]]; !ok || !take(mask) {
				return
			}
		}
	}
	skip(afterYear)
	if i == len(toks) {
		return true
	}
	skip(beforeClock)
	if i == len(toks) || !take(clock(toks[i])) {
		return false
	}
	skip(afterClock)
	if i < len(toks) && zoneOffset(toks[i]) {
		take(langEN)
	}
	return i == len(toks)
}

// clock reads a time of day in one token, and returns the languages it
// is written in (0: it is none): 14:30 and 14:30:05 in any, 14h30 in
// French, 19時30分 in Japanese and Chinese.
func clock(t string) uint16 {
	if h, m, ok := strings.Cut(t, ":"); ok {
		if m, s, ok := strings.Cut(m, ":"); ok {
			if hourOf(h) >= 0 && minuteOf(m) >= 0 && minuteOf(s) >= 0 {
				return langAny
			}
			return 0
		}
		if hourOf(h) >= 0 && minuteOf(m) >= 0 {
			return langAny
		}
		return 0
	}
	if h, m, ok := strings.Cut(t, "h"); ok && hourOf(h) >= 0 && minuteOf(m) >= 0 {
		return langFR
	}
	if h, m, ok := strings.Cut(strings.TrimSuffix(t, "分"), "時"); ok && strings.HasSuffix(t, "分") && hourOf(h) >= 0 && minuteOf(m) >= 0 {
		return langJA
	}
	return 0
}

// hourOf is 0 to 23 written in one or two digits, else -1.
func hourOf(t string) int {
	if len(t) < 1 || len(t) > 2 || !allDigits(t) || atoi(t) > 23 {
		return -1
	}
	return atoi(t)
}

// minuteOf is 00 to 59 written in two digits, else -1.
func minuteOf(t string) int {
	if len(t) != 2 || !allDigits(t) || atoi(t) > 59 {
		return -1
	}
	return atoi(t)
}

// zoneOffset reads +0900, -05:00.
func zoneOffset(t string) bool {
	if len(t) < 5 || (t[0] != '+' && t[0] != '-') {
		return false
	}
	h, m, ok := strings.Cut(t[1:], ":")
	if !ok {
		h, m = t[1:3], t[3:]
	}
	return len(h) == 2 && hourOf(h) >= 0 && minuteOf(m) >= 0
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
