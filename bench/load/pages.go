package main

import (
	"fmt"
	"math/rand"
	"strings"
)

// The pages the load benchmark serves are written as real listings are:
// each site in one of eight languages, its teasers with an image, a
// kicker, a headline with entities and quotes, a byline, a date as the
// site's language writes it (in words or numbers, with or without a time
// of day, "2 hours ago" on the newest, an ISO datetime attribute on a
// share of them), a summary of 15 to 200 words with links and emphasis
// inside, and a list of tags. -friendly serves the old pages instead:
// English words, ISO dates, plain markup.

// site languages, in the order sites take them.
var languages = []struct {
	name  string
	words []string
	// joined: the language is written without spaces between words.
	joined bool
	by     string
}{
	{"en", strings.Fields(`government ministry delegation assembly budget harvest railway harbour festival museum science
		school hospital workers farmers energy exports trade summit council culture sports weather region capital industry`), false, "By"},
	{"fr", strings.Fields(`gouvernement ministère délégation assemblée budget récolte chemin fer port festival musée science
		école hôpital ouvriers agriculteurs énergie exportations commerce sommet conseil culture sports météo région capitale industrie`), false, "Par"},
	{"de", strings.Fields(`Regierung Ministerium Delegation Versammlung Haushalt Ernte Eisenbahn Hafen Festival Museum Wissenschaft
		Schule Krankenhaus Arbeiter Bauern Energie Exporte Handel Gipfel Rat Kultur Sport Wetter Region Hauptstadt Industrie Straße Größe`), false, "Von"},
	{"ru", strings.Fields(`правительство министерство делегация собрание бюджет урожай железная дорога порт фестиваль музей наука
		школа больница рабочие фермеры энергия экспорт торговля саммит совет культура спорт погода регион столица промышленность`), false, "Автор:"},
	{"es", strings.Fields(`gobierno ministerio delegación asamblea presupuesto cosecha ferrocarril puerto festival museo ciencia
		escuela hospital trabajadores agricultores energía exportaciones comercio cumbre consejo cultura deportes región capital industria año`), false, "Por"},
	{"zh", strings.Fields(`政府 部门 代表团 会议 预算 收获 铁路 港口 节日 博物馆 科学 学校 医院 工人 农民 能源 出口 贸易 峰会 委员会 文化 体育 天气 地区 首都 工业`), true, "记者"},
	{"ja", strings.Fields(`政府 省庁 代表団 議会 予算 収穫 鉄道 港 祭り 博物館 科学 学校 病院 労働者 農家 エネルギー 輸出 貿易 首脳会議 評議会 文化 スポーツ 天気 地域 首都 産業 の が を`), true, "記者"},
	{"ko", strings.Fields(`정부 부처 대표단 의회 예산 수확 철도 항구 축제 박물관 과학 학교 병원 노동자 농민 에너지 수출 무역 정상회의 위원회 문화 스포츠 날씨 지역 수도 산업`), false, "기자"},
}

var (
	monthsEN = strings.Fields("January February March April May June July August September October November December")
	monthsFR = strings.Fields("janvier février mars avril mai juin juillet août septembre octobre novembre décembre")
	monthsDE = strings.Fields("Januar Februar März April Mai Juni Juli August September Oktober November Dezember")
	monthsRU = strings.Fields("января февраля марта апреля мая июня июля августа сентября октября ноября декабря")
	monthsES = strings.Fields("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre")
)

// teaserDate is how a site of language lang writes the date of its k-th
// teaser: the text, and (on a share of them) an ISO datetime attribute.
// The newest teasers say how long ago they were published.
func teaserDate(lang string, k int, newest bool, r *rand.Rand) (text, iso string) {
	day, month := 1+(k+100)%28, 11
	if (k+100)%7 == 0 {
		month = 10
	}
	h, m := r.Intn(24), r.Intn(60)
	if newest {
		ago := 1 + r.Intn(11)
		return map[string]string{"en": fmt.Sprintf("%d hours ago", ago), "fr": fmt.Sprintf("il y a %d heures", ago),
			"de": fmt.Sprintf("vor %d Stunden", ago), "ru": fmt.Sprintf("%d часа назад", ago), "es": fmt.Sprintf("hace %d horas", ago),
			"zh": fmt.Sprintf("%d小时前", ago), "ja": fmt.Sprintf("%d時間前", ago), "ko": fmt.Sprintf("%d시간 전", ago)}[lang], ""
	}
	if (k+100)%5 == 0 {
		iso = fmt.Sprintf("2025-%02d-%02dT%02d:%02d:00+01:00", month+1, day, h, m)
	}
	hour12, ampm := (h+11)%12+1, map[bool]string{true: "PM", false: "AM"}[h >= 12]
	forms := map[string][]string{
		"en": {fmt.Sprintf("%s %d, 2025", monthsEN[month], day), fmt.Sprintf("%s %d, 2025 %d:%02d %s ET", monthsEN[month][:3], day, hour12, m, ampm),
			fmt.Sprintf("Tuesday, %s %d, 2025", monthsEN[month], day), fmt.Sprintf("%d %s 2025, %02d:%02d GMT", day, monthsEN[month][:3], h, m)},
		"fr": {fmt.Sprintf("%d %s 2025", day, monthsFR[month]), fmt.Sprintf("%d %s 2025 à %02dh%02d", day, monthsFR[month], h, m),
			fmt.Sprintf("mardi %d %s 2025", day, monthsFR[month]), fmt.Sprintf("Publié le %02d/%02d/2025 à %02dh%02d", day, month+1, h, m)},
		"de": {fmt.Sprintf("%d. %s 2025", day, monthsDE[month]), fmt.Sprintf("%02d.%02d.2025, %02d:%02d Uhr", day, month+1, h, m),
			fmt.Sprintf("%02d.%02d.2025", day, month+1), fmt.Sprintf("%d. %s 2025, %02d:%02d Uhr", day, monthsDE[month], h, m)},
		"ru": {fmt.Sprintf("%d %s 2025", day, monthsRU[month]), fmt.Sprintf("%d %s 2025, %02d:%02d", day, monthsRU[month], h, m),
			fmt.Sprintf("%02d.%02d.2025 %02d:%02d", day, month+1, h, m), fmt.Sprintf("%d %s 2025 г.", day, monthsRU[month])},
		"es": {fmt.Sprintf("%d de %s de 2025", day, monthsES[month]), fmt.Sprintf("%02d/%02d/2025 %02d:%02d", day, month+1, h, m),
			fmt.Sprintf("%d de %s de 2025 - %02d:%02d", day, monthsES[month], h, m), fmt.Sprintf("%d %s 2025", day, monthsES[month][:3])},
		"zh": {fmt.Sprintf("2025年%d月%d日", month+1, day), fmt.Sprintf("2025-%02d-%02d %02d:%02d", month+1, day, h, m),
			fmt.Sprintf("2025年%02d月%02d日 %02d:%02d", month+1, day, h, m), fmt.Sprintf("%02d-%02d %02d:%02d", month+1, day, h, m)},
		"ja": {fmt.Sprintf("2025年%d月%d日 %d:%02d", month+1, day, h, m), fmt.Sprintf("2025/%02d/%02d %02d:%02d", month+1, day, h, m),
			fmt.Sprintf("2025年%d月%d日", month+1, day), fmt.Sprintf("%d月%d日 %d時%02d分", month+1, day, h, m)},
		"ko": {fmt.Sprintf("2025년 %d월 %d일", month+1, day), fmt.Sprintf("2025.%02d.%02d %02d:%02d", month+1, day, h, m),
			fmt.Sprintf("2025-%02d-%02d %02d:%02d", month+1, day, h, m), fmt.Sprintf("2025년 %d월 %d일 오후 %d:%02d", month+1, day, hour12, m)},
	}[lang]
	return forms[r.Intn(len(forms))], iso
}

// realPage is a listing page of a site in its language, as sitePage
// describes, with its teasers written as real ones are.
func realPage(i, version int) []byte {
	lang := languages[i%len(languages)]
	r := rand.New(rand.NewSource(int64(i)))
	word := func() string { return lang.words[r.Intn(len(lang.words))] }
	words := func(n int) string {
		w := make([]string, n)
		for k := range w {
			w[k] = word()
		}
		if lang.joined {
			return strings.Join(w, "")
		}
		return strings.Join(w, " ")
	}
	// The body is written first: the scripts and style sheets of the
	// head are sized against it.
	var b strings.Builder
	b.WriteString("<body><nav class=\"menu\"><ul>")
	for k := 0; k < 60; k++ {
		fmt.Fprintf(&b, "<li><a href=\"/section/%d/\">%s</a></li>", k, words(2))
	}
	fmt.Fprintf(&b, "</ul></nav><main><h1>%s</h1><ul class=\"teasers\">", words(1))
	start, teasers := -2*version, 30-version
	for k := start; k < teasers; k++ {
		// Each teaser has its own random source, so that revision 2
		// changes only what it means to change.
		r = rand.New(rand.NewSource(int64(i)*1000 + int64(k) + 10))
		title := words(8 + r.Intn(7))
		switch r.Intn(4) {
		case 0:
			title = "&#8220;" + title + "&#8221;"
		case 1:
			title += " &amp; " + words(2)
		case 2:
			title = words(2) + ": " + title
		}
		if version > 0 && k == 5-2*version {
			title += " (updated)"
		}
		link := fmt.Sprintf("/s/%d/article-%d.html", i, k+1000)
		dateText, iso := teaserDate(lang.name, k, k < start+2, r)
		date := `<span class="date">` + dateText + `</span>`
		if iso != "" {
			date = `<time class="date" datetime="` + iso + `">` + dateText + `</time>`
		}
		n := []int{15 + r.Intn(15), 40 + r.Intn(40), 40 + r.Intn(40), 120 + r.Intn(80)}[r.Intn(4)]
		var summary strings.Builder
		for w := 0; w < n; w += 12 {
			switch r.Intn(4) {
			case 0:
				fmt.Fprintf(&summary, `<a href="/tag/%d">%s</a> `, r.Intn(500), words(2))
			case 1:
				fmt.Fprintf(&summary, "<em>%s</em>&nbsp;", words(2))
			}
			summary.WriteString(words(min(10, n-w)) + " ")
		}
		var tags strings.Builder
		for t := 0; t < 2+r.Intn(3); t++ {
			fmt.Fprintf(&tags, `<li><a href="/tag/%d">%s</a></li>`, r.Intn(500), words(1))
		}
		fmt.Fprintf(&b, `<li class="teaser"><article class="card"><a class="card__media" href="%s" tabindex="-1"><picture><source srcset="/img/%d.webp 1x, /img/%d@2x.webp 2x"><img src="/img/%d.jpg" alt="%s" loading="lazy" width="640" height="360"></picture></a>`+
			`<div class="card__body"><a class="kicker" href="/section/%d/">%s</a><h3 class="card__title"><a href="%s">%s</a></h3>`+
			`<div class="card__meta"><span class="byline">%s <a href="/author/%d">%s</a></span> · %s</div><p class="summary">%s</p><ul class="tags">%s</ul></div></article></li>`,
			link, k, k, k, words(4), r.Intn(60), words(1), link, title, lang.by, r.Intn(40), words(2), date, summary.String(), tags.String())
	}
	r = rand.New(rand.NewSource(int64(i) + 7))
	b.WriteString("</ul></main><footer>")
	for k := 0; k < 30; k++ {
		fmt.Fprintf(&b, "<a href=\"/about/%d\">%s</a> ", k, words(2))
	}
	b.WriteString("&copy; 2025</footer></body></html>")
	body := b.String()

	// Scripts and style sheets take as much of a real page as they take of
	// the article and listing pages in the corpus: a fifth of the bytes
	// on the median page, and two fifths of all bytes (the share is the
	// site's own, drawn from that spread).
	r = rand.New(rand.NewSource(int64(i) + 11))
	share := []float64{0.05, 0.1, 0.15, 0.2, 0.2, 0.25, 0.4, 0.5, 0.6, 0.7}[r.Intn(10)]
	budget := int(share / (1 - share) * float64(len(body)))
	var head strings.Builder
	fmt.Fprintf(&head, "<!DOCTYPE html><html lang=\"%s\"><head><meta charset=\"utf-8\"><title>%s | Site %d</title>", lang.name, words(3), i)
	head.WriteString(`<script type="application/ld+json">{"@context":"https://schema.org","@type":"ItemList","name":"News"}</script>`)
	from := head.Len()
	head.WriteString("<style>")
	for k := 0; head.Len()-from < budget/4; k++ {
		fmt.Fprintf(&head, ".c%d{margin:%dpx;padding:%dpx;color:#%06x}", k, r.Intn(20), r.Intn(20), r.Intn(0xffffff))
	}
	head.WriteString("</style><script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}if(a<b&&c>d){x()}window.config={")
	for k := 0; head.Len()-from < budget*2/3; k++ {
		fmt.Fprintf(&head, "k%d:%q,", k, words(3))
	}
	head.WriteString(`};</script><script id="__NEXT_DATA__" type="application/json">{"props":{"items":[`)
	for k := 0; head.Len()-from < budget; k++ {
		fmt.Fprintf(&head, `{"id":%d,"title":%q,"url":"/s/%d/article-%d.html"},`, k, words(5), i, k)
	}
	head.WriteString(`{}]}}</script></head>`)
	return []byte(head.String() + body)
}

// listingSelectors are the selectors of the pages served.
func listingSelectors(friendly bool) string {
	if friendly {
		return `{items: "main ul.teasers > li", title: h3, link: "h3 a", date: time, summary: p}`
	}
	return `{items: "main ul.teasers > li", title: h3, link: "h3 a", date: .date, summary: p.summary}`
}
