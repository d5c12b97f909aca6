package starling

import (
	"context"
	"net/url"
	"strings"
)

// SearchQuery is a search as GET /api/v2/search takes it.
type SearchQuery struct {
	Q         string
	Type      string // "accounts", "hashtags", "statuses" or "" for all
	Following bool   // only accounts viewer follows
	AccountID int64  // only statuses by this account
	Limit     int
	Offset    int
}

// SearchResults holds what a search found.
type SearchResults struct {
	Accounts []*Account
	Statuses []*Status
	Hashtags []string
}

// Search finds accounts by username and display name, hashtags by name, and
// a local status or account from its URL. Full-text search of statuses comes later.
func (svc *Service) Search(ctx context.Context, viewer *Account, q SearchQuery) (*SearchResults, error) {
	q.Q = strings.TrimSpace(q.Q)
	if q.Limit <= 0 {
		q.Limit = 20
	}
	q.Limit = min(q.Limit, 80)
	res := &SearchResults{}
	if q.Q == "" {
		return res, nil
	}
	if u, err := url.Parse(q.Q); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
		return res, svc.resolveURL(ctx, viewer, u, q, res)
	}
	if q.Type == "" || q.Type == "accounts" {
		accounts, err := svc.SearchAccounts(ctx, q.Q, q.Limit, q.Offset)
		if err != nil {
			return nil, err
		}
		if q.Following && viewer != nil && len(accounts) > 0 {
			ids := make([]int64, len(accounts))
			for i, a := range accounts {
				ids[i] = a.ID
			}
			rels, err := svc.store.Relationships(ctx, viewer.ID, ids)
			if err != nil {
				return nil, err
			}
			kept := accounts[:0]
			for _, a := range accounts {
				if r := rels[a.ID]; r != nil && r.Following {
					kept = append(kept, a)
				}
			}
			accounts = kept
		}
		res.Accounts = accounts
	}
	if (q.Type == "" || q.Type == "hashtags") && q.Offset == 0 {
		if name := svc.text.NormalizeTag(strings.TrimPrefix(q.Q, "#")); name != "" {
			tags, err := svc.store.SearchTags(ctx, name, q.Limit)
			if err != nil {
				return nil, err
			}
			res.Hashtags = tags
		}
	}
	return res, nil
}

// resolveURL finds the local account or status a URL points at:
// /@user, /@user/ID, /users/user, /users/user/statuses/ID.
func (svc *Service) resolveURL(ctx context.Context, viewer *Account, u *url.URL, q SearchQuery, res *SearchResults) error {
	if !strings.EqualFold(u.Host, svc.instance.Domain) {
		return nil // remote lookups arrive with federation
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	var username, statusID string
	switch {
	case len(parts) >= 1 && strings.HasPrefix(parts[0], "@"):
		username = parts[0][1:]
		if len(parts) == 2 {
			statusID = parts[1]
		}
	case len(parts) >= 2 && parts[0] == "users":
		username = parts[1]
		if len(parts) == 4 && parts[2] == "statuses" {
			statusID = parts[3]
		}
	default:
		return nil
	}
	a, err := svc.store.AccountByUsername(ctx, username, "")
	if ErrorCode(err) == ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if statusID == "" {
		if q.Type == "" || q.Type == "accounts" {
			res.Accounts = []*Account{a}
		}
		return nil
	}
	id, ok := ParseID(statusID)
	if !ok || !(q.Type == "" || q.Type == "statuses") {
		return nil
	}
	s, err := svc.GetStatus(ctx, viewer, id)
	if ErrorCode(err) == ENOTFOUND || err == nil && s.AccountID != a.ID {
		return nil
	} else if err != nil {
		return err
	}
	res.Statuses = []*Status{s}
	return nil
}

// Tag returns the stored name of a hashtag that has been used, or ENOTFOUND.
func (svc *Service) Tag(ctx context.Context, name string) (string, error) {
	n := svc.text.NormalizeTag(strings.TrimPrefix(name, "#"))
	if n == "" {
		return "", Errorf(ENOTFOUND, "Record not found")
	}
	ok, err := svc.store.TagExists(ctx, n)
	if err != nil {
		return "", err
	} else if !ok {
		return "", Errorf(ENOTFOUND, "Record not found")
	}
	return n, nil
}

// NormalizeTag returns the stored form of a hashtag name ("AdassSpring" →
// "adassspring"), or "" if it is not a valid one.
func (svc *Service) NormalizeTag(name string) string { return svc.text.NormalizeTag(name) }

// Stats counts this server's members and their statuses.
func (svc *Service) Stats(ctx context.Context) (users, statuses int, err error) {
	return svc.store.InstanceStats(ctx)
}
