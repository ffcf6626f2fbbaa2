package config

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

func buildFetch(raw *rawConfig, f *Fetch) []string {
	var p []string
	rf := &raw.Fetch
	f.PerHost, f.MaxRedirects, f.Retries, f.DenyPrivateNetworks = rf.PerHost, rf.MaxRedirects, rf.Retries, rf.DenyPrivateNetworks
	if f.PerHost < 1 || f.PerHost > 64 {
		p = append(p, fmt.Sprintf("fetch.per_host: %d is out of range (1 to 64)", f.PerHost))
	}
	if f.MaxRedirects < 0 || f.MaxRedirects > 50 {
		p = append(p, fmt.Sprintf("fetch.max_redirects: %d is out of range (0 to 50)", f.MaxRedirects))
	}
	if f.Retries < 0 || f.Retries > 10 {
		p = append(p, fmt.Sprintf("fetch.retries: %d is out of range (0 to 10)", f.Retries))
	}
	var err error
	if f.HostDelay, err = parseNonNegativeDuration(rf.HostDelay); err != nil {
		p = append(p, "fetch.host_delay: "+err.Error())
	}
	if f.RequestTimeout, err = parseNonNegativeDuration(rf.RequestTimeout); err != nil {
		p = append(p, "fetch.request_timeout: "+err.Error())
	}
	if f.MaxBody, err = parseSize(rf.MaxBody); err != nil {
		p = append(p, "fetch.max_body: "+err.Error())
	}
	return p
}

func parseNonNegativeDuration(s string) (time.Duration, error) {
	if d, err := time.ParseDuration(strings.TrimSpace(s)); err == nil && d >= 0 {
		return d, nil
	}
	return 0, fmt.Errorf("%q is not a duration (e.g. 0s, 500ms, 2s)", s)
}

// parseSize reads a byte size: a number with an optional unit (B, KB, KiB,
// MB, MiB, GB, GiB).
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	num, unit := s, ""
	if i >= 0 {
		num, unit = s[:i], strings.TrimSpace(s[i:])
	}
	n, err := strconv.ParseFloat(num, 64)
	mult := map[string]float64{"": 1, "b": 1, "kb": 1e3, "kib": 1 << 10, "k": 1 << 10, "mb": 1e6, "mib": 1 << 20, "m": 1 << 20, "gb": 1e9, "gib": 1 << 30, "g": 1 << 30}[strings.ToLower(unit)]
	if err != nil || mult == 0 || n <= 0 {
		return 0, fmt.Errorf("%q is not a size (e.g. 10MiB, 512KiB)", s)
	}
	return int64(n * mult), nil
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expand replaces ${VAR} with the environment's value, collecting the values
// as secrets. A reference to an unset variable is a problem.
func expand(s string, secrets *[]string) (string, error) {
	var missing []string
	out := envRef.ReplaceAllStringFunc(s, func(m string) string {
		name := envRef.FindStringSubmatch(m)[1]
		v, ok := os.LookupEnv(name)
		if !ok {
			missing = append(missing, name)
			return m
		}
		if v != "" {
			*secrets = append(*secrets, v)
		}
		return v
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("environment variable %s is not set", strings.Join(missing, ", "))
	}
	return out, nil
}

// casedMaps copies each source's headers and cookies as the YAML wrote them:
// viper folds map keys to lower case, and cookie names are case-sensitive.
func casedMaps(file map[string]any) []map[string]map[string]string {
	list, _ := file["sources"].([]any)
	out := make([]map[string]map[string]string, len(list))
	for i, e := range list {
		m, _ := e.(map[string]any)
		for _, key := range []string{"headers", "cookies"} {
			src, ok := m[key].(map[string]any)
			if !ok {
				continue
			}
			if out[i] == nil {
				out[i] = map[string]map[string]string{}
			}
			kv := make(map[string]string, len(src))
			for k, v := range src {
				kv[k] = fmt.Sprint(v)
			}
			out[i][key] = kv
		}
	}
	return out
}

// applyCasedMaps puts the headers and cookies back as written.
func applyCasedMaps(raw *rawConfig, cased []map[string]map[string]string) {
	for i := range raw.Sources {
		if i >= len(cased) || cased[i] == nil {
			continue
		}
		if h, ok := cased[i]["headers"]; ok {
			raw.Sources[i].Headers = h
		}
		if c, ok := cased[i]["cookies"]; ok {
			raw.Sources[i].Cookies = c
		}
	}
}

// ParseDuration reads a duration as the config does: Go durations ("90s",
// "1h30m") or whole days ("90d").
func ParseDuration(s string) (time.Duration, error) { return parseDuration(s) }
