package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"starling"
	"starling/server"
)

// pollView is a poll as a post shows it: a form to vote, or the results.
type pollView struct {
	View       statusView
	Poll       *starling.Poll
	CanVote    bool // signed in, not voted, not the author, still open
	ShowTotals bool
	Expired    bool
	Ends       time.Time
	Options    []pollOptionView
	Voters     int
}

type pollOptionView struct {
	N       int
	Title   string
	Votes   int
	Percent int
	Mine    bool
}

// Poll returns the shown post's poll as this viewer sees it, or nil.
func (v statusView) Poll() *pollView {
	p := v.Shown.Poll
	if p == nil {
		return nil
	}
	now := time.Now()
	var viewerID int64
	if v.Viewer != nil {
		viewerID = v.Viewer.ID
	}
	pv := &pollView{View: v, Poll: p, Expired: p.Expired(now), Ends: p.ExpiresAt, ShowTotals: p.ShowTotals(viewerID, now), Voters: p.VotersCount}
	pv.CanVote = v.Viewer != nil && !p.Voted() && viewerID != p.AccountID && !pv.Expired
	total := p.VotesCount()
	for i, o := range p.Options {
		ov := pollOptionView{N: i, Title: o.Title, Votes: o.Votes}
		if total > 0 {
			ov.Percent = (o.Votes*100 + total/2) / total
		}
		for _, c := range p.OwnVotes {
			ov.Mine = ov.Mine || c == i
		}
		pv.Options = append(pv.Options, ov)
	}
	return pv
}

// handlePollVote records a vote from the form under a post's poll and
// returns to the post.
func (h *handler) handlePollVote(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	id, ok := starling.ParseID(r.PathValue("id"))
	if !ok {
		h.renderError(w, r, http.StatusNotFound, "Not found", "There is no such post.")
		return
	}
	s, err := h.svc.GetStatus(r.Context(), auth.Account, id)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	if s.Poll == nil {
		h.renderError(w, r, http.StatusNotFound, "Not found", "This post has no poll.")
		return
	}
	var choices []int
	for _, c := range r.PostForm["choice"] {
		n, err := strconv.Atoi(c)
		if err != nil {
			continue
		}
		choices = append(choices, n)
	}
	if len(choices) == 0 {
		h.renderError(w, r, http.StatusUnprocessableEntity, "No answer chosen", "Choose an answer before you vote. Go back to the poll and try again.")
		return
	}
	if _, err := h.svc.VotePoll(r.Context(), auth.Account, s.Poll.ID, choices); err != nil {
		h.renderError(w, r, server.StatusFor(err), "Your vote was not counted", userMessage(starling.ErrorMessage(err)))
		return
	}
	to := r.PostFormValue("return")
	if !localPath(to) {
		to = statusPath(s)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// handlePollCSV gives the author of a poll its votes as CSV: one row per
// answer chosen, with the voter's handle and the time, for reports.
func (h *handler) handlePollCSV(w http.ResponseWriter, r *http.Request) {
	auth := member(w, r)
	if auth == nil {
		return
	}
	id, ok := starling.ParseID(r.PathValue("id"))
	if !ok {
		h.renderError(w, r, http.StatusNotFound, "Not found", "There is no such post.")
		return
	}
	s, err := h.svc.GetStatus(r.Context(), auth.Account, id)
	if err == nil && s.Poll == nil {
		err = starling.Errorf(starling.ENOTFOUND, "This post has no poll.")
	}
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	p, votes, err := h.svc.PollVotes(r.Context(), auth.Account, s.Poll.ID)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	ids := make([]int64, 0, len(votes))
	for _, v := range votes {
		ids = append(ids, v.AccountID)
	}
	accounts, err := h.svc.Store().Accounts(r.Context(), ids)
	if err != nil {
		h.renderServiceError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="poll-%s.csv"`, starling.FormatID(p.ID)))
	out := csv.NewWriter(w)
	_ = out.Write([]string{"voter", "answer", "answer_number", "voted_at"})
	for _, v := range votes {
		who := starling.FormatID(v.AccountID)
		if a := accounts[v.AccountID]; a != nil {
			who = a.Acct()
		}
		_ = out.Write([]string{csvSafe(who), csvSafe(p.Options[v.Choice].Title), strconv.Itoa(v.Choice + 1), v.CreatedAt.UTC().Format(time.RFC3339)})
	}
	out.Flush()
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}

// pollDurations are the lengths the compose box offers, up to the
// community's longest.
var pollDurations = []struct {
	d     time.Duration
	label string
}{
	{5 * time.Minute, "5 minutes"}, {30 * time.Minute, "30 minutes"}, {time.Hour, "1 hour"}, {6 * time.Hour, "6 hours"},
	{24 * time.Hour, "1 day"}, {3 * 24 * time.Hour, "3 days"}, {7 * 24 * time.Hour, "7 days"},
	{14 * 24 * time.Hour, "14 days"}, {30 * 24 * time.Hour, "30 days"},
}

func newPollFields(l starling.PollLimits) pollFields {
	f := pollFields{Options: make([]string, l.MaxOptionsOrDefault()), Duration: strconv.Itoa(int((24 * time.Hour).Seconds()))}
	for _, d := range pollDurations {
		if d.d <= l.MaxExpiryOrDefault() {
			f.Durations = append(f.Durations, pollDuration{Seconds: strconv.Itoa(int(d.d.Seconds())), Label: d.label})
		}
	}
	return f
}

// composePoll reads the compose box's poll: nil when no answer was typed.
func composePoll(r *http.Request, l starling.PollLimits) (*starling.NewPoll, pollFields) {
	f := newPollFields(l)
	var given []string
	for i := range f.Options {
		f.Options[i] = r.PostFormValue("poll_option" + strconv.Itoa(i+1))
		if strings.TrimSpace(f.Options[i]) != "" {
			given = append(given, f.Options[i])
		}
	}
	f.Duration = r.PostFormValue("poll_duration")
	f.Multiple = r.PostFormValue("poll_multiple") == "1"
	f.HideTotals = r.PostFormValue("poll_hide_totals") == "1"
	if len(given) == 0 {
		return nil, f
	}
	secs, _ := strconv.Atoi(f.Duration)
	return &starling.NewPoll{Options: given, ExpiresIn: time.Duration(secs) * time.Second, Multiple: f.Multiple, HideTotals: f.HideTotals}, f
}
