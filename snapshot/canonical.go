package snapshot

import (
	"maps"
	"net/url"
	"slices"
	"sort"
	"strings"
)

// trackingParams are query parameters that say how a reader came to a link,
// not which page it is. Keys ending in * match by prefix.
var trackingParams = []string{
	"utm_*", "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid",
	"_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_enc_id", "oly_anon_id", "vero_id", "wickedid",
	"ref_src", "cmpid", "ncid", "sr_share", "at_medium", "at_campaign", "ito", "xtor",
	"jsessionid", "phpsessid", "sid", "sessionid", "session_id", "aspsessionid", "cfid", "cftoken",
}

// Canonicalizer makes item URLs comparable: absolute, fragment and
// tracking parameters dropped, host lowercased, default port dropped,
// parameters in a stable order.
type Canonicalizer struct {
	// Extra holds more parameters to drop (prefix matches end in *).
	Extra []string
}

func (c Canonicalizer) drop(key string) bool {
	k := strings.ToLower(key)
	for _, list := range [][]string{trackingParams, c.Extra} {
		for _, p := range list {
			p = strings.ToLower(p)
			if prefix, ok := strings.CutSuffix(p, "*"); ok && strings.HasPrefix(k, prefix) || k == p {
				return true
			}
		}
	}
	return false
}

// URL canonicalizes an absolute URL.
func (c Canonicalizer) URL(u *url.URL) *url.URL {
	out := *u
	out.Fragment, out.RawFragment = "", ""
	out.Host = strings.ToLower(out.Host)
	if h, p, ok := strings.Cut(out.Host, ":"); ok && (out.Scheme == "http" && p == "80" || out.Scheme == "https" && p == "443") {
		out.Host = h
	}
	if strings.Contains(out.Path, ";") {
		// Session ids in path parameters: /page;jsessionid=…
		if i := strings.Index(strings.ToLower(out.Path), ";jsessionid="); i >= 0 {
			out.Path = out.Path[:i]
			out.RawPath = ""
		}
	}
	if out.RawQuery != "" {
		q := out.Query()
		for k := range q {
			if c.drop(k) {
				q.Del(k)
			}
		}
		keys := slices.Sorted(maps.Keys(q))
		var parts []string
		for _, k := range keys {
			vals := q[k]
			sort.Strings(vals)
			for _, v := range vals {
				parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
			}
		}
		out.RawQuery = strings.Join(parts, "&")
		out.ForceQuery = false
	}
	return &out
}
