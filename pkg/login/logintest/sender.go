package logintest

import (
	"context"
	"sync"

	"github.com/portalpass/portalpass/pkg/login"
)

// Sender is a fake login.Sender that records what it accepts, safe for
// concurrent use. Its zero value is ready to use.
type Sender struct {
	// Fail, when not nil, is returned by Send, which then records
	// nothing. Set it before sends start, or use SetFail while they run.
	Fail error

	mu   sync.Mutex
	msgs []login.Message
}

// Send records m, or returns Fail or ctx's error without recording it.
func (s *Sender) Send(ctx context.Context, m login.Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Fail != nil {
		return s.Fail
	}
	s.msgs = append(s.msgs, m)
	return nil
}

// SetFail sets Fail under the Sender's lock, for tests that change it
// while sends may run.
func (s *Sender) SetFail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Fail = err
}

// Messages returns a copy of the messages sent so far, oldest first.
func (s *Sender) Messages() []login.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]login.Message(nil), s.msgs...)
}

// Last returns the latest message sent, or the zero Message when none was.
func (s *Sender) Last() login.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.msgs) == 0 {
		return login.Message{}
	}
	return s.msgs[len(s.msgs)-1]
}

// Reset forgets the messages sent so far.
func (s *Sender) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = nil
}

var (
	_ login.Sender = (*Sender)(nil)
	_ login.Clock  = (*Clock)(nil)
)
