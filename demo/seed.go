package demo

import (
	"context"
	"crypto/rand"
	"fmt"
	"regexp"
	"strings"
	"time"

	"starling"
)

// findDemoAccounts returns the demo accounts already in the database, by
// index into people.
func (s *seeder) findDemoAccounts(ctx context.Context) (map[int]*starling.Account, error) {
	out := map[int]*starling.Account{}
	for i, p := range people {
		u, err := s.store.UserByEmail(ctx, emailOf(p.key))
		if starling.ErrorCode(err) == starling.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("look for demo accounts: %w", err)
		}
		a, err := s.store.Account(ctx, u.AccountID)
		if err != nil {
			return nil, fmt.Errorf("look for demo accounts: %w", err)
		}
		out[i] = a
	}
	return out, nil
}

// finished reports whether a seeding ran to its end: its last step fills
// the sector body's list.
func (s *seeder) finished(ctx context.Context, existing map[int]*starling.Account) (bool, error) {
	owner := existing[s.indexOf(sectorBodyKey)]
	if owner == nil {
		return false, nil
	}
	l, err := s.list(ctx, owner)
	if err != nil || l == nil {
		return false, err
	}
	members, err := s.store.ListMembers(ctx, l.ID, starling.Page{Limit: 1})
	return len(members) > 0, err
}

// list returns owner's list titled ListTitle, or nil.
func (s *seeder) list(ctx context.Context, owner *starling.Account) (*starling.List, error) {
	lists, err := s.svc.Lists(ctx, owner)
	if err != nil {
		return nil, fmt.Errorf("read lists: %w", err)
	}
	for _, l := range lists {
		if l.Title == ListTitle {
			return l, nil
		}
	}
	return nil, nil
}

func (s *seeder) indexOf(key string) int {
	for i, p := range people {
		if p.key == key {
			return i
		}
	}
	panic("demo: no person " + key)
}

// resetPasswords gives the admin and member accounts of a finished demo new
// passwords, recreating either if someone deleted it.
func (s *seeder) resetPasswords(ctx context.Context, res *Result, existing map[int]*starling.Account) (*Result, error) {
	res.AlreadySeeded = true
	owner := existing[s.indexOf(sectorBodyKey)]
	res.ListOwner = owner.Username
	l, err := s.list(ctx, owner)
	if err != nil {
		return nil, err
	}
	members, err := s.store.ListMembers(ctx, l.ID, starling.Page{Limit: 80})
	if err != nil {
		return nil, err
	}
	res.ListMembers = len(members)
	if res.ConferenceDays, err = s.conferenceDays(ctx, existing[s.indexOf(conferenceKey)]); err != nil {
		return nil, err
	}
	for _, key := range []string{adminKey, memberKey} {
		if err := s.signInAccount(ctx, res, existing, s.indexOf(key)); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// conferenceDays finds the conference days of an earlier seeding by the
// conference account's opening post, or returns zero times.
func (s *seeder) conferenceDays(ctx context.Context, conference *starling.Account) ([2]time.Time, error) {
	if conference == nil {
		return [2]time.Time{}, nil
	}
	ids, err := s.store.AccountStatuses(ctx, conference.ID, starling.AccountStatusesFilter{Tagged: Hashtag,
		Visibilities: []starling.Visibility{starling.VisibilityPublic}}, starling.Page{Limit: 100})
	if err != nil {
		return [2]time.Time{}, fmt.Errorf("read conference posts: %w", err)
	}
	statuses, err := s.store.Statuses(ctx, ids)
	if err != nil {
		return [2]time.Time{}, fmt.Errorf("read conference posts: %w", err)
	}
	for _, st := range statuses {
		if strings.HasPrefix(st.Text, conferenceOpening) {
			day := st.CreatedAt.UTC().Truncate(24 * time.Hour)
			return [2]time.Time{day, day.AddDate(0, 0, 1)}, nil
		}
	}
	return [2]time.Time{}, nil
}

// signInAccount sets a new password on the admin or member account, or
// registers it if it is missing, and records its credentials in res.
func (s *seeder) signInAccount(ctx context.Context, res *Result, existing map[int]*starling.Account, i int) error {
	creds := &res.Member
	if people[i].key == adminKey {
		creds = &res.Admin
	}
	a := existing[i]
	if a == nil {
		var pw string
		var err error
		if a, pw, err = s.register(ctx, i); err != nil {
			return err
		}
		res.Accounts++
		*creds = Credentials{Username: a.Username, Email: emailOf(people[i].key), Password: pw}
		existing[i] = a
		return nil
	}
	pw := newPassword()
	hash, err := s.hasher.full.Hash(pw)
	if err != nil {
		return err
	}
	// There is no use case for an administrator to set a password; this
	// changes only the hash of an account the demo created.
	err = s.store.Update(ctx, func(tx starling.Tx) error {
		u, err := tx.User(ctx, a.ID)
		if err != nil {
			return err
		}
		u.PasswordHash = hash
		return tx.UpdateUser(ctx, u)
	})
	if err != nil {
		return fmt.Errorf("set password of @%s: %w", a.Username, err)
	}
	*creds = Credentials{Username: a.Username, Email: emailOf(people[i].key), Password: pw}
	return nil
}

// register creates the account of people[i] with its profile, at its
// planned time, and returns it with its password.
func (s *seeder) register(ctx context.Context, i int) (*starling.Account, string, error) {
	p := people[i]
	s.clock.t = s.plan.joined[i]
	name, err := s.freeUsername(ctx, p.key)
	if err != nil {
		return nil, "", err
	}
	pw := rand.Text()
	s.hasher.fast = true
	if p.key == adminKey || p.key == memberKey {
		pw = newPassword()
		s.hasher.fast = false
	}
	a, _, err := s.svc.Register(ctx, starling.SignUp{
		Username: name, Email: emailOf(p.key), Password: pw, Locale: "en", Admin: p.key == adminKey,
		SkipApproval: true, SkipAgreement: true, AllowReserved: true,
	})
	if err != nil {
		return nil, "", fmt.Errorf("create @%s: %w", name, err)
	}
	s.clock.t = s.clock.t.Add(2 * time.Minute)
	fields := []starling.Field{{Name: "Role", Value: p.role}, {Name: "Organisation", Value: p.org}, {Name: "Region", Value: p.region}}
	a, err = s.svc.UpdateProfile(ctx, a, starling.ProfileUpdate{DisplayName: &p.name, Note: &p.bio, Fields: &fields, Locked: &p.locked})
	if err != nil {
		return nil, "", fmt.Errorf("profile of @%s: %w", name, err)
	}
	return a, pw, nil
}

// freeUsername returns key, or when a real account has that name,
// key_demo, key_demo2 and so on: the demo never takes over a real name.
func (s *seeder) freeUsername(ctx context.Context, key string) (string, error) {
	for n := 1; ; n++ {
		name := key
		if n > 1 {
			suffix := "_demo"
			if n > 2 {
				suffix = fmt.Sprintf("_demo%d", n-1)
			}
			name = key[:min(len(key), 30-len(suffix))] + suffix
		}
		_, err := s.store.AccountByUsername(ctx, name, "")
		if starling.ErrorCode(err) == starling.ENOTFOUND {
			return name, nil
		} else if err != nil {
			return "", fmt.Errorf("check username %s: %w", name, err)
		}
	}
}

// verbs name the event kinds in errors.
var verbs = [...]string{evPost: "posts", evReblog: "reblogs", evFavourite: "likes", evBookmark: "bookmarks", evEdit: "edits", evPin: "pins"}

var mentionKey = regexp.MustCompile(`\{@([a-z0-9_]+)\}`)

// run carries out the plan. Accounts, follows, reblogs, likes and bookmarks
// that exist already are left as they are, and posts already written (same
// author, same text) are not written again, so an interrupted run can resume.
func (s *seeder) run(ctx context.Context, res *Result, existing map[int]*starling.Account) error {
	acc := make([]*starling.Account, len(people))
	usernames := map[string]string{}
	for i, p := range people {
		if p.key == adminKey || p.key == memberKey {
			if err := s.signInAccount(ctx, res, existing, i); err != nil {
				return err
			}
			acc[i] = existing[i]
		} else if acc[i] = existing[i]; acc[i] == nil {
			a, _, err := s.register(ctx, i)
			if err != nil {
				return err
			}
			acc[i] = a
			res.Accounts++
		}
		usernames[p.key] = acc[i].Username
	}
	res.ListOwner = usernames[sectorBodyKey]
	render := func(str string) string {
		return mentionKey.ReplaceAllStringFunc(str, func(m string) string { return "@" + usernames[m[2:len(m)-1]] })
	}

	if err := s.follow(ctx, res, acc); err != nil {
		return err
	}

	written, err := s.written(ctx, existing)
	if err != nil {
		return err
	}
	ids := make([]int64, len(s.plan.posts))
	for _, ev := range s.plan.events {
		s.clock.t = ev.at
		pp := s.plan.posts[ev.post]
		who := acc[ev.who]
		var err error
		switch ev.kind {
		case evPost:
			text := render(pp.text)
			if id := written[ev.who][text]; id != 0 {
				ids[ev.post] = id
			} else if id := written[ev.who][render(pp.edit)]; pp.edit != "" && id != 0 {
				ids[ev.post] = id
			} else {
				ns := starling.NewStatus{Text: text, Visibility: pp.vis, Language: "en"}
				if pp.parent >= 0 {
					if ns.InReplyToID = ids[pp.parent]; ns.InReplyToID == 0 {
						return fmt.Errorf("demo: reply posted before its parent")
					}
				}
				var st *starling.Status
				if st, err = s.svc.PostStatus(ctx, who, ns); err == nil {
					ids[ev.post] = st.ID
				}
			}
			if pp.parent >= 0 {
				res.Replies++
			} else {
				res.Posts++
			}
		case evReblog:
			_, err = s.svc.Reblog(ctx, who, ids[ev.post], starling.VisibilityPublic)
			res.Reblogs++
		case evFavourite:
			_, err = s.svc.Favourite(ctx, who, ids[ev.post])
			res.Favourites++
		case evBookmark:
			_, err = s.svc.Bookmark(ctx, who, ids[ev.post])
			res.Bookmarks++
		case evEdit:
			edit := render(pp.edit)
			var st *starling.Status
			if st, err = s.store.Status(ctx, ids[ev.post]); err == nil && st.Text != edit {
				_, err = s.svc.EditStatus(ctx, who, ids[ev.post], starling.StatusChange{Text: &edit})
			}
			res.Edits++
		case evPin:
			_, err = s.svc.Pin(ctx, who, ids[ev.post])
		}
		if err != nil {
			return fmt.Errorf("@%s %s %q: %w", who.Username, verbs[ev.kind], pp.text, err)
		}
	}
	if res.Resumed { // the conference may have been posted by the earlier run, on other days
		d, err := s.conferenceDays(ctx, acc[s.indexOf(conferenceKey)])
		if err != nil {
			return err
		}
		if !d[0].IsZero() {
			res.ConferenceDays = d
		}
	}
	return s.fillList(ctx, res, acc)
}

// follow makes the planned follows and approves the planned requests.
func (s *seeder) follow(ctx context.Context, res *Result, acc []*starling.Account) error {
	var last time.Time
	for _, f := range s.plan.follows {
		s.clock.t, last = f.at, f.at
		if _, err := s.svc.Follow(ctx, acc[f.from], acc[f.to].ID, starling.FollowOptions{}); err != nil {
			return fmt.Errorf("@%s follows @%s: %w", acc[f.from].Username, acc[f.to].Username, err)
		}
		if f.approve {
			res.Follows++
		} else {
			res.FollowRequests++
		}
	}
	for _, f := range s.plan.follows {
		if !people[f.to].locked || !f.approve {
			continue
		}
		last = last.Add(7 * time.Minute)
		s.clock.t = last
		_, err := s.svc.AuthorizeFollowRequest(ctx, acc[f.to], acc[f.from].ID)
		if err != nil && starling.ErrorCode(err) != starling.ENOTFOUND { // not found: approved by an earlier run
			return fmt.Errorf("@%s approves @%s: %w", acc[f.to].Username, acc[f.from].Username, err)
		}
	}
	return nil
}

// written maps the statuses the existing demo accounts have posted, by
// author and text, so a resumed run does not post them again.
func (s *seeder) written(ctx context.Context, existing map[int]*starling.Account) (map[int]map[string]int64, error) {
	out := map[int]map[string]int64{}
	all := []starling.Visibility{starling.VisibilityPublic, starling.VisibilityUnlisted, starling.VisibilityPrivate, starling.VisibilityDirect}
	for i, a := range existing {
		out[i] = map[string]int64{}
		page := starling.Page{Limit: 200}
		for {
			ids, err := s.store.AccountStatuses(ctx, a.ID, starling.AccountStatusesFilter{ExcludeReblogs: true, Visibilities: all}, page)
			if err != nil {
				return nil, fmt.Errorf("read posts of @%s: %w", a.Username, err)
			}
			if len(ids) == 0 {
				break
			}
			statuses, err := s.store.Statuses(ctx, ids)
			if err != nil {
				return nil, fmt.Errorf("read posts of @%s: %w", a.Username, err)
			}
			for _, st := range statuses {
				out[i][st.Text] = st.ID
			}
			page.MaxID = ids[len(ids)-1]
		}
	}
	return out, nil
}

// fillList makes the sector body's list, last of all, which marks the
// seeding as finished.
func (s *seeder) fillList(ctx context.Context, res *Result, acc []*starling.Account) error {
	s.clock.t = s.plan.now.Add(-30 * time.Second)
	owner := acc[s.indexOf(sectorBodyKey)]
	l, err := s.list(ctx, owner)
	if err != nil {
		return err
	}
	if l == nil {
		if l, err = s.svc.CreateList(ctx, owner, starling.List{Title: ListTitle, RepliesPolicy: "list"}); err != nil {
			return fmt.Errorf("create list: %w", err)
		}
	}
	var ids []int64
	for _, key := range listMembers {
		ids = append(ids, acc[s.indexOf(key)].ID)
	}
	if err := s.svc.AddListMembers(ctx, owner, l.ID, ids); err != nil {
		return fmt.Errorf("fill list: %w", err)
	}
	res.ListMembers = len(ids)
	return nil
}
