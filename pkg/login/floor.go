package login

import (
	"context"
	"time"
)

// DefaultRequestFloor is how long a login request takes at least when
// Deps.RequestFloor is zero. It is above what a login request normally
// takes on Lambda with something to send (a DynamoDB Query and
// TransactWriteItems, then an SES or SNS call: together well under
// 300 ms at the 99th percentile), so that nearly every request, known
// identifier or not, answers at the floor and none at the speed of the
// work it did.
const DefaultRequestFloor = 400 * time.Millisecond

// The response-time floor (issue 10, "Requests that look the same").
//
// A login request for a known, an unknown and a disabled identifier must
// not be told apart by how long it takes. Only the known one sends, so
// left alone it is the slow one. Rather than estimate how long a send
// takes (an estimate starts at zero in a new container, so the first
// unknown request would again be fast), every accepted request answers no
// sooner than the floor after it started: "wait until max(floor, work
// done)". Sends still finish before the handler returns, since Lambda
// freezes the container once it has answered.
//
// A request whose work outlasts the floor answers late, and so tells. It
// is logged (without the identifier or address) so that the floor can be
// tuned; a send queue, which takes sends off the request's path, ends
// that case.
//
// Errors answer as soon as they are known, without the floor: a
// rate_limited answer is given for identifier and client-address counts
// that known and unknown identifiers share (the unknown path writes the
// same counters), so it tells nothing either way, and holding a container
// for the floor on every refused request would let a flood occupy the
// function's concurrency at no cost to itself. Internal errors are
// outages, not answers about an identifier.

// requestClock is when a login request started, on the clock its floor is
// measured by.
type requestClock time.Time

// startFloor marks the start of a login request.
func (s *Service) startFloor() requestClock { return requestClock(s.mark()) }

// mark reads the clock the floor is measured by: the monotonic clock with
// the real clock, so that a step of the wall clock neither stretches nor
// cuts the wait; Deps.Clock otherwise, so that tests need no real time.
func (s *Service) mark() time.Time {
	if _, ok := s.d.Clock.(SystemClock); ok {
		return time.Now() // SystemClock.Now is UTC, which drops the monotonic reading
	}
	return s.d.Clock.Now()
}

// requestFloor is the floor in force: Deps.RequestFloor, its default, or
// none.
func (s *Service) requestFloor() time.Duration {
	switch f := s.d.RequestFloor; {
	case f < 0:
		return 0
	case f == 0:
		return DefaultRequestFloor
	default:
		return f
	}
}

// waitFloor waits until the floor has passed since start. sends is how
// many messages the request sent, for the log line of a request that took
// longer than the floor; it names no address.
func (s *Service) waitFloor(ctx context.Context, start requestClock, sends int) {
	floor := s.requestFloor()
	if floor == 0 {
		return
	}
	took := s.mark().Sub(time.Time(start))
	if took >= floor {
		s.d.Logger.WarnContext(ctx, "login request took longer than its response-time floor",
			"took_ms", took.Milliseconds(), "floor_ms", floor.Milliseconds(), "sends", sends)
		return
	}
	s.d.Sleep(ctx, floor-took)
}
