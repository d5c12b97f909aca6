package mastodon

import (
	"context"
	"net/http"

	"starling"
	"starling/server"
)

func (h *handler) handleAccountCreate(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	agreement, _ := p.boolean("agreement")
	auth := starling.AuthFromContext(r.Context())
	a, _, err := h.svc.Register(r.Context(), starling.SignUp{
		Username: p.get("username"), Email: p.get("email"), Password: p.get("password"),
		Reason: p.get("reason"), Locale: p.get("locale"), Agreement: agreement,
	})
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	grant, err := h.svc.IssueToken(r.Context(), auth.Token.ApplicationID, a.ID, auth.Token.Scopes)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, tokenEntity(grant))
}

func (h *handler) handleVerifyCredentials(w http.ResponseWriter, r *http.Request) {
	auth := starling.AuthFromContext(r.Context())
	a, err := h.svc.Account(r.Context(), auth.Account.ID)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	h.writeCredentialAccount(w, r, a)
}

// writeCredentialAccount writes the signed-in member's own account with its source.
func (h *handler) writeCredentialAccount(w http.ResponseWriter, r *http.Request, a *starling.Account) {
	reqs, err := h.svc.Store().FollowRequests(r.Context(), a.ID, starling.Page{Limit: 80})
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).credentialAccount(a, starling.AuthFromContext(r.Context()).User, len(reqs)))
}

func (h *handler) handleUpdateCredentials(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	auth := starling.AuthFromContext(r.Context())
	a, err := h.svc.UpdateProfile(r.Context(), auth.Account, starling.ProfileUpdate{
		DisplayName: p.optStr("display_name"), Note: p.optStr("note"), Locked: p.optBool("locked"),
		Bot: p.optBool("bot"), Discoverable: p.optBool("discoverable"), Fields: p.fields(),
		ConfirmPersonalData: boolOf(p, confirmPersonalData),
	})
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	h.writeCredentialAccount(w, r, a)
}

func (h *handler) handleAccountGet(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	a, err := h.svc.Account(r.Context(), id)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).account(a))
}

func (h *handler) handleAccountsGet(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	byID, err := h.svc.Store().Accounts(r.Context(), p.ids("id"))
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	var list []*starling.Account
	for _, id := range p.ids("id") {
		if a := byID[id]; a != nil {
			list = append(list, a)
		}
	}
	server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).accounts(list))
}

func (h *handler) handleAccountLookup(w http.ResponseWriter, r *http.Request) {
	a, err := h.svc.LookupAccount(r.Context(), r.URL.Query().Get("acct"))
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).account(a))
}

func (h *handler) handleAccountSearch(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	limit, err := p.integer("limit", 40)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	offset, err := p.integer("offset", 0)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	res, err := h.svc.Search(r.Context(), viewer(r), starling.SearchQuery{Q: p.get("q"), Type: "accounts",
		// Mastodon allows 80, but Service.Search answers a limit over 40 with its default of 20.
		Following: boolOf(p, "following"), Limit: min(max(limit, 1), 40), Offset: max(offset, 0)})
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).accounts(res.Accounts))
}

func boolOf(p *params, key string) bool {
	v, _ := p.boolean(key)
	return v
}

func (h *handler) handleRelationships(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	rels, err := h.svc.Relationships(r.Context(), viewer(r), p.ids("id"))
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	out := make([]*Relationship, 0, len(rels))
	for _, rel := range rels {
		out = append(out, relationship(rel))
	}
	server.WriteJSON(w, http.StatusOK, out)
}

func (h *handler) handleAccountStatuses(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	p, pg, err := readPage(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	list, err := h.svc.AccountStatuses(r.Context(), viewer(r), id, starling.AccountStatusesFilter{
		ExcludeReplies: boolOf(p, "exclude_replies"), ExcludeReblogs: boolOf(p, "exclude_reblogs"),
		OnlyMedia: boolOf(p, "only_media"), Pinned: boolOf(p, "pinned"), Tagged: p.get("tagged"),
	}, pg)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	h.writeStatuses(w, r, list, statusIDs(list))
}

func (h *handler) handleFollowers(w http.ResponseWriter, r *http.Request) {
	h.accountList(w, r, h.svc.Followers)
}

func (h *handler) handleFollowing(w http.ResponseWriter, r *http.Request) {
	h.accountList(w, r, h.svc.Following)
}

func (h *handler) accountList(w http.ResponseWriter, r *http.Request,
	list func(context.Context, int64, starling.Page) ([]*starling.Account, []starling.AccountRef, error)) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	_, pg, err := readPage(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	accounts, refs, err := list(r.Context(), id, pg)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	h.writeAccounts(w, r, accounts, accountRowIDs(refs))
}

func (h *handler) handleFollow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	rel, err := h.svc.Follow(r.Context(), viewer(r), id, starling.FollowOptions{Reblogs: p.optBool("reblogs"), Notify: p.optBool("notify")})
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, relationship(rel))
}

func (h *handler) handleUnfollow(w http.ResponseWriter, r *http.Request) {
	h.relationshipAction(w, r, h.svc.Unfollow)
}

func (h *handler) handleFollowRequestAuthorize(w http.ResponseWriter, r *http.Request) {
	h.relationshipAction(w, r, h.svc.AuthorizeFollowRequest)
}

func (h *handler) handleFollowRequestReject(w http.ResponseWriter, r *http.Request) {
	h.relationshipAction(w, r, h.svc.RejectFollowRequest)
}

func (h *handler) relationshipAction(w http.ResponseWriter, r *http.Request,
	act func(context.Context, *starling.Account, int64) (*starling.Relationship, error)) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	rel, err := act(r.Context(), viewer(r), id)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, relationship(rel))
}

func (h *handler) handleFollowRequests(w http.ResponseWriter, r *http.Request) {
	_, pg, err := readPage(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	accounts, refs, err := h.svc.FollowRequests(r.Context(), viewer(r), pg)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	h.writeAccounts(w, r, accounts, accountRowIDs(refs))
}

func (h *handler) handleAccountLists(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	lists, err := h.svc.ListsWithMember(r.Context(), viewer(r), id)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	out := make([]*List, 0, len(lists))
	for _, l := range lists {
		out = append(out, list(l))
	}
	server.WriteJSON(w, http.StatusOK, out)
}

// handleDirectory serves GET /api/v1/directory: the community's
// discoverable members, order=active (default) or order=new. Every account
// here is local, so local=true changes nothing.
func (h *handler) handleDirectory(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	limit, err := p.integer("limit", 40)
	if err == nil {
		var offset int
		if offset, err = p.integer("offset", 0); err == nil {
			var list []*starling.Account
			if list, err = h.svc.Directory(r.Context(), p.get("order"), limit, offset); err == nil {
				server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).accounts(list))
				return
			}
		}
	}
	server.WriteError(w, r, err)
}

// suggestion is Mastodon's v2 entity for an account worth following.
type suggestion struct {
	Source  string   `json:"source"`
	Sources []string `json:"sources"`
	Account *Account `json:"account"`
}

// handleSuggestions serves GET /api/v1/suggestions (accounts) and
// /api/v2/suggestions (accounts with the reason).
func (h *handler) handleSuggestions(v2 bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := readParams(r)
		if err != nil {
			server.WriteError(w, r, err)
			return
		}
		limit, err := p.integer("limit", 40)
		if err != nil {
			server.WriteError(w, r, err)
			return
		}
		list, err := h.svc.Suggestions(r.Context(), viewer(r), limit)
		if err != nil {
			server.WriteError(w, r, err)
			return
		}
		rr := h.renderer(r.Context())
		if !v2 {
			accounts := make([]*starling.Account, len(list))
			for i, s := range list {
				accounts[i] = s.Account
			}
			server.WriteJSON(w, http.StatusOK, rr.accounts(accounts))
			return
		}
		out := make([]suggestion, len(list))
		for i, s := range list {
			// Mastodon's v2 names: "featured" for staff picks, "global" for the rest.
			source := map[string]string{"staff": "staff", "friends_of_friends": "global", "global": "global"}[s.Source]
			sources := map[string]string{"staff": "featured", "friends_of_friends": "friends_of_friends", "global": "most_followed"}[s.Source]
			out[i] = suggestion{Source: source, Sources: []string{sources}, Account: rr.account(s.Account)}
		}
		server.WriteJSON(w, http.StatusOK, out)
	}
}
