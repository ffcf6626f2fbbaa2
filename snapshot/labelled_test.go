package snapshot

import (
	"net/url"
	"testing"

	"github.com/pubwatch/pubwatch/snapshot/labelled"
)

// ListingScore is item precision and recall on title and link.
func listingScore(t *testing.T) (precision, recall float64) {
	t.Helper()
	var tp, fp, fn int
	for _, p := range labelled.Pages() {
		doc, err := Parse([]byte(p.HTML), "text/html")
		if err != nil {
			t.Fatal(err)
		}
		base, _ := url.Parse(p.URL)
		want := map[string]bool{}
		for _, it := range p.Items {
			want[it.Title+" "+it.URL] = true
		}
		got := map[string]bool{}
		if ls := FindListings(doc, base); len(ls) > 0 {
			for _, it := range ls[0].Items {
				got[it.Title+" "+it.URL] = true
			}
		}
		ptp, pfp, pfn := 0, 0, 0
		for k := range got {
			if want[k] {
				ptp++
			} else {
				pfp++
			}
		}
		for k := range want {
			if !got[k] {
				pfn++
			}
		}
		if pfp+pfn > 0 {
			t.Logf("%s: %d right, %d wrong, %d missed", p.Name, ptp, pfp, pfn)
		}
		tp, fp, fn = tp+ptp, fp+pfp, fn+pfn
	}
	return float64(tp) / float64(max(tp+fp, 1)), float64(tp) / float64(max(tp+fn, 1))
}

// Listing detection on the labelled set: F1 at least 0.97 on title+link.
func TestListingDetectionLabelled(t *testing.T) {
	p, r := listingScore(t)
	f1 := 2 * p * r / (p + r)
	t.Logf("labelled listings: precision %.3f recall %.3f F1 %.3f over %d pages", p, r, f1, len(labelled.Pages()))
	if f1 < 0.97 {
		t.Errorf("F1 %.3f is below 0.97", f1)
	}
}
