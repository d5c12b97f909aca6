// Package datagen fills a database directly (not over HTTP) with a synthetic
// community of a chosen size: accounts, a follow graph with a power-law
// (Zipf) tail, posts spread over time with hashtags, and materialised home
// timelines for a sample of readers. Benchmarks and load tests use it to
// reach sizes (10,000 accounts, 1,000,000 posts and beyond) that would take
// hours to create through the API.
package datagen

import (
	"context"
	"database/sql"
	"fmt"
	"html"
	"math/rand/v2"
	"regexp"
	"strings"
	"time"

	"starling"
	"starling/sqldb"
)

// Options sizes the community. Zero values take the defaults in parentheses.
type Options struct {
	Accounts     int       // accounts (1,000)
	Posts        int       // statuses (10,000)
	MeanFollows  int       // accounts each account follows, on average (100; capped below Accounts)
	Skew         float64   // Zipf exponent for who gets followed and who posts (1.1; must be > 1)
	Days         int       // posts spread over this many days before Now (30)
	Now          time.Time // the newest post's time (time.Now())
	Seed         uint64    // random seed, so a run can be repeated exactly (1)
	Texts        []string  // sample post texts; nil uses generated sentences
	Readers      int       // accounts whose home timelines are filled (100)
	FeedSize     int       // entries per filled home timeline (800, as Mastodon keeps)
	PasswordHash string    // stored for every account, so the generator does not hash thousands of times
	Tokens       int       // access tokens to issue to readers (at most Readers), for load tests
}

func (o *Options) defaults() {
	if o.Accounts <= 0 {
		o.Accounts = 1000
	}
	if o.Posts < 0 {
		o.Posts = 0
	} else if o.Posts == 0 {
		o.Posts = 10000
	}
	if o.MeanFollows <= 0 {
		o.MeanFollows = 100
	}
	o.MeanFollows = min(o.MeanFollows, o.Accounts/2)
	if o.Skew <= 1 {
		o.Skew = 1.1
	}
	if o.Days <= 0 {
		o.Days = 30
	}
	if o.Now.IsZero() {
		o.Now = time.Now().UTC()
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Readers <= 0 {
		o.Readers = 100
	}
	o.Readers = min(o.Readers, o.Accounts)
	if o.FeedSize <= 0 {
		o.FeedSize = 800
	}
	if o.PasswordHash == "" {
		o.PasswordHash = "$argon2id$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$invalid-generated-account"
	}
}

// Result says what Fill made.
type Result struct {
	AccountIDs   []int64 // in creation order; AccountIDs[0] is the most followed
	ReaderIDs    []int64 // accounts with filled home timelines
	Follows      int
	MaxFollowers int
	Tokens       []string // access tokens of the first readers, scopes "read write follow push"
	Took         time.Duration
}

// Fill adds a generated community to db, which should be freshly migrated.
func Fill(ctx context.Context, db *sqldb.DB, o Options) (*Result, error) {
	o.defaults()
	start := time.Now()
	rng := rand.New(rand.NewPCG(o.Seed, 0x5747a2))
	write, _ := db.SQL()
	tx, err := write.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// SQLite looks $N placeholders up by name, which costs time growing with
	// the square of their number in the many-row INSERTs here; plain ? does not.
	g := &generator{o: o, rng: rng, tx: tx, ctx: ctx, positional: db.Engine() == "sqlite"}
	res := &Result{}
	steps := []func(*Result) error{g.accounts, g.chooseReaders, g.follows, g.posts, g.counters, g.feeds, g.tokens}
	for _, step := range steps {
		if err := step(res); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	res.Took = time.Since(start)
	return res, nil
}

type generator struct {
	o    Options
	rng  *rand.Rand
	tx   *sql.Tx
	ctx  context.Context
	ids  starling.IDGenerator
	accs []int64
	z    *rand.Zipf

	// Home timelines of the readers, built while posts are generated: for
	// each author, the readers who follow them; for each reader, a ring of
	// their newest FeedSize entries.
	readers  []int         // account indexes
	audience map[int][]int // author index → reader numbers following them
	rings    [][]feedEntry // reader number → ring of entries
	ringNext []int         // reader number → next slot in its ring
	ringLen  []int         // reader number → entries held

	positional bool // write ? placeholders instead of $N
}

// zipf returns an account index drawn with the Zipf skew: index 0 most often.
func (g *generator) zipf() int {
	if g.z == nil {
		g.z = rand.NewZipf(g.rng, g.o.Skew, 1, uint64(len(g.accs)-1))
	}
	return int(g.z.Uint64())
}

func (g *generator) accounts(res *Result) error {
	b := newBatch(g, "accounts", "id", "username", "display_name", "note", "fields", "discoverable", "created_at", "updated_at")
	u := newBatch(g, "users", "account_id", "email", "password_hash", "role", "approved", "confirmed", "created_at")
	u.after = b
	created := g.o.Now.Add(-time.Duration(g.o.Days+30) * 24 * time.Hour)
	for i := 0; i < g.o.Accounts; i++ {
		at := created.Add(time.Duration(i) * time.Millisecond)
		id := g.ids.Next(at)
		g.accs = append(g.accs, id)
		name := fmt.Sprintf("member%06d", i)
		role := roles[i%len(roles)]
		fields := fmt.Sprintf(`[{"Name":"Role","Value":%q},{"Name":"Region","Value":%q}]`, role, regions[i%len(regions)])
		if err := b.add(id, name, fmt.Sprintf("Member %d", i), "Working in adult social care.", fields, true, at.UnixMilli(), at.UnixMilli()); err != nil {
			return err
		}
		if err := u.add(id, name+"@example.invalid", g.o.PasswordHash, "user", true, true, at.UnixMilli()); err != nil {
			return err
		}
	}
	res.AccountIDs = g.accs
	if err := b.flush(); err != nil {
		return err
	}
	return u.flush()
}

type feedEntry struct{ status, author int64 }

// chooseReaders picks the accounts whose home timelines are filled.
func (g *generator) chooseReaders(res *Result) error {
	g.readers = g.rng.Perm(len(g.accs))[:g.o.Readers]
	g.audience = map[int][]int{}
	g.rings = make([][]feedEntry, len(g.readers))
	g.ringNext = make([]int, len(g.readers))
	g.ringLen = make([]int, len(g.readers))
	for r, i := range g.readers {
		g.rings[r] = make([]feedEntry, g.o.FeedSize)
		g.audience[i] = append(g.audience[i], r) // a reader sees their own posts
		res.ReaderIDs = append(res.ReaderIDs, g.accs[i])
	}
	return nil
}

// follows gives each account a number of followees around the mean (between
// a fifth and twice of it) and picks whom with the Zipf skew, so a few
// accounts gather very many followers.
func (g *generator) follows(res *Result) error {
	b := newBatch(g, "follows", "id", "account_id", "target_account_id", "created_at")
	n := len(g.accs)
	at := g.o.Now.Add(-time.Duration(g.o.Days+1) * 24 * time.Hour)
	followers := make([]int, n)
	readerNo := map[int]int{}
	for r, i := range g.readers {
		readerNo[i] = r
	}
	for i, follower := range g.accs {
		r, isReader := readerNo[i]
		want := g.o.MeanFollows/5 + g.rng.IntN(g.o.MeanFollows*9/5+1)
		seen := map[int]bool{i: true}
		for tries := 0; len(seen)-1 < want && tries < want*4; tries++ {
			t := g.zipf()
			if seen[t] {
				continue
			}
			seen[t] = true
			followers[t]++
			if isReader {
				g.audience[t] = append(g.audience[t], r)
			}
			if err := b.add(g.ids.Next(at), follower, g.accs[t], at.UnixMilli()); err != nil {
				return err
			}
			res.Follows++
		}
	}
	for _, f := range followers {
		res.MaxFollowers = max(res.MaxFollowers, f)
	}
	return b.flush()
}

func (g *generator) posts(res *Result) error {
	b := newBatch(g, "statuses", "id", "account_id", "text", "content", "visibility", "conversation_id", "created_at")
	tags := newBatch(g, "status_tags", "tag", "status_id")
	tags.after = b // a tag row refers to its status: write statuses first
	span := time.Duration(g.o.Days) * 24 * time.Hour
	first := g.o.Now.Add(-span)
	step := span / time.Duration(max(g.o.Posts, 1))
	usedTags := map[string]int64{}
	for i := 0; i < g.o.Posts; i++ {
		at := first.Add(time.Duration(i) * step)
		id := g.ids.Next(at)
		ai := g.zipf()
		author := g.accs[ai]
		for _, r := range g.audience[ai] { // fan-out on write, into memory
			g.rings[r][g.ringNext[r]] = feedEntry{id, author}
			g.ringNext[r] = (g.ringNext[r] + 1) % g.o.FeedSize
			g.ringLen[r] = min(g.ringLen[r]+1, g.o.FeedSize)
		}
		text, tag := g.text(i)
		content := "<p>" + html.EscapeString(text) + "</p>"
		if err := b.add(id, author, text, content, "public", id, at.UnixMilli()); err != nil {
			return err
		}
		if tag != "" {
			if err := tags.add(tag, id); err != nil {
				return err
			}
			usedTags[tag] = at.UnixMilli()
		}
	}
	if err := b.flush(); err != nil {
		return err
	}
	if err := tags.flush(); err != nil {
		return err
	}
	t := newBatch(g, "tags", "name", "display_name", "created_at", "last_status_at")
	for name, last := range usedTags {
		if err := t.add(name, name, first.UnixMilli(), last); err != nil {
			return err
		}
	}
	return t.flush()
}

// text returns the i-th post's text and the hashtag it carries, if any.
func (g *generator) text(i int) (string, string) {
	tag := ""
	if i%5 == 0 {
		tag = hashtags[g.rng.IntN(len(hashtags))]
	}
	var s string
	if len(g.o.Texts) > 0 {
		s = g.o.Texts[g.rng.IntN(len(g.o.Texts))]
	} else {
		s = sentences[g.rng.IntN(len(sentences))]
	}
	if tag != "" {
		s += " #" + tag
	}
	return s, tag
}

// counters sets the denormalised counts the generator's bulk inserts skipped.
func (g *generator) counters(*Result) error {
	for _, stmt := range []string{
		`UPDATE accounts SET followers_count = (SELECT count(*) FROM follows f WHERE f.target_account_id = accounts.id),
			following_count = (SELECT count(*) FROM follows f WHERE f.account_id = accounts.id),
			statuses_count = (SELECT count(*) FROM statuses s WHERE s.account_id = accounts.id),
			last_status_at = coalesce((SELECT max(s.created_at) FROM statuses s WHERE s.account_id = accounts.id), 0)`,
		`UPDATE tags SET uses = (SELECT count(*) FROM status_tags st WHERE st.tag = tags.name)`,
	} {
		if _, err := g.tx.ExecContext(g.ctx, stmt); err != nil {
			return fmt.Errorf("counters: %w", err)
		}
	}
	return nil
}

// feeds writes the readers' home timelines gathered while posting: the newest
// FeedSize statuses of the accounts each follows and their own, as fan-out on
// write would have left them.
func (g *generator) feeds(*Result) error {
	b := newBatch(g, "home_feed", "account_id", "status_id", "origin_id", "author_id")
	// Readers count as reading their timelines now, so fan-out keeps them up
	// to date; the others are "away" and get theirs rebuilt if they come back.
	for start := 0; start < len(g.readers); start += batchRows {
		var a []any
		marks := ""
		for k, i := range g.readers[start:min(start+batchRows, len(g.readers))] {
			if k > 0 {
				marks += ","
			}
			a = append(a, g.accs[i])
			marks += fmt.Sprintf("$%d", k+2)
		}
		for _, table := range []string{"users", "follows"} {
			col := map[string]string{"users": "feed_active_at", "follows": "follower_active_at"}[table]
			if _, err := g.tx.ExecContext(g.ctx, g.placeholders(`UPDATE `+table+` SET `+col+` = $1 WHERE account_id IN (`+marks+`)`), append([]any{g.o.Now.UnixMilli()}, a...)...); err != nil {
				return fmt.Errorf("mark readers active: %w", err)
			}
		}
	}
	for r, i := range g.readers {
		for _, e := range g.rings[r][:g.ringLen[r]] {
			if err := b.add(g.accs[i], e.status, e.status, e.author); err != nil {
				return fmt.Errorf("fill home feed: %w", err)
			}
		}
	}
	return b.flush()
}

// tokens issues access tokens to the first readers, under an app of their own.
func (g *generator) tokens(res *Result) error {
	n := min(g.o.Tokens, len(res.ReaderIDs))
	if n == 0 {
		return nil
	}
	now := g.o.Now
	appID := g.ids.Next(now)
	if _, err := g.tx.ExecContext(g.ctx, g.placeholders(`INSERT INTO applications (id, name, website, redirect_uris, scopes, client_id, client_secret_hash, created_at)
		VALUES ($1, $2, '', $3, $4, $5, $6, $7)`), appID, "starling load test", starling.OOBRedirectURI, starling.FullScopes.String(),
		starling.NewSecret(), starling.HashSecret(starling.NewSecret()), now.UnixMilli()); err != nil {
		return fmt.Errorf("create load-test app: %w", err)
	}
	b := newBatch(g, "tokens", "id", "token_hash", "application_id", "account_id", "scopes", "created_at", "last_used_at")
	for _, reader := range res.ReaderIDs[:n] {
		tok := starling.NewSecret()
		res.Tokens = append(res.Tokens, tok)
		if err := b.add(g.ids.Next(now), starling.HashSecret(tok), appID, reader, starling.FullScopes.String(), now.UnixMilli(), now.UnixMilli()); err != nil {
			return err
		}
	}
	return b.flush()
}

// placeholders rewrites $N to ? where the engine looks $N up by name.
func (g *generator) placeholders(q string) string {
	if !g.positional {
		return q
	}
	return dollarN.ReplaceAllString(q, "?")
}

var dollarN = regexp.MustCompile(`\$\d+`)

// batch inserts rows many at a time: one multi-row INSERT per few hundred rows.
type batch struct {
	g     *generator
	head  string
	ncols int
	rows  []any
	n     int
	after *batch // flushed before this one, when rows here refer to rows there
}

func newBatch(g *generator, table string, cols ...string) *batch {
	return &batch{g: g, head: "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ", ncols: len(cols)}
}

const batchRows = 400

func (b *batch) add(vals ...any) error {
	b.rows = append(b.rows, vals...)
	b.n++
	if b.n >= batchRows {
		return b.flush()
	}
	return nil
}

func (b *batch) flush() error {
	if b.n == 0 {
		return nil
	}
	if b.after != nil {
		if err := b.after.flush(); err != nil {
			return err
		}
	}
	var q strings.Builder
	q.WriteString(b.head)
	p := 1
	for r := 0; r < b.n; r++ {
		if r > 0 {
			q.WriteByte(',')
		}
		q.WriteByte('(')
		for c := 0; c < b.ncols; c++ {
			if c > 0 {
				q.WriteByte(',')
			}
			if b.g.positional {
				q.WriteByte('?')
			} else {
				fmt.Fprintf(&q, "$%d", p)
				p++
			}
		}
		q.WriteByte(')')
	}
	if _, err := b.g.tx.ExecContext(b.g.ctx, q.String(), b.rows...); err != nil {
		return fmt.Errorf("bulk insert %s: %w", b.head[:40], err)
	}
	b.rows, b.n = b.rows[:0], 0
	return nil
}

var (
	roles     = []string{"Director of Adult Social Services", "Social worker", "Occupational therapist", "Care home manager", "Commissioner", "Comms officer", "Carer", "Principal social worker"}
	regions   = []string{"North East", "North West", "Yorkshire and the Humber", "East Midlands", "West Midlands", "East of England", "London", "South East", "South West"}
	hashtags  = []string{"adassspring", "socialcare", "carers", "commissioning", "dementia", "mentalhealth", "workforce", "housing", "ukcare", "strengthsbased"}
	sentences = []string{
		"What is working well in your area for hospital discharge? Keen to hear views.",
		"Proud of our reablement team this week: three people home and living independently again.",
		"Reading the new workforce report on the train. Lots on pay and progression.",
		"Join us at the carers' drop-in on Thursday, all welcome.",
		"A reminder that our duty team is available from 9 to 5 on weekdays.",
		"Great conversation today about strengths-based practice with colleagues across the region.",
		"We are recruiting occupational therapists: flexible hours and a supportive team.",
		"Thank you to everyone who came to the session on safeguarding adults.",
	}
)
