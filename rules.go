package starling

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Rules are the community's rules, in the order staff set, shown on the
// about and sign-up pages and through the API. A report of the category
// "violation" cites at least one of them. The terms of service and the
// privacy policy are texts admins write (InstanceText).

// Rule is one rule of the community.
type Rule struct {
	ID        int64
	Position  int
	Text      string
	Hint      string // an optional longer explanation
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Rule limits.
const (
	MaxRules          = 50
	MaxRuleTextChars  = 300
	MaxRuleHintChars  = 1000
	MaxInstanceTextCh = 50000
)

// Instance texts admins write.
const (
	TextTerms   = "terms"
	TextPrivacy = "privacy"
)

// InstanceText is the terms of service or the privacy policy. Body is
// plain text: blank lines part paragraphs, and web addresses become
// links when shown. UpdatedAt is zero while admins have not written it.
type InstanceText struct {
	Name      string
	Body      string
	UpdatedAt time.Time
	HTML      string // Body rendered (paragraphs and links), or a notice that it is unset
}

// Set reports whether admins have written the text.
func (t *InstanceText) Set() bool { return !t.UpdatedAt.IsZero() }

// RuleStore keeps the rules and the instance texts.
type RuleStore interface {
	// Rules lists the rules in order.
	Rules(ctx context.Context) ([]*Rule, error)
	// PutRule inserts or updates r.
	PutRule(ctx context.Context, r *Rule) error
	// DeleteRule removes a rule; ENOTFOUND if there is none.
	DeleteRule(ctx context.Context, id int64) error
	// InstanceText returns a text, or ENOTFOUND if it was never written.
	InstanceText(ctx context.Context, name string) (*InstanceText, error)
	// PutInstanceText writes a text.
	PutInstanceText(ctx context.Context, t *InstanceText) error
}

// defaultRules are the rules every community starts with, which members
// agreed to before staff could edit them. They are not written by a
// migration (a copied database would then hold them twice over): until
// staff first change a rule, rulesIn returns them, and the first change
// writes them to the store with rulesEdited.
var defaultRules = []string{
	"Never post anything that could identify a person who uses services, or their family, even without a name.",
	"Be respectful and constructive, including when you disagree.",
	"Say who you are: use your real name or your organisation's, and your role.",
	"Follow your employer's social media policy, and say when views are your own.",
}

// rulesEdited names the instance text that records that staff have
// changed the rules, so the store's list (even an empty one) stands.
const rulesEdited = "rules_edited"

// defaultRuleID gives the default rules fixed IDs, long enough not to be
// mistaken for other numbers.
const defaultRuleID = 1000000001

// rulesIn returns the rules as q sees them, and whether staff ever edited
// them.
func (svc *Service) rulesIn(ctx context.Context, q Tx) ([]*Rule, bool, error) {
	if _, err := q.InstanceText(ctx, rulesEdited); ErrorCode(err) == ENOTFOUND {
		out := make([]*Rule, len(defaultRules))
		for i, text := range defaultRules {
			out[i] = &Rule{ID: defaultRuleID + int64(i), Position: i, Text: text}
		}
		return out, false, nil
	} else if err != nil {
		return nil, false, err
	}
	list, err := q.Rules(ctx)
	return list, true, err
}

// editableRules returns the rules in tx for staff to change, writing the
// defaults to the store first if this is the first change.
func (svc *Service) editableRules(ctx context.Context, tx Tx) ([]*Rule, error) {
	list, edited, err := svc.rulesIn(ctx, tx)
	if err != nil || edited {
		return list, err
	}
	now := svc.now()
	for _, r := range list {
		r.CreatedAt, r.UpdatedAt = now, now
		if err := tx.PutRule(ctx, r); err != nil {
			return nil, err
		}
	}
	return list, tx.PutInstanceText(ctx, &InstanceText{Name: rulesEdited, Body: "1", UpdatedAt: now})
}

// Rules lists the community's rules, for everyone.
func (svc *Service) Rules(ctx context.Context) ([]*Rule, error) {
	list, _, err := svc.rulesIn(ctx, svc.store)
	return list, err
}

// ruleEditor returns the account's user if it is staff: moderators and
// admins keep the rules; only admins write the terms and privacy policy.
func (svc *Service) ruleEditor(ctx context.Context, staff *Account) (*User, error) {
	if staff != nil {
		if u, err := svc.store.User(ctx, staff.ID); err == nil && u.IsStaff() && !u.Disabled {
			return u, nil
		}
	}
	return nil, Errorf(EFORBIDDEN, "This action is not allowed")
}

func (r *Rule) validate() error {
	r.Text, r.Hint = strings.TrimSpace(r.Text), strings.TrimSpace(r.Hint)
	if r.Text == "" {
		return Errorf(EINVALID, "Validation failed: Text can't be blank")
	}
	if err := checkText("text", r.Text, MaxRuleTextChars); err != nil {
		return err
	}
	return checkText("hint", r.Hint, MaxRuleHintChars)
}

// SaveRule adds a rule at the end (r.ID 0) or changes one's text and hint;
// staff only, audited.
func (svc *Service) SaveRule(ctx context.Context, staff *Account, r Rule) (*Rule, error) {
	if _, err := svc.ruleEditor(ctx, staff); err != nil {
		return nil, err
	}
	if err := r.validate(); err != nil {
		return nil, err
	}
	var out *Rule
	err := svc.store.Update(ctx, func(tx Tx) error {
		list, err := svc.editableRules(ctx, tx)
		if err != nil {
			return err
		}
		now := svc.now()
		action := "rule.update"
		if r.ID == 0 {
			if len(list) >= MaxRules {
				return Errorf(EINVALID, "Validation failed: at most %d rules", MaxRules)
			}
			out = &Rule{ID: svc.newID(now), Position: len(list), CreatedAt: now}
			if len(list) > 0 {
				out.Position = list[len(list)-1].Position + 1
			}
			action = "rule.create"
		} else {
			i := slices.IndexFunc(list, func(x *Rule) bool { return x.ID == r.ID })
			if i < 0 {
				return Errorf(ENOTFOUND, "Record not found")
			}
			out = list[i]
		}
		out.Text, out.Hint, out.UpdatedAt = r.Text, r.Hint, now
		if err := tx.PutRule(ctx, out); err != nil {
			return err
		}
		return svc.audit(ctx, tx, staff.ID, action, "rule", out.ID, "")
	})
	return out, err
}

// MoveRule moves a rule one place up (delta -1) or down (+1); staff only.
func (svc *Service) MoveRule(ctx context.Context, staff *Account, id int64, delta int) error {
	if _, err := svc.ruleEditor(ctx, staff); err != nil {
		return err
	}
	if delta != -1 && delta != 1 {
		return Errorf(EINVALID, "Validation failed: a rule moves one place at a time")
	}
	return svc.store.Update(ctx, func(tx Tx) error {
		list, err := svc.editableRules(ctx, tx)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(list, func(x *Rule) bool { return x.ID == id })
		if i < 0 {
			return Errorf(ENOTFOUND, "Record not found")
		}
		j := i + delta
		if j < 0 || j >= len(list) {
			return nil // already first or last
		}
		a, b := list[i], list[j]
		a.Position, b.Position = b.Position, a.Position
		if a.Position == b.Position { // never expected; keep the order well defined
			a.Position += delta
		}
		for _, x := range []*Rule{a, b} {
			if err := tx.PutRule(ctx, x); err != nil {
				return err
			}
		}
		return svc.audit(ctx, tx, staff.ID, "rule.move", "rule", id, "")
	})
}

// DeleteRule removes a rule; staff only, audited. Reports that cited it
// keep its ID.
func (svc *Service) DeleteRule(ctx context.Context, staff *Account, id int64) error {
	if _, err := svc.ruleEditor(ctx, staff); err != nil {
		return err
	}
	return svc.store.Update(ctx, func(tx Tx) error {
		if _, err := svc.editableRules(ctx, tx); err != nil {
			return err
		}
		return svc.audited(ctx, tx, tx.DeleteRule(ctx, id), staff.ID, "rule.delete", "rule", id)
	})
}

// InstanceText returns the terms (TextTerms) or privacy policy
// (TextPrivacy), for everyone; an unwritten one has an empty Body and a
// zero UpdatedAt.
func (svc *Service) InstanceText(ctx context.Context, name string) (*InstanceText, error) {
	if name != TextTerms && name != TextPrivacy {
		return nil, Errorf(ENOTFOUND, "Record not found")
	}
	t, err := svc.store.InstanceText(ctx, name)
	if ErrorCode(err) == ENOTFOUND {
		what := map[string]string{TextTerms: "terms of service", TextPrivacy: "privacy policy"}[name]
		notice := "The admins of this community have not written its " + what + " yet. Until they do, ask them (see the contact address on the about page) how they run it and what they keep about you."
		return &InstanceText{Name: name, HTML: svc.text.Render(notice, nil)}, nil
	} else if err != nil {
		return nil, err
	}
	t.HTML = svc.text.Render(t.Body, nil)
	return t, nil
}

// SetInstanceText writes the terms or the privacy policy; admins only,
// audited.
func (svc *Service) SetInstanceText(ctx context.Context, admin *Account, name, body string) (*InstanceText, error) {
	u, err := svc.ruleEditor(ctx, admin)
	if err != nil {
		return nil, err
	}
	if u.Role != RoleAdmin {
		return nil, Errorf(EFORBIDDEN, "Only admins may change the terms and the privacy policy")
	}
	if name != TextTerms && name != TextPrivacy {
		return nil, Errorf(ENOTFOUND, "Record not found")
	}
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	if body == "" {
		return nil, Errorf(EINVALID, "Validation failed: the text can't be blank")
	}
	if err := checkText(name, body, MaxInstanceTextCh); err != nil {
		return nil, err
	}
	now := svc.now()
	t := &InstanceText{Name: name, Body: body, UpdatedAt: now, HTML: svc.text.Render(body, nil)}
	err = svc.store.Update(ctx, func(tx Tx) error {
		if err := tx.PutInstanceText(ctx, t); err != nil {
			return err
		}
		return svc.audit(ctx, tx, admin.ID, "instance."+name, "instance", 0, "")
	})
	return t, err
}

// checkRuleIDs parses a report's rule IDs and checks each names a rule.
func checkRuleIDs(rules []*Rule, ids []string) ([]string, error) {
	var out []string
	for _, s := range ids {
		s = strings.TrimSpace(s)
		if !slices.ContainsFunc(rules, func(r *Rule) bool { return FormatID(r.ID) == s }) {
			return nil, Errorf(EINVALID, "Validation failed: Rules: %q is not one of this community's rules", s)
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}
