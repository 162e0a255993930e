// Command capacity measures what one tenant's logins cost on DynamoDB,
// for issue 9 ("1,000 logins per second for one tenant"): calls, write
// units and read units per flow, the largest item of each kind, and how
// often each partition key of the table and of each index is written
// per login over a burst of logins.
//
// Usage:
//
//	go run ./infra/capacity [-n 100] [-check] [-endpoint URL]
//
// It creates a table on moto_server (the one at -endpoint or
// MOTO_ENDPOINT, else one it starts on a free 127.0.0.1 port and stops
// by PID), reads the table's key, indexes and projections from
// DescribeTable (so it follows a layout change by itself), and wires the
// dev server's handler (httpapi.All over the login service on the
// DynamoDB store, the dev inbox as sender) on a DynamoDB client that
// carries a Meter. One tenant gets n contacts (a name, an email; every
// fourth a phone). The burst is n logins, one per contact, each from its
// own client IP: even contacts log in by link (POST /v1/login/request,
// then POST /v1/login/redeem with the emailed token), odd ones by code
// (request, then POST /v1/login/code with the emailed code; the contacts
// with a phone also get the code by SMS). Then each session is checked
// once (GET /v1/session). Only those requests are metered: the setup and
// one warm-up round of each flow are not, so the figures are a warm
// container's. -check exits 1 when a goal is missed and lists which.
//
// Goals (DESIGN.md, "Performance budget"): at most 16 write units per
// email login (request + redeem), 18 per code login (request + code),
// 2 more when an SMS is sent; at most 2 read units per session check;
// calls: request at most 2 (3 when it sends an SMS), redeem 1, code at
// most 2, session 1; no partition key of the table or of an index
// written more than 0.5 times per login on average; the contact item
// under 1 KB.
//
// # Billing rules
//
// From the Amazon DynamoDB Developer Guide ("DynamoDB item sizes and
// formats", "Read/write capacity mode", "Managing capacity settings for
// DynamoDB transactions", "Provisioned throughput considerations for
// global secondary indexes"):
//
//   - Item size: the sum over attributes of the name's UTF-8 length plus
//     the value's size. S: UTF-8 bytes. N: about 1 byte per 2 significant
//     digits, plus 1. B: raw bytes. BOOL, NULL: 1. Sets: the sum of their
//     elements. M, L: 3 bytes, plus per element 1 byte, its size and (M)
//     its name.
//   - Write units: ceil(size / 1 KB), at least 1, of the larger of the
//     item's old and new images, for PutItem, UpdateItem and DeleteItem
//     (failed conditional writes are billed too). In TransactWriteItems
//     each Put, Update and Delete costs twice that, and a ConditionCheck
//     costs twice the checked item's size.
//   - Indexes: a write changes an index only when the old or new image
//     carries the index's key attributes. An entry whose key stays and
//     whose projected attributes (or key) do not change costs nothing;
//     one whose projected attributes change is one write of
//     ceil(projected entry / 1 KB); one that appears, goes or changes its
//     key is a put of the new entry and a delete of the old. An entry is
//     the table's key, the index key and the projected attributes (ALL:
//     the item). Index writes are not doubled inside a transaction (an
//     assumption: the guide doubles the transactional table write).
//   - Read units: ceil(size / 4 KB), at least 1, strongly consistent;
//     half for eventually consistent (every index read); twice in
//     TransactGetItems. BatchGetItem rounds each item; Query and Scan sum
//     the items read (index entries from an index) and round once.
//
// # Approximations
//
// A client middleware sees inputs, not the stored items. For every item
// a write touches, the Meter reads the item before and after the call
// with a separate, un-instrumented client (consistent GetItem) and bills
// from those images; every item a read returned is read back in full
// the same way (a ProjectionExpression does not lower the bill). This is
// exact while one request runs at a time, as here. Items a Query's
// filter dropped are not seen (the report notes it); numbers use the
// guide's approximate size; the 100 bytes of per-item storage overhead
// are storage, not throughput, and are left out. The Meter counts one
// call per API operation (retries are not counted: moto does not
// throttle). The tenant-settings cache is kept for the whole run: its
// once-a-minute re-read per container is not part of a login.
//
// The dev server (infra/devserver/server) takes endpoints, not a client,
// so Run repeats its few lines of wiring with the metered client.
package main
