package mastodon

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"

	"starling"
	"starling/server"
)

// mastodonVersion is the Mastodon API level Starling speaks; apps read the
// version string to decide which features to use.
const mastodonVersion = "4.3.0"

func (h *handler) versionString() string {
	return mastodonVersion + " (compatible; Starling " + h.in.Version + ")"
}

func (h *handler) streamingURL() string {
	if strings.HasPrefix(h.in.BaseURL, "https://") {
		return "wss://" + h.in.Domain
	}
	return "ws://" + h.in.Domain
}

func (h *handler) configuration() map[string]any {
	return map[string]any{
		"urls":     map[string]any{"streaming": h.streamingURL(), "status": nil},
		"vapid":    map[string]string{"public_key": ""},
		"accounts": map[string]int{"max_featured_tags": 10, "max_pinned_statuses": starling.MaxPins},
		"statuses": map[string]int{"max_characters": h.in.MaxChars, "max_media_attachments": starling.MaxAttachments, "characters_reserved_per_url": 23},
		"media_attachments": map[string]any{"supported_mime_types": []string{"image/jpeg", "image/png", "image/gif", "image/webp"},
			"description_limit": starling.MaxMediaDescription, "image_size_limit": starling.MaxImageBytes, "image_matrix_limit": starling.MaxImagePixels,
			"video_size_limit": 0, "video_frame_rate_limit": 0, "video_matrix_limit": 0},
		"polls": map[string]int{"max_options": h.in.Polls.MaxOptionsOrDefault(), "max_characters_per_option": starling.MaxPollOptionChars,
			"min_expiration": int(starling.MinPollDuration.Seconds()), "max_expiration": int(h.in.Polls.MaxExpiryOrDefault().Seconds())},
		"translation": map[string]bool{"enabled": false},
	}
}

func (h *handler) handleInstanceV2(w http.ResponseWriter, r *http.Request) {
	users, _, err := h.svc.Stats(r.Context())
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	list, err := h.svc.Rules(r.Context())
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	reg := h.in.Registrations
	server.WriteJSON(w, http.StatusOK, map[string]any{
		"domain": h.in.Domain, "title": h.in.Title, "version": h.versionString(),
		"source_url": "", "description": h.in.Description,
		"usage":     map[string]any{"users": map[string]int{"active_month": users}},
		"thumbnail": map[string]any{"url": h.in.BaseURL + "/static/header.png"},
		"icon":      []any{}, "languages": []string{"en"},
		"configuration": h.configuration(),
		"registrations": map[string]any{"enabled": reg != starling.RegistrationsClosed, "approval_required": reg == starling.RegistrationsApproval,
			"message": nil, "url": nil, "reason_required": reg == starling.RegistrationsApproval},
		"api_versions": map[string]int{"mastodon": 2},
		"contact":      map[string]any{"email": h.in.ContactEmail, "account": nil},
		"rules":        rules(list),
	})
}

func (h *handler) handleInstanceV1(w http.ResponseWriter, r *http.Request) {
	users, statuses, err := h.svc.Stats(r.Context())
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	list, err := h.svc.Rules(r.Context())
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	reg := h.in.Registrations
	conf := h.configuration()
	server.WriteJSON(w, http.StatusOK, map[string]any{
		"uri": h.in.Domain, "title": h.in.Title, "short_description": h.in.Description, "description": h.in.Description,
		"email": h.in.ContactEmail, "version": h.versionString(),
		"urls":      map[string]string{"streaming_api": h.streamingURL()},
		"stats":     map[string]int{"user_count": users, "status_count": statuses, "domain_count": 0},
		"thumbnail": h.in.BaseURL + "/static/header.png", "languages": []string{"en"},
		"registrations": reg != starling.RegistrationsClosed, "approval_required": reg == starling.RegistrationsApproval, "invites_enabled": false,
		"configuration":   map[string]any{"accounts": conf["accounts"], "statuses": conf["statuses"], "media_attachments": conf["media_attachments"], "polls": conf["polls"]},
		"contact_account": nil, "rules": rules(list),
	})
}

// handleEmptyList answers endpoints whose features have not arrived yet
// (custom emojis, filters, announcements, followed tags…) with an empty list,
// which is what a server without such things returns.
func (h *handler) handleEmptyList(w http.ResponseWriter, r *http.Request) {
	server.WriteJSON(w, http.StatusOK, []any{})
}

// handleEmptyObject answers with {}, for maps that have no entries yet.
func (h *handler) handleEmptyObject(w http.ResponseWriter, r *http.Request) {
	server.WriteJSON(w, http.StatusOK, struct{}{})
}

func (h *handler) handleExtendedDescription(w http.ResponseWriter, r *http.Request) {
	// The description comes from the command line, so it dates from this process's start.
	server.WriteJSON(w, http.StatusOK, map[string]any{"updated_at": timeString(h.started), "content": plainToHTML(h.in.Description)})
}

func (h *handler) handlePreferences(w http.ResponseWriter, r *http.Request) {
	server.WriteJSON(w, http.StatusOK, map[string]any{
		"posting:default:visibility": "public", "posting:default:sensitive": false, "posting:default:language": nil,
		"reading:expand:media": "default", "reading:expand:spoilers": false, "reading:autoplay:gifs": false,
	})
}

func (h *handler) handleNodeInfoIndex(w http.ResponseWriter, r *http.Request) {
	server.WriteJSON(w, http.StatusOK, map[string]any{"links": []map[string]string{
		{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": h.in.BaseURL + "/nodeinfo/2.0"},
	}})
}

func (h *handler) handleNodeInfo(w http.ResponseWriter, r *http.Request) {
	users, statuses, err := h.svc.Stats(r.Context())
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(withContentType(w, `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.0#"`), http.StatusOK, map[string]any{
		"version":           "2.0",
		"software":          map[string]string{"name": "starling", "version": h.in.Version},
		"protocols":         []string{"activitypub"},
		"services":          map[string][]string{"inbound": {}, "outbound": {}},
		"openRegistrations": h.in.Registrations != starling.RegistrationsClosed,
		"usage":             map[string]any{"users": map[string]int{"total": users, "activeMonth": users, "activeHalfyear": users}, "localPosts": statuses},
		"metadata":          map[string]string{"nodeName": h.in.Title, "nodeDescription": h.in.Description},
	})
}

func (h *handler) handleWebFinger(w http.ResponseWriter, r *http.Request) {
	resource := r.URL.Query().Get("resource")
	if resource == "" {
		server.WriteError(w, r, starling.Errorf(starling.EBADREQUEST, "The resource parameter is required"))
		return
	}
	var username string
	switch {
	case strings.HasPrefix(resource, "acct:"):
		user, domain, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(resource, "acct:"), "@"), "@")
		if !h.in.IsLocalDomain(domain) {
			server.WriteError(w, r, starling.Errorf(starling.ENOTFOUND, "Record not found"))
			return
		}
		username = user
	case strings.HasPrefix(resource, "http://"), strings.HasPrefix(resource, "https://"):
		u, err := url.Parse(resource)
		if err != nil || !strings.EqualFold(u.Host, h.in.Domain) {
			server.WriteError(w, r, starling.Errorf(starling.ENOTFOUND, "Record not found"))
			return
		}
		path := strings.Trim(u.Path, "/")
		username = strings.TrimPrefix(strings.TrimPrefix(path, "users/"), "@")
	default:
		server.WriteError(w, r, starling.Errorf(starling.EBADREQUEST, "The resource must be an acct: or https: URI"))
		return
	}
	a, err := h.svc.LookupAccount(r.Context(), username)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(withContentType(w, "application/jrd+json; charset=utf-8"), http.StatusOK, map[string]any{
		"subject": "acct:" + a.Username + "@" + h.in.Domain,
		"aliases": []string{h.in.ProfileURL(a), h.in.AccountURI(a)},
		"links": []map[string]string{
			{"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": h.in.ProfileURL(a)},
		},
	})
}

func (h *handler) handleHostMeta(w http.ResponseWriter, r *http.Request) {
	template := h.in.BaseURL + "/.well-known/webfinger?resource={uri}"
	if strings.Contains(r.Header.Get("Accept"), "json") || strings.HasSuffix(r.URL.Path, ".json") {
		server.WriteJSON(w, http.StatusOK, map[string]any{"links": []map[string]string{{"rel": "lrdd", "template": template}}})
		return
	}
	w.Header().Set("Content-Type", "application/xrd+xml; charset=utf-8")
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0"><Link rel="lrdd" template="`)
	_ = xml.EscapeText(&b, []byte(template)) // a strings.Builder never fails to write
	b.WriteString(`"/></XRD>` + "\n")
	_, _ = w.Write([]byte(b.String()))
}

func (h *handler) handleOAuthMetadata(w http.ResponseWriter, r *http.Request) {
	b := h.in.BaseURL
	server.WriteJSON(w, http.StatusOK, map[string]any{
		"issuer":                                b + "/",
		"service_documentation":                 "https://docs.joinmastodon.org/",
		"authorization_endpoint":                b + "/oauth/authorize",
		"token_endpoint":                        b + "/oauth/token",
		"revocation_endpoint":                   b + "/oauth/revoke",
		"app_registration_endpoint":             b + "/api/v1/apps",
		"scopes_supported":                      starling.KnownScopes,
		"response_types_supported":              []string{"code"},
		"response_modes_supported":              []string{"query", "fragment"},
		"grant_types_supported":                 []string{"authorization_code", "client_credentials", "refresh_token", "password"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post", "none"},
		"code_challenge_methods_supported":      []string{"S256"},
	})
}

// contentTypeWriter sets its Content-Type as the header is written, after
// server.WriteJSON has set application/json, for documents with a JSON type of their own.
type contentTypeWriter struct {
	http.ResponseWriter
	contentType string
}

func withContentType(w http.ResponseWriter, ct string) http.ResponseWriter {
	return contentTypeWriter{ResponseWriter: w, contentType: ct}
}

func (c contentTypeWriter) WriteHeader(code int) {
	c.Header().Set("Content-Type", c.contentType)
	c.ResponseWriter.WriteHeader(code)
}
