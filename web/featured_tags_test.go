package web

import (
	"context"
	"strings"
	"testing"

	"starling"
	"starling/apptest"
)

// TestProfileFeaturedTags: a profile lists its featured hashtags, each
// linking to the member's posts with it.
func TestProfileFeaturedTags(t *testing.T) {
	env := mustServer(t, starling.RegistrationsOpen, Options{})
	ctx := context.Background()
	ann := apptest.MustAccount(t, env.svc, "ann")
	for _, text := range []string{"Day one #adassspring", "Unrelated post"} {
		if _, err := env.svc.PostStatus(ctx, ann, starling.NewStatus{Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := env.svc.FeatureTag(ctx, ann, "adassspring"); err != nil {
		t.Fatal(err)
	}
	b := env.newBrowser()
	res := b.get("/@ann")
	if !strings.Contains(res.Body, `href="/@ann?tagged=adassspring">#adassspring</a> <span class="hint">1 post</span>`) {
		t.Fatal("the profile does not feature #adassspring with its count")
	}
	res = b.get("/@ann?tagged=adassspring")
	if !strings.Contains(res.Body, "Day one") || strings.Contains(res.Body, "Unrelated post") {
		t.Fatal("the tagged view does not show just the posts with the hashtag")
	}
}
