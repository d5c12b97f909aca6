package loadtest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
)

// bench is one run's shared state: the server, the users and what the
// phases learned before they started.
type bench struct {
	cfg   *Config
	c     *Client
	users []User
	// locks keeps two workers from interacting as the same user at once,
	// where one's undo would cancel the other's favourite.
	locks      []sync.Mutex
	healthPath string // what the baseline phase reads
}

func (b *bench) randomUser(w *Worker) (int, User) {
	i := w.Rand.IntN(len(b.users))
	return i, b.users[i]
}

// otherUser returns a random user other than i (or i itself if it is alone).
func (b *bench) otherUser(w *Worker, i int) User {
	if len(b.users) < 2 {
		return b.users[i]
	}
	j := w.Rand.IntN(len(b.users) - 1)
	if j >= i {
		j++
	}
	return b.users[j]
}

// prepareBaseline picks what the baseline phase reads: /healthz, which is not
// part of the Mastodon API, or GET /api/v1/instance on servers without it.
// It returns a note for the report when it falls back.
func (b *bench) prepareBaseline(ctx context.Context) string {
	b.healthPath = "/healthz"
	var se *StatusError
	if err := b.c.Get(ctx, "/healthz", ""); errors.As(err, &se) && se.Code == http.StatusNotFound {
		b.healthPath = "/api/v1/instance"
		return "baseline: GET /healthz answered 404, so the baseline measures GET /api/v1/instance"
	}
	return ""
}

func (b *bench) baseline(ctx context.Context, w *Worker) {
	_ = w.Do(func() error { return b.c.Get(ctx, b.healthPath, "") })
}

func (b *bench) home(ctx context.Context, w *Worker) {
	_, u := b.randomUser(w)
	_ = w.Do(func() error { return b.c.Get(ctx, "/api/v1/timelines/home?limit=20", u.Token) })
}

func (b *bench) hashtag(ctx context.Context, w *Worker) {
	_, u := b.randomUser(w)
	tag := Tags[w.Rand.IntN(len(Tags))]
	_ = w.Do(func() error { return b.c.Get(ctx, "/api/v1/timelines/tag/"+tag+"?limit=20", u.Token) })
}

func (b *bench) account(ctx context.Context, w *Worker) {
	_, reader := b.randomUser(w)
	_, author := b.randomUser(w)
	_ = w.Do(func() error {
		return b.c.Get(ctx, "/api/v1/accounts/"+url.PathEscape(author.ID)+"/statuses?limit=20", reader.Token)
	})
}

// compose posts a public status that mentions another user and carries a
// hashtag, so the server does its full work: fan-out, mention, notification, tag.
func (b *bench) compose(ctx context.Context, w *Worker) {
	i, u := b.randomUser(w)
	other := b.otherUser(w, i)
	// The number is written in hex: ten random decimal digits are a valid
	// NHS number one time in eleven, which the safeguarding check refuses.
	text := fmt.Sprintf("Load test post %08x: hello @%s, what do you think about #%s?",
		w.Rand.Uint32(), other.Username, Tags[w.Rand.IntN(len(Tags))])
	_ = w.Do(func() error {
		_, err := b.c.PostStatus(ctx, u.Token, text)
		return err
	})
}

// interact reads a user's home timeline, favourites and reblogs one of its
// statuses, then undoes both, so that repeated runs leave the data as it was.
func (b *bench) interact(ctx context.Context, w *Worker) {
	i, u := b.randomUser(w)
	b.locks[i].Lock()
	defer b.locks[i].Unlock()
	var list []Status
	if w.Do(func() (err error) {
		list, err = b.c.HomeTimeline(ctx, u.Token, "", 20)
		return err
	}) != nil {
		return
	}
	// Act on the original of a reblog, and only on statuses this user has
	// not favourited or reblogged already: undoing those would change the data.
	var candidates []string
	for _, s := range list {
		if s.Reblog != nil {
			s = *s.Reblog
		}
		if !s.Favourited && !s.Reblogged && (s.Visibility == "public" || s.Visibility == "unlisted") {
			candidates = append(candidates, s.ID)
		}
	}
	if len(candidates) == 0 {
		return
	}
	id := candidates[w.Rand.IntN(len(candidates))]
	act := func(ctx context.Context, action string) bool {
		return w.Do(func() error { return b.c.StatusAction(ctx, u.Token, id, action) }) == nil
	}
	favourited := act(ctx, "favourite")
	reblogged := act(ctx, "reblog")
	// Undo even when the run is being interrupted.
	undo := context.WithoutCancel(ctx)
	if reblogged {
		act(undo, "unreblog")
	}
	if favourited {
		act(undo, "unfavourite")
	}
}

// mixed is 90% reads spread evenly over home, hashtag and account
// timelines, and 10% posts.
func (b *bench) mixed(ctx context.Context, w *Worker) {
	switch n := w.Rand.IntN(100); {
	case n < 10:
		b.compose(ctx, w)
	case n < 40:
		b.home(ctx, w)
	case n < 70:
		b.hashtag(ctx, w)
	default:
		b.account(ctx, w)
	}
}

// ops maps the phases that are a plain loop of one op to it.
func (b *bench) ops() map[string]Op {
	return map[string]Op{
		"baseline": b.baseline, "home": b.home, "hashtag": b.hashtag, "account": b.account,
		"compose": b.compose, "interact": b.interact, "mixed": b.mixed,
	}
}
