package notify

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/nicholas-fedor/shoutrrr/pkg/router"
	"github.com/nicholas-fedor/shoutrrr/pkg/types"

	"github.com/pubwatch/pubwatch/reports"
	"github.com/pubwatch/pubwatch/snapshot"
)

// Subject says in a line what a run's events are: "3 new, 1 changed:
// kcna-top, rodong".
func Subject(r *reports.Run) string {
	c := r.Counts()
	var parts []string
	for _, n := range []struct {
		n    int
		what string
	}{{c.New, "new"}, {c.ChangedItems, "changed"}, {c.Removed, "removed"}, {c.Reappeared, "reappeared"},
		{c.Moved, "moved"}, {c.Suppressed, "suppressed"}, {c.Baselines, "new baseline"},
		{c.Failing, "failing"}, {c.TurnedSuspect, "suspect"}, {c.Recovered, "recovered"}, {c.Attention, "needing attention"}} {
		if n.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n.n, n.what))
		}
	}
	if len(parts) == 0 {
		parts = []string{"no events"}
	}
	var names []string
	for _, s := range r.Sources {
		if !slices.Contains(names, s.Name) {
			names = append(names, s.Name)
		}
	}
	if len(names) > 3 {
		names = append(names[:3:3], fmt.Sprintf("%d more", len(names)-3))
	}
	return strings.Join(parts, ", ") + ": " + strings.Join(names, ", ")
}

// Digest is the short message a chat or push service gets: the subject,
// then a line an event, as many as fit in limit characters with "… and N
// more" and the report's link.
func Digest(d Delivery, limit int) string {
	var lines []string
	for _, a := range d.Run.Attention {
		lines = append(lines, "NEEDS ATTENTION "+a.Line())
	}
	for i := range d.Run.Sources {
		s, err := d.Run.Sources[i].Unpacked()
		if err != nil {
			continue
		}
		lines = append(lines, digestLines(&s)...)
	}
	head := "pubwatch: " + Subject(d.Run)
	var foot string
	if d.ReportLink != "" {
		foot = "Report: " + d.ReportLink
	}
	size := func(s string) int { return utf8.RuneCountInString(s) + 1 }
	used := size(head) + size(foot)
	var b strings.Builder
	b.WriteString(clip(head, limit))
	shown := 0
	for k, l := range lines {
		more := ""
		if left := len(lines) - k - 1; left > 0 {
			more = fmt.Sprintf("… and %d more", left)
		}
		if used+size(l)+size(more) > limit {
			break
		}
		b.WriteString("\n" + l)
		used += size(l)
		shown++
	}
	if left := len(lines) - shown; left > 0 {
		b.WriteString(fmt.Sprintf("\n… and %d more", left))
	}
	if foot != "" && utf8.RuneCountInString(b.String())+size(foot) <= limit {
		b.WriteString("\n" + foot)
	}
	return b.String()
}

// digestLines are a source's events, a line each.
func digestLines(s *reports.Source) []string {
	var out []string
	label := func(it snapshot.Item) string {
		t := oneLine(it.Title, 120)
		if t == "" {
			t = it.ID
		}
		if u := reports.SafeURL(it.URL); u != "" {
			t += " " + u
		}
		return t
	}
	switch s.Transition {
	case reports.TransitionFailing:
		out = append(out, fmt.Sprintf("%s: failing: %s", s.Name, oneLine(s.Error, 200)))
	case reports.TransitionSuspect:
		out = append(out, fmt.Sprintf("%s: suspect: %s", s.Name, oneLine(s.Reason, 200)))
	case reports.TransitionRecovered:
		out = append(out, fmt.Sprintf("%s: recovered", s.Name))
	case reports.TransitionAttention:
		out = append(out, fmt.Sprintf("%s: needs attention: %s", s.Name, oneLine(s.Error+s.Reason, 200)))
	}
	if s.Status == reports.StatusFirst {
		out = append(out, fmt.Sprintf("%s: baseline of %d items", s.Name, s.Items))
	}
	cs := &s.Changes
	for _, it := range cs.New {
		out = append(out, fmt.Sprintf("%s: new: %s", s.Name, label(it)))
	}
	for _, it := range cs.Reappeared {
		out = append(out, fmt.Sprintf("%s: reappeared: %s", s.Name, label(it)))
	}
	for _, c := range cs.Changed {
		out = append(out, fmt.Sprintf("%s: changed (%s): %s", s.Name, c.Summary, label(c.Item)))
	}
	for _, it := range cs.Removed {
		out = append(out, fmt.Sprintf("%s: removed (%s): %s", s.Name, cs.Reason(it), label(it)))
	}
	for _, m := range cs.Moved {
		out = append(out, fmt.Sprintf("%s: moved %d→%d: %s", s.Name, m.From+1, m.To+1, label(m.Item)))
	}
	for _, c := range cs.Suppressed {
		out = append(out, fmt.Sprintf("%s: suppressed (%s): %s", s.Name, c.Reason, label(c.Item)))
	}
	return out
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// chatLimits are the message limits of services that have small ones, in
// characters; others get defaultChatLimit.
var chatLimits = map[string]int{
	"discord": 2000, "telegram": 4096, "slack": 4000, "pushover": 1024, "ntfy": 4096,
	"gotify": 4000, "bark": 1000, "join": 1000, "ifttt": 1000, "signal": 2000,
	"mattermost": 4000, "rocketchat": 4000, "googlechat": 4000, "hangouts": 4000,
	"teams": 20000, "matrix": 20000, "zulip": 10000, "pushbullet": 4000, "lark": 4000,
	"wecom": 2000, "opsgenie": 10000, "pagerduty": 1000,
}

const defaultChatLimit = 4000

// chatLimit is the message limit of a service URL.
func chatLimit(rawURL string) int {
	u, err := url.Parse(rawURL)
	if err != nil {
		return defaultChatLimit
	}
	scheme, _, _ := strings.Cut(strings.ToLower(u.Scheme), "+")
	if n, ok := chatLimits[scheme]; ok {
		return n
	}
	return defaultChatLimit
}

// sendChat sends the digest through shoutrrr.
func (t *Target) sendChat(ctx context.Context, d Delivery) (string, error) {
	svc, err := (&router.ServiceRouter{}).Locate(t.SendURL)
	if err != nil {
		return "", err
	}
	msg := Digest(d, chatLimit(t.SendURL))
	params := types.Params{"title": "pubwatch: " + Subject(d.Run)}
	done := make(chan error, 1)
	go func() { done <- svc.Send(msg, &params) }()
	select {
	case err := <-done:
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("sent (%d characters)", utf8.RuneCountInString(msg)), nil
	case <-ctx.Done():
		return "", fmt.Errorf("no answer: %w", ctx.Err())
	}
}
