package web

import (
	"net/http"

	"starling"
	"starling/server"
)

// NewHandler returns the web pages: the public and members' pages, sign-up
// and sign-in under /auth/, the OAuth authorisation pages under
// /oauth/authorize, the staff pages under /admin/ and the stylesheet,
// script and default images under /static/. Paths it does not know get an
// HTML "page not found".
func NewHandler(svc *starling.Service, opts Options) http.Handler {
	h := newHandler(svc, opts)
	mux := http.NewServeMux()

	// Public pages; members see more on some of them.
	mux.HandleFunc("GET /{$}", h.handleRoot)
	mux.HandleFunc("GET /about", h.handleAbout)
	mux.HandleFunc("GET /public/local", h.handleLocalTimeline)
	mux.HandleFunc("GET /tags/{tag}", h.handleTagTimeline)
	mux.HandleFunc("POST /tags/{tag}/{action}", h.handleTagFollow)
	mux.HandleFunc("GET /{acct}", h.handleProfile)         // /@username, /@username.rss
	mux.HandleFunc("GET /{acct}/{id}", h.handleStatusPage) // /@username/ID
	mux.HandleFunc("GET /statuses/{id}", h.handleStatusRedirect)

	// Posting and acting on posts.
	mux.HandleFunc("GET /compose", h.handleComposeForm)
	mux.HandleFunc("POST /statuses", h.handleCompose)
	mux.HandleFunc("POST /compose/check", h.handleComposeCheck)
	mux.HandleFunc("POST /statuses/{id}/{action}", h.handleStatusAction)
	mux.HandleFunc("GET /statuses/{id}/delete", h.handleDeleteForm)
	mux.HandleFunc("POST /statuses/{id}/delete", h.handleDelete)
	mux.HandleFunc("POST /statuses/{id}/poll", h.handlePollVote)
	mux.HandleFunc("GET /statuses/{id}/poll.csv", h.handlePollCSV)

	// A member's own pages.
	mux.HandleFunc("GET /notifications", h.handleNotifications)
	mux.HandleFunc("GET /bookmarks", h.handleBookmarks)
	mux.HandleFunc("GET /favourites", h.handleFavourites)
	mux.HandleFunc("GET /search", h.handleSearch)
	mux.HandleFunc("GET /directory", h.handleDirectory)
	mux.HandleFunc("POST /accounts/{id}/{action}", h.handleFollow)
	mux.HandleFunc("GET /follow_requests", h.handleFollowRequests)
	mux.HandleFunc("POST /follow_requests/{id}/{answer}", h.handleFollowRequestAnswer)
	mux.HandleFunc("GET /conversations", h.handleConversations)
	mux.HandleFunc("GET /conversations/{id}", h.handleConversationOpen)
	mux.HandleFunc("GET /lists", h.handleLists)
	mux.HandleFunc("POST /lists", h.handleCreateList)
	mux.HandleFunc("GET /lists/{id}", h.handleListTimeline)
	mux.HandleFunc("GET /lists/{id}/edit", h.handleListEdit)
	mux.HandleFunc("POST /lists/{id}", h.handleUpdateList)
	mux.HandleFunc("POST /lists/{id}/delete", h.handleDeleteList)
	mux.HandleFunc("POST /lists/{id}/follow", h.handleFollowList)
	mux.HandleFunc("POST /lists/{id}/members/{account}/{change}", h.handleListMember)
	mux.HandleFunc("GET /settings", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/settings/profile", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /settings/profile", h.handleProfileForm)
	mux.HandleFunc("POST /settings/profile", h.handleProfileSave)
	mux.HandleFunc("GET /settings/password", h.handlePasswordForm)
	mux.HandleFunc("POST /settings/password", h.handlePasswordSave)
	mux.HandleFunc("GET /settings/sessions", h.handleSessions)
	mux.HandleFunc("GET /settings/blocks", h.handleBlocksPage)
	mux.HandleFunc("POST /settings/domain_blocks", h.handleDomainBlock)
	mux.HandleFunc("POST /settings/domain_blocks/delete", h.handleDomainUnblock)
	mux.HandleFunc("GET /settings/filters", h.handleFilters)
	mux.HandleFunc("GET /settings/filters/new", h.handleFilterNew)
	mux.HandleFunc("POST /settings/filters", h.handleFilterSave)
	mux.HandleFunc("GET /settings/filters/{id}", h.handleFilterEdit)
	mux.HandleFunc("POST /settings/filters/{id}", h.handleFilterSave)
	mux.HandleFunc("POST /settings/filters/{id}/delete", h.handleFilterDelete)
	mux.HandleFunc("GET /settings/two_factor", h.handleTwoFactorSettings)
	mux.HandleFunc("POST /settings/two_factor", h.limited(h.handleTwoFactorSave))
	mux.HandleFunc("GET /settings/import", h.handleImportForm)
	mux.HandleFunc("POST /settings/import", h.handleImport)
	mux.HandleFunc("GET /settings/export/{file}", h.handleExport)
	mux.HandleFunc("POST /settings/sessions/{id}/revoke", h.handleRevokeSession)

	// Live updates for open pages.
	mux.HandleFunc("GET /live", h.handleLive)

	// The live wall of a hashtag, for a projector, and its moderation (staff).
	mux.HandleFunc("GET /wall/{tag}", h.handleWall)
	mux.HandleFunc("GET /wall/{tag}/posts", h.handleWallPosts)
	mux.HandleFunc("GET /wall/{tag}/events", h.handleWallEvents)
	mux.HandleFunc("GET /wall/{tag}/moderate", h.handleWallModerate)
	mux.HandleFunc("POST /wall/{tag}/posts/{id}/{action}", h.handleWallModeratePost)
	mux.HandleFunc("POST /wall/{tag}/approve_first", h.handleWallApproveFirst)

	// The first-run guide.
	mux.HandleFunc("GET /start", h.handleStart)
	mux.HandleFunc("GET /start/profile", h.handleStartProfile)
	mux.HandleFunc("POST /start/profile", h.handleStartProfileSave)
	mux.HandleFunc("GET /start/follow", h.handleStartFollow)
	mux.HandleFunc("POST /start/lists/{id}/follow", h.handleFollowFeaturedList)

	// Joining and signing in.
	mux.HandleFunc("GET /auth/sign_up", h.handleSignUpForm)
	mux.HandleFunc("POST /auth/sign_up", h.limited(h.handleSignUp))
	mux.HandleFunc("GET /auth/sign_in", h.handleSignInForm)
	mux.HandleFunc("POST /auth/sign_in", h.limited(h.handleSignIn))
	mux.HandleFunc("GET /auth/two_factor", h.handleTwoFactorForm)
	mux.HandleFunc("POST /auth/two_factor", h.limited(h.handleTwoFactor))
	mux.HandleFunc("POST /auth/sign_out", h.handleSignOut)

	// OAuth authorisation, opened in a browser by Mastodon apps
	// (https://docs.joinmastodon.org/methods/oauth/#authorize).
	mux.HandleFunc("GET /oauth/authorize", h.handleAuthorizeForm)
	mux.HandleFunc("POST /oauth/authorize", h.handleAuthorize)
	mux.HandleFunc("GET /oauth/authorize/native", h.handleAuthorizeNative)

	// Staff.
	mux.HandleFunc("GET /admin/sign_ups", h.handleSignUpsList)
	mux.HandleFunc("POST /admin/sign_ups/{id}/approve", h.handleSignUpApprove)
	mux.HandleFunc("POST /admin/sign_ups/{id}/reject", h.handleSignUpReject)
	mux.HandleFunc("GET /admin/trends", h.handleAdminTrends)
	mux.HandleFunc("POST /admin/trends/{tag}/hide", h.handleAdminTrendHide)
	mux.HandleFunc("POST /admin/trends/{tag}/show", h.handleAdminTrendShow)
	h.reportRoutes(mux)
	h.dataRightsRoutes(mux)
	h.adminAccountRoutes(mux)
	h.ruleRoutes(mux)
	h.termsRoutes(mux)
	h.reportFormRoutes(mux)
	h.warningRoutes(mux)

	mux.HandleFunc("/", h.handleNotFound)

	// Static files skip the session and form-token middleware: they need
	// no database lookup, and a cacheable reply must never set a cookie.
	root := http.NewServeMux()
	root.Handle("GET /static/", staticHandler())
	root.Handle("/", server.Chain(mux, h.withSession, h.withCSRF, h.limitFormsByAccount))
	return withHeaders(root)
}

// limited guards a form that guesses passwords or creates accounts: past the
// limit for the client's address it shows a page asking to wait.
func (h *handler) limited(next http.HandlerFunc) http.HandlerFunc {
	if h.opts.Limiter == nil {
		return next
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if !h.opts.Limiter.Allow(server.ClientIP(r)) {
			w.Header().Set("Retry-After", "60")
			h.renderError(w, r, http.StatusTooManyRequests, "Too many attempts", "There have been too many attempts from your address. Please wait a minute and try again.")
			return
		}
		next(w, r)
	}
}
