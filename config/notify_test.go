package config

import (
	"slices"
	"strings"
	"testing"
)

func TestNotifyTargets(t *testing.T) {
	t.Setenv("HOOK_SECRET", "h00k-s3cret")
	t.Setenv("SMTP_PASSWORD", "m4il-pass")
	cfg := parse(t, `notify:
  - name: newsroom
    url: https://hooks.example.org/pw
    secret: ${HOOK_SECRET}
  - name: desk-mail
    url: smtp://user:${SMTP_PASSWORD}@mail.example.org:587/?from=pubwatch@example.org&to=desk@example.org
    events: [new, Changed]
    min_significance: 0.2
    max_age: 2d
  - name: chat
    url: telegram://123456:ABCdef@telegram?chats=@channel
    sources: ["kcna-*", rodong, "a,b;c=[x]*"]
sources: [{name: a, url: "https://x.org/"}]`)
	if len(cfg.Notify) != 3 {
		t.Fatalf("%d targets", len(cfg.Notify))
	}
	hook, mail, chat := &cfg.Notify[0], &cfg.Notify[1], &cfg.Notify[2]
	if hook.Kind != "webhook" || hook.Secret != "h00k-s3cret" || !slices.Contains(hook.Secrets, "h00k-s3cret") {
		t.Errorf("webhook %+v", hook)
	}
	if slices.Contains(hook.Events, EventSuppressed) || !slices.Contains(hook.Events, EventFailing) {
		t.Errorf("default events %v: all but suppressed", hook.Events)
	}
	if mail.Kind != "email" || strings.Contains(mail.URL, "m4il-pass") || !strings.Contains(mail.SendURL, "m4il-pass") ||
		!slices.Contains(mail.Secrets, "m4il-pass") || mail.MaxAge.Hours() != 48 {
		t.Errorf("email %+v", mail)
	}
	if !mail.Wants("a", EventChanged, 0.5) || mail.Wants("a", EventChanged, 0.1) || mail.Wants("a", EventRemoved, 1) {
		t.Error("events and min_significance not applied")
	}
	if chat.Kind != "chat" || !slices.Contains(chat.Secrets, "123456") || !slices.Contains(chat.Secrets, "ABCdef") {
		t.Errorf("chat %+v: its token is a secret", chat)
	}
	if !chat.Wants("kcna-top", EventNew, 1) || chat.Wants("yonhap", EventNew, 1) {
		t.Error("sources globs not applied")
	}
	if got := ParseFilter(chat.Filter()); !slices.Equal(got.Sources, chat.Sources) || !slices.Equal(got.Events, chat.Events) {
		t.Errorf("filter read back: %+v", got)
	}
	// A delivery's filter, read back, picks the same events.
	again := ParseFilter(mail.Filter())
	for _, c := range []struct {
		source, kind string
		sig          float64
	}{{"a", EventChanged, 0.5}, {"a", EventChanged, 0.1}, {"b", EventNew, 1}, {"b", EventBaseline, 1}} {
		if again.Wants(c.source, c.kind, c.sig) != mail.Wants(c.source, c.kind, c.sig) {
			t.Errorf("filter read back disagrees on %v", c)
		}
	}
}

func TestNotifyProblems(t *testing.T) {
	_, err := Parse([]byte(`notify:
  - name: a
    url: gopher://example.org/
  - name: a
    url: smtp://mail.example.org/?to=x@example.org
  - name: Bad Name
    url: https://h.example.org/?k=${UNSET_NOTIFY_VAR}
    events: [new, published]
    min_significance: 2
    max_age: soon
sources: [{name: s, url: "https://x.org/"}]`), "/tmp/p.yaml")
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`notify[0] "a": url: unknown scheme "gopher"`,
		`notify[1] "a": name: duplicate of notify[0]`,
		`notify[1] "a": url: an smtp URL needs ?from=address`,
		`notify[2] "Bad Name": name:`,
		`notify[2] "Bad Name": url: environment variable UNSET_NOTIFY_VAR is not set`,
		`notify[2] "Bad Name": events: unknown event "published"`,
		`notify[2] "Bad Name": min_significance: 2 is out of range`,
		`notify[2] "Bad Name": max_age: "soon" is not a duration`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("problems lack %q:\n%v", want, err)
		}
	}
}
