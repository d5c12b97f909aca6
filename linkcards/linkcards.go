// Package linkcards reads the preview of a linked page — title,
// description, image and site name — from its Open Graph and Twitter card
// tags, its <title> and description, and its oEmbed answer where the page
// offers one. Every request goes through package outbound.
package linkcards

import (
	"bytes"
	"context"
	"encoding/json"
	"mime"
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"

	"starling"
	"starling/outbound"
)

// Fetcher implements starling.CardFetcher.
type Fetcher struct{ Client *outbound.Client }

var _ starling.CardFetcher = Fetcher{}

// Fetch implements starling.CardFetcher.
func (f Fetcher) Fetch(ctx context.Context, link string) (*starling.CardData, error) {
	res, err := f.Client.Get(ctx, link, "text/html,application/xhtml+xml")
	if err != nil {
		return nil, err
	}
	if ct, _, _ := mime.ParseMediaType(res.ContentType); ct != "text/html" && ct != "application/xhtml+xml" {
		return nil, starling.Errorf(starling.EINVALID, "not a web page: %s", ct)
	}
	c := parse(res.Body, res.URL)
	c.URL = link
	if c.OEmbed != "" {
		f.addOEmbed(ctx, c)
	}
	if c.Title == "" {
		return nil, starling.Errorf(starling.EINVALID, "the page has no title")
	}
	if c.ImageURL != "" {
		if img, err := f.Client.Get(ctx, c.ImageURL, "image/*"); err == nil {
			c.Image = img.Body
		}
	}
	return &c.CardData, nil
}

// page is what the HTML says about itself.
type page struct {
	starling.CardData
	OEmbed string // the oEmbed JSON endpoint the page names
}

// parse reads the tags of a page at base.
func parse(body []byte, base *url.URL) *page {
	p := &page{}
	meta := map[string]string{}
	var title string
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return p
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "title":
				if title == "" && n.FirstChild != nil {
					title = n.FirstChild.Data
				}
			case "meta":
				key := strings.ToLower(attr(n, "property"))
				if key == "" {
					key = strings.ToLower(attr(n, "name"))
				}
				if _, seen := meta[key]; key != "" && !seen {
					meta[key] = attr(n, "content")
				}
			case "link":
				if strings.EqualFold(attr(n, "rel"), "alternate") && attr(n, "type") == "application/json+oembed" && p.OEmbed == "" {
					p.OEmbed = resolve(base, attr(n, "href"))
				}
			case "body":
				return // the tags we read are in the head
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	first := func(keys ...string) string {
		for _, k := range keys {
			if v := clean(meta[k]); v != "" {
				return v
			}
		}
		return ""
	}
	p.Title = limit(first("og:title", "twitter:title"), 200)
	if p.Title == "" {
		p.Title = limit(clean(title), 200)
	}
	p.Description = limit(first("og:description", "twitter:description", "description"), 400)
	p.ProviderName = limit(first("og:site_name", "application-name"), 100)
	p.AuthorName = limit(first("author", "article:author"), 100)
	if img := first("og:image:secure_url", "og:image", "twitter:image", "twitter:image:src"); img != "" {
		p.ImageURL = resolve(base, img)
	}
	return p
}

// addOEmbed takes the title, author and provider from the page's oEmbed
// answer, which sites such as video hosts fill in better than their tags.
// Its HTML (an iframe) is not used: cards link, they do not embed.
func (f Fetcher) addOEmbed(ctx context.Context, p *page) {
	res, err := f.Client.Get(ctx, p.OEmbed, "application/json")
	if err != nil {
		return
	}
	var o struct {
		Title        string `json:"title"`
		AuthorName   string `json:"author_name"`
		ProviderName string `json:"provider_name"`
		ThumbnailURL string `json:"thumbnail_url"`
	}
	if json.Unmarshal(res.Body, &o) != nil {
		return
	}
	if t := limit(clean(o.Title), 200); t != "" {
		p.Title = t
	}
	if a := limit(clean(o.AuthorName), 100); a != "" {
		p.AuthorName = a
	}
	if pr := limit(clean(o.ProviderName), 100); pr != "" {
		p.ProviderName = pr
	}
	if p.ImageURL == "" && o.ThumbnailURL != "" {
		p.ImageURL = resolve(res.URL, o.ThumbnailURL)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// resolve makes ref absolute against base; only http(s) results are kept.
func resolve(base *url.URL, ref string) string {
	u, err := base.Parse(strings.TrimSpace(ref))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return u.String()
}

// clean collapses white space and drops text that is not valid UTF-8.
func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "")
	}
	return strings.Join(strings.Fields(s), " ")
}

func limit(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
