package inbox

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/message"
)

// Max is how many messages an Inbox keeps; a new one pushes out the
// oldest.
const Max = 500

// Entry is one message as it would have been sent.
type Entry struct {
	// ID numbers the messages in the order sent, from 1; the HTML part of
	// an email is at /dev/inbox/{id}.html.
	ID      int64     `json:"id"`
	Channel string    `json:"channel"` // "email" or "sms"
	To      string    `json:"to"`
	Subject string    `json:"subject,omitempty"` // email only
	Text    string    `json:"text"`              // the text part, or the SMS
	HTML    string    `json:"html,omitempty"`    // email only
	At      time.Time `json:"at"`                // when it was sent, UTC
}

// Inbox is a login.Sender for both channels that keeps the last Max
// messages in memory. It is safe for concurrent use.
type Inbox struct {
	mu      sync.Mutex
	entries []Entry // oldest first
	last    int64   // the last ID given
}

var _ login.Sender = (*Inbox)(nil)

// New returns an empty Inbox.
func New() *Inbox {
	return &Inbox{}
}

// Send renders m as message.Email or message.SMS would and keeps it. It
// refuses a channel other than email and sms.
func (b *Inbox) Send(ctx context.Context, m login.Message) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("inbox: send: %w", err)
	}
	e := Entry{Channel: string(m.Channel), To: m.To, At: time.Now().UTC()}
	switch m.Channel {
	case login.ChannelEmail:
		e.Subject, e.Text, e.HTML = message.Email(m)
	case login.ChannelSMS:
		e.Text = message.SMS(m)
	default:
		return fmt.Errorf("inbox: send: unknown channel %q", m.Channel)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.entries) == Max {
		copy(b.entries, b.entries[1:])
		b.entries = b.entries[:Max-1]
	}
	b.last++
	e.ID = b.last
	b.entries = append(b.entries, e)
	return nil
}

// Message returns the kept message with that ID.
func (b *Inbox) Message(id int64) (Entry, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, e := range b.entries {
		if e.ID == id {
			return e, true
		}
	}
	return Entry{}, false
}

// Messages returns the kept messages, newest first.
func (b *Inbox) Messages() []Entry {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]Entry, len(b.entries))
	for i, e := range b.entries {
		out[len(out)-1-i] = e
	}
	return out
}
