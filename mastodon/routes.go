package mastodon

import (
	"net/http"
	"time"

	"starling"
	"starling/server"
)

// Options configures the API.
type Options struct {
	// Limiter, if set, limits per client address the endpoints that check
	// passwords, issue tokens or create apps and accounts.
	Limiter *server.Limiter
	// Streams limits and paces the streaming API.
	Streams StreamOptions
	// RateLimits, if set, limits every /api/ request per account or client
	// address, with X-RateLimit-* headers, as Mastodon does; see
	// DefaultRateLimits. Nil turns these limits off.
	RateLimits *RateLimits
}

// NewHandler returns the Mastodon API: /api/v1, /api/v2, /oauth/token,
// /oauth/revoke and the /.well-known discovery documents.
func NewHandler(svc *starling.Service, opts Options) http.Handler {
	h := &handler{svc: svc, in: svc.Instance(), started: time.Now(), streams: newStreamLimits(opts.Streams)}
	mux := http.NewServeMux()
	rls := newRateLimiters(opts.RateLimits)
	route := func(pattern string, a access, fn http.HandlerFunc) {
		mux.HandleFunc(pattern, h.authorize(a, rls.wrap(pattern, fn)))
	}
	limited := func(fn http.HandlerFunc) http.HandlerFunc {
		if opts.Limiter == nil {
			return fn
		}
		return opts.Limiter.Wrap(fn)
	}

	// Discovery and instance information, read by apps on start-up.
	route("GET /api/v1/instance", public, h.handleInstanceV1)
	route("GET /api/v2/instance", public, h.handleInstanceV2)
	route("GET /api/v1/instance/peers", public, h.handleEmptyList)
	route("GET /api/v1/instance/rules", public, h.handleInstanceRules)
	route("GET /api/v1/instance/privacy_policy", public, h.handlePrivacyPolicy)
	route("GET /api/v1/instance/terms_of_service", public, h.handleTermsOfService)
	route("GET /api/v1/custom_emojis", public, h.handleEmptyList)
	route("GET /api/v1/instance/extended_description", public, h.handleExtendedDescription)
	route("GET /api/v1/instance/translation_languages", public, h.handleEmptyObject)
	route("GET /api/v1/instance/activity", public, h.handleEmptyList)
	route("GET /api/v1/announcements", app(), h.handleEmptyList)
	route("GET /.well-known/webfinger", public, h.handleWebFinger)
	route("GET /.well-known/host-meta", public, h.handleHostMeta)
	route("GET /.well-known/host-meta.json", public, h.handleHostMeta)
	route("GET /.well-known/nodeinfo", public, h.handleNodeInfoIndex)
	route("GET /nodeinfo/2.0", public, h.handleNodeInfo)
	route("GET /.well-known/oauth-authorization-server", public, h.handleOAuthMetadata)
	route("GET /api/oembed", public, h.handleOEmbed)

	// Streaming: WebSocket at /api/v1/streaming, server-sent events below it.
	// Each stream checks its own token and scopes.
	mux.HandleFunc("GET /api/v1/streaming/health", h.handleStreamingHealth)
	mux.HandleFunc("GET /api/v1/streaming", h.handleWebSocket)
	mux.HandleFunc("GET /api/v1/streaming/{stream...}", h.handleSSE)

	// Apps and OAuth (the authorisation page itself is a web page).
	route("POST /api/v1/apps", public, limited(h.handleAppCreate))
	route("GET /api/v1/apps/verify_credentials", app(), h.handleAppVerify)
	route("POST /oauth/token", public, limited(h.handleOAuthToken))
	route("POST /oauth/revoke", public, h.handleOAuthRevoke)

	// Accounts.
	route("POST /api/v1/accounts", app("write:accounts"), limited(h.handleAccountCreate))
	route("GET /api/v1/accounts", optional("read:accounts"), h.handleAccountsGet)
	route("GET /api/v1/accounts/verify_credentials", user("read:accounts", "profile"), h.handleVerifyCredentials)
	route("PATCH /api/v1/accounts/update_credentials", user("write:accounts"), h.handleUpdateCredentials)
	route("GET /api/v1/accounts/lookup", optional("read:accounts"), h.handleAccountLookup)
	route("GET /api/v1/accounts/relationships", user("read:follows"), h.handleRelationships)
	route("GET /api/v1/accounts/search", user("read:accounts"), h.handleAccountSearch)
	route("GET /api/v1/accounts/{id}", optional("read:accounts"), h.handleAccountGet)
	route("GET /api/v1/accounts/{id}/statuses", optional("read:statuses"), h.handleAccountStatuses)
	route("GET /api/v1/accounts/{id}/followers", optional("read:accounts"), h.handleFollowers)
	route("GET /api/v1/accounts/{id}/following", optional("read:accounts"), h.handleFollowing)
	route("GET /api/v1/accounts/{id}/lists", user("read:lists"), h.handleAccountLists)
	route("GET /api/v1/accounts/{id}/featured_tags", public, h.handleAccountFeaturedTags)
	route("POST /api/v1/accounts/{id}/follow", user("write:follows"), h.handleFollow)
	route("POST /api/v1/accounts/{id}/unfollow", user("write:follows"), h.handleUnfollow)
	route("GET /api/v1/follow_requests", user("read:follows"), h.handleFollowRequests)
	route("POST /api/v1/follow_requests/{id}/authorize", user("write:follows"), h.handleFollowRequestAuthorize)
	route("POST /api/v1/follow_requests/{id}/reject", user("write:follows"), h.handleFollowRequestReject)
	route("GET /api/v1/preferences", user("read:accounts"), h.handlePreferences)

	// Statuses.
	route("POST /api/v1/statuses", user("write:statuses"), h.handleStatusCreate)
	route("POST /api/v1/statuses/{id}/quotes/{quoting}/revoke", user("write:statuses"), h.handleQuoteRevoke)
	route("GET /api/v1/statuses/{id}/quotes", user("read:statuses"), h.handleQuotes)
	route("GET /api/v1/polls/{id}", optional("read:statuses"), h.handlePollGet)
	route("POST /api/v1/polls/{id}/votes", user("write:statuses"), h.handlePollVote)
	route("POST /api/v1/media", user("write:media"), h.handleMediaUpload)
	route("POST /api/v2/media", user("write:media"), h.handleMediaUpload)
	route("GET /api/v1/media/{id}", user("write:media"), h.handleMediaGet)
	route("PUT /api/v1/media/{id}", user("write:media"), h.handleMediaUpdate)
	route("GET /api/v1/statuses", optional("read:statuses"), h.handleStatusesGet)
	route("GET /api/v1/statuses/{id}", optional("read:statuses"), h.handleStatusGet)
	route("DELETE /api/v1/statuses/{id}", user("write:statuses"), h.handleStatusDelete)
	route("PUT /api/v1/statuses/{id}", user("write:statuses"), h.handleStatusUpdate)
	route("GET /api/v1/statuses/{id}/history", optional("read:statuses"), h.handleStatusHistory)
	route("GET /api/v1/statuses/{id}/source", user("read:statuses"), h.handleStatusSource)
	route("GET /api/v1/statuses/{id}/context", optional("read:statuses"), h.handleStatusContext)
	route("GET /api/v1/statuses/{id}/favourited_by", optional("read:accounts"), h.handleFavouritedBy)
	route("GET /api/v1/statuses/{id}/reblogged_by", optional("read:accounts"), h.handleRebloggedBy)
	route("POST /api/v1/statuses/{id}/favourite", user("write:favourites"), h.handleFavourite)
	route("POST /api/v1/statuses/{id}/unfavourite", user("write:favourites"), h.handleUnfavourite)
	route("POST /api/v1/statuses/{id}/reblog", user("write:statuses"), h.handleReblog)
	route("POST /api/v1/statuses/{id}/unreblog", user("write:statuses"), h.handleUnreblog)
	route("POST /api/v1/statuses/{id}/bookmark", user("write:bookmarks"), h.handleBookmark)
	route("POST /api/v1/statuses/{id}/unbookmark", user("write:bookmarks"), h.handleUnbookmark)
	route("POST /api/v1/statuses/{id}/pin", user("write:accounts"), h.handlePin)
	route("POST /api/v1/statuses/{id}/unpin", user("write:accounts"), h.handleUnpin)
	route("GET /api/v1/favourites", user("read:favourites"), h.handleFavourites)
	route("GET /api/v1/bookmarks", user("read:bookmarks"), h.handleBookmarks)

	// Timelines and lists.
	route("GET /api/v1/timelines/home", user("read:statuses"), h.handleHomeTimeline)
	route("GET /api/v1/timelines/public", optional("read:statuses"), h.handlePublicTimeline)
	route("GET /api/v1/timelines/tag/{tag}", optional("read:statuses"), h.handleTagTimeline)
	route("GET /api/v1/timelines/list/{id}", user("read:lists"), h.handleListTimeline)
	route("GET /api/v1/lists", user("read:lists"), h.handleLists)
	route("POST /api/v1/lists", user("write:lists"), h.handleListCreate)
	route("GET /api/v1/lists/{id}", user("read:lists"), h.handleListGet)
	route("PUT /api/v1/lists/{id}", user("write:lists"), h.handleListUpdate)
	route("DELETE /api/v1/lists/{id}", user("write:lists"), h.handleListDelete)
	route("GET /api/v1/lists/{id}/accounts", user("read:lists"), h.handleListAccounts)
	route("POST /api/v1/lists/{id}/accounts", user("write:lists"), h.handleListAccountsAdd)
	route("DELETE /api/v1/lists/{id}/accounts", user("write:lists"), h.handleListAccountsRemove)
	route("POST /api/v1/lists/{id}/follow", user("write:follows"), h.handleListFollow)
	route("GET /api/v1/conversations", user("read:statuses"), h.handleConversations)
	route("POST /api/v1/conversations/{id}/read", user("write:conversations"), h.handleConversationRead)
	route("DELETE /api/v1/conversations/{id}", user("write:conversations"), h.handleConversationDelete)
	route("GET /api/v1/markers", user("read:statuses"), h.handleMarkersGet)
	route("POST /api/v1/markers", user("write:statuses"), h.handleMarkersSave)

	// Notifications.
	route("GET /api/v1/notifications", user("read:notifications"), h.handleNotifications)
	route("GET /api/v1/notifications/unread_count", user("read:notifications"), h.handleNotificationsUnreadCount)
	route("POST /api/v1/notifications/clear", user("write:notifications"), h.handleNotificationsClear)
	route("GET /api/v1/notifications/{id}", user("read:notifications"), h.handleNotificationGet)
	route("POST /api/v1/notifications/{id}/dismiss", user("write:notifications"), h.handleNotificationDismiss)
	route("GET /api/v2/notifications/policy", user("read:notifications"), h.handleNotificationPolicy)
	route("GET /api/v2/notifications", user("read:notifications"), h.handleGroupedNotifications)
	route("GET /api/v2/notifications/unread_count", user("read:notifications"), h.handleNotificationsUnreadCount)
	route("GET /api/v2/notifications/{group_key}", user("read:notifications"), h.handleNotificationGroupGet)
	route("POST /api/v2/notifications/{group_key}/dismiss", user("write:notifications"), h.handleNotificationGroupDismiss)
	route("GET /api/v2/notifications/{group_key}/accounts", user("read:notifications"), h.handleNotificationGroupAccounts)

	// Search and hashtags.
	route("GET /api/v2/search", optional("read:search"), h.handleSearch)
	route("GET /api/v1/tags/{tag}", public, h.handleTagGet)
	route("POST /api/v1/tags/{tag}/follow", user("write:follows"), h.handleTagFollow(true))
	route("POST /api/v1/tags/{tag}/unfollow", user("write:follows"), h.handleTagFollow(false))
	route("GET /api/v1/followed_tags", user("read:follows"), h.handleFollowedTags)

	// Filters (v2, and v1 read-only from the same data). GET of
	// /filters/{id}/keywords and /filters/keywords/{id} share one pattern,
	// as the two would clash.
	route("GET /api/v2/filters", user("read:filters"), h.handleFilters)
	route("POST /api/v2/filters", user("write:filters"), h.handleFilterCreate)
	route("GET /api/v2/filters/{id}", user("read:filters"), h.handleFilterGet)
	route("PUT /api/v2/filters/{id}", user("write:filters"), h.handleFilterUpdate)
	route("DELETE /api/v2/filters/{id}", user("write:filters"), h.handleFilterDelete)
	route("GET /api/v2/filters/{a}/{b}", user("read:filters"), h.handleFilterSub)
	route("POST /api/v2/filters/{id}/keywords", user("write:filters"), h.handleFilterKeywordAdd)
	route("PUT /api/v2/filters/keywords/{id}", user("write:filters"), h.handleFilterKeywordUpdate)
	route("DELETE /api/v2/filters/keywords/{id}", user("write:filters"), h.handleFilterKeywordDelete)
	route("POST /api/v2/filters/{id}/statuses", user("write:filters"), h.handleFilterStatusAdd)
	route("DELETE /api/v2/filters/statuses/{id}", user("write:filters"), h.handleFilterStatusDelete)
	route("GET /api/v1/filters", user("read:filters"), h.handleFiltersV1)
	route("GET /api/v1/filters/{id}", user("read:filters"), h.handleFilterV1Get)
	route("GET /api/v1/blocks", user("read:blocks"), h.handleBlocks)
	route("GET /api/v1/mutes", user("read:mutes"), h.handleMutes)
	route("POST /api/v1/accounts/{id}/block", user("write:blocks"), h.handleBlock)
	route("POST /api/v1/accounts/{id}/unblock", user("write:blocks"), h.handleUnblock)
	route("POST /api/v1/accounts/{id}/mute", user("write:mutes"), h.handleMute)
	route("POST /api/v1/accounts/{id}/unmute", user("write:mutes"), h.handleUnmute)
	route("GET /api/v1/domain_blocks", user("read:blocks"), h.handleDomainBlocks)
	route("POST /api/v1/domain_blocks", user("write:blocks"), h.handleDomainBlock)
	route("DELETE /api/v1/domain_blocks", user("write:blocks"), h.handleDomainUnblock)
	route("GET /api/v1/featured_tags", user("read:accounts"), h.handleFeaturedTags)
	route("POST /api/v1/featured_tags", user("write:accounts"), h.handleFeatureTag)
	route("DELETE /api/v1/featured_tags/{id}", user("write:accounts"), h.handleUnfeatureTag)
	route("GET /api/v1/trends/tags", public, h.handleTrendsTags)
	route("GET /api/v1/directory", optional("read:accounts"), h.handleDirectory)
	route("POST /api/v1/admin/trends/tags/{name}/reject", user("admin:write"), h.handleTrendReview(true))
	route("POST /api/v1/admin/trends/tags/{name}/approve", user("admin:write"), h.handleTrendReview(false))
	h.reportRoutes(route)
	h.adminAccountRoutes(route)
	route("GET /api/v1/trends/statuses", optional("read:statuses"), h.handleTrendsStatuses)
	route("GET /api/v1/trends/links", public, h.handleTrendsLinks)
	route("GET /api/v1/scheduled_statuses", user("read:statuses"), h.handleEmptyList)
	route("GET /api/v1/suggestions", user("read"), h.handleSuggestions(false))
	route("GET /api/v2/suggestions", user("read"), h.handleSuggestions(true))
	route("GET /api/v1/endorsements", user("read:accounts"), h.handleEmptyList)
	route("GET /api/v1/accounts/familiar_followers", user("read:follows"), h.handleEmptyList)

	// Anything else under /api is a JSON 404, never an HTML page.
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		server.WriteError(w, r, starling.Errorf(starling.ENOTFOUND, "Record not found"))
	})
	return mux
}
