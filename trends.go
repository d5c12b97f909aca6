package starling

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"time"
)

// Trends are counted in distinct accounts, not posts: one eager account
// posting a hashtag fifty times is one voice, and a hashtag trends only
// when several people take it up.
const (
	trendWindow      = 7 * 24 * time.Hour // the history a trending tag shows
	trendRecent      = 48 * time.Hour     // the activity that ranks tags
	trendMinAccounts = 3                  // fewer voices than this is not a trend
	trendsFresh      = 5 * time.Minute    // how long a computed list is served
)

// TagUse is one public post of a hashtag, for counting trends.
type TagUse struct {
	Tag       string
	AccountID int64
	CreatedAt time.Time
}

// TrendStore reads what trends are counted from and keeps staff decisions.
type TrendStore interface {
	// RecentTagUses lists the hashtags of local public posts (not reblogs)
	// since the given status ID.
	RecentTagUses(ctx context.Context, sinceID int64) ([]TagUse, error)
	// HiddenTrendTags lists the tags staff took out of trends.
	HiddenTrendTags(ctx context.Context) (map[string]bool, error)
	// HiddenTrendReviews lists the same tags with who hid each and when,
	// most recently hidden first.
	HiddenTrendReviews(ctx context.Context) ([]TrendReview, error)
	// SetTrendTagHidden records a staff decision about a tag.
	SetTrendTagHidden(ctx context.Context, tag string, hidden bool, by int64, at time.Time) error
	// RecentEngagement lists favourites and reblogs, since the given ID, of
	// local public posts by others than their authors.
	RecentEngagement(ctx context.Context, sinceID int64) ([]Engagement, error)
	// RecentLinkShares lists local public posts since the given ID that
	// carry a link preview, with their author and card.
	RecentLinkShares(ctx context.Context, sinceID int64) ([]Engagement, error)
}

// TrendingTag is a hashtag taken up by several people lately.
type TrendingTag struct {
	Name     string
	Accounts int // distinct accounts over trendRecent: the rank
	History  []TagDay
}

// TagDay is one day of a tag's use, newest first in a history.
type TagDay struct {
	Day      time.Time // midnight UTC
	Uses     int
	Accounts int
}

type trendCache struct {
	mu   sync.Mutex
	tags map[string][]TrendingTag // by region
	at   map[string]time.Time
}

// TrendingTags returns the hashtags most people have used in public posts
// over the last two days, optionally among members who give region as the
// Region field of their profile, without those staff hid.
func (svc *Service) TrendingTags(ctx context.Context, region string, limit, offset int) ([]TrendingTag, error) {
	region = strings.TrimSpace(region)
	now := svc.now()
	c := &svc.trends
	c.mu.Lock()
	tags, fresh := c.tags[strings.ToLower(region)], now.Sub(c.at[strings.ToLower(region)]) < trendsFresh
	c.mu.Unlock()
	if !fresh {
		var err error
		if tags, err = svc.computeTrends(ctx, region, now); err != nil {
			return nil, err
		}
		c.mu.Lock()
		if c.tags == nil {
			c.tags, c.at = map[string][]TrendingTag{}, map[string]time.Time{}
		}
		c.tags[strings.ToLower(region)], c.at[strings.ToLower(region)] = tags, now
		c.mu.Unlock()
	}
	if offset >= len(tags) {
		return nil, nil
	}
	return tags[offset:min(len(tags), offset+limit)], nil
}

func (svc *Service) computeTrends(ctx context.Context, region string, now time.Time) ([]TrendingTag, error) {
	uses, err := svc.store.RecentTagUses(ctx, MinIDAt(now.Add(-trendWindow)))
	if err != nil {
		return nil, err
	}
	hidden, err := svc.store.HiddenTrendTags(ctx)
	if err != nil {
		return nil, err
	}
	ids := map[int64]bool{}
	for _, u := range uses {
		ids[u.AccountID] = true
	}
	accounts, err := svc.store.Accounts(ctx, keys(ids))
	if err != nil {
		return nil, err
	}
	// Limited and suspended accounts do not make a hashtag trend, as their
	// posts are not on public timelines either.
	inRegion := func(id int64) bool { a := accounts[id]; return a != nil && !a.Limited() && !a.Suspended() }
	if region != "" {
		inRegion = func(id int64) bool {
			a := accounts[id]
			if a == nil || a.Limited() || a.Suspended() {
				return false
			}
			for _, f := range a.Fields {
				if strings.EqualFold(f.Name, "Region") && strings.EqualFold(strings.TrimSpace(f.Value), region) {
					return true
				}
			}
			return false
		}
	}
	type counts struct {
		recent map[int64]bool
		days   [7]struct {
			uses     int
			accounts map[int64]bool
		}
	}
	today := now.UTC().Truncate(24 * time.Hour)
	byTag := map[string]*counts{}
	for _, u := range uses {
		if hidden[u.Tag] || !inRegion(u.AccountID) {
			continue
		}
		c := byTag[u.Tag]
		if c == nil {
			c = &counts{recent: map[int64]bool{}}
			byTag[u.Tag] = c
		}
		if now.Sub(u.CreatedAt) <= trendRecent {
			c.recent[u.AccountID] = true
		}
		day := int(today.Sub(u.CreatedAt.UTC().Truncate(24*time.Hour)) / (24 * time.Hour))
		if day >= 0 && day < len(c.days) {
			d := &c.days[day]
			d.uses++
			if d.accounts == nil {
				d.accounts = map[int64]bool{}
			}
			d.accounts[u.AccountID] = true
		}
	}
	var out []TrendingTag
	for tag, c := range byTag {
		if len(c.recent) < trendMinAccounts {
			continue
		}
		t := TrendingTag{Name: tag, Accounts: len(c.recent)}
		for i, d := range c.days {
			t.History = append(t.History, TagDay{Day: today.Add(-time.Duration(i) * 24 * time.Hour), Uses: d.uses, Accounts: len(d.accounts)})
		}
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b TrendingTag) int {
		return cmp.Or(cmp.Compare(b.Accounts, a.Accounts), cmp.Compare(b.History[0].Uses, a.History[0].Uses), strings.Compare(a.Name, b.Name))
	})
	return out, nil
}

// HideTrendTag takes a hashtag out of trends, or puts it back: for staff,
// when a tag trends that should not (abuse, a person's name).
func (svc *Service) HideTrendTag(ctx context.Context, staff *Account, tag string, hidden bool) error {
	tag = svc.text.NormalizeTag(strings.TrimPrefix(tag, "#"))
	if tag == "" {
		return Errorf(EINVALID, "Validation failed: not a hashtag")
	}
	u, err := svc.store.User(ctx, staff.ID)
	if err != nil || !u.IsStaff() {
		return Errorf(EFORBIDDEN, "Only moderators and admins can review trends")
	}
	if err := svc.store.Update(ctx, func(tx Tx) error { return tx.SetTrendTagHidden(ctx, tag, hidden, staff.ID, svc.now()) }); err != nil {
		return err
	}
	svc.trends.mu.Lock()
	svc.trends.tags, svc.trends.at = nil, nil // recount at once
	svc.trends.mu.Unlock()
	return nil
}

// TrendReview is a staff decision that keeps a hashtag out of trends.
type TrendReview struct {
	Tag        string
	ReviewedBy int64 // the staff member's account; 0 once it is deleted
	ReviewedAt time.Time
}

// HiddenTrend is a hashtag staff keep out of trends, for the staff page
// where they can put it back.
type HiddenTrend struct {
	Tag string
	By  *Account // nil once the staff member's account is deleted
	At  time.Time
}

// HiddenTrends lists the hashtags staff took out of trends, most recently
// hidden first, with who hid each: staff only, as hiding is.
func (svc *Service) HiddenTrends(ctx context.Context, staff *User) ([]HiddenTrend, error) {
	if staff == nil || !staff.IsStaff() {
		return nil, Errorf(EFORBIDDEN, "Only moderators and admins can review trends")
	}
	reviews, err := svc.store.HiddenTrendReviews(ctx)
	if err != nil {
		return nil, err
	}
	ids := map[int64]bool{}
	for _, r := range reviews {
		if r.ReviewedBy != 0 {
			ids[r.ReviewedBy] = true
		}
	}
	accounts, err := svc.store.Accounts(ctx, keys(ids))
	if err != nil {
		return nil, err
	}
	out := make([]HiddenTrend, len(reviews))
	for i, r := range reviews {
		out[i] = HiddenTrend{Tag: r.Tag, By: accounts[r.ReviewedBy], At: r.ReviewedAt}
	}
	return out, nil
}

// Engagement is one account favouriting or reblogging a post, or sharing a
// link, for counting trends.
type Engagement struct {
	StatusID  int64 // the post engaged with
	AccountID int64
	CardID    int64 // for links: the card shared
}

// TrendingStatuses returns recent public posts that the most distinct
// people favourited or reposted over the last two days, as viewer may see them.
func (svc *Service) TrendingStatuses(ctx context.Context, viewer *Account, limit, offset int) ([]*Status, error) {
	es, err := svc.store.RecentEngagement(ctx, MinIDAt(svc.now().Add(-trendRecent)))
	if err != nil {
		return nil, err
	}
	ids := rankByPeople(es, func(e Engagement) int64 { return e.StatusID })
	if offset >= len(ids) {
		return nil, nil
	}
	return svc.loadStatusesIn(ctx, svc.store, viewer, ids[offset:min(len(ids), offset+limit)], readTimeline, FilterPublic)
}

// TrendingLink is a page several people shared lately, with how many
// shared it on each of the last seven days.
type TrendingLink struct {
	Card    *Card
	History []TagDay
}

// TrendingLinks returns the link previews of pages the most distinct
// people shared in public posts over the last two days, each with a week
// of history.
func (svc *Service) TrendingLinks(ctx context.Context, limit, offset int) ([]TrendingLink, error) {
	now := svc.now()
	week, err := svc.store.RecentLinkShares(ctx, MinIDAt(now.Add(-trendWindow)))
	if err != nil {
		return nil, err
	}
	since := MinIDAt(now.Add(-trendRecent))
	recent := slices.DeleteFunc(slices.Clone(week), func(e Engagement) bool { return e.StatusID < since })
	ids := rankByPeople(recent, func(e Engagement) int64 { return e.CardID })
	if offset >= len(ids) {
		return nil, nil
	}
	ids = ids[offset:min(len(ids), offset+limit)]
	cards, err := svc.store.Cards(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]TrendingLink, 0, len(ids))
	for _, id := range ids {
		if c := cards[id]; c != nil {
			shares := slices.DeleteFunc(slices.Clone(week), func(e Engagement) bool { return e.CardID != id })
			out = append(out, TrendingLink{Card: c, History: dailyShares(shares, now)})
		}
	}
	return out, nil
}

// dailyShares counts shares (posts, and distinct people) on each of the
// days of trendWindow, today first; a share's day is its post's.
func dailyShares(es []Engagement, now time.Time) []TagDay {
	const n = int(trendWindow / (24 * time.Hour))
	today := now.UTC().Truncate(24 * time.Hour)
	days := make([]TagDay, n)
	people := make([]map[int64]bool, n)
	for i := range days {
		days[i].Day, people[i] = today.Add(-time.Duration(i)*24*time.Hour), map[int64]bool{}
	}
	for _, e := range es {
		i := int(today.Sub(IDTime(e.StatusID).Truncate(24*time.Hour)) / (24 * time.Hour))
		if i >= 0 && i < n {
			days[i].Uses++
			people[i][e.AccountID] = true
		}
	}
	for i := range days {
		days[i].Accounts = len(people[i])
	}
	return days
}

// rankByPeople orders the keys by how many distinct accounts engaged with
// them, keeping those with at least trendMinAccounts.
func rankByPeople(es []Engagement, key func(Engagement) int64) []int64 {
	people := map[int64]map[int64]bool{}
	for _, e := range es {
		k := key(e)
		if people[k] == nil {
			people[k] = map[int64]bool{}
		}
		people[k][e.AccountID] = true
	}
	var ids []int64
	for k, p := range people {
		if len(p) >= trendMinAccounts {
			ids = append(ids, k)
		}
	}
	slices.SortFunc(ids, func(a, b int64) int { return cmp.Or(cmp.Compare(len(people[b]), len(people[a])), cmp.Compare(b, a)) })
	return ids
}
