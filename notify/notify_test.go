package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-smtp"
	gomail "github.com/wneessen/go-mail"

	"github.com/pubwatch/pubwatch/diff"
	"github.com/pubwatch/pubwatch/reports"
	"github.com/pubwatch/pubwatch/snapshot"
)

func sampleRun(news int) *reports.Run {
	at := time.Date(2025, 12, 17, 8, 0, 0, 0, time.UTC)
	s := reports.Source{Name: "kcna-top", URL: "https://news.example.org/", Status: reports.StatusChanged, Items: news + 1}
	for k := 0; k < news; k++ {
		u := fmt.Sprintf("https://news.example.org/%d.html", k)
		s.Changes.New = append(s.Changes.New, snapshot.Item{Kind: snapshot.KindListing, ID: u, URL: u,
			Title: fmt.Sprintf("Delegation <b>%d</b> arrives for talks", k), Date: "December 17, 2025"})
	}
	s.Changes.Changed = []diff.Change{{Item: snapshot.Item{Kind: snapshot.KindListing, ID: "x", Title: "Talks begin — 会谈开始 — بدء المحادثات", URL: "javascript:alert(1)"},
		Fields: []string{diff.FieldTitle}, Summary: "headline changed", Significance: 0.5,
		Diffs: map[string][]diff.Op{diff.FieldTitle: {{Op: diff.OpEqual, Text: "Talks "}, {Op: diff.OpInsert, Text: "begin"}}}}}
	return &reports.Run{ID: "3f9a1c2b7d4e", StartedAt: at, FinishedAt: at.Add(3 * time.Second), Sources: []reports.Source{s}}
}

func TestKindOf(t *testing.T) {
	for _, c := range []struct{ url, kind, err string }{
		{"https://hooks.example.org/pw", KindWebhook, ""},
		{"http://127.0.0.1:9/x", KindWebhook, ""},
		{"smtp://u:p@mail.example.org:587/?from=a@example.org&to=b@example.org", KindEmail, ""},
		{"smtps://mail.example.org/?from=a@example.org&to=b@example.org,c@example.org", KindEmail, ""},
		{"smtp://mail.example.org/?to=b@example.org", "", "from="},
		{"smtp://mail.example.org/?from=a@example.org&to=b@example.org&tls=maybe", "", "tls=maybe"},
		{"telegram://123456:ABCdef@telegram?chats=@channel", KindChat, ""},
		{"ntfy://ntfy.sh/pubwatch-news", KindChat, ""},
		{"generic+https://example.org/hook", KindChat, ""},
		{"gopher://example.org/", "", "unknown scheme"},
		{"hooks.example.org/pw", "", "needs a scheme"},
	} {
		kind, err := KindOf(c.url)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want one saying %q", c.url, err, c.err)
			}
			continue
		}
		if err != nil || kind != c.kind {
			t.Errorf("%s: %q, %v; want %q", c.url, kind, err, c.kind)
		}
	}
}

func TestWebhook(t *testing.T) {
	var mu sync.Mutex
	var got *http.Request
	var body []byte
	fail := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		got, body = r, must(io.ReadAll(r.Body))
		if fail {
			http.Error(w, "receiver busy, token=tok3n-v4lue", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	tg := &Target{Name: "hook", Kind: KindWebhook, URL: srv.URL + "/pw?token=${T}", SendURL: srv.URL + "/pw?token=tok3n-v4lue",
		Secret: "s3cret", Secrets: []string{"tok3n-v4lue", "s3cret"}}
	d := Delivery{ID: "3f9a1c2b7d4e-hook", Run: sampleRun(2)}
	answer, err := tg.Send(context.Background(), d)
	if err == nil || !strings.Contains(err.Error(), "500") {
		t.Fatalf("a 500 is not delivered: %q, %v", answer, err)
	}
	if strings.Contains(err.Error()+answer, "tok3n-v4lue") {
		t.Errorf("the secret shows: %v / %s", err, answer)
	}
	first := append([]byte(nil), body...)
	fail = false
	if answer, err = tg.Send(context.Background(), d); err != nil || !strings.HasPrefix(answer, "202") {
		t.Fatalf("delivered: %q, %v", answer, err)
	}
	if got.Header.Get(HeaderDelivery) != d.ID || got.Header.Get(HeaderEvents) != "3" {
		t.Errorf("headers %v", got.Header)
	}
	if got.Header.Get(HeaderSignature) != Sign("s3cret", body) || !strings.HasPrefix(Sign("s3cret", body), "sha256=") {
		t.Errorf("signature %q", got.Header.Get(HeaderSignature))
	}
	if !bytes.Equal(first, body) {
		t.Error("a retry sent another body")
	}
	if !strings.Contains(string(body), `"run_id": "3f9a1c2b7d4e"`) || strings.Contains(string(body), "javascript:") {
		t.Errorf("body is not the JSON report with safe links:\n%s", body)
	}
	// Unreachable: the error names no URL.
	tg.SendURL = "http://127.0.0.1:1/pw?token=tok3n-v4lue"
	if _, err := tg.Send(context.Background(), d); err == nil || strings.Contains(err.Error(), "tok3n") {
		t.Errorf("unreachable: %v", err)
	}
}

// smtpBackend keeps the messages an in-process SMTP server receives.
type smtpBackend struct {
	mu       sync.Mutex
	messages [][]byte
	rcpts    []string
}

func (b *smtpBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{b: b}, nil }

type smtpSession struct{ b *smtpBackend }

func (s *smtpSession) Reset()                               {}
func (s *smtpSession) Logout() error                        { return nil }
func (s *smtpSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.b.rcpts = append(s.b.rcpts, to)
	return nil
}
func (s *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.b.mu.Lock()
	s.b.messages = append(s.b.messages, b)
	s.b.mu.Unlock()
	return err
}

// startSMTP starts an SMTP server on loopback offering STARTTLS with the
// certificate of an httptest TLS server, which the client is told to
// trust.
func startSMTP(t *testing.T) (*smtpBackend, string) {
	ts := httptest.NewTLSServer(http.NotFoundHandler())
	t.Cleanup(ts.Close)
	pool := x509.NewCertPool()
	pool.AddCert(ts.Certificate())
	old := emailOptions
	emailOptions = []gomail.Option{gomail.WithTLSConfig(&tls.Config{RootCAs: pool, ServerName: "127.0.0.1"})}
	t.Cleanup(func() { emailOptions = old })

	be := &smtpBackend{}
	srv := smtp.NewServer(be)
	srv.Domain = "localhost"
	srv.TLSConfig = &tls.Config{Certificates: ts.TLS.Certificates}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return be, l.Addr().String()
}

func TestEmail(t *testing.T) {
	be, addr := startSMTP(t)
	host, port, _ := net.SplitHostPort(addr)
	tg := &Target{Name: "desk", Kind: KindEmail,
		SendURL: fmt.Sprintf("smtp://%s:%s/?from=pubwatch@example.org&to=desk@example.org,night@example.org", host, port)}
	d := Delivery{ID: "3f9a1c2b7d4e-desk", Run: sampleRun(2), ReportLink: "https://reports.example.org/r/report.html"}
	answer, err := tg.Send(context.Background(), d)
	if err != nil {
		t.Fatalf("STARTTLS: %v", err)
	}
	if !strings.Contains(answer, "accepted by") {
		t.Errorf("answer %q", answer)
	}
	if len(be.messages) != 1 || len(be.rcpts) != 2 {
		t.Fatalf("%d messages to %v", len(be.messages), be.rcpts)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(be.messages[0]))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if subject != "pubwatch: 2 new, 1 changed: kcna-top" {
		t.Errorf("subject %q", subject)
	}
	if !strings.Contains(msg.Header.Get("Message-Id"), d.ID) {
		t.Errorf("Message-ID %q does not carry the delivery id", msg.Header.Get("Message-Id"))
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("content type %q, %v", mt, err)
	}
	parts := map[string]string{}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		b, _ := io.ReadAll(decodePart(p))
		parts[ct] = string(b)
	}
	text, html := parts["text/plain"], parts["text/html"]
	if !strings.Contains(text, "Delegation") || !strings.Contains(text, d.ReportLink) || !strings.Contains(text, "会谈开始 — بدء المحادثات") {
		t.Errorf("text part:\n%s", text)
	}
	if !strings.Contains(html, "style=") || !strings.Contains(html, "会谈开始") || !strings.Contains(html, "&lt;b&gt;0&lt;/b&gt;") || strings.Contains(html, "<b>0</b>") {
		t.Errorf("HTML part without inline styles or with page markup unescaped:\n%.2000s", html)
	}
	if strings.Contains(html, "javascript:") {
		t.Error("HTML part links a javascript: URL")
	}
}

// decodePart undoes a part's transfer encoding.
func decodePart(p *multipart.Part) io.Reader {
	switch strings.ToLower(p.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		return p // multipart.Part decodes quoted-printable itself
	case "base64":
		return base64Reader(p)
	}
	return p
}

func TestEmailRefusesPlainWithoutTLS(t *testing.T) {
	be := &smtpBackend{}
	srv := smtp.NewServer(be)
	srv.Domain = "localhost"
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	defer srv.Close()
	host, port, _ := net.SplitHostPort(l.Addr().String())
	tg := &Target{Name: "desk", Kind: KindEmail, SendURL: fmt.Sprintf("smtp://%s:%s/?from=a@example.org&to=b@example.org", host, port)}
	if _, err := tg.Send(context.Background(), Delivery{ID: "x", Run: sampleRun(1)}); err == nil {
		t.Error("a server without STARTTLS was used although TLS is required")
	}
	tg.SendURL += "&tls=none"
	if _, err := tg.Send(context.Background(), Delivery{ID: "x", Run: sampleRun(1)}); err != nil || len(be.messages) != 1 {
		t.Errorf("tls=none: %v, %d messages", err, len(be.messages))
	}
}

func TestChatThroughGenericWebhook(t *testing.T) {
	var mu sync.Mutex
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		got = string(must(io.ReadAll(r.Body)))
	}))
	defer srv.Close()
	tg := &Target{Name: "chat", Kind: KindChat, SendURL: "generic+" + srv.URL + "/hook"}
	if _, err := KindOf(tg.SendURL); err != nil {
		t.Fatal(err)
	}
	answer, err := tg.Send(context.Background(), Delivery{ID: "r-chat", Run: sampleRun(3), ReportLink: "reports/r/report.html"})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, want := range []string{"pubwatch: 3 new, 1 changed: kcna-top", "kcna-top: new: Delegation <b>0</b> arrives for talks https://news.example.org/0.html",
		"kcna-top: changed (headline changed): Talks begin — 会谈开始 — بدء المحادثات", "Report: reports/r/report.html"} {
		if !strings.Contains(got, want) {
			t.Errorf("the message lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "javascript:") {
		t.Error("the digest carries a javascript: link")
	}
	if !strings.HasPrefix(answer, "sent") {
		t.Errorf("answer %q", answer)
	}
}

func TestDigestFitsTheService(t *testing.T) {
	d := Delivery{ID: "r", Run: sampleRun(200), ReportLink: "https://reports.example.org/r/report.html"}
	for _, service := range []string{"discord://token@id", "pushover://shoutrrr:token@user/", "telegram://1:tok@telegram?chats=@c"} {
		limit := chatLimit(service)
		msg := Digest(d, limit)
		if n := utf8.RuneCountInString(msg); n > limit {
			t.Errorf("%s: %d characters, over %d", service, n, limit)
		}
		if !strings.Contains(msg, " more") || !strings.HasSuffix(msg, d.ReportLink) {
			t.Errorf("%s: no '… and N more' or no link:\n%s", service, msg)
		}
	}
	if msg := Digest(Delivery{Run: sampleRun(1)}, 4000); strings.Contains(msg, "more") {
		t.Errorf("a short digest says there is more:\n%s", msg)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func base64Reader(r io.Reader) io.Reader { return base64.NewDecoder(base64.StdEncoding, r) }

// TestSubject: every kind of event counted, interrupted runs' entries too,
// each source named once.
func TestSubject(t *testing.T) {
	r := sampleRun(2)
	r.Sources = append(r.Sources,
		reports.Source{Name: "rodong", Status: reports.StatusError, Transition: reports.TransitionFailing},
		reports.Source{Name: "kcna-top", Status: reports.StatusFirst, FoundBy: "aaaaaaaaaaaa"},
		reports.Source{Name: "yonhap", Status: reports.StatusUnchanged, Transition: reports.TransitionRecovered})
	want := "2 new, 1 changed, 1 new baseline, 1 failing, 1 recovered: kcna-top, rodong, yonhap"
	if got := Subject(r); got != want {
		t.Errorf("subject %q, want %q", got, want)
	}
}
