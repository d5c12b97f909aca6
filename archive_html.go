package starling

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// The archive's browsable pages, index.html and posts.html.

// archiveText escapes s for HTML: the archive's pages are written by
// hand, not with html/template, as the root package stays free of
// presentation; everything a member typed goes through this.
var archiveText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace

const archiveHead = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title><style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:1rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
article{border-bottom:1px solid #ccc;padding:.75rem 0}img{max-width:100%%;height:auto}.meta{color:#555;font-size:.9rem}pre{white-space:pre-wrap;font:inherit;margin:.25rem 0}</style></head>
<body><main>
`

func (ar *archive) writePostsHTML(ctx context.Context) error {
	w, err := ar.create("posts.html", "")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, archiveHead, "Posts by @"+archiveText(ar.account.Username))
	fmt.Fprintf(w, "<h1>Posts by @%s</h1>\n<p><a href=\"index.html\">Back to the archive</a></p>\n", archiveText(ar.account.Username))
	err = ar.eachPostPage(ctx, func(page []*ArchivePost) error {
		for _, p := range page {
			ar.posts++
			fmt.Fprintf(w, "<article><p class=\"meta\"><time datetime=\"%s\">%s</time> · %s",
				p.CreatedAt.Format(time.RFC3339), p.CreatedAt.Format("2 January 2006 15:04"), archiveText(string(p.Visibility)))
			if p.EditedAt != nil {
				fmt.Fprintf(w, " · edited")
			}
			if p.ReblogOfID != "" {
				fmt.Fprintf(w, " · reblog of post %s", p.ReblogOfID)
			}
			if p.InReplyToID != "" {
				fmt.Fprintf(w, " · reply to post %s", p.InReplyToID)
			}
			fmt.Fprintf(w, "</p>\n")
			if p.SpoilerText != "" {
				fmt.Fprintf(w, "<p><strong>%s</strong></p>\n", archiveText(p.SpoilerText))
			}
			if p.Text != "" {
				fmt.Fprintf(w, "<pre>%s</pre>\n", archiveText(p.Text))
			}
			if p.Poll != nil {
				fmt.Fprintf(w, "<ul>")
				for _, o := range p.Poll.Options {
					fmt.Fprintf(w, "<li>%s: %d votes</li>", archiveText(o.Title), o.Votes)
				}
				fmt.Fprintf(w, "</ul>\n")
			}
			for _, m := range p.Media {
				fmt.Fprintf(w, "<p><a href=\"%s\"><img src=\"%s\" alt=\"%s\" width=\"%d\" height=\"%d\" loading=\"lazy\"></a></p>\n",
					archiveText(m.File), archiveText(m.File), archiveText(m.Description), m.Width, m.Height)
			}
			if _, err := fmt.Fprintf(w, "</article>\n"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if ar.posts == 0 {
		fmt.Fprintf(w, "<p>No posts.</p>\n")
	}
	_, err = fmt.Fprintf(w, "</main></body></html>\n")
	return err
}

func (ar *archive) writeIndex(ctx context.Context) error {
	w, err := ar.create("index.html", "")
	if err != nil {
		return err
	}
	a := ar.account
	title := "Archive of @" + archiveText(a.Username)
	fmt.Fprintf(w, archiveHead, title)
	fmt.Fprintf(w, "<h1>%s</h1>\n<p>Everything %s holds about you on %s, as it stood on %s. The files are JSON, which other services and programs can read.</p>\n",
		title, archiveText(ar.svc.instance.Title), archiveText(ar.svc.instance.Domain), ar.at.Format("2 January 2006 at 15:04 UTC"))
	fmt.Fprintf(w, "<h2>Your profile</h2>\n<dl><dt>Name</dt><dd>%s</dd><dt>Bio</dt><dd><pre>%s</pre></dd>", archiveText(a.DisplayName), archiveText(a.Note))
	for _, f := range a.Fields {
		fmt.Fprintf(w, "<dt>%s</dt><dd>%s</dd>", archiveText(f.Name), archiveText(f.Value))
	}
	fmt.Fprintf(w, "<dt>Email</dt><dd>%s</dd><dt>Joined</dt><dd>%s</dd></dl>\n", archiveText(ar.user.Email), a.CreatedAt.Format("2 January 2006"))
	fmt.Fprintf(w, "<h2>Your posts</h2>\n<p><a href=\"posts.html\">Read your %d posts</a> (their images are in the media folder: %d files).</p>\n", ar.posts, ar.media)
	fmt.Fprintf(w, "<h2>Files</h2>\n<ul>\n")
	for _, f := range ar.files {
		fmt.Fprintf(w, "<li><a href=\"%s\">%s</a>: %s</li>\n", archiveText(f.name), archiveText(f.name), archiveText(f.about))
	}
	_, err = fmt.Fprintf(w, "</ul>\n</main></body></html>\n")
	return err
}
