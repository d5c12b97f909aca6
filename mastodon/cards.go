package mastodon

import (
	"starling"
	"starling/server"
)

// PreviewCard is Mastodon's entity for a link preview.
type PreviewCard struct {
	URL              string  `json:"url"`
	Title            string  `json:"title"`
	Description      string  `json:"description"`
	Language         *string `json:"language"`
	Type             string  `json:"type"`
	AuthorName       string  `json:"author_name"`
	AuthorURL        string  `json:"author_url"`
	ProviderName     string  `json:"provider_name"`
	ProviderURL      string  `json:"provider_url"`
	HTML             string  `json:"html"`
	Width            int     `json:"width"`
	Height           int     `json:"height"`
	Image            *string `json:"image"`
	ImageDescription string  `json:"image_description"`
	EmbedURL         string  `json:"embed_url"`
	Blurhash         *string `json:"blurhash"`
	// Authors is Mastodon 4.3's list of the page's authors; here the one
	// the page names, if any.
	Authors []CardAuthor `json:"authors"`
}

// CardAuthor is an author of a linked page.
type CardAuthor struct {
	Name    string   `json:"name"`
	URL     string   `json:"url"`
	Account *Account `json:"account"`
}

// card renders a link preview; its picture is the copy kept here.
func (rr *renderer) card(c *starling.Card) *PreviewCard {
	if c == nil {
		return nil
	}
	out := &PreviewCard{URL: c.URL, Title: c.Title, Description: c.Description, Type: "link",
		AuthorName: c.AuthorName, ProviderName: c.ProviderName, Width: c.ImageWidth, Height: c.ImageHeight, Authors: []CardAuthor{}}
	if c.AuthorName != "" {
		out.Authors = append(out.Authors, CardAuthor{Name: c.AuthorName})
	}
	if c.ImageKey != "" {
		out.Image = ptr(rr.in.BaseURL + server.MediaPath + c.ImageKey)
	}
	if c.Blurhash != "" {
		out.Blurhash = &c.Blurhash
	}
	return out
}
