// Package mastodon serves the Mastodon client API (https://docs.joinmastodon.org/methods/)
// over the use cases in package starling, so existing Mastodon apps and
// libraries work with Starling unchanged.
package mastodon

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"starling"
	"starling/server"
)

// handler serves the API; its methods are the endpoints.
type handler struct {
	svc     *starling.Service
	in      *starling.Instance
	started time.Time
	streams *streamLimits
}

// access says who may call an endpoint.
type access struct {
	token  bool     // a valid token is needed
	user   bool     // the token must belong to a member, not only an app
	scopes []string // the token needs one of these
}

var public = access{}

// optional lets anyone call an endpoint, but a token, when given, needs one
// of the scopes: an app granted only "write" must not read private
// statuses through the endpoints that show them to their audience.
func optional(scopes ...string) access { return access{scopes: scopes} }

// user requires a member's token with one of the scopes.
func user(scopes ...string) access { return access{token: true, user: true, scopes: scopes} }

// app requires any valid token (a member's or an app's) with one of the scopes.
func app(scopes ...string) access { return access{token: true, scopes: scopes} }

// bearerToken finds the token: the Authorization header, or access_token in
// the query (as Mastodon allows, for clients that cannot set headers).
func bearerToken(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		if scheme, tok, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(tok)
		}
		return ""
	}
	return r.URL.Query().Get("access_token")
}

// authorize wraps an endpoint with authentication and the scope check.
func (h *handler) authorize(a access, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := bearerToken(r)
		if tok == "" {
			if a.token {
				server.WriteError(w, r, starling.Errorf(starling.EUNAUTHORIZED, "The access token is invalid"))
				return
			}
			next(w, r)
			return
		}
		auth, err := h.svc.Authenticate(r.Context(), tok)
		if err != nil {
			// A member who may not sign in (pending approval) still reads public endpoints.
			if !a.token && starling.ErrorCode(err) == starling.EFORBIDDEN {
				next(w, r)
				return
			}
			server.WriteError(w, r, err)
			return
		}
		if a.user && auth.Account == nil {
			server.WriteError(w, r, starling.Errorf(starling.EINVALID, "This method requires an authenticated user"))
			return
		}
		if len(a.scopes) > 0 && !slices.ContainsFunc(a.scopes, auth.Allows) {
			server.WriteError(w, r, starling.Errorf(starling.EFORBIDDEN, "This action is outside the authorized scopes"))
			return
		}
		if auth.User != nil && slices.ContainsFunc(a.scopes, isAdminScope) {
			// --require-staff-2fa closes the admin API as it closes the
			// staff pages: a password grant must not be the way round it.
			if need, err := h.svc.StaffNeedsTwoFactor(r.Context(), auth.User); err != nil {
				server.WriteError(w, r, err)
				return
			} else if need {
				server.WriteError(w, r, starling.Errorf(starling.EFORBIDDEN, "This community requires staff to set up two-factor sign-in before using the admin API"))
				return
			}
		}
		next(w, r.WithContext(starling.NewContextWithAuth(r.Context(), auth)))
	}
}

func isAdminScope(s string) bool { return strings.HasPrefix(s, "admin:") }

// renderer returns the entity renderer for this request's viewer.
func (h *handler) renderer(ctx context.Context) *renderer {
	return &renderer{in: h.in, viewer: starling.AccountFromContext(ctx)}
}

// viewer returns the signed-in account (nil if none).
func viewer(r *http.Request) *starling.Account { return starling.AccountFromContext(r.Context()) }

// pathID parses the {name} path segment as an ID; a malformed ID is a 404, as no such record exists.
func pathID(r *http.Request, name string) (int64, error) {
	id, ok := starling.ParseID(r.PathValue(name))
	if !ok {
		return 0, starling.Errorf(starling.ENOTFOUND, "Record not found")
	}
	return id, nil
}

// setLinks writes the Link header for a page whose entries are ordered by
// keys, newest first: "next" pages to older entries, "prev" to newer ones.
func (h *handler) setLinks(w http.ResponseWriter, r *http.Request, keys []int64) {
	if len(keys) == 0 {
		return
	}
	newest, oldest := keys[0], keys[len(keys)-1]
	link := func(key string, id int64) string {
		q := url.Values{}
		for k, vs := range r.URL.Query() {
			switch k {
			case "max_id", "min_id", "since_id", "access_token":
			default:
				q[k] = vs
			}
		}
		q.Set(key, starling.FormatID(id))
		return "<" + h.in.BaseURL + r.URL.EscapedPath() + "?" + q.Encode() + `>; rel="` + map[string]string{"max_id": "next", "min_id": "prev"}[key] + `"`
	}
	w.Header().Set("Link", link("max_id", oldest)+", "+link("min_id", newest))
}

// writeStatuses writes a page of statuses with Link headers on status IDs.
func (h *handler) writeStatuses(w http.ResponseWriter, r *http.Request, list []*starling.Status, pageKeys []int64) {
	h.setLinks(w, r, pageKeys)
	server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).statuses(list))
}

func statusIDs(list []*starling.Status) []int64 {
	ids := make([]int64, len(list))
	for i, s := range list {
		ids[i] = s.ID
	}
	return ids
}

func accountRowIDs(refs []starling.AccountRef) []int64 {
	ids := make([]int64, len(refs))
	for i, r := range refs {
		ids[i] = r.RowID
	}
	return ids
}

func statusRowIDs(refs []starling.StatusRef) []int64 {
	ids := make([]int64, len(refs))
	for i, r := range refs {
		ids[i] = r.RowID
	}
	return ids
}

// writeAccounts writes a page of accounts with Link headers on the rows that listed them.
func (h *handler) writeAccounts(w http.ResponseWriter, r *http.Request, list []*starling.Account, rowIDs []int64) {
	h.setLinks(w, r, rowIDs)
	server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).accounts(list))
}

// readPage reads the request's parameters and its paging parameters.
func readPage(r *http.Request) (*params, starling.Page, error) {
	p, err := readParams(r)
	if err != nil {
		return nil, starling.Page{}, err
	}
	pg, err := p.page()
	return p, pg, err
}
