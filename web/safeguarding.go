package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"starling"
	"starling/server"
)

// The safeguarding check (see starling.PersonalDataError and
// docs/safeguarding.md) on the web pages: the compose box and the profile
// form show what was found, at the input it is in, keep what was typed and,
// where the community's policy only warns, ask the member to confirm with a
// checkbox. As the member types, the compose box's script asks
// POST /compose/check and says what it found in a live region.

// confirmField is the checkbox a member ticks to confirm that what was
// found is not personal data; the API's parameter has the same name.
const confirmField = "confirm_personal_data"

// confirmed reports whether the form's confirm checkbox was ticked.
func confirmed(r *http.Request) bool { return r.PostFormValue(confirmField) == "1" }

// composeTexts are the texts of a compose box's form to check, named by
// their inputs' names: the text, the content warning, the poll's answers
// and the images' descriptions. withFiles keeps only the descriptions of
// images being uploaded, as posting stores only those.
func composeTexts(r *http.Request, l starling.PollLimits, withFiles bool) []starling.CheckedText {
	texts := []starling.CheckedText{
		{Field: "status", Where: "the text", Text: r.PostFormValue("status")},
		{Field: "spoiler_text", Where: "the content warning", Text: r.PostFormValue("spoiler_text")},
	}
	for i := 1; i <= l.MaxOptionsOrDefault(); i++ {
		n := strconv.Itoa(i)
		texts = append(texts, starling.CheckedText{Field: "poll_option" + n, Where: "answer " + n + " of the poll", Text: r.PostFormValue("poll_option" + n)})
	}
	for i := 1; i <= starling.MaxAttachments; i++ {
		n := strconv.Itoa(i)
		if withFiles && !hasFile(r, "media"+n) {
			continue
		}
		texts = append(texts, starling.CheckedText{Field: "media" + n + "_description", Where: "the description of image " + n, Text: r.PostFormValue("media" + n + "_description")})
	}
	return texts
}

// hasFile reports whether the form carries a non-empty file named name.
func hasFile(r *http.Request, name string) bool {
	if r.MultipartForm == nil {
		return false
	}
	for _, f := range r.MultipartForm.File[name] {
		if f.Size > 0 {
			return true
		}
	}
	return false
}

// composeInput returns the id, in the compose box with that id, of the
// input a finding's field names: an input name from composeTexts or, when
// the service's own check refused the post, an API parameter.
func composeInput(boxID, field string) string {
	switch {
	case field == "status":
		return boxID
	case field == "spoiler_text":
		return boxID + "-cw"
	case strings.HasPrefix(field, "poll_option"):
		return boxID + "-poll" + strings.TrimPrefix(field, "poll_option")
	case strings.HasPrefix(field, "poll[options]["):
		i, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(field, "poll[options]["), "]"))
		if err == nil {
			return boxID + "-poll" + strconv.Itoa(i+1)
		}
	case strings.HasPrefix(field, "media") && strings.HasSuffix(field, "_description"):
		return boxID + "-" + strings.TrimSuffix(field, "_description") + "-description"
	}
	return boxID
}

// profileInput returns the id, on the profile form, of the input a
// finding's field (an API parameter) names.
func profileInput(field string) string {
	if rest, ok := strings.CutPrefix(field, "fields_attributes["); ok {
		i, part, _ := strings.Cut(rest, "][")
		if part == "name]" {
			return "field_name_" + i
		}
		return "field_value_" + i
	}
	return field // display_name, note
}

// personalDataErrors turns a refusal into one message per input, in the
// order found, for the error summary and the inputs; input maps a
// finding's field to the input's id. It returns nil if err is not a
// refusal of the safeguarding check.
func personalDataErrors(err error, input func(field string) string, rule string) (errs []fieldError, confirmable bool) {
	var pd *starling.PersonalDataError
	if !errors.As(err, &pd) {
		return nil, false
	}
	var order []string
	byInput := map[string][]starling.SafeguardFinding{}
	where := map[string]string{}
	for _, f := range pd.Findings {
		id := input(f.Field)
		if _, seen := byInput[id]; !seen {
			order = append(order, id)
			where[id] = f.Where
		}
		f.Where = "" // said once, at the start
		byInput[id] = append(byInput[id], f)
	}
	for _, id := range order {
		found := byInput[id]
		subject := "This"
		if where[id] != "" {
			subject = upperFirst(where[id])
		}
		msg := subject + " seems to contain " + starling.DescribeFindings(found) + ". " + rule
		it := "it"
		if len(found) > 1 {
			it = "them"
		}
		if pd.Confirmable {
			msg += " Remove " + it + ", or tick the box below to confirm it is not personal data."
		} else {
			msg += " Remove " + it + " to continue."
		}
		errs = append(errs, fieldError{id, msg})
	}
	return errs, pd.Confirmable
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

const (
	postRule    = "Posts must not identify people who use services."
	profileRule = "Profiles must not hold personal data about people who use services."
)

// profilePersonalData is what the profile form shows when the
// safeguarding check refused it: the errors, and whether to offer the
// confirm checkbox. errs is nil if err is another error.
func profilePersonalData(err error) (errs []fieldError, confirmable bool) {
	return personalDataErrors(err, profileInput, profileRule)
}

// checkAnswer is the answer of POST /compose/check.
type checkAnswer struct {
	// Findings say what kind of value was found and in which input (its
	// name), never the value.
	Findings []checkFinding `json:"findings"`
	// Message says so in a sentence for the live region; "" if nothing was found.
	Message string `json:"message"`
}

type checkFinding struct {
	Rule  string `json:"rule"`
	Label string `json:"label"`
	Field string `json:"field"`
}

// handleComposeCheck serves POST /compose/check: the compose box's script
// sends the draft's texts (with the form token) as the member types, and
// learns what in it looks like personal data. Nothing is stored or logged.
func (h *handler) handleComposeCheck(w http.ResponseWriter, r *http.Request) {
	if signedIn(r.Context()) == nil {
		server.WriteError(w, r, starling.Errorf(starling.EUNAUTHORIZED, "Sign in to write a post"))
		return
	}
	found := h.svc.FindPersonalData(composeTexts(r, h.in.Polls, false)...)
	ans := checkAnswer{Findings: []checkFinding{}}
	for _, f := range found {
		ans.Findings = append(ans.Findings, checkFinding{Rule: f.Rule, Label: f.Label, Field: f.Field})
	}
	if len(found) > 0 {
		ans.Message = "This looks like " + starling.DescribeFindings(found) + ". " + postRule
		it := "it"
		if len(found) > 1 {
			it = "them"
		}
		if h.in.Safeguarding == starling.SafeguardWarn {
			ans.Message += " Remove " + it + ", or confirm when you post that it is not personal data."
		} else {
			ans.Message += " Remove " + it + " before you post."
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	server.WriteJSON(w, http.StatusOK, ans)
}

// ErrorAt returns the message about the compose box's input with that id,
// other than the text's (Error), or "".
func (c *composeView) ErrorAt(id string) string { return c.FieldErrors[id] }
