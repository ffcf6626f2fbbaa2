package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/pubwatch/pubwatch/reports"
)

// The headers of a webhook delivery.
const (
	// HeaderDelivery carries the delivery's id, the same on every retry:
	// a receiver that saw it already can drop the body.
	HeaderDelivery = "X-Pubwatch-Delivery"
	// HeaderSignature is "sha256=" and the hex HMAC-SHA256 of the body
	// under the target's secret (only with a secret).
	HeaderSignature = "X-Pubwatch-Signature-256"
	// HeaderEvents counts the events in the body.
	HeaderEvents = "X-Pubwatch-Events"
)

// UserAgent is sent with every webhook request.
var UserAgent = "pubwatch"

// Sign returns the signature header's value for body under secret.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// client is the webhooks' HTTP client; its requests are bounded by the
// context of each attempt.
var client = &http.Client{CheckRedirect: func(req *http.Request, via []*http.Request) error {
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return fmt.Errorf("redirect to a %s: URL refused", req.URL.Scheme)
	}
	if len(via) >= 5 {
		return errors.New("stopped after 5 redirects")
	}
	return nil
}}

// sendWebhook POSTs the run's JSON report; any 2xx is delivered.
func (t *Target) sendWebhook(ctx context.Context, d Delivery) (string, error) {
	var body bytes.Buffer
	if err := reports.JSON(&body, d.Run); err != nil {
		return "", fmt.Errorf("rendering the JSON report: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.SendURL, bytes.NewReader(body.Bytes()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set(HeaderDelivery, d.ID)
	req.Header.Set(HeaderEvents, strconv.Itoa(d.Run.Counts().Events))
	if t.Secret != "" {
		req.Header.Set(HeaderSignature, Sign(t.Secret, body.Bytes()))
	}
	resp, err := client.Do(req)
	if err != nil {
		// url.Error names the URL, which may hold a secret: keep its cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", fmt.Errorf("POST: %w", err)
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	answer := resp.Status
	if s := strings.TrimSpace(strings.ToValidUTF8(string(head), "")); s != "" {
		answer += ": " + oneLine(s, 200)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return answer, fmt.Errorf("HTTP %s", answer)
	}
	return answer, nil
}

// oneLine folds s into one line of at most n runes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
