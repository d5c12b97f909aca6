package mastodon

import (
	"net/http"
	"strconv"
	"time"

	"starling"
	"starling/server"
)

// Poll is Mastodon's entity for a poll.
type Poll struct {
	ID          string       `json:"id"`
	ExpiresAt   *string      `json:"expires_at"`
	Expired     bool         `json:"expired"`
	Multiple    bool         `json:"multiple"`
	VotesCount  int          `json:"votes_count"`
	VotersCount *int         `json:"voters_count"`
	Options     []PollOption `json:"options"`
	Emojis      []Emoji      `json:"emojis"`
	Voted       *bool        `json:"voted,omitempty"`
	OwnVotes    []int        `json:"own_votes,omitempty"`
}

// PollOption is one answer; its count is null while totals are hidden.
type PollOption struct {
	Title      string `json:"title"`
	VotesCount *int   `json:"votes_count"`
}

func (rr *renderer) poll(p *starling.Poll) *Poll {
	if p == nil {
		return nil
	}
	now := time.Now()
	viewer := int64(0)
	if rr.viewer != nil {
		viewer = rr.viewer.ID
	}
	show := p.ShowTotals(viewer, now)
	out := &Poll{ID: starling.FormatID(p.ID), ExpiresAt: ptr(timeString(p.ExpiresAt)), Expired: p.Expired(now),
		Multiple: p.Multiple, Emojis: []Emoji{}, Options: make([]PollOption, len(p.Options))}
	for i, o := range p.Options {
		out.Options[i].Title = o.Title
		if show {
			out.Options[i].VotesCount = ptr(o.Votes)
		}
	}
	if show {
		out.VotesCount = p.VotesCount()
		if p.Multiple {
			out.VotersCount = ptr(p.VotersCount)
		}
	}
	if rr.viewer != nil {
		out.Voted = ptr(p.Voted() || p.AccountID == viewer)
		out.OwnVotes = append([]int{}, p.OwnVotes...)
	}
	return out
}

// newPollParams reads a poll from a new status's parameters: poll[options][]
// and friends in a form, or a "poll" object in JSON. nil if none was given.
func newPollParams(p *params) (*starling.NewPoll, error) {
	sub := &params{form: map[string][]string{}}
	if m, ok := p.json["poll"].(map[string]any); ok {
		sub.json = m
	} else {
		for _, k := range []string{"options", "expires_in", "multiple", "hide_totals"} {
			sub.form[k] = p.form["poll["+k+"]"]
			sub.form[k+"[]"] = p.form["poll["+k+"][]"]
		}
	}
	options := sub.strs("options")
	if len(options) == 0 {
		return nil, nil
	}
	secs, err := strconv.Atoi(sub.get("expires_in"))
	if err != nil {
		return nil, starling.Errorf(starling.EINVALID, "Validation failed: poll[expires_in] must be a number of seconds")
	}
	multiple, _ := sub.boolean("multiple")
	hide, _ := sub.boolean("hide_totals")
	return &starling.NewPoll{Options: options, ExpiresIn: time.Duration(secs) * time.Second, Multiple: multiple, HideTotals: hide}, nil
}

// handlePollGet serves GET /api/v1/polls/:id.
func (h *handler) handlePollGet(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		var p *starling.Poll
		if p, err = h.svc.GetPoll(r.Context(), viewer(r), id); err == nil {
			server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).poll(p))
			return
		}
	}
	server.WriteError(w, r, err)
}

// handlePollVote serves POST /api/v1/polls/:id/votes with choices[].
func (h *handler) handlePollVote(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	p, err := readParams(r)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	var choices []int
	for _, s := range p.strs("choices") {
		c, err := strconv.Atoi(s)
		if err != nil {
			server.WriteError(w, r, starling.Errorf(starling.EINVALID, "Validation failed: choices must be numbers of answers, from 0"))
			return
		}
		choices = append(choices, c)
	}
	poll, err := h.svc.VotePoll(r.Context(), viewer(r), id, choices)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, h.renderer(r.Context()).poll(poll))
}
