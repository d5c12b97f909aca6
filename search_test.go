package starling_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"starling"
	"starling/apptest"
	"starling/sqldb/sqldbtest"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseStatusQuery(t *testing.T) {
	for _, tt := range []struct {
		name, q string
		want    starling.StatusQuery
	}{
		{"Words", "carers  Leeds\tweek", starling.StatusQuery{Words: []string{"carers", "Leeds", "week"}}},
		{"Phrase", `"hospital discharge" views`, starling.StatusQuery{Words: []string{"views"}, Phrases: []string{"hospital discharge"}}},
		{"PhraseSpacesFolded", `"  hospital   discharge "`, starling.StatusQuery{Phrases: []string{"hospital discharge"}}},
		{"OneWordPhrase", `"carers"`, starling.StatusQuery{Words: []string{"carers"}}},
		{"Unterminated", `"unterminated phrase`, starling.StatusQuery{Phrases: []string{"unterminated phrase"}}},
		{"LoneQuote", `"`, starling.StatusQuery{}},
		{"From", "from:alice care", starling.StatusQuery{Words: []string{"care"}, From: "alice"}},
		{"FromAt", "From:@alice@example.org", starling.StatusQuery{From: "alice@example.org"}},
		{"FromMe", "from:me", starling.StatusQuery{FromMe: true}},
		{"FromAtMe", "from:@me", starling.StatusQuery{From: "me"}},
		{"HasMedia", "has:MEDIA garden", starling.StatusQuery{Words: []string{"garden"}, HasMedia: true}},
		{"Before", "before:2025-03-01", starling.StatusQuery{Before: day("2025-03-01")}},
		{"After", "after:2025-03-01", starling.StatusQuery{After: day("2025-03-02")}},
		{"During", "during:2025-03-01", starling.StatusQuery{After: day("2025-03-01"), Before: day("2025-03-02")}},
		{"Tightest", "before:2025-05-01 before:2025-04-01 after:2025-01-01 after:2024-01-01", starling.StatusQuery{After: day("2025-01-02"), Before: day("2025-04-01")}},
		{"OtherColonIsAWord", "col:val Note:", starling.StatusQuery{Words: []string{"col:val", "Note:"}}},
		{"Punctuation", `* -- ^ ( ) 🙂 a*`, starling.StatusQuery{Words: []string{"a*"}}},
		{"ControlAndInvalid", "care\x00home\xffwork", starling.StatusQuery{Words: []string{"care", "home", "work"}}},
		{"Without", `care -home -"day centre" -"x" - -- -* "a -b"`, starling.StatusQuery{Words: []string{"care"}, Phrases: []string{"a -b"},
			Without: []string{"home", "day centre", "x"}}},
		{"EmptyOperatorIsAWord", "from: has:", starling.StatusQuery{Words: []string{"from:", "has:"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := starling.ParseStatusQuery(tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("ParseStatusQuery(%q) (-want +got):\n%s", tt.q, diff)
			}
		})
	}
	for _, q := range []string{"has:poll", "before:yesterday", "after:2025-13-01", "during:0001-01-01", "before:9999-12-31",
		"is:reply", "in:library", "language:en", strings.Repeat("a", starling.MaxSearchChars+1),
		strings.Repeat("word ", starling.MaxSearchTerms+1)} {
		if _, err := starling.ParseStatusQuery(q); starling.ErrorCode(err) != starling.EINVALID {
			t.Errorf("ParseStatusQuery(%.40q) = %v, want EINVALID", q, err)
		}
	}
}

// FuzzParseStatusQuery: any input parses or is refused as invalid, and what
// parses is text with something to search for in every word and phrase.
func FuzzParseStatusQuery(f *testing.F) {
	for _, s := range []string{`"unterminated`, `NEAR(a b)`, `a OR`, `*`, `'; DROP TABLE statuses; --`, `col:val`, `^x`, `\"`,
		"from:me has:media before:2025-01-01 \"a b\" c", "\xff\xfe", "during:2025-02-29"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := starling.ParseStatusQuery(s)
		if err != nil {
			if starling.ErrorCode(err) != starling.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		for _, term := range append(append(q.Words, q.Phrases...), q.Without...) {
			if !utf8.ValidString(term) || strings.ContainsFunc(term, func(r rune) bool { return r < ' ' }) {
				t.Errorf("term %q is not clean text", term)
			}
			if !strings.ContainsFunc(term, func(r rune) bool { return r >= '0' && r <= '9' || r > 127 || (r|0x20) >= 'a' && (r|0x20) <= 'z' }) {
				t.Errorf("term %q has nothing to search for", term)
			}
		}
		for _, p := range q.Phrases {
			if strings.Contains(p, `"`) || strings.Contains(p, "  ") {
				t.Errorf("phrase %q keeps a quote or a double space", p)
			}
		}
		if n := len(q.Words) + len(q.Phrases) + len(q.Without); n > starling.MaxSearchTerms {
			t.Errorf("%d terms", n)
		}
	})
}

// TestSearchStatusesService checks the service's part of a status search:
// operators resolved, visitors kept out, and the visibility rules applied to
// what the store finds.
func TestSearchStatusesService(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		svc, _ := apptest.MustService(t, engine, apptest.Instance())
		alice, bob, carol := apptest.MustAccount(t, svc, "alice"), apptest.MustAccount(t, svc, "bob"), apptest.MustAccount(t, svc, "carol")
		MustFollow(t, svc, bob, alice)
		public := MustPost(t, svc, alice, "Reablement team update", starling.VisibilityPublic)
		private := MustPost(t, svc, alice, "Reablement rota for followers", starling.VisibilityPrivate)
		bobs := MustPost(t, svc, bob, "Reablement questions from Bob", starling.VisibilityPublic)

		search := func(t *testing.T, viewer *starling.Account, q string) []int64 {
			t.Helper()
			res, err := svc.Search(ctx, viewer, starling.SearchQuery{Q: q, Type: "statuses"})
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			return ids(res.Statuses)
		}
		for _, tt := range []struct {
			name   string
			viewer *starling.Account
			q      string
			want   []int64
		}{
			{"Words", carol, "reablement", []int64{bobs.ID, public.ID}},
			{"Follower", bob, "reablement", []int64{bobs.ID, private.ID, public.ID}},
			{"SignedOut", nil, "reablement", nil},
			{"From", bob, "from:alice reablement", []int64{private.ID, public.ID}},
			{"FromAt", carol, "from:@alice", []int64{public.ID}},
			{"FromMe", bob, "from:me", []int64{bobs.ID}},
			{"FromNobody", bob, "from:nobody reablement", nil},
			{"Today", carol, "during:" + time.Now().UTC().Format(time.DateOnly) + " reablement", []int64{bobs.ID, public.ID}},
			{"BeforeToday", carol, "before:" + time.Now().UTC().Format(time.DateOnly) + " reablement", nil},
			{"AfterYesterday", carol, "after:" + time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly), []int64{bobs.ID, public.ID}},
			{"AfterToday", carol, "after:" + time.Now().UTC().Format(time.DateOnly), nil},
			{"NothingToFind", carol, "*", nil},
			{"Without", carol, "reablement -bob", []int64{public.ID}},
			{"OnlyWithout", carol, "-bob", nil},
			{"FromWithout", carol, "from:bob -update", []int64{bobs.ID}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if diff := cmp.Diff(tt.want, search(t, tt.viewer, tt.q), cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("search %q (-want +got):\n%s", tt.q, diff)
				}
			})
		}
		t.Run("AccountID", func(t *testing.T) {
			res, err := svc.Search(ctx, carol, starling.SearchQuery{Q: "reablement", AccountID: bob.ID})
			if err != nil || len(res.Statuses) != 1 || res.Statuses[0].ID != bobs.ID {
				t.Errorf("account_id: %v, %v", res, err)
			}
			res, err = svc.Search(ctx, carol, starling.SearchQuery{Q: "from:alice reablement", AccountID: bob.ID})
			if err != nil || len(res.Statuses) != 0 {
				t.Errorf("account_id and another from: found %v, %v", res, err)
			}
		})
		// A follower favourites a followers-only post and unfollows: the
		// store still finds it among their favourites, but they may no
		// longer read it, so it is not shown.
		t.Run("ReadableOnly", func(t *testing.T) {
			if _, err := svc.Favourite(ctx, bob, private.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Unfollow(ctx, bob, alice.ID); err != nil {
				t.Fatal(err)
			}
			if got := search(t, bob, "rota"); len(got) != 0 {
				t.Errorf("found %v after unfollowing", got)
			}
		})
		t.Run("Invalid", func(t *testing.T) {
			for _, q := range []string{"has:poll", "before:someday", "care\xff"} {
				if _, err := svc.Search(ctx, carol, starling.SearchQuery{Q: q}); starling.ErrorCode(err) != starling.EINVALID {
					t.Errorf("search %q: %v, want EINVALID", q, err)
				}
			}
		})
	})
}
