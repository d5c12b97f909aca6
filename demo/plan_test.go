package demo

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"starling"
	"starling/text"
)

var testNow = time.Date(2026, 3, 18, 15, 4, 5, 0, time.UTC) // a Wednesday

// script is what a plan says, without its times: who follows whom, and who writes what.
func script(p *plan) (follows [][3]string, posts [][2]string, events [][3]int) {
	for _, f := range p.follows {
		kind := "follow"
		if !f.approve {
			kind = "pending"
		}
		follows = append(follows, [3]string{people[f.from].key, people[f.to].key, kind})
	}
	for _, pp := range p.posts {
		posts = append(posts, [2]string{people[pp.author].key, pp.text})
	}
	for _, ev := range p.events {
		events = append(events, [3]int{int(ev.kind), ev.who, ev.post})
	}
	slices.SortFunc(events, func(a, b [3]int) int { return slices.Compare(a[:], b[:]) })
	return follows, posts, events
}

func TestPlanDeterministic(t *testing.T) {
	f1, p1, e1 := script(newPlan(1, testNow))
	// Another day of the week, another time of day: the same community.
	f2, p2, e2 := script(newPlan(1, testNow.Add(4*24*time.Hour+7*time.Hour)))
	if diff := cmp.Diff(f1, f2); diff != "" {
		t.Errorf("follows differ with the date (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(p1, p2); diff != "" {
		t.Errorf("posts differ with the date (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(e1, e2); diff != "" {
		t.Errorf("reactions differ with the date (-first +second):\n%s", diff)
	}
	f3, p3, _ := script(newPlan(2, testNow))
	if cmp.Equal(f1, f3) || cmp.Equal(p1, p3) {
		t.Error("seeds 1 and 2 give the same community")
	}
}

func TestPlanTimes(t *testing.T) {
	for _, now := range []time.Time{testNow, testNow.Add(3 * 24 * time.Hour), testNow.Add(4*24*time.Hour + 20*time.Hour), testNow.Add(-10 * time.Hour)} {
		p := newPlan(1, now)
		t.Run(now.Format("Mon15h"), func(t *testing.T) {
			for i := 1; i < len(p.joined); i++ {
				if !p.joined[i].After(p.joined[i-1]) {
					t.Fatalf("account %d joins before account %d", i, i-1)
				}
			}
			lastJoined, firstFollow := p.joined[len(p.joined)-1], p.follows[0].at
			lastFollow := p.follows[len(p.follows)-1].at
			if !firstFollow.After(lastJoined) {
				t.Errorf("first follow at %v, before the last account joins at %v", firstFollow, lastJoined)
			}
			first, last := p.events[0].at, p.events[len(p.events)-1].at
			if !first.After(lastFollow) || !last.Before(now) {
				t.Errorf("events from %v to %v; want after the follows (%v) and before now (%v)", first, last, lastFollow, now)
			}
			if span := last.Sub(first); span < 21*24*time.Hour || span > 31*24*time.Hour {
				t.Errorf("events span %v; want about four weeks", span)
			}
			at := map[int]time.Time{}
			var conference int
			for i, ev := range p.events {
				if i > 0 && !ev.at.After(p.events[i-1].at) {
					t.Fatalf("event %d is not after event %d", i, i-1)
				}
				if ev.kind == evPost {
					at[ev.post] = ev.at
					if pp := p.posts[ev.post]; strings.Contains(pp.text, "#"+Hashtag) && now.Sub(ev.at) < 8*24*time.Hour {
						conference++
					}
					continue
				}
				if posted, ok := at[ev.post]; !ok || !ev.at.After(posted) {
					t.Fatalf("event %+v comes before its post", ev)
				}
			}
			for i, pp := range p.posts {
				if pp.parent >= 0 && !at[i].After(at[pp.parent]) {
					t.Fatalf("reply %q comes before its parent", pp.text)
				}
			}
			if conference < 20 {
				t.Errorf("%d #%s posts in the last eight days; want the conference clustered there", conference, Hashtag)
			}
			for _, d := range p.confDays {
				if !weekday(d) || now.Sub(d) > 8*24*time.Hour || now.Sub(d) < 24*time.Hour {
					t.Errorf("conference on %v; want a weekday in the last week", d)
				}
			}
		})
	}
}

func TestPlanContent(t *testing.T) {
	keys := map[string]bool{}
	for _, p := range people {
		if keys[p.key] {
			t.Errorf("two people have the key %s", p.key)
		}
		keys[p.key] = true
		if !text.ValidUsername(p.key) || len(p.key) > 24 { // room for a _demo suffix
			t.Errorf("key %q is not a good username", p.key)
		}
		u := starling.ProfileUpdate{DisplayName: &p.name, Note: &p.bio, Fields: &[]starling.Field{{Name: "Role", Value: p.role}, {Name: "Organisation", Value: p.org}, {Name: "Region", Value: p.region}}}
		if err := u.Validate(); err != nil {
			t.Errorf("profile of %s: %v", p.key, err)
		}
	}
	if people[0].key != adminKey {
		t.Error("the admin must be created first, so an interrupted run is recognised")
	}
	if n := len(people); n < 45 || n > 60 {
		t.Errorf("%d people; want about fifty", n)
	}
	for _, key := range append(slices.Clone(listMembers), adminKey, memberKey, sectorBodyKey, conferenceKey) {
		if !keys[key] {
			t.Errorf("no person %q", key)
		}
	}
	p := newPlan(1, testNow)
	longest := map[string]string{}
	for _, pers := range people {
		longest[pers.key] = pers.key + "_demo2" // the longest a username gets beside real members
	}
	for _, pp := range p.posts {
		for _, s := range []string{pp.text, pp.edit} {
			for _, m := range mentionKey.FindAllStringSubmatch(s, -1) {
				if !keys[m[1]] {
					t.Errorf("%q mentions unknown %s", s, m[1])
				}
			}
			if strings.ContainsAny(mentionKey.ReplaceAllString(s, ""), "{}") {
				t.Errorf("%q has a placeholder left", s)
			}
			rendered := mentionKey.ReplaceAllStringFunc(s, func(m string) string { return "@" + longest[m[2:len(m)-1]] })
			if n := text.Length(rendered); n > 480 {
				t.Errorf("%q is %d characters long", s, n)
			}
		}
	}
	if n := len(p.posts); n < 150 {
		t.Errorf("%d posts and replies; want a few hundred statuses with the reblogs", n)
	}
}

// Patterns of personal information that must never appear in demo content.
var (
	nhsNumber = regexp.MustCompile(`\b\d{3}[ -]?\d{3}[ -]?\d{4}\b`)
	ukPhone   = regexp.MustCompile(`(?:\+44|\b0)\s?\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b`)
	postcode  = regexp.MustCompile(`(?i)\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b`)
	email     = regexp.MustCompile(`[\w.+-]+@[\w-]+\.[\w.]+`)
)

func TestNoPersonalInformation(t *testing.T) {
	t.Run("Patterns", func(t *testing.T) {
		for _, s := range []string{"NHS no. 943 476 5919", "call 01632 960 123", "07700 900123", "+44 20 7946 0958", "lives at SW1A 1AA", "b12 9qt", "jo@example.com"} {
			if !nhsNumber.MatchString(s) && !ukPhone.MatchString(s) && !postcode.MatchString(s) && !email.MatchString(s) {
				t.Errorf("%q is not caught", s)
			}
		}
	})
	var texts []string
	for _, p := range people {
		texts = append(texts, p.name, p.bio, p.role, p.org, p.region)
	}
	for _, pp := range newPlan(1, testNow).posts {
		texts = append(texts, pp.text, pp.edit)
	}
	for _, s := range texts {
		for name, re := range map[string]*regexp.Regexp{"an NHS number": nhsNumber, "a phone number": ukPhone, "a postcode": postcode, "an e-mail address": email} {
			if m := re.FindString(s); m != "" {
				t.Errorf("%q holds what looks like %s: %q", s, name, m)
			}
		}
	}
}

func TestNewPassword(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		pw := newPassword()
		if len(pw) != 23 || strings.Count(pw, "-") != 3 || strings.ContainsAny(pw, "0O1lI") {
			t.Fatalf("password %q is not four groups of five unambiguous characters", pw)
		}
		if seen[pw] {
			t.Fatalf("password %q came twice", pw)
		}
		seen[pw] = true
	}
}
