package web

import (
	"net/http"
	"slices"
	"strings"

	"starling"
	"starling/server"
)

// The first-run guide: three short steps a new member is sent through after
// joining (/start, /start/profile, /start/follow). Every step can be
// skipped, and the footer links back to the guide at any time.

// postingGuidance is the community's advice for professional posting.
var postingGuidance = struct{ Do, Dont []string }{
	Do: []string{
		"Say who you are and where you work in your profile, so people know the context of what you post.",
		"Share what you learn, ask for views, and credit the people whose work you share.",
		"Use a hashtag when you post about an event or a shared topic (#adassspring for the conference), so others can follow it.",
		"Add a content warning before posts about distressing subjects such as abuse or death.",
		"Disagree with ideas, respectfully; assume good faith.",
	},
	Dont: []string{
		"Never share anything that could identify a person who uses services or their family: no names, initials, ages with places, photos, case details or dates of birth. Not even in a direct message.",
		"Don't post about complaints, investigations or cases in progress.",
		"Don't speak for your employer unless it is your job to; say when views are your own.",
		"Don't tag dozens of people or repeat a hashtag to get attention.",
	},
}

// startRegions are the regions a member may choose in their profile: the
// nine English regions used across adult social care, and the other nations.
var startRegions = []string{
	"East Midlands", "East of England", "London", "North East", "North West",
	"South East", "South West", "West Midlands", "Yorkshire and the Humber",
	"Wales", "Scotland", "Northern Ireland", "Outside the UK",
}

// regionsWith returns the regions to choose from, with the member's own
// region among them when it is not one of ours (typed in their settings),
// so saving the step unchanged keeps it rather than clearing it.
func regionsWith(region string) []string {
	if region == "" || slices.Contains(startRegions, region) {
		return startRegions
	}
	return append(slices.Clip(startRegions), region)
}

// The profile fields the guide fills in.
const (
	fieldRole         = "Role"
	fieldOrganisation = "Organisation"
	fieldRegion       = "Region"
)

// startPage is the Data of the "start" page.
type startPage struct {
	Step         int // 1, 2 or 3
	Guidance     any
	Rules        []string
	Role         string
	Organisation string
	Region       string
	Regions      []string
	Suggestions  []accountView
	Lists        []starling.FeaturedList
	Copied       string // the title of a list just followed
}

func (h *handler) handleStart(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	pg := h.newPage(r, "Getting started", "")
	pg.Data = startPage{Step: 1, Guidance: postingGuidance, Rules: h.ruleTexts(r.Context())}
	h.render(w, r, http.StatusOK, "start", pg)
}

func (h *handler) handleStartProfile(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	pg := h.newPage(r, "Getting started: your profile", "")
	data := startPage{Step: 2}
	for _, f := range auth.Account.Fields {
		switch f.Name {
		case fieldRole:
			data.Role = f.Value
		case fieldOrganisation:
			data.Organisation = f.Value
		case fieldRegion:
			data.Region = f.Value
		}
	}
	data.Regions = regionsWith(data.Region)
	pg.Data = data
	h.render(w, r, http.StatusOK, "start", pg)
}

// handleStartProfileSave writes role, organisation and region as profile
// fields: it updates those the member has where they are, adds the others
// after the member's own fields, and drops those left empty. When the
// profile has no room for them it says so rather than dropping any of the
// member's other fields.
func (h *handler) handleStartProfileSave(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	values := map[string]string{
		fieldRole:         strings.TrimSpace(r.PostFormValue("role")),
		fieldOrganisation: strings.TrimSpace(r.PostFormValue("organisation")),
		fieldRegion:       strings.TrimSpace(r.PostFormValue("region")),
	}
	fail := func(status int, field, msg string) {
		pg := h.newPage(r, "Getting started: your profile", "")
		pg.Errors = []fieldError{{field, msg}}
		pg.Data = startPage{Step: 2, Regions: regionsWith(values[fieldRegion]), Role: values[fieldRole], Organisation: values[fieldOrganisation], Region: values[fieldRegion]}
		h.render(w, r, status, "start", pg)
	}
	var fields []starling.Field
	placed := map[string]bool{}
	for _, f := range auth.Account.Fields {
		v, ours := values[f.Name]
		switch {
		case !ours:
			fields = append(fields, f)
		case v != "" && !placed[f.Name]:
			fields = append(fields, starling.Field{Name: f.Name, Value: v})
			placed[f.Name] = true
		}
	}
	for _, name := range []string{fieldRole, fieldOrganisation, fieldRegion} {
		if v := values[name]; v != "" && !placed[name] {
			fields = append(fields, starling.Field{Name: name, Value: v})
		}
	}
	if len(fields) > starling.MaxFields {
		fail(http.StatusUnprocessableEntity, "role", "Your profile can show "+itoa(starling.MaxFields)+
			" details and this would make "+itoa(len(fields))+". Remove some in your profile settings first, or leave some of these empty.")
		return
	}
	if _, err := h.svc.UpdateProfile(r.Context(), auth.Account, starling.ProfileUpdate{Fields: &fields}); err != nil {
		server.LogError(r, err)
		// Name the input at fault in the form's words, not the API's.
		field, msg := "role", userMessage(starling.ErrorMessage(err))
		for _, in := range []struct{ name, id, label string }{
			{fieldRole, "role", "Your role"}, {fieldOrganisation, "organisation", "Your organisation"}, {fieldRegion, "region", "Your region"},
		} {
			if after, ok := strings.CutPrefix(msg, "fields_attributes value"); ok && badDetail(values[in.name], starling.MaxFieldValueChars) {
				field, msg = in.id, in.label+after
				break
			}
		}
		fail(server.StatusFor(err), field, msg)
		return
	}
	http.Redirect(w, r, "/start/follow", http.StatusSeeOther)
}

func (h *handler) handleStartFollow(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	pg := h.newPage(r, "Getting started: people to follow", "")
	suggested, err := h.svc.SuggestedAccounts(r.Context(), auth.Account, 8)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	views, err := h.followViews(r, pg, suggested)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	lists, err := h.svc.FeaturedLists(r.Context())
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	data := startPage{Step: 3, Suggestions: views, Lists: lists}
	// The notice names the member's own copy, found by its ID: a title
	// taken from the address would let any link put words in our mouth.
	if id, ok := starling.ParseID(r.URL.Query().Get("followed")); ok {
		if l, err := h.svc.List(r.Context(), auth.Account, id); err == nil {
			data.Copied = l.Title
		}
	}
	pg.Data = data
	h.render(w, r, http.StatusOK, "start", pg)
}

// handleFollowFeaturedList follows everyone on a suggested list and keeps
// a copy of it among the member's lists.
func (h *handler) handleFollowFeaturedList(w http.ResponseWriter, r *http.Request) {
	auth, id, ok := h.memberAt(w, r)
	if !ok {
		return
	}
	l, err := h.svc.FollowList(r.Context(), auth.Account, id)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	http.Redirect(w, r, "/start/follow?followed="+starling.FormatID(l.ID), http.StatusSeeOther)
}
