package inbox

import (
	"html/template"
	"regexp"
	"strings"
	"time"
)

// segment is a run of a message's text: plain, or a URL to link.
type segment struct {
	Text string
	URL  string
}

// urlRE matches the http and https URLs in a text.
var urlRE = regexp.MustCompile(`https?://[^\s<>"']+`)

// linkify cuts s into plain runs and URLs. A URL's trailing punctuation
// (".", ",", ";", ":", "!", "?", and ")" without its "(") stays text.
func linkify(s string) []segment {
	var out []segment
	last := 0
	for _, loc := range urlRE.FindAllStringIndex(s, -1) {
		start, end := loc[0], loc[1]
		for end > start {
			c := s[end-1]
			if strings.IndexByte(".,;:!?", c) >= 0 ||
				c == ')' && strings.Count(s[start:end], "(") < strings.Count(s[start:end], ")") {
				end--
				continue
			}
			break
		}
		if end-start <= len("https://") {
			continue
		}
		if start > last {
			out = append(out, segment{Text: s[last:start]})
		}
		out = append(out, segment{URL: s[start:end]})
		last = end
	}
	if last < len(s) {
		out = append(out, segment{Text: s[last:]})
	}
	return out
}

// entryView is an Entry as the page shows it.
type entryView struct {
	Entry
	When string
	Body []segment
}

func view(entries []Entry) []entryView {
	out := make([]entryView, len(entries))
	for i, e := range entries {
		out[i] = entryView{Entry: e, When: e.At.Format(time.RFC3339), Body: linkify(e.Text)}
	}
	return out
}

// page lists the messages, newest first. Its only style is inline; it
// loads nothing.
var page = template.Must(template.New("inbox").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dev inbox</title>
<style>
body{margin:0 auto;max-width:760px;padding:16px;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;line-height:1.5;color:#18181b;background:#fafafa}
h1{font-size:1.5rem;margin:0 0 4px}
.note{color:#52525b;margin:0 0 16px}
article{background:#fff;border:1px solid #e4e4e7;border-radius:8px;padding:12px 16px;margin:0 0 12px}
h2{font-size:1.05rem;margin:0 0 4px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:0 12px;margin:0 0 8px;font-size:.9rem;color:#3f3f46}
dt{font-weight:600}
dd{margin:0;overflow-wrap:anywhere}
pre{white-space:pre-wrap;overflow-wrap:anywhere;font:inherit;margin:0;padding:8px;background:#f4f4f5;border-radius:4px}
a{color:#1d4ed8}
</style>
</head>
<body>
<main>
<h1>Dev inbox</h1>
<p class="note">Email and SMS the dev server would have sent, newest first (at most 500). <a href="/dev/inbox.html">Refresh</a> · <a href="/dev/inbox">JSON</a></p>
{{- range .}}
<article>
<h2>{{if .Subject}}{{.Subject}}{{else}}SMS{{end}}</h2>
<dl>
<dt>Channel</dt><dd>{{.Channel}}</dd>
<dt>To</dt><dd>{{.To}}</dd>
<dt>At</dt><dd><time datetime="{{.When}}">{{.When}}</time></dd>
</dl>
<pre>{{range .Body}}{{if .URL}}<a href="{{.URL}}">{{.URL}}</a>{{else}}{{.Text}}{{end}}{{end}}</pre>
{{- if .HTML}}
<p><a href="/dev/inbox/{{.ID}}.html">The HTML part, as a mail client shows it</a></p>
{{- end}}
</article>
{{- else}}
<p>No messages yet.</p>
{{- end}}
</main>
</body>
</html>
`))
