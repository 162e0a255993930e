// Command timing checks that POST /v1/login/request answers a known, an
// unknown and a disabled identifier in the same time (issue 10, "Requests
// that look the same"), from a process's first request on.
//
// Usage:
//
//	go run ./infra/timing [-n 100] [-procs 30] [-floor 50ms] [-moto-floor 750ms] [-bound 0.10] [-no-moto] [-check]
//
// It measures, from an HTTP client in this process:
//
//   - embedded: the dev server in-process on the embedded store and the
//     dev inbox, n requests per kind, interleaved (known, unknown,
//     disabled, then the next round in a rotated order);
//   - moto: the same with DynamoDB, SES and SNS on moto_server (started on
//     a free 127.0.0.1 port and stopped by its PID when MOTO_ENDPOINT is
//     unset);
//   - first: the first login request of procs fresh processes per kind,
//     each this program's own binary started again as a child that starts
//     a dev server on the embedded store, makes its one contact through
//     the admin API (the same calls for every kind) and times one login
//     request.
//
// Every request is for an identifier of its own; the dev servers run with
// relaxed rate limits, so no request meets one (all are from 127.0.0.1).
// A known identifier is an invited contact, a disabled one a contact whose
// portal access was then set to disabled, an unknown one is on file
// nowhere (another address is invited for it, so that every kind makes
// the same admin calls first).
//
// It prints the median and p90 per kind, how many requests were late (over
// 10% beyond the floor: their work outlasted it) and whether the medians
// are within bound of each other (the slowest median over the fastest,
// minus one).
// With -check it exits 1 when a measurement is outside the bound.
package main
