package ses

import (
	"context"
	"errors"
	"fmt"
	"html"
	"mime"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/message"
	"github.com/portalpass/portalpass/pkg/send/fault"
	"github.com/portalpass/portalpass/pkg/send/redact"
)

// maxDisplayName is the longest display name kept, in runes.
const maxDisplayName = 64

// Sender sends email messages through SES v2. It is safe for concurrent
// use.
type Sender struct {
	client *sesv2.Client
	from   string
	set    string
}

var _ login.Sender = (*Sender)(nil)

// New returns a Sender that sends with client from the address from, the
// stack's one verified SES identity (such as login@example.com).
func New(client *sesv2.Client, from string) *Sender {
	return &Sender{client: client, from: from}
}

// WithConfigurationSet returns a copy of s whose emails name the SES
// configuration set set ("" none), so that SES publishes their delivery
// events to the set's event destination.
func (s *Sender) WithConfigurationSet(set string) *Sender {
	c := *s
	c.set = set
	return &c
}

// Send renders m with message.Email and sends it to m.To, from
// "<SenderName or TenantName>" <from>. It refuses a message whose
// Channel is not email. It returns once SES has accepted the message.
func (s *Sender) Send(ctx context.Context, m login.Message) error {
	if m.Channel != login.ChannelEmail {
		return fmt.Errorf("ses: send: channel %q is not email", m.Channel)
	}
	if m.To == "" || strings.IndexFunc(m.To, unicode.IsControl) >= 0 {
		return errors.New("ses: send: bad recipient address")
	}
	from, err := fromHeader(displayName(m), s.from)
	if err != nil {
		return fmt.Errorf("ses: send: %w", err)
	}
	subject, text, body := message.Email(m)
	charset := aws.String("UTF-8")
	in := &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(from),
		Destination:      &types.Destination{ToAddresses: []string{m.To}},
		Content: &types.EmailContent{Simple: &types.Message{
			Subject: &types.Content{Data: aws.String(subject), Charset: charset},
			Body: &types.Body{
				Text: &types.Content{Data: aws.String(text), Charset: charset},
				Html: &types.Content{Data: aws.String(body), Charset: charset},
			},
		}},
		EmailTags: Tags(m),
	}
	if s.set != "" {
		in.ConfigurationSetName = aws.String(s.set)
	}
	_, err = s.client.SendEmail(ctx, in)
	if err != nil {
		// SES may quote the request it refused: the recipient is personal
		// data, the link and code are secrets.
		return fault.Wrap(err, fmt.Errorf("ses: send: %w", redact.Error(err, m.Link, html.EscapeString(m.Link), m.Code, m.To)))
	}
	return nil
}

func displayName(m login.Message) string {
	if n := cleanName(m.SenderName); n != "" {
		return n
	}
	return cleanName(m.TenantName)
}

// fromHeader returns the From header for the display name name and the
// address addr: `"Acme" <login@example.com>`, an ASCII name quoted as
// RFC 5322 asks, any other as RFC 2047 encoded words (Q when its ASCII
// characters allow it, else B). Control characters (CR and LF among them)
// in name become spaces and the name is cut to 64 characters; an empty
// name gives `<login@example.com>`.
func fromHeader(name, addr string) (string, error) {
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Name != "" {
		return "", errors.New("bad from address")
	}
	name = cleanName(name)
	if name == "" || isASCII(name) {
		a.Name = name
		return a.String(), nil
	}
	// net/mail would Q-encode characters, like a backslash, that an
	// encoded word in a phrase must not hold (RFC 2047 section 5).
	enc := mime.BEncoding
	if qSafe(name) {
		enc = mime.QEncoding
	}
	return enc.Encode("utf-8", name) + " " + a.String(), nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// qSafe reports whether the ASCII characters of s are ones a Q-encoded
// word in a phrase may hold, or that the encoding turns into them.
func qSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf, c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte(" !*+-/=?_", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// cleanName turns control characters into spaces, drops bidirectional
// controls, collapses spaces and cuts the result to maxDisplayName runes.
func cleanName(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.Is(unicode.Bidi_Control, r):
			return -1
		case unicode.IsControl(r) || unicode.IsSpace(r):
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxDisplayName {
		s = strings.TrimSpace(string(r[:maxDisplayName]))
	}
	return s
}
