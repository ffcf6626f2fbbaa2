package snapshot

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/andybalholm/cascadia"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// charsetCase is a page in a legacy encoding: a title and two items in
// the language that encoding serves.
type charsetCase struct {
	name  string // as in Content-Type and <meta>
	enc   encoding.Encoding
	title string
	items [2]string
	// sniff: the encoding is recognised without any declaration.
	sniff bool
}

var charsetCases = []charsetCase{
	{"euc-kr", korean.EUCKR, "조선중앙통신 최신 뉴스", [2]string{"최고인민회의 전원회의 진행", "대표단이 귀국하였다"}, true},
	{"shift_jis", japanese.ShiftJIS, "最新ニュース一覧", [2]string{"国会で予算案が可決された", "代表団が帰国した"}, true},
	{"gb18030", simplifiedchinese.GB18030, "新华社最新消息", [2]string{"全国人民代表大会举行全体会议", "代表团回国"}, true},
	{"gbk", simplifiedchinese.GBK, "新闻中心首页", [2]string{"国务院召开常务会议", "贸易协定签署"}, true},
	{"big5", traditionalchinese.Big5, "中央通訊社新聞", [2]string{"立法院通過預算案", "代表團返國"}, true},
	{"windows-1251", charmap.Windows1251, "Последние новости", [2]string{"Пленарное заседание Верховного собрания", "Делегация вернулась на родину"}, true},
	{"koi8-r", charmap.KOI8R, "Новости агентства", [2]string{"Подписано торговое соглашение", "Совещание по вопросам бюджета"}, true},
	{"iso-8859-2", charmap.ISO8859_2, "Najnowsze wiadomości", [2]string{"Sejm przyjął ustawę budżetową", "Delegacja wróciła do kraju"}, false},
	{"iso-8859-5", charmap.ISO8859_5, "Последние известия", [2]string{"Заседание правительства", "Визит делегации"}, false},
	{"iso-8859-7", charmap.ISO8859_7, "Τελευταία νέα", [2]string{"Η Βουλή ψήφισε τον προϋπολογισμό", "Η αντιπροσωπεία επέστρεψε"}, false},
	{"iso-8859-15", charmap.ISO8859_15, "Dernières nouvelles €", [2]string{"L'Assemblée adopte le budget", "La délégation est rentrée"}, false},
	{"windows-1250", charmap.Windows1250, "Nejnovější zprávy", [2]string{"Sněmovna schválila rozpočet", "Delegace se vrátila domů"}, false},
	{"windows-1252", charmap.Windows1252, "Últimas notícias – “agência”", [2]string{"Assembleia aprova orçamento", "Delegação regressa"}, false},
	{"windows-1253", charmap.Windows1253, "Ειδήσεις σήμερα", [2]string{"Συνεδρίαση του υπουργικού", "Νέα συμφωνία"}, false},
	{"windows-1254", charmap.Windows1254, "Son dakika haberleri", [2]string{"Meclis bütçeyi kabul etti", "Heyet yurda döndü"}, false},
	{"windows-1256", charmap.Windows1256, "آخر الأخبار", [2]string{"مجلس الشعب يقر الميزانية", "عودة الوفد"}, false},
}

func (c charsetCase) page(t *testing.T, meta bool) []byte {
	t.Helper()
	head := ""
	if meta {
		head = fmt.Sprintf(`<meta charset="%s">`, c.name)
	}
	html := fmt.Sprintf(`<!DOCTYPE html><html><head>%s<title>%s</title></head><body><h1>%s</h1>
<ul class="news"><li><a href="/1.html">%s</a></li><li><a href="/2.html">%s</a></li></ul></body></html>`,
		head, c.title, c.title, c.items[0], c.items[1])
	b, err := c.enc.NewEncoder().Bytes([]byte(html))
	if err != nil {
		t.Fatalf("encoding the %s fixture: %v", c.name, err)
	}
	return b
}

// Pages in each legacy charset extract to the exact UTF-8 title and items,
// whether the charset is named by the Content-Type header, by a <meta> tag,
// or (for the encodings that can be told apart) by nothing at all.
func TestCharsets(t *testing.T) {
	rules := Rules{
		Article: &ArticleRules{Body: cascadia.MustCompile("h1")},
		Listing: &ListingRules{Items: cascadia.MustCompile("ul.news > li")},
	}
	base, _ := url.Parse("https://agency.example/")
	for _, c := range charsetCases {
		variants := map[string]struct {
			body []byte
			ct   string
		}{
			"header": {c.page(t, false), "text/html; charset=" + c.name},
			"meta":   {c.page(t, true), "text/html"},
		}
		if c.sniff {
			variants["sniffed"] = struct {
				body []byte
				ct   string
			}{c.page(t, false), "text/html"}
		}
		for how, v := range variants {
			t.Run(c.name+"/"+how, func(t *testing.T) {
				snap, err := Extract(v.body, v.ct, base, rules)
				if err != nil {
					t.Fatal(err)
				}
				got := []string{snap.Items[0].Title, snap.Items[1].Title, snap.Items[2].Title}
				want := []string{c.title, c.items[0], c.items[1]}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("got %q, want %q", got, want)
				}
			})
		}
	}
}

// Valid UTF-8 is used as it is, and a UTF-8 page with a stray invalid
// byte keeps its text, the byte replaced.
func TestUTF8(t *testing.T) {
	body := []byte("<h1>Café – 東京</h1>")
	if out, name := toUTF8(body, "text/html"); name != "utf-8" || &out[0] != &body[0] {
		t.Errorf("valid UTF-8 was converted (%s)", name)
	}
	out, name := toUTF8([]byte("<meta charset=utf-8><h1>Café \xff déjà vu, 東京</h1>"), "")
	if name != "utf-8" || string(out) != "<meta charset=utf-8><h1>Café \uFFFD déjà vu, 東京</h1>" {
		t.Errorf("invalid byte in UTF-8: %s %q", name, out)
	}
}
