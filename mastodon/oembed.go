package mastodon

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"starling"
	"starling/server"
)

// oEmbed is the oEmbed 1.0 answer for a public post: what other sites use
// to show a preview card or embed it (https://oembed.com).
type oEmbed struct {
	Type         string `json:"type"`
	Version      string `json:"version"`
	Title        string `json:"title"`
	AuthorName   string `json:"author_name"`
	AuthorURL    string `json:"author_url"`
	ProviderName string `json:"provider_name"`
	ProviderURL  string `json:"provider_url"`
	CacheAge     int    `json:"cache_age"`
	HTML         string `json:"html"`
	Width        int    `json:"width"`
	Height       *int   `json:"height"`
}

// oEmbedHTML is the embed: a quotation of the post that links back to it,
// so it works on pages that allow no frames and no scripts.
var oEmbedHTML = template.Must(template.New("oembed").Parse(
	`<blockquote class="starling-embed" cite="{{.URL}}">{{.Content}}<p>— {{.Name}} (@{{.Acct}}) <a href="{{.URL}}">{{.Date}}</a></p></blockquote>`))

// handleOEmbed answers GET /api/oembed?url= for a public post of this server.
func (h *handler) handleOEmbed(w http.ResponseWriter, r *http.Request) {
	notFound := starling.Errorf(starling.ENOTFOUND, "Record not found")
	u, err := url.Parse(r.URL.Query().Get("url"))
	if err != nil || !strings.EqualFold(u.Host, h.in.Domain) {
		server.WriteError(w, r, notFound)
		return
	}
	// /@username/ID or /users/username/statuses/ID
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	id, ok := starling.ParseID(parts[len(parts)-1])
	if !ok || len(parts) < 2 {
		server.WriteError(w, r, notFound)
		return
	}
	s, err := h.svc.GetStatus(r.Context(), nil, id)
	if err != nil || s.Visibility != starling.VisibilityPublic && s.Visibility != starling.VisibilityUnlisted || s.Reblog != nil {
		server.WriteError(w, r, notFound)
		return
	}
	name := s.Account.DisplayName
	if name == "" {
		name = s.Account.Username
	}
	link := h.in.StatusURL(s.Account, s.ID)
	var b strings.Builder
	content := template.HTML(s.Content) // sanitised when stored
	if s.SpoilerText != "" {
		content = template.HTML("<p>" + template.HTMLEscapeString("Content warning: "+s.SpoilerText) + "</p>")
	}
	if err := oEmbedHTML.Execute(&b, map[string]any{"URL": link, "Content": content, "Name": name,
		"Acct": s.Account.Acct(), "Date": s.CreatedAt.UTC().Format("2 January 2006")}); err != nil {
		server.WriteError(w, r, err)
		return
	}
	width := 400
	if n, err := strconv.Atoi(r.URL.Query().Get("maxwidth")); err == nil && n > 0 && n < width {
		width = n
	}
	server.WriteJSON(w, http.StatusOK, oEmbed{Type: "rich", Version: "1.0", Title: "Post by " + name,
		AuthorName: name, AuthorURL: h.in.ProfileURL(s.Account), ProviderName: h.in.Title, ProviderURL: h.in.BaseURL + "/",
		CacheAge: 86400, HTML: b.String(), Width: width})
}
