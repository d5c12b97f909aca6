package redisfeeds

import (
	"context"

	"starling"
)

// authorsPerQuery bounds the IN list of one rebuild query.
const authorsPerQuery = 5000

// HomeTimeline pages through an account's home feed.
func (f *Feeds) HomeTimeline(ctx context.Context, accountID int64, p starling.Page) ([]int64, error) {
	return f.page(ctx, f.homeKey(accountID), func() ([]entry, error) { return f.buildHome(ctx, accountID) }, p)
}

// ListTimeline pages through a list's feed.
func (f *Feeds) ListTimeline(ctx context.Context, listID int64, p starling.Page) ([]int64, error) {
	return f.page(ctx, f.listKey(listID), func() ([]entry, error) { return f.buildList(ctx, listID) }, p)
}

// buildHome reads from the database the newest Size entries that fan-out
// would have written to an account's home feed: its own statuses, and
// those of the accounts it follows by the same rules, each entered when
// posted or, if later, when its author was followed (follow IDs are taken
// from the clock like status IDs).
func (f *Feeds) buildHome(ctx context.Context, accountID int64) ([]entry, error) {
	all := []starling.Visibility{starling.VisibilityPublic, starling.VisibilityUnlisted, starling.VisibilityPrivate, starling.VisibilityDirect}
	ids, err := f.db.AccountStatuses(ctx, accountID, starling.AccountStatusesFilter{Visibilities: all}, starling.Page{Limit: Size})
	if err != nil {
		return nil, err
	}
	follows, err := allRefs(func(p starling.Page) ([]starling.AccountRef, error) { return f.db.Following(ctx, accountID, p) })
	if err != nil {
		return nil, err
	}
	followedAt := make(map[int64]int64, len(follows))
	followees := make([]int64, len(follows))
	for i, r := range follows {
		followedAt[r.AccountID], followees[i] = r.RowID, r.AccountID
	}
	for chunk := range chunks(followees, authorsPerQuery) {
		more, err := f.db.HomeFromAuthors(ctx, accountID, chunk, starling.Page{Limit: Size})
		if err != nil {
			return nil, err
		}
		ids = append(ids, more...)
	}
	entries, err := f.entries(ctx, ids)
	for i := range entries {
		entries[i].since = max(entries[i].id, followedAt[entries[i].author])
	}
	return entries, err
}

// buildList reads the newest Size entries of a list's feed from the database.
func (f *Feeds) buildList(ctx context.Context, listID int64) ([]entry, error) {
	refs, err := allRefs(func(p starling.Page) ([]starling.AccountRef, error) {
		ids, err := f.db.ListMembers(ctx, listID, p)
		refs := make([]starling.AccountRef, len(ids))
		for i, id := range ids {
			refs[i] = starling.AccountRef{RowID: id, AccountID: id}
		}
		return refs, err
	})
	if err != nil {
		return nil, err
	}
	members := make([]int64, len(refs))
	for i, r := range refs {
		members[i] = r.AccountID
	}
	var ids []int64
	for chunk := range chunks(members, authorsPerQuery) {
		more, err := f.db.ListFromMembers(ctx, listID, chunk, starling.Page{Limit: Size})
		if err != nil {
			return nil, err
		}
		ids = append(ids, more...)
	}
	return f.entries(ctx, ids)
}

// allRefs pages through a paged list of accounts to its end.
func allRefs(page func(starling.Page) ([]starling.AccountRef, error)) ([]starling.AccountRef, error) {
	var out []starling.AccountRef
	p := starling.Page{Limit: 1000}
	for {
		refs, err := page(p)
		if err != nil {
			return nil, err
		}
		out = append(out, refs...)
		if len(refs) < p.Limit {
			return out, nil
		}
		p.MaxID = refs[len(refs)-1].RowID
	}
}

// chunks yields ids in runs of at most n.
func chunks(ids []int64, n int) func(yield func([]int64) bool) {
	return func(yield func([]int64) bool) {
		for start := 0; start < len(ids); start += n {
			if !yield(ids[start:min(start+n, len(ids))]) {
				return
			}
		}
	}
}
