package snapshot

import (
	"fmt"
	"strings"
	"testing"
)

// Chinese and Japanese write no spaces between words: an agency's article
// of a few hundred characters is a whole article, and its headlines are
// not the one- and two-word links of a menu. These pages follow a state
// news agency's layout: a menu, the article, a "更多" (more) list.

var cjkParagraphs = []string{
	"新华社北京12月17日电 国务院总理主持召开国务院常务会议，听取关于城市更新工作进展情况的汇报，部署进一步推进城市更新的政策措施。",
	"会议指出，实施城市更新行动是适应城市发展新形势、推动城市高质量发展的重要举措。各地区各部门要坚持以人民为中心，统筹发展和安全，稳步推进老旧小区改造和基础设施更新。",
	"会议强调，要加大财政资金支持力度，创新投融资模式，引导社会资本参与城市更新项目，同时完善相关法规制度，切实保障群众合法权益。",
	"会议要求，各地要结合实际制定城市更新专项规划，科学确定更新范围和时序，防止大拆大建。要注重保护历史文化街区和传统风貌建筑，延续城市文脉，让城市留下记忆，让居民记住乡愁。",
	"会议提出，要健全城市更新实施机制，建立政府引导、市场运作、公众参与的工作格局，推动城市基础设施生命线安全工程建设，提升城市防洪排涝能力，加快补齐公共服务设施短板。",
	"会议还研究了其他事项。",
}

var cjkHeadlines = []string{
	"国家统计局发布十一月份国民经济运行数据",
	"教育部部署做好寒假期间学生安全工作",
	"交通运输部：全国高速公路网络持续完善",
	"中国人民银行开展买断式逆回购操作",
	"多地出台措施促进冰雪旅游消费",
	"外交部发言人就有关问题答记者问",
	"全国冬小麦播种面积保持稳定",
	"第十五届全国运动会筹备工作有序推进",
}

func cjkMenu() string {
	var b strings.Builder
	b.WriteString(`<div class="nav"><ul>`)
	for _, s := range []string{"首页", "时政", "国际", "财经", "科技", "体育", "文化", "健康", "教育", "军事", "图片", "视频"} {
		fmt.Fprintf(&b, `<li><a href="/%s/">%s</a></li>`, s, s)
	}
	b.WriteString(`</ul></div>`)
	return b.String()
}

func cjkTeasers(n int) string {
	var b strings.Builder
	b.WriteString(`<ul class="list">`)
	for i := range n {
		fmt.Fprintf(&b, `<li><a href="/20251216/c%04d.html">%s</a><span class="date">2025年12月%d日</span></li>`, i, cjkHeadlines[i%len(cjkHeadlines)], 16-i%10)
	}
	b.WriteString(`</ul>`)
	return b.String()
}

func cjkArticlePage() string {
	var body strings.Builder
	for _, p := range cjkParagraphs {
		body.WriteString("<p>" + p + "</p>")
	}
	return `<html lang="zh-CN"><head><meta charset="utf-8"><title>国务院常务会议部署推进城市更新工作-新华网</title></head><body>` + cjkMenu() +
		`<div class="main"><h1>国务院常务会议部署推进城市更新工作</h1><div class="info"><span>2025-12-17 19:30:05</span><span>来源：新华社</span></div>` +
		`<div id="detail">` + body.String() + `</div>` +
		`<div class="more"><h2>更多</h2>` + cjkTeasers(6) + `</div></div></body></html>`
}

func TestCJKArticle(t *testing.T) {
	base := mustParse("https://www.news.example.cn/20251217/c0001.html")
	for _, c := range []struct {
		name  string
		rules Rules
	}{
		{"zero-config", Rules{AutoArticle: true, AutoListing: true}},
		{"article", Rules{AutoArticle: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			snap, err := Extract([]byte(cjkArticlePage()), "text/html", base, c.rules)
			if err != nil {
				t.Fatal(err)
			}
			if len(snap.Items) == 0 || snap.Items[0].Kind != KindArticle {
				t.Fatalf("no article first: %+v", snap.Items)
			}
			a := snap.Items[0]
			if a.Title != "国务院常务会议部署推进城市更新工作" || !strings.Contains(a.Body, "切实保障群众合法权益") {
				t.Errorf("article %q: %q", a.Title, a.Body)
			}
			if c.rules.AutoListing && len(snap.Items) != 7 {
				t.Errorf("%d items, want the article and 6 teasers", len(snap.Items))
			}
		})
	}
}

func TestCJKListing(t *testing.T) {
	page := `<html lang="zh-CN"><head><meta charset="utf-8"><title>时政-新华网</title></head><body>` + cjkMenu() +
		`<div class="main"><h1>时政</h1>` + cjkTeasers(20) + `</div></body></html>`
	snap, err := Extract([]byte(page), "text/html", mustParse("https://www.news.example.cn/politics/"), Rules{AutoArticle: true, AutoListing: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Items) != 20 {
		t.Fatalf("%d items, want the 20 teasers: %+v", len(snap.Items), snap.Items)
	}
	for i, it := range snap.Items {
		if it.Kind != KindListing || it.Title != cjkHeadlines[i%len(cjkHeadlines)] || it.Published != fmt.Sprintf("2025-12-%02d", 16-i%10) {
			t.Errorf("item %d: %+v", i, it)
		}
	}
}

// Dates in teasers' text, with no <time>, in the languages of agencies
// that write the month's name.
func TestTeaserDatesInWords(t *testing.T) {
	for _, c := range []struct {
		lang, date, want string
	}{
		{"ru", "16 декабря 2025", "2025-12-16"},
		{"ru", "16 декабря 2025 года, 14:30", "2025-12-16"},
		{"es", "16 de diciembre de 2025", "2025-12-16"},
		{"fr", "16 décembre 2025", "2025-12-16"},
		{"tr", "16 Aralık 2025", "2025-12-16"},
		{"vi", "16 tháng 12 năm 2025", "2025-12-16"},
		{"ko", "2025년 12월 16일", "2025-12-16"},
		{"ja", "2025年12月16日", "2025-12-16"},
		{"en", "2025/12/16", "2025-12-16"},
		{"fa", "۲۵ آذر ۱۴۰۴", "2025-12-16"},
		{"ar", "١٦ ديسمبر ٢٠٢٥", "2025-12-16"},
	} {
		t.Run(c.lang+" "+c.date, func(t *testing.T) {
			var b strings.Builder
			fmt.Fprintf(&b, `<html lang="%s"><body><ul>`, c.lang)
			for i := range 5 {
				fmt.Fprintf(&b, `<li><a href="/news/%d.html">Delegation returns from the harvest festival number %d</a> <span>%s</span></li>`, i, i, c.date)
			}
			b.WriteString(`</ul></body></html>`)
			snap, err := Extract([]byte(b.String()), "text/html", mustParse("https://agency.example.org/"), Rules{AutoListing: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range snap.Items {
				if it.Published != c.want {
					t.Errorf("item %q: date %q, published %q, want %s", it.Title, it.Date, it.Published, c.want)
				}
			}
		})
	}
}
