package main

import (
	"errors"
	"html"
	"net/url"
	"regexp"
	"strings"
)

var (
	// linkRe finds a login link: an http(s) URL carrying a token query
	// parameter (the redeem page's /v1/login/redeem?token=T).
	linkRe = regexp.MustCompile(`https?://[^\s"'<>]+[?&](?:amp;)?token=[A-Za-z0-9._~%-]+`)
	// codeRe finds the login code: "Or enter this code: 123456" in an
	// email, "your login code is 123456" in an SMS, with HTML tags
	// allowed between the words and the digits.
	codeRe = regexp.MustCompile(`code(?: is|:)\s*(?:<[^>]*>\s*)*([0-9]{4,8})\b`)

	formRe   = regexp.MustCompile(`(?is)<form\b([^>]*)>(.*?)</form>`)
	inputRe  = regexp.MustCompile(`(?is)<input\b([^>]*)>`)
	attrRe   = regexp.MustCompile(`(?is)([a-z-]+)\s*=\s*"([^"]*)"`)
	errNoURL = errors.New("the message holds no login link")
)

// findLink returns the login link in a message.
func findLink(msg string) (*url.URL, error) {
	m := linkRe.FindString(msg)
	if m == "" {
		return nil, errNoURL
	}
	u, err := url.Parse(html.UnescapeString(m))
	if err != nil {
		return nil, errors.New("the message's login link is not a URL")
	}
	return u, nil
}

// findCode returns the login code in a message.
func findCode(msg string) (string, error) {
	m := codeRe.FindStringSubmatch(msg)
	if m == nil {
		return "", errors.New("the message holds no login code")
	}
	return m[1], nil
}

// postForm is the form of a page: where a browser posts it and the
// fields it sends.
type postForm struct {
	action string
	fields url.Values
}

// findPostForm returns the first form of a page that posts to a path
// ending in suffix, with its hidden fields, as a browser would send it.
func findPostForm(page, suffix string) (postForm, bool) {
	for _, f := range formRe.FindAllStringSubmatch(page, -1) {
		attrs := attributes(f[1])
		if !strings.EqualFold(attrs["method"], "post") || !strings.HasSuffix(attrs["action"], suffix) {
			continue
		}
		fields := url.Values{}
		for _, in := range inputRe.FindAllStringSubmatch(f[2], -1) {
			a := attributes(in[1])
			if a["name"] != "" {
				fields.Add(a["name"], a["value"])
			}
		}
		return postForm{action: attrs["action"], fields: fields}, true
	}
	return postForm{}, false
}

func attributes(tag string) map[string]string {
	out := map[string]string{}
	for _, a := range attrRe.FindAllStringSubmatch(tag, -1) {
		out[strings.ToLower(a[1])] = html.UnescapeString(a[2])
	}
	return out
}
