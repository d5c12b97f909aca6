package text

import (
	"strings"

	"starling"
)

// Processor implements starling.TextProcessor with this package's rules,
// linking hashtags to the server's tag pages.
type Processor struct {
	in *starling.Instance
}

// NewProcessor returns a Processor that builds links for the server described by in.
func NewProcessor(in *starling.Instance) *Processor { return &Processor{in: in} }

var _ starling.TextProcessor = (*Processor)(nil)

// Analyze implements starling.TextProcessor.
func (p *Processor) Analyze(s string) starling.TextAnalysis {
	parsed := Parse(s)
	out := starling.TextAnalysis{Tags: parsed.Tags, URLs: parsed.URLs}
	for _, m := range parsed.Mentions {
		out.Mentions = append(out.Mentions, starling.MentionRef{Username: m.Username, Domain: m.Domain})
	}
	return out
}

// Length implements starling.TextProcessor.
func (p *Processor) Length(s string) int { return Length(s) }

// Render implements starling.TextProcessor.
func (p *Processor) Render(s string, mentionURLs map[string]string) string {
	return Render(s, RenderOptions{
		MentionURL: func(m Mention) (string, bool) {
			u, ok := mentionURLs[starling.MentionRef{Username: m.Username, Domain: m.Domain}.Key()]
			return u, ok
		},
		TagURL: func(tag string) string { return p.in.TagURL(strings.ToLower(tag)) },
	})
}

// NormalizeTag implements starling.TextProcessor.
func (p *Processor) NormalizeTag(name string) string { return NormalizeTag(name) }

// ValidUsername implements starling.TextProcessor.
func (p *Processor) ValidUsername(s string) bool { return ValidUsername(s) }
