package snapshot

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestZZAnc(t *testing.T) {
	b, _ := os.ReadFile(os.Getenv("F"))
	root, _ := html.Parse(bytes.NewReader(b))
	want := os.Getenv("S")
	for n := range root.Descendants() {
		if n.Type == html.TextNode && strings.Contains(n.Data, want) {
			for p := n.Parent; p != nil && p.Type == html.ElementNode; p = p.Parent {
				fmt.Printf("%s class=%q id=%q words=%d\n", p.Data, attr(p, "class"), attr(p, "id"), WordCount(nodeText(p)))
			}
			break
		}
	}
}
