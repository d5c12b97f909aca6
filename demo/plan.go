package demo

import (
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"starling"
)

// A plan is everything a seeding does, worked out before any of it touches
// the database. The seed decides every choice (who follows whom, who writes
// the posts anyone in a group might write, who reblogs and likes what); the
// current time only places it all in the four weeks before now. To keep
// that so, the planner draws the same random numbers whatever the date.
type plan struct {
	now      time.Time
	confDays [2]time.Time // midnight (UTC) of the two conference days
	joined   []time.Time  // when each of people joins
	follows  []plannedFollow
	posts    []*plannedPost
	events   []event // in time order, strictly increasing
}

// plannedFollow is a follow; when the target is locked it is a request,
// approved later if approve is set.
type plannedFollow struct {
	from, to int // indexes into people
	at       time.Time
	approve  bool
}

// plannedPost is a status to post. Text still holds {@key} mentions, which
// become usernames only when it is posted.
type plannedPost struct {
	author int
	text   string
	edit   string
	vis    starling.Visibility
	parent int // the post it replies to, or -1
	at     time.Time
	pin    bool
}

type eventKind uint8

const (
	evPost eventKind = iota
	evReblog
	evFavourite
	evBookmark
	evEdit
	evPin
)

// event is one action on a post: posting it, or someone reacting to it.
type event struct {
	at   time.Time
	kind eventKind
	who  int // the account that acts
	post int // index into plan.posts
}

type planner struct {
	rng    *rand.Rand
	p      *plan
	index  map[string]int // person key → index into people
	limit  time.Time      // nothing happens after this
	today  time.Time      // midnight (UTC) at the start of now's day
	posted []int          // posts written so far, per person
}

// newPlan works out the whole demo for the seed, placed before now.
func newPlan(seed uint64, now time.Time) *plan {
	now = now.UTC()
	pl := &planner{
		rng:    rand.New(rand.NewPCG(seed, 0x5ca1ab1e)),
		p:      &plan{now: now},
		index:  map[string]int{},
		limit:  now.Add(-time.Minute),
		today:  now.Truncate(24 * time.Hour),
		posted: make([]int, len(people)),
	}
	for i, p := range people {
		pl.index[p.key] = i
	}
	pl.p.confDays = conferenceDays(pl.today)
	pl.accounts()
	pl.followGraph()
	for _, n := range notes {
		pl.note(n)
	}
	for _, n := range conferenceNotes {
		pl.note(n)
	}
	for _, t := range threads {
		pl.thread(t)
	}
	pl.interactions()
	pl.sortEvents()
	return pl.p
}

// conferenceDays returns two weekdays in a row, the second two to four days
// before today, so #adassspring is busy in the last week.
func conferenceDays(today time.Time) [2]time.Time {
	for k := 2; ; k++ {
		d2 := today.AddDate(0, 0, -k)
		d1 := d2.AddDate(0, 0, -1)
		if weekday(d1) && weekday(d2) {
			return [2]time.Time{d1, d2}
		}
	}
}

func weekday(t time.Time) bool { return t.Weekday() != time.Saturday && t.Weekday() != time.Sunday }

// accounts spreads the sign-ups over ten days, about six weeks ago.
func (pl *planner) accounts() {
	start := pl.p.now.Add(-46 * 24 * time.Hour)
	for i := range people {
		jitter := time.Duration(pl.rng.Float64() * float64(2*time.Hour))
		pl.p.joined = append(pl.p.joined, start.Add(time.Duration(i)*5*time.Hour+jitter))
	}
}

// followChance is how likely a follows b before follow-backs.
func (pl *planner) followChance(a, b int) float64 {
	pa, pb := &people[a], &people[b]
	switch {
	case a == b:
		return 0
	case pa.key == adminKey:
		if pb.key == sectorBodyKey || pb.key == conferenceKey || pb.key == memberKey {
			return 1
		}
		return 0
	case pb.key == sectorBodyKey:
		return 1 // everyone follows the sector body
	case pa.key == sectorBodyKey:
		if slices.Contains(listMembers, pb.key) || pb.group&(gLeader|gOrg) != 0 {
			return 1
		}
		return 0.2
	case pb.key == conferenceKey:
		if pa.group&gOrg != 0 {
			return 1
		}
		return 0.6
	case pb.key == adminKey:
		return 0.15
	}
	p := 0.04
	if pa.org == pb.org {
		p += 0.9
	}
	if pa.region == pb.region {
		p += 0.4
	}
	if pa.group&pb.group != 0 {
		p += 0.3
	}
	if pb.group&gOrg != 0 {
		p += 0.2
	}
	if pa.key == memberKey {
		p *= 1.6 // the member account shows a lively home timeline
	} else if pa.group&gOrg != 0 {
		p *= 0.5
	}
	return p
}

// followGraph decides who follows whom: the sector body by everyone,
// colleagues by organisation, region and kind of work, then some follow back.
// Requests to locked accounts are approved except the last two of each.
func (pl *planner) followGraph() {
	following := map[[2]int]bool{}
	var pairs [][2]int
	for a := range people {
		for b := range people {
			if u := pl.rng.Float64(); u < pl.followChance(a, b) {
				pairs = append(pairs, [2]int{a, b})
				following[[2]int{a, b}] = true
			}
		}
	}
	for _, f := range slices.Clone(pairs) {
		back := [2]int{f[1], f[0]}
		if u := pl.rng.Float64(); !following[back] && people[f[1]].key != adminKey && u < 0.35 {
			pairs = append(pairs, back)
			following[back] = true
		}
	}
	// Follows happen in a shuffled order over four days, a month ago.
	pl.rng.Shuffle(len(pairs), func(i, j int) { pairs[i], pairs[j] = pairs[j], pairs[i] })
	start, end := pl.p.now.Add(-35*24*time.Hour), pl.p.now.Add(-31*24*time.Hour)
	step := end.Sub(start) / time.Duration(len(pairs)+1)
	requests := map[int][]int{} // locked account → indexes into follows
	for i, f := range pairs {
		pf := plannedFollow{from: f[0], to: f[1], at: start.Add(time.Duration(i+1) * step), approve: true}
		if people[f[1]].locked {
			requests[f[1]] = append(requests[f[1]], len(pl.p.follows))
		}
		pl.p.follows = append(pl.p.follows, pf)
	}
	for _, idx := range requests {
		for _, i := range idx[max(0, len(idx)-2):] {
			pl.p.follows[i].approve = false
		}
	}
}

// followers lists who follows person a (approved follows only), in plan order.
func (pl *planner) followers(a int) []int {
	var out []int
	for _, f := range pl.p.follows {
		if f.to == a && f.approve {
			out = append(out, f.from)
		}
	}
	return out
}

// timeIn picks a moment in the window: working hours on a weekday for the
// fixed days, any time for the last stretch. It always draws three numbers.
func (pl *planner) timeIn(w window, hour float64) time.Time {
	uDay, uHour, uShift := pl.rng.Float64(), pl.rng.Float64(), pl.rng.Float64()
	if hour == 0 {
		hour = 7.5 + uHour*11
	}
	var day time.Time
	switch w {
	case wAny:
		day = pl.today.AddDate(0, 0, -(1 + int(uDay*27)))
	case wFirstDays:
		day = pl.today.AddDate(0, 0, -(26 + int(uDay*3)))
	case wBuildUp:
		day = pl.p.confDays[0].AddDate(0, 0, -(2 + int(uDay*12)))
	case wDay1:
		day = pl.p.confDays[0]
	case wDay2:
		day = pl.p.confDays[1]
	case wAfter:
		from := pl.p.confDays[1].Add(19 * time.Hour)
		return from.Add(time.Duration(uDay * float64(pl.limit.Add(-30*time.Minute).Sub(from))))
	case wRecent:
		from := pl.p.now.Add(-20 * time.Hour)
		return from.Add(time.Duration(uDay * float64(19*time.Hour)))
	}
	// Most people post on working days: a weekend post moves to one of the
	// four nearest weekdays, unless it is one of the few that stay.
	if w == wFirstDays {
		for !weekday(day) { // forwards: the community starts four weeks ago, not earlier
			day = day.AddDate(0, 0, 1)
		}
	} else if !weekday(day) && uShift < 0.85 {
		// Older days move forwards and recent ones backwards, which keeps
		// them inside the four weeks and in the past.
		step := -1
		if day.Before(pl.today.AddDate(0, 0, -14)) {
			step = 1
		}
		for n := int(uShift / 0.85 * 4); !weekday(day) || n > 0; day = day.AddDate(0, 0, step) {
			if weekday(day) {
				n--
			}
		}
	}
	return day.Add(time.Duration(hour * float64(time.Hour)))
}

// after returns a moment d after t, or halfway to the limit when that would
// be later than the limit, so everything stays in the past and in order.
func (pl *planner) after(t time.Time, d time.Duration) time.Time {
	if t2 := t.Add(d); t2.Before(pl.limit) {
		return t2
	}
	return t.Add(pl.limit.Sub(t) / 2)
}

// author picks who writes a note: its named author, or, of two people in
// its groups, whoever has written less so far.
func (pl *planner) author(n note) int {
	groups := n.groups
	if groups == 0 {
		groups = gPeople
	}
	var cands []int
	for i, p := range people {
		if p.group&groups != 0 && p.group&(gOrg|gAdmin) == 0 {
			cands = append(cands, i)
		}
	}
	a, b := pl.rng.IntN(len(cands)), pl.rng.IntN(len(cands))
	if n.by != "" {
		return pl.index[n.by]
	}
	if pl.posted[cands[b]] < pl.posted[cands[a]] {
		a = b
	}
	return cands[a]
}

// fill replaces {@peer}, {org} and {region} for the author; mentions of
// named accounts stay as {@key} until the usernames are known.
func (pl *planner) fill(author int, s string) string {
	p := &people[author]
	var peers []int
	for i, q := range people {
		if i != author && q.region == p.region && q.group&(gOrg|gAdmin) == 0 {
			peers = append(peers, i)
		}
	}
	if len(peers) == 0 {
		for i, q := range people {
			if i != author && q.group&(gOrg|gAdmin) == 0 {
				peers = append(peers, i)
			}
		}
	}
	peer := peers[pl.rng.IntN(len(peers))]
	region := p.region
	if strings.HasPrefix(region, "North") || strings.HasPrefix(region, "South") || strings.HasPrefix(region, "East ") || strings.HasPrefix(region, "West ") {
		region = "the " + region
	}
	return strings.NewReplacer("{@peer}", "{@"+people[peer].key+"}", "{org}", p.org, "{region}", region).Replace(s)
}

func (pl *planner) addPost(pp *plannedPost) int {
	pl.p.posts = append(pl.p.posts, pp)
	i := len(pl.p.posts) - 1
	pl.posted[pp.author]++
	pl.p.events = append(pl.p.events, event{at: pp.at, kind: evPost, who: pp.author, post: i})
	if pp.edit != "" {
		at := pl.after(pp.at, time.Duration(12+pl.rng.IntN(30))*time.Minute)
		pl.p.events = append(pl.p.events, event{at: at, kind: evEdit, who: pp.author, post: i})
	}
	if pp.pin {
		pl.p.events = append(pl.p.events, event{at: pl.after(pp.at, time.Hour), kind: evPin, who: pp.author, post: i})
	}
	return i
}

func (pl *planner) note(n note) int {
	author := pl.author(n)
	at := pl.timeIn(n.when, n.hour)
	vis := n.vis
	if vis == "" {
		vis = starling.VisibilityPublic
	}
	return pl.addPost(&plannedPost{author: author, text: pl.fill(author, n.text), edit: pl.fill(author, n.edit),
		vis: vis, parent: -1, at: at, pin: n.pin})
}

// thread posts the root, then each reply between ten minutes and three
// hours after the message before it, mentioning the author it answers.
func (pl *planner) thread(t thread) {
	ids := []int{pl.note(t.root)}
	last := pl.p.posts[ids[0]].at
	for _, r := range t.replies {
		parent := pl.p.posts[ids[r.to]]
		author := pl.index[r.by]
		text := pl.fill(author, r.text)
		if parent.author != author {
			text = "{@" + people[parent.author].key + "} " + text
		}
		last = pl.after(last, time.Duration(10+pl.rng.IntN(170))*time.Minute)
		ids = append(ids, pl.addPost(&plannedPost{author: author, text: text, vis: starling.VisibilityPublic,
			parent: ids[r.to], at: last}))
	}
}

// interactions decides who reblogs, likes and bookmarks each post: mostly
// the author's followers, more for organisations, leaders and the
// conference, fewer for replies. The member account bookmarks the guides
// it sees, so its bookmarks are never empty.
func (pl *planner) interactions() {
	followers := make([][]int, len(people))
	for a := range people {
		followers[a] = pl.followers(a)
	}
	member := pl.index[memberKey]
	for i, pp := range pl.p.posts {
		if pp.vis == starling.VisibilityDirect {
			continue
		}
		author := &people[pp.author]
		w := 1.0
		switch {
		case pp.parent >= 0:
			w = 0.4
		case author.group&gOrg != 0:
			w = 1.6
		case author.group&gLeader != 0:
			w = 1.4
		}
		if strings.Contains(pp.text, "#adassspring") {
			w += 0.3
		}
		cands := slices.Clone(followers[pp.author])
		pl.rng.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
		uFav, uReblog, uReblogs, uBookmark := pl.rng.Float64(), pl.rng.Float64(), pl.rng.Float64(), pl.rng.Float64()
		react := func(kind eventKind, who int) {
			d := 2*time.Minute + time.Duration(pl.rng.Float64()*pl.rng.Float64()*float64(30*time.Hour))
			pl.p.events = append(pl.p.events, event{at: pl.after(pp.at, d), kind: kind, who: who, post: i})
		}
		nFav := min(len(cands), int(w*4.5*uFav))
		for _, who := range cands[:nFav] {
			react(evFavourite, who)
		}
		if pp.parent >= 0 {
			if parent := pl.p.posts[pp.parent]; parent.author != pp.author && uReblog < 0.6 && !slices.Contains(cands[:nFav], parent.author) {
				react(evFavourite, parent.author)
			}
		}
		shareable := pp.parent < 0 && (pp.vis == starling.VisibilityPublic || pp.vis == starling.VisibilityUnlisted)
		if shareable && uReblog < 0.2*w {
			// Rebloggers come from the end of the shuffled followers, so
			// some share without liking and some do both.
			n := min(len(cands), 1+int(uReblogs*3))
			for _, who := range cands[len(cands)-n:] {
				react(evReblog, who)
			}
		}
		link := strings.Contains(pp.text, "https://")
		bookmarker := -1
		if len(cands) > 0 && (uBookmark < 0.08 || link && uBookmark < 0.35) {
			bookmarker = cands[len(cands)/2]
			react(evBookmark, bookmarker)
		}
		if strings.Contains(pp.text, "https://example.org/guides/") && bookmarker != member && slices.Contains(followers[pp.author], member) {
			react(evBookmark, member)
		}
	}
}

// sortEvents orders the events by time, keeping the planned order for
// equal times, and spaces them at least a millisecond apart.
func (pl *planner) sortEvents() {
	ev := pl.p.events
	slices.SortStableFunc(ev, func(a, b event) int { return a.at.Compare(b.at) })
	for i := 1; i < len(ev); i++ {
		if !ev[i].at.After(ev[i-1].at) {
			ev[i].at = ev[i-1].at.Add(time.Millisecond)
		}
	}
}
