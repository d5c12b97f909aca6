package linkcards

import (
	"net/url"
	"testing"
)

// TestParse reads the tags pages use, in order of preference, resolves
// relative addresses, drops non-http images, and tidies white space.
func TestParse(t *testing.T) {
	base, _ := url.Parse("https://www.example.org/reports/2026/")
	for name, tc := range map[string]struct {
		html                              string
		title, desc, provider, image, oem string
	}{
		"open graph first": {`<html><head><title>Page title</title><meta property="og:title" content="OG title">
			<meta name="twitter:title" content="Twitter title"><meta name="description" content="Plain description">
			<meta property="og:site_name" content="ADASS"><meta property="og:image" content="../cover.png"></head></html>`,
			"OG title", "Plain description", "ADASS", "https://www.example.org/reports/cover.png", ""},
		"title fallback, oembed link": {`<title>
			  Just   a title </title><link rel="alternate" type="application/json+oembed" href="/oembed?u=1">`,
			"Just a title", "", "", "", "https://www.example.org/oembed?u=1"},
		"javascript image refused": {`<meta property="og:title" content="T"><meta property="og:image" content="javascript:alert(1)">`,
			"T", "", "", "", ""},
		"body tags ignored": {`<head><title>Head</title></head><body><meta property="og:title" content="Injected in a comment box"></body>`,
			"Head", "", "", "", ""},
	} {
		p := parse([]byte(tc.html), base)
		if p.Title != tc.title || p.Description != tc.desc || p.ProviderName != tc.provider || p.ImageURL != tc.image || p.OEmbed != tc.oem {
			t.Errorf("%s: got %+v (oembed %q)", name, p.CardData, p.OEmbed)
		}
	}
	long := make([]byte, 0, 600)
	for range 300 {
		long = append(long, "é "...)
	}
	if p := parse([]byte(`<meta property="og:title" content="`+string(long)+`">`), base); len([]rune(p.Title)) != 200 {
		t.Errorf("a 300-word title kept %d characters, want 200", len([]rune(p.Title)))
	}
}
