package mastodon_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	gomastodon "github.com/mattn/go-mastodon"

	"starling/sqldb/sqldbtest"
)

// TestPolls asks a question through a Mastodon client library and votes on
// it: counts stay hidden until one votes when the author asks, one vote per
// member, answers checked, several answers where allowed, and a poll on a
// followers-only post hidden from others.
func TestPolls(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ts := MustServer(t, engine)
		ann, bob, cat := ts.MustUser(t, "ann"), ts.MustUser(t, "bob"), ts.MustUser(t, "cat")
		ctx := context.Background()
		client := func(token string) *gomastodon.Client {
			return gomastodon.NewClient(&gomastodon.Config{Server: ts.URL, AccessToken: token})
		}
		s, err := client(ann.Token).PostStatus(ctx, &gomastodon.Toot{Status: "Which day suits the carers' forum?",
			Poll: &gomastodon.TootPoll{Options: []string{"Tuesday", "Wednesday", "Thursday"}, ExpiresInSeconds: 86400, HideTotals: true}})
		if err != nil {
			t.Fatal(err)
		}
		if s.Poll == nil || len(s.Poll.Options) != 3 || s.Poll.Options[1].Title != "Wednesday" {
			t.Fatalf("posted poll = %+v", s.Poll)
		}
		id := s.Poll.ID
		raw := ts.MustDo(t, get("/api/v1/polls/"+string(id), bob.Token))
		var before struct {
			Voted   bool
			Options []struct {
				VotesCount *int `json:"votes_count"`
			}
		}
		if err := json.Unmarshal(raw.Body, &before); err != nil || before.Voted || before.Options[0].VotesCount != nil {
			t.Fatalf("before voting bob sees %s: want counts hidden", raw.Body)
		}
		p, err := client(bob.Token).PollVote(ctx, id, 1)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Voted || len(p.OwnVotes) != 1 || p.OwnVotes[0] != 1 || p.Options[1].VotesCount != 1 || p.VotesCount != 1 {
			t.Fatalf("after voting: %+v", p)
		}
		for name, choices := range map[string][]int{"twice": {0}} {
			if _, err := client(bob.Token).PollVote(ctx, id, choices...); err == nil || !strings.Contains(err.Error(), "422") {
				t.Errorf("bob votes %s: %v, want 422", name, err)
			}
		}
		for name, choices := range map[string][]int{"two answers on a single-answer poll": {0, 1}, "no such answer": {3}, "none": {}, "negative": {-1}} {
			if _, err := client(cat.Token).PollVote(ctx, id, choices...); err == nil || !strings.Contains(err.Error(), "422") {
				t.Errorf("cat votes %s: %v, want 422", name, err)
			}
		}

		multi, err := client(ann.Token).PostStatus(ctx, &gomastodon.Toot{Status: "Which topics should we cover?",
			Poll: &gomastodon.TootPoll{Options: []string{"Workforce", "Funding", "Dementia care"}, ExpiresInSeconds: 3600, Multiple: true}})
		if err != nil {
			t.Fatal(err)
		}
		p, err = client(cat.Token).PollVote(ctx, multi.Poll.ID, 0, 2)
		if err != nil || p.VotersCount != 1 || p.VotesCount != 2 || p.Options[2].VotesCount != 1 {
			t.Fatalf("two answers on a multiple-answer poll: %+v %v", p, err)
		}

		private := ts.MustPost(t, ann.Token, url.Values{"status": {"Team only: who is on call?"}, "visibility": {"private"},
			"poll[options][]": {"Me", "Not me"}, "poll[expires_in]": {"600"}})
		if res := ts.MustDo(t, get("/api/v1/polls/"+private.Poll.ID, cat.Token)); res.Status != 404 {
			t.Fatalf("a non-follower read a followers-only poll: %d", res.Status)
		}
		for name, form := range map[string]url.Values{
			"one answer":         {"poll[options][]": {"Only"}, "poll[expires_in]": {"600"}},
			"five answers":       {"poll[options][]": {"a", "b", "c", "d", "e"}, "poll[expires_in]": {"600"}},
			"too short":          {"poll[options][]": {"a", "b"}, "poll[expires_in]": {"60"}},
			"too long":           {"poll[options][]": {"a", "b"}, "poll[expires_in]": {"99999999"}},
			"same answer twice":  {"poll[options][]": {"Yes", "yes"}, "poll[expires_in]": {"600"}},
			"answer of 51 chars": {"poll[options][]": {strings.Repeat("x", 51), "b"}, "poll[expires_in]": {"600"}},
		} {
			form.Set("status", "a question")
			ts.MustError(t, post("/api/v1/statuses", ann.Token, form), 422)
			_ = name
		}
	})
}
