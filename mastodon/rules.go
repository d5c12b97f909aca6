package mastodon

import (
	"net/http"

	"starling"
	"starling/server"
)

// Rule is the Rule entity (https://docs.joinmastodon.org/entities/Rule/).
type Rule struct {
	ID           string         `json:"id"`
	Text         string         `json:"text"`
	Hint         string         `json:"hint"`
	Translations map[string]any `json:"translations"`
}

func rules(list []*starling.Rule) []Rule {
	out := make([]Rule, 0, len(list))
	for _, r := range list {
		out = append(out, Rule{ID: starling.FormatID(r.ID), Text: r.Text, Hint: r.Hint, Translations: map[string]any{}})
	}
	return out
}

// handleInstanceRules serves GET /api/v1/instance/rules.
func (h *handler) handleInstanceRules(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.Rules(r.Context())
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, rules(list))
}

// handlePrivacyPolicy serves GET /api/v1/instance/privacy_policy: the
// PrivacyPolicy entity. An unwritten policy says so, dated now.
func (h *handler) handlePrivacyPolicy(w http.ResponseWriter, r *http.Request) {
	t, err := h.svc.InstanceText(r.Context(), starling.TextPrivacy)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	updated := t.UpdatedAt
	if !t.Set() {
		updated = h.started
	}
	server.WriteJSON(w, http.StatusOK, map[string]any{"updated_at": timeString(updated), "content": t.HTML})
}

// handleTermsOfService serves GET /api/v1/instance/terms_of_service
// (Mastodon 4.4): the TermsOfService entity. Unwritten terms are a 404, as
// in Mastodon.
func (h *handler) handleTermsOfService(w http.ResponseWriter, r *http.Request) {
	t, err := h.svc.InstanceText(r.Context(), starling.TextTerms)
	if err != nil {
		server.WriteError(w, r, err)
		return
	}
	if !t.Set() {
		server.WriteError(w, r, starling.Errorf(starling.ENOTFOUND, "Record not found"))
		return
	}
	server.WriteJSON(w, http.StatusOK, map[string]any{"effective_date": t.UpdatedAt.UTC().Format("2006-01-02"), "effective": true,
		"content": t.HTML, "succeeded_by": nil})
}
