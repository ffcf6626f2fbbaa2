package snapshot

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/gogs/chardet"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/transform"
)

// toUTF8 decodes a page to UTF-8. The charset comes from, in order: a BOM
// or the Content-Type header; the page itself when it is valid UTF-8 (no
// work at all); a <meta> declaration; a statistical guess (chardet);
// windows-1252, as browsers do. A page declared UTF-8 with a few invalid
// bytes stays UTF-8, the bytes replaced by U+FFFD.
func toUTF8(body []byte, contentType string) ([]byte, string) {
	enc, name, certain := charset.DetermineEncoding(body, contentType)
	if certain && name != "utf-8" {
		return decodeWith(enc, body), name
	}
	if utf8.Valid(body) {
		return body, "utf-8"
	}
	declared := name
	if !certain {
		declared = metaCharset(body)
	}
	switch {
	case declared == "utf-8" && mostlyUTF8(body, 1):
		return bytes.ToValidUTF8(body, []byte("\uFFFD")), "utf-8"
	case declared != "" && declared != "utf-8":
		if e, err := htmlindex.Get(declared); err == nil {
			return decodeWith(e, body), declared
		}
	}
	if r, err := chardet.NewHtmlDetector().DetectBest(body); err == nil && r.Confidence >= 30 {
		if e, err := htmlindex.Get(r.Charset); err == nil {
			n, _ := htmlindex.Name(e)
			return decodeWith(e, body), n
		}
	}
	if mostlyUTF8(body, 100) {
		return bytes.ToValidUTF8(body, []byte("\uFFFD")), "utf-8"
	}
	return decodeWith(charmap.Windows1252, body), "windows-1252"
}

// metaCharset returns the charset a <meta> tag declares, or "".
func metaCharset(body []byte) string {
	_, name, _ := charset.DetermineEncoding(body, "")
	if name != "windows-1252" && name != "utf-8" {
		return name
	}
	// DetermineEncoding also answers these when nothing is declared; only
	// believe them if the page says so.
	head := strings.ToLower(string(body[:min(len(body), 1024)]))
	for _, alias := range []string{"1252", "8859-1", "latin1", "ascii"} {
		if strings.Contains(head, alias) && name == "windows-1252" {
			return name
		}
	}
	if name == "utf-8" || strings.Contains(head, "utf-8") || strings.Contains(head, "utf8") {
		if strings.Contains(head, "charset") {
			return "utf-8"
		}
	}
	return ""
}

// mostlyUTF8 reports whether b has valid multi-byte UTF-8 sequences and
// at most one invalid byte for every ratio of them. A page in a legacy
// encoding has almost no valid multi-byte sequences.
func mostlyUTF8(b []byte, ratio int) bool {
	bad, multi := 0, 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && size == 1:
			bad++
		case size > 1:
			multi++
		}
		b = b[size:]
	}
	return multi > 0 && bad*ratio <= multi
}

func decodeWith(e encoding.Encoding, body []byte) []byte {
	out, _, err := transform.Bytes(e.NewDecoder(), body)
	if err != nil {
		return bytes.ToValidUTF8(body, []byte("\uFFFD"))
	}
	return out
}
