package mastodon_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	gomastodon "github.com/mattn/go-mastodon"

	"starling/sqldb/sqldbtest"
)

// TestBlocksAndMutes blocks and mutes through an unmodified client library:
// relationships say so, the lists page, timelines and the user stream leave
// the accounts out, a blocked account cannot follow, and the scopes hold.
func TestBlocksAndMutes(t *testing.T) {
	sqldbtest.ForEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		ts := MustServer(t, engine)
		ann, bob, cat, eve := ts.MustUser(t, "ann"), ts.MustUser(t, "bob"), ts.MustUser(t, "cat"), ts.MustUser(t, "eve")
		client := gomastodon.NewClient(&gomastodon.Config{Server: ts.URL, AccessToken: ann.Token})
		for _, u := range []user{bob, cat, eve} {
			if _, err := client.AccountFollow(ctx, gomastodon.ID(u.ID())); err != nil {
				t.Fatal(err)
			}
		}
		rel, err := client.AccountBlock(ctx, gomastodon.ID(bob.ID()))
		if err != nil || !rel.Blocking || rel.Following {
			t.Fatalf("block = %+v, %v", rel, err)
		}
		var muteRel struct {
			Muting              bool `json:"muting"`
			MutingNotifications bool `json:"muting_notifications"`
		}
		ts.MustCall(t, post("/api/v1/accounts/"+cat.ID()+"/mute", ann.Token, url.Values{"notifications": {"false"}, "duration": {"3600"}}), http.StatusOK, &muteRel)
		if !muteRel.Muting || muteRel.MutingNotifications {
			t.Fatalf("mute = %+v, want muting without notifications", muteRel)
		}
		var bobRel []struct {
			BlockedBy bool `json:"blocked_by"`
		}
		ts.MustCall(t, get("/api/v1/accounts/relationships?id[]="+ann.ID(), bob.Token), http.StatusOK, &bobRel)
		if len(bobRel) != 1 || !bobRel[0].BlockedBy {
			t.Errorf("bob's view of ann = %+v, want blocked_by", bobRel)
		}
		ts.MustError(t, post("/api/v1/accounts/"+ann.ID()+"/follow", bob.Token, nil), http.StatusForbidden)

		blocks, err := client.GetBlocks(ctx, nil)
		if err != nil || len(blocks) != 1 || string(blocks[0].ID) != bob.ID() {
			t.Fatalf("blocks = %v, %v", blocks, err)
		}
		var mutes []struct {
			ID            string  `json:"id"`
			MuteExpiresAt *string `json:"mute_expires_at"`
		}
		ts.MustCall(t, get("/api/v1/mutes", ann.Token), http.StatusOK, &mutes)
		if len(mutes) != 1 || mutes[0].ID != cat.ID() || mutes[0].MuteExpiresAt == nil {
			t.Fatalf("mutes = %+v, want cat with an end", mutes)
		}
		if exp, err := time.Parse(time.RFC3339, *mutes[0].MuteExpiresAt); err != nil || time.Until(exp) < 59*time.Minute {
			t.Errorf("mute_expires_at %q: %v", *mutes[0].MuteExpiresAt, err)
		}

		ws := ts.mustWebSocket(t, ann.Token, "stream=public")
		time.Sleep(100 * time.Millisecond)
		ts.MustPostText(t, bob.Token, "bob: winter rota")
		ts.MustPostText(t, cat.Token, "cat: winter rota")
		fromEve := ts.MustPostText(t, eve.Token, "eve: winter rota")
		m := nextWS(t, ws, time.Second)
		if m.Event != "update" || !strings.Contains(m.Payload, `"id":"`+fromEve.ID+`"`) {
			t.Fatalf("ann's public stream sent %s %.80s first; want eve's post, never bob's or cat's", m.Event, m.Payload)
		}
		public, err := client.GetTimelinePublic(ctx, true, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range public {
			if s.Account.Username != "eve" {
				t.Errorf("ann's public timeline shows %s's post", s.Account.Username)
			}
		}

		if _, err := client.AccountUnblock(ctx, gomastodon.ID(bob.ID())); err != nil {
			t.Fatal(err)
		}
		if rel, err := client.AccountUnmute(ctx, gomastodon.ID(cat.ID())); err != nil || rel.Muting {
			t.Fatalf("unmute = %+v, %v", rel, err)
		}
		if blocks, _ := client.GetBlocks(ctx, nil); len(blocks) != 0 {
			t.Errorf("%d blocks after unblocking", len(blocks))
		}
		readOnly := ts.MustTokenFor(t, ann.Account.ID, "read")
		ts.MustError(t, post("/api/v1/accounts/"+bob.ID()+"/block", readOnly, nil), http.StatusForbidden)
		ts.MustError(t, post("/api/v1/accounts/"+ann.ID()+"/block", ann.Token, nil), http.StatusUnprocessableEntity)
		ts.MustError(t, post("/api/v1/accounts/99999999/mute", ann.Token, nil), http.StatusNotFound)
		ts.MustError(t, post("/api/v1/accounts/"+bob.ID()+"/mute", ann.Token, url.Values{"duration": {"-5"}}), http.StatusUnprocessableEntity)
		ts.MustError(t, post("/api/v1/accounts/"+bob.ID()+"/mute", ann.Token, url.Values{"duration": {"soon"}}), http.StatusUnprocessableEntity)
	})
}
