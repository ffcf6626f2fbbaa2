package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/vanng822/go-premailer/premailer"
	"github.com/wneessen/go-mail"

	"github.com/pubwatch/pubwatch/reports"
)

// smtpTarget is an smtp:// or smtps:// URL read:
// smtp://user:pass@host:587/?from=a@example.org&to=b@example.org,c@example.org
// smtp:// uses STARTTLS, required unless tls=opportunistic or tls=none
// (a relay on the same machine); smtps:// uses implicit TLS.
type smtpTarget struct {
	host      string
	port      int
	user      string
	password  string
	from      string
	to        []string
	implicit  bool
	tlsPolicy mail.TLSPolicy
}

func parseSMTP(u *url.URL) (*smtpTarget, error) {
	t := &smtpTarget{host: u.Hostname(), implicit: strings.EqualFold(u.Scheme, "smtps")}
	if t.host == "" {
		return nil, errors.New("an smtp URL needs a host")
	}
	t.port = 587
	if t.implicit {
		t.port = 465
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("port %q is not a port", p)
		}
		t.port = n
	}
	if u.User != nil {
		t.user = u.User.Username()
		t.password, _ = u.User.Password()
	}
	q := u.Query()
	t.from = q.Get("from")
	if t.from == "" {
		return nil, errors.New("an smtp URL needs ?from=address")
	}
	for _, v := range q["to"] {
		for _, a := range strings.Split(v, ",") {
			if a = strings.TrimSpace(a); a != "" {
				t.to = append(t.to, a)
			}
		}
	}
	if len(t.to) == 0 {
		return nil, errors.New("an smtp URL needs ?to=address (several: comma-separated)")
	}
	switch tlsMode := strings.ToLower(q.Get("tls")); tlsMode {
	case "", "required", "starttls":
		t.tlsPolicy = mail.TLSMandatory
	case "opportunistic":
		t.tlsPolicy = mail.TLSOpportunistic
	case "none":
		t.tlsPolicy = mail.NoTLS
	default:
		return nil, fmt.Errorf("tls=%s is not one of required, opportunistic, none", tlsMode)
	}
	if t.implicit && t.tlsPolicy != mail.TLSMandatory {
		return nil, errors.New("smtps:// is always TLS; use smtp:// for tls=" + q.Get("tls"))
	}
	return t, nil
}

// emailOptions are the mail client's options for a target; tests add a
// TLS configuration that trusts their own server.
var emailOptions []mail.Option

// sendEmail sends one multipart/alternative message: the text report
// first, the HTML report (with its CSS inlined, as mail clients need)
// preferred.
func (t *Target) sendEmail(ctx context.Context, d Delivery) (string, error) {
	u, err := url.Parse(t.SendURL)
	if err != nil {
		return "", errors.New("not a URL")
	}
	st, err := parseSMTP(u)
	if err != nil {
		return "", err
	}
	msg, err := EmailMessage(st.from, st.to, d)
	if err != nil {
		return "", err
	}
	opts := []mail.Option{mail.WithPort(st.port), mail.WithTLSPolicy(st.tlsPolicy)}
	if st.implicit {
		opts = []mail.Option{mail.WithPort(st.port), mail.WithSSL()}
	}
	if st.user != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(st.user), mail.WithPassword(st.password))
	}
	opts = append(opts, emailOptions...)
	c, err := mail.NewClient(st.host, opts...)
	if err != nil {
		return "", err
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return "", err
	}
	return fmt.Sprintf("accepted by %s:%d for %s", st.host, st.port, strings.Join(st.to, ", ")), nil
}

// EmailMessage builds the message of a delivery.
func EmailMessage(from string, to []string, d Delivery) (*mail.Msg, error) {
	m := mail.NewMsg()
	if err := m.From(from); err != nil {
		return nil, fmt.Errorf("from: %w", err)
	}
	if err := m.To(to...); err != nil {
		return nil, fmt.Errorf("to: %w", err)
	}
	m.Subject("pubwatch: " + Subject(d.Run))
	// The delivery's id names the message: a retry after a lost answer
	// is the same message, which mail systems drop as a duplicate.
	m.SetMessageIDWithValue(d.ID + "@pubwatch")
	m.SetDateWithValue(d.Run.FinishedAt)
	m.SetGenHeader("X-Pubwatch-Delivery", d.ID)
	var text, page bytes.Buffer
	if err := reports.Render(&text, reports.FormatMarkdown, d.Run); err != nil {
		return nil, err
	}
	if d.ReportLink != "" {
		text.WriteString("\nReport: " + d.ReportLink + "\n")
	}
	if err := reports.Render(&page, reports.FormatHTML, d.Run); err != nil {
		return nil, err
	}
	inlined, err := inlineCSS(page.String())
	if err != nil {
		return nil, err
	}
	m.SetBodyString(mail.TypeTextPlain, text.String())
	m.AddAlternativeString(mail.TypeTextHTML, inlined)
	return m, nil
}

// inlineCSS moves the report's style sheet into style attributes; what
// cannot be inlined (dark mode's media query) stays in the head.
func inlineCSS(page string) (string, error) {
	p, err := premailer.NewPremailerFromString(page, premailer.NewOptions(premailer.WithCssToAttributes(false)))
	if err != nil {
		return "", fmt.Errorf("inlining the report's CSS: %w", err)
	}
	out, err := p.Transform()
	if err != nil {
		return "", fmt.Errorf("inlining the report's CSS: %w", err)
	}
	return out, nil
}
