package web

import "starling"

// scopeWords says in plain words what each OAuth scope lets an app do, for
// the consent page. Scopes not listed are shown by name.
var scopeWords = map[string]string{
	"read":    "Read everything in your account: posts, notifications, follows, lists, bookmarks and settings",
	"write":   "Post, edit and delete on your behalf, and change your profile and settings",
	"follow":  "Follow and unfollow, block and mute accounts for you",
	"push":    "Send you push notifications",
	"profile": "See your basic profile: your name, username and picture",

	"read:accounts":      "See your account details",
	"read:blocks":        "See which accounts you block",
	"read:bookmarks":     "See your bookmarks",
	"read:favourites":    "See the posts you favourited",
	"read:filters":       "See your filters",
	"read:follows":       "See who you follow and who follows you",
	"read:lists":         "See your lists",
	"read:mutes":         "See which accounts you mute",
	"read:notifications": "Read your notifications",
	"read:search":        "Search on your behalf",
	"read:statuses":      "Read posts, including the private ones you can see",

	"write:accounts":      "Change your profile and account settings",
	"write:blocks":        "Block and unblock accounts",
	"write:bookmarks":     "Bookmark posts",
	"write:conversations": "Hide and mark your conversations as read",
	"write:favourites":    "Favourite posts",
	"write:filters":       "Change your filters",
	"write:follows":       "Follow and unfollow accounts",
	"write:lists":         "Create and change your lists",
	"write:media":         "Upload pictures and files",
	"write:mutes":         "Mute and unmute accounts",
	"write:notifications": "Dismiss your notifications",
	"write:reports":       "Report posts and accounts",
	"write:statuses":      "Publish and delete posts",

	"admin:read":           "See all moderation information (staff only)",
	"admin:write":          "Take any moderation action (staff only)",
	"admin:read:accounts":  "See moderation information about accounts (staff only)",
	"admin:write:accounts": "Take moderation action on accounts (staff only)",
	"admin:read:reports":   "See reports (staff only)",
	"admin:write:reports":  "Act on reports (staff only)",
}

// describeScopes returns the plain-words line for each scope, in order.
func describeScopes(scopes starling.Scopes) []string {
	out := make([]string, 0, len(scopes))
	for _, s := range scopes {
		if w, ok := scopeWords[s]; ok {
			out = append(out, w)
		} else {
			out = append(out, "Use the “"+s+"” permission")
		}
	}
	return out
}
