package starling

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Poll limits. A community may allow up to 10 answers for consultations;
// 4 is Mastodon's default and what most apps show.
const (
	DefaultPollOptions   = 4
	MaxPollOptions       = 10
	MaxPollOptionChars   = 50
	MinPollDuration      = 5 * time.Minute
	DefaultPollMaxExpiry = 30 * 24 * time.Hour
)

// Poll is a question on a post, with its answers and counts.
type Poll struct {
	ID          int64
	StatusID    int64
	AccountID   int64
	ExpiresAt   time.Time
	Multiple    bool // several answers may be chosen
	HideTotals  bool // counts stay hidden until one has voted or the poll ends
	Options     []PollOption
	VotersCount int
	CreatedAt   time.Time

	// For the viewer, filled in when read for one.
	OwnVotes []int // the answers the viewer chose; empty if they have not voted
}

// PollOption is one answer and its votes.
type PollOption struct {
	Title string
	Votes int
}

// Expired reports whether the poll has ended at now.
func (p *Poll) Expired(now time.Time) bool { return !now.Before(p.ExpiresAt) }

// Voted reports whether the viewer has voted.
func (p *Poll) Voted() bool { return len(p.OwnVotes) > 0 }

// ShowTotals reports whether viewerID may see the counts at now: always,
// unless the author hid them, and then once the viewer voted, for the
// author, or once the poll ended.
func (p *Poll) ShowTotals(viewerID int64, now time.Time) bool {
	return !p.HideTotals || p.Voted() || viewerID == p.AccountID || p.Expired(now)
}

// VotesCount is the number of answers chosen in all.
func (p *Poll) VotesCount() int {
	n := 0
	for _, o := range p.Options {
		n += o.Votes
	}
	return n
}

// NewPoll is a poll as written with a new post.
type NewPoll struct {
	Options    []string
	ExpiresIn  time.Duration
	Multiple   bool
	HideTotals bool
}

// PollVote is one answer chosen by one member, for the author's export.
type PollVote struct {
	AccountID int64
	Choice    int
	CreatedAt time.Time
}

// PollStore keeps polls and votes.
type PollStore interface {
	// CreatePoll stores a poll and its options and marks its status as having it.
	CreatePoll(ctx context.Context, p *Poll) error
	// Polls reads polls by ID, with viewerID's votes (0: none).
	Polls(ctx context.Context, ids []int64, viewerID int64) (map[int64]*Poll, error)
	// Vote records choices; ECONFLICT-free: the caller checks the member has
	// not voted, inside the same transaction.
	Vote(ctx context.Context, p *Poll, accountID int64, choices []int, now time.Time) error
	// PollVotes lists every vote, oldest first.
	PollVotes(ctx context.Context, pollID int64) ([]PollVote, error)
}

// PollLimits are a community's settings for polls.
type PollLimits struct {
	MaxOptions int           // 2 to MaxPollOptions; 0: DefaultPollOptions
	MaxExpiry  time.Duration // 0: DefaultPollMaxExpiry
}

// MaxOptionsOrDefault is the most answers a poll may have here.
func (l PollLimits) MaxOptionsOrDefault() int { return l.maxOptions() }

// MaxExpiryOrDefault is the longest a poll may run here.
func (l PollLimits) MaxExpiryOrDefault() time.Duration { return l.maxExpiry() }

func (l PollLimits) maxOptions() int {
	if l.MaxOptions < 2 {
		return DefaultPollOptions
	}
	return min(l.MaxOptions, MaxPollOptions)
}

func (l PollLimits) maxExpiry() time.Duration {
	if l.MaxExpiry <= 0 {
		return DefaultPollMaxExpiry
	}
	return l.MaxExpiry
}

// checkPoll validates a new poll against the community's limits.
func (svc *Service) checkPoll(p *NewPoll) error {
	lim := svc.instance.Polls
	if len(p.Options) < 2 || len(p.Options) > lim.maxOptions() {
		return Errorf(EINVALID, "Validation failed: A poll needs between 2 and %d answers", lim.maxOptions())
	}
	seen := map[string]bool{}
	for i, o := range p.Options {
		o = strings.TrimSpace(o)
		if o == "" {
			return Errorf(EINVALID, "Validation failed: Answer %d of the poll is empty", i+1)
		}
		if err := checkEncoding("Poll answer", o); err != nil {
			return err
		}
		if utf8.RuneCountInString(o) > MaxPollOptionChars {
			return Errorf(EINVALID, "Validation failed: Answer %d of the poll is longer than %d characters", i+1, MaxPollOptionChars)
		}
		if seen[strings.ToLower(o)] {
			return Errorf(EINVALID, "Validation failed: The poll has the answer %q twice", o)
		}
		seen[strings.ToLower(o)] = true
		p.Options[i] = o
	}
	if p.ExpiresIn < MinPollDuration || p.ExpiresIn > lim.maxExpiry() {
		return Errorf(EINVALID, "Validation failed: A poll runs between %d minutes and %d days", int(MinPollDuration/time.Minute), int(lim.maxExpiry()/(24*time.Hour)))
	}
	return nil
}

// pollEndJob is the job that tells voters and the author a poll has ended.
const pollEndJob = "polls.ended"

type pollEndArgs struct {
	Poll int64 `json:"poll"`
}

// createPoll stores a new post's poll in tx and schedules its end.
func (svc *Service) createPoll(ctx context.Context, tx Tx, s *Status, np *NewPoll, now time.Time) error {
	p := &Poll{ID: svc.newID(now), StatusID: s.ID, AccountID: s.AccountID, ExpiresAt: now.Add(np.ExpiresIn),
		Multiple: np.Multiple, HideTotals: np.HideTotals, CreatedAt: now}
	for _, o := range np.Options {
		p.Options = append(p.Options, PollOption{Title: o})
	}
	if err := tx.CreatePoll(ctx, p); err != nil {
		return err
	}
	s.PollID = p.ID
	args, _ := json.Marshal(pollEndArgs{Poll: p.ID})
	return tx.EnqueueJob(ctx, &Job{Kind: pollEndJob, Args: args}, p.ExpiresAt, time.Time{})
}

// GetPoll returns a poll as viewer (nil when signed out) may see it: the
// poll of a post the viewer may read.
func (svc *Service) GetPoll(ctx context.Context, viewer *Account, id int64) (*Poll, error) {
	polls, err := svc.store.Polls(ctx, []int64{id}, viewerID(viewer))
	if err != nil {
		return nil, err
	}
	p := polls[id]
	if p == nil {
		return nil, Errorf(ENOTFOUND, "Record not found")
	}
	if _, err := svc.GetStatus(ctx, viewer, p.StatusID); err != nil {
		return nil, err
	}
	return p, nil
}

// VotePoll records viewer's answers: indexes into the options, one unless
// the poll takes several. A member votes once, before the poll ends.
func (svc *Service) VotePoll(ctx context.Context, viewer *Account, id int64, choices []int) (*Poll, error) {
	if _, err := svc.GetPoll(ctx, viewer, id); err != nil {
		return nil, err
	}
	now := svc.now()
	err := svc.store.Update(ctx, func(tx Tx) error {
		polls, err := tx.Polls(ctx, []int64{id}, viewer.ID)
		if err != nil {
			return err
		}
		p := polls[id]
		if p == nil {
			return Errorf(ENOTFOUND, "Record not found")
		}
		if p.Expired(now) {
			return Errorf(EINVALID, "Validation failed: The poll has already ended")
		}
		if p.Voted() {
			return Errorf(EINVALID, "Validation failed: You have already voted on this poll")
		}
		if len(choices) == 0 || !p.Multiple && len(choices) > 1 {
			return Errorf(EINVALID, "Validation failed: Choose one answer%s", map[bool]string{true: " or more", false: ""}[p.Multiple])
		}
		seen := map[int]bool{}
		for _, c := range choices {
			if c < 0 || c >= len(p.Options) || seen[c] {
				return Errorf(EINVALID, "Validation failed: Choices must be different answers of the poll")
			}
			seen[c] = true
		}
		return tx.Vote(ctx, p, viewer.ID, choices, now)
	})
	if err != nil {
		return nil, err
	}
	return svc.GetPoll(ctx, viewer, id)
}

// PollVotes returns every vote on one of viewer's polls, for export.
func (svc *Service) PollVotes(ctx context.Context, viewer *Account, id int64) (*Poll, []PollVote, error) {
	p, err := svc.GetPoll(ctx, viewer, id)
	if err != nil {
		return nil, nil, err
	}
	if p.AccountID != viewer.ID {
		return nil, nil, Errorf(EFORBIDDEN, "Only the author can export a poll's results")
	}
	votes, err := svc.store.PollVotes(ctx, id)
	return p, votes, err
}

// HandleJobs registers the service's own background jobs on w.
func (svc *Service) HandleJobs(w *JobWorker) {
	w.Handle(pollEndJob, svc.pollEnded)
	w.Handle(cardJob, svc.fetchCard)
	w.Handle(mediaSweepJob, svc.sweepMedia)
	w.Handle(muteEndJob, svc.muteEnded)
	w.Handle(AccountDeleteJob, svc.deleteAccountJob)
	w.KeepRetrying(AccountDeleteJob) // given up, it would leave a half-erased member
}

// pollEnded tells the author and every voter that a poll has ended. The
// notifications are unique per poll and account, so running twice is
// harmless.
func (svc *Service) pollEnded(ctx context.Context, j *Job) error {
	var a pollEndArgs
	if err := json.Unmarshal(j.Args, &a); err != nil {
		return err
	}
	polls, err := svc.store.Polls(ctx, []int64{a.Poll}, 0)
	if err != nil {
		return err
	}
	p := polls[a.Poll]
	if p == nil {
		return nil // deleted with its post
	}
	votes, err := svc.store.PollVotes(ctx, p.ID)
	if err != nil {
		return err
	}
	to := []int64{p.AccountID}
	for _, v := range votes {
		if !slices.Contains(to, v.AccountID) {
			to = append(to, v.AccountID)
		}
	}
	now := svc.now()
	return svc.store.Update(ctx, func(tx Tx) error {
		for _, id := range to {
			// From the author, about the post, the author included: as
			// Mastodon sends it. One per account and poll (a unique index).
			n := &Notification{ID: svc.newID(now), AccountID: id, FromAccountID: p.AccountID, Type: NotifyPoll, StatusID: p.StatusID, CreatedAt: now}
			if _, err := tx.CreateNotification(ctx, n); err != nil {
				return err
			}
		}
		return nil
	})
}

func viewerID(a *Account) int64 {
	if a == nil {
		return 0
	}
	return a.ID
}
