// Package notify delivers a run's events to people: a webhook that
// receives the JSON report, an email with the HTML and text reports, and
// chat and push services (through shoutrrr) that receive a short digest.
// It renders and sends; what to send, when, and how often to retry is the
// monitor's (the outbox lives in the store beside the events).
package notify

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/nicholas-fedor/shoutrrr/pkg/router"

	"github.com/pubwatch/pubwatch/reports"
)

// Kinds of target, told apart by the URL's scheme.
const (
	KindWebhook = "webhook" // http, https
	KindEmail   = "email"   // smtp, smtps
	KindChat    = "chat"    // a shoutrrr service: telegram, slack, discord, matrix, ntfy, …
)

// KindOf returns the kind of target a URL names, or an error saying why it
// names none. Chat URLs are checked by shoutrrr, which knows each
// service's form.
func KindOf(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", errors.New("not a URL")
	}
	switch scheme := strings.ToLower(u.Scheme); scheme {
	case "http", "https":
		if u.Host == "" {
			return "", errors.New("a webhook URL needs a host")
		}
		return KindWebhook, nil
	case "smtp", "smtps":
		if _, err := parseSMTP(u); err != nil {
			return "", err
		}
		return KindEmail, nil
	case "":
		return "", errors.New("needs a scheme: https:// for a webhook, smtp:// for email, or a service's (telegram://, slack://, ntfy://…)")
	default:
		if _, err := (&router.ServiceRouter{}).Locate(rawURL); err != nil {
			services := (&router.ServiceRouter{}).ListServices()
			slices.Sort(services)
			if service, _, _ := strings.Cut(scheme, "+"); !slices.Contains(services, service) {
				return "", fmt.Errorf("unknown scheme %q (http, https, smtp, smtps, %s)", scheme, strings.Join(services, ", "))
			}
			return "", fmt.Errorf("not a valid %s URL", scheme)
		}
		return KindChat, nil
	}
}

// Target is one configured notification target.
type Target struct {
	Name string
	// URL is the target's URL as configured, ${VAR} kept: safe to show.
	URL string
	// SendURL has the variables expanded.
	SendURL string
	Kind    string
	// Secret signs webhook bodies (HMAC-SHA256); empty: unsigned.
	Secret string
	// Secrets are every value that must never be shown: expanded
	// variables, passwords and tokens in the URL.
	Secrets []string
	// Timeout bounds one attempt.
	Timeout time.Duration
}

// Delivery is what one attempt sends: a run's events for one target.
type Delivery struct {
	// ID is the same on every retry of the delivery.
	ID  string
	Run *reports.Run
	// ReportLink is where the run's report can be read: a URL under
	// reports.url, else the report's path.
	ReportLink string
}

// Send delivers d to the target and returns what the target answered.
// Its errors never show a secret.
func (t *Target) Send(ctx context.Context, d Delivery) (string, error) {
	timeout := t.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var answer string
	var err error
	switch t.Kind {
	case KindWebhook:
		answer, err = t.sendWebhook(ctx, d)
	case KindEmail:
		answer, err = t.sendEmail(ctx, d)
	case KindChat:
		answer, err = t.sendChat(ctx, d)
	default:
		err = fmt.Errorf("unknown target kind %q", t.Kind)
	}
	return t.Redact(answer), t.redactErr(err)
}

// Redact replaces every secret of the target in s.
func (t *Target) Redact(s string) string {
	if t.SendURL != "" && t.SendURL != t.URL {
		s = strings.ReplaceAll(s, t.SendURL, t.URL)
	}
	for _, sec := range t.Secrets {
		if len(sec) >= 3 {
			s = strings.ReplaceAll(s, sec, "***")
			if esc := url.QueryEscape(sec); esc != sec {
				s = strings.ReplaceAll(s, esc, "***")
			}
		}
	}
	return s
}

func (t *Target) redactErr(err error) error {
	if err == nil {
		return nil
	}
	return errors.New(t.Redact(err.Error()))
}

// URLSecrets returns the parts of a target URL that are secrets whether or
// not they came from the environment: the user and password, query values
// named like keys or tokens.
func URLSecrets(rawURL string) []string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil
	}
	var out []string
	if u.User != nil {
		if n := u.User.Username(); n != "" {
			out = append(out, n)
		}
		if p, ok := u.User.Password(); ok && p != "" {
			out = append(out, p)
		}
	}
	for k, vs := range u.Query() {
		k = strings.ToLower(k)
		for _, word := range []string{"token", "key", "secret", "pass", "auth", "sig"} {
			if strings.Contains(k, word) {
				for _, v := range vs {
					if v != "" {
						out = append(out, v)
					}
				}
				break
			}
		}
	}
	return out
}
