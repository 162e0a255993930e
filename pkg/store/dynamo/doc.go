// Package dynamo is the login.Store (every role of it) on one DynamoDB
// table.
//
// Every write method is one DynamoDB call: a conditional PutItem,
// UpdateItem or DeleteItem, or one TransactWriteItems of at most 100
// items. The exceptions read first or write more: RevokeSessions and
// RevokeActionLinks by ref query what they revoke (and write beyond one
// transaction's worth in further ones), RevokeAPIKey finds the key by
// id, and RevokeActionLinks by id needs a second transaction only for a
// link already dead. Single use rests on those conditions: a redeem
// consumes its slot, several-tenant attempt or picker with an update or
// delete that holds only while the item still carries the token's hash
// and has not expired, in the same transaction that creates the session.
// The old item returned with a failed condition
// (ReturnValuesOnConditionCheckFailure ALL_OLD) tells an expired link from
// an unknown or used one. A transaction cancelled only by conflicts with
// other transactions wrote nothing and is sent again (at most 3 calls).
//
// # Layout, version 2
//
// The table has the key pk (S, HASH) / sk (S, RANGE), the global secondary
// indexes GSI1, GSI2 and GSI3 (gsiNpk, gsiNsk), which project only keys,
// and TTL on expiresAt; CreateTable makes it (LayoutVersion names it).
// Items:
//
//	tenant      TENANT#<t> / META              gsi1pk TENANTS, gsi1sk <t> (ListTenants)
//	contact     CONTACT#<t>#<c> / META         slots in maps login, link; gsi1 by name, gsi2 by email, gsi3 by id
//	identifier  IDENT#<h> / TENANT#<t>         a copy of the contact, the login mirror, hosted counters
//	            IDENT#<h> / MULTI              the several-tenant attempt
//	            IDENT#<h> / RATE#<key>         the identifier's counters
//	counter     RATE#<subject> / <key>         other counters
//	session     SESSION#<t>#<c> / <hex hash>
//	picker      PICKER#<hex hash> / META
//	api key     APIKEY#<hex hash> / META       gsi1pk TENANT#<t>#KEYS, gsi1sk <created, fixed width>#<id>
//	action link ACTION#<t>#<id> / META         gsi1pk TENANT#<t>#REF#<ref>, gsi1sk <id> (with a ref)
//	audit       TENANT#<t>#AUDIT#<00..15> / login.EventSortKey of its first event
//	                                           gsi1pk TENANT#<t>#AUDIT#C#<c> (audit.go)
//	layout      LAYOUT / META                  version: the layout the items follow (layout.go)
//
// where h is login.IdentHash of the identifier key: no address is a key,
// and tokens, sessions and keys appear only as hashes. Listings by name,
// email, id, API key and ref query the GSIs, which are eventually
// consistent, and then read the items they name with BatchGetItem;
// everything a login depends on is read or conditioned on the table
// itself. Every store write to a contact adds one to its version.
//
// Hot keys: DynamoDB gives one partition key about 1,000 write units a
// second, and a tenant's burst of logins must not meet that limit. A
// login writes its contact (a partition per contact), its identifier's
// items, its client address's counter, a session (a partition per
// contact) and audit records spread over 16 shards of the tenant's log.
// It writes no tenant item (logins trust the cached settings) and no index
// (its updates change no index key, and the indexes project nothing else).
// The key of every index that a login's items carry is per contact.
//
// SMS counters (API.md, "SMS protection"): the number's counter,
// IDENT#<h of phone:+…> / RATE#sms#<window>, is one item per number and
// 15 minutes, bumped in the login's transaction with its limit as the
// condition (2 write units); the tenant's hour is split over up to 10
// shards, RATE#smst:<t>#<shard> / h#<hour>, of which each SMS bumps one
// drawn at random with a conditional UpdateItem of its own before the
// transaction (AddCounter: 1 write unit, no read). An SMS so adds 3 write
// units, against the 2 of issue 9's goal, and 2 is out of reach while the
// number's ceiling stays exact within a request's three calls: every SMS
// to a number, whichever identifier or tenant asked, must bump an item
// whose condition sees all of that number's SMS, that is one
// tenant-independent item per number, since a login by email reads
// nothing of the number's partition (a condition sees one item; a
// ConditionCheck on another costs 2). No item a login writes anyway is
// that item: the identifier items it writes are per identifier and
// tenant (hosting the count there, as the send counter is hosted, splits
// it over tenants and misses the SMS sent for email logins). So each SMS
// writes two items a login would not, the number's and a shard of the
// tenant's; only one of them fits in the one call outside the
// transaction (1), the other goes in the transaction (2). A phone login
// reads its number's counter with its identifier and spends nothing on an
// SMS whose number is full; an email login finds out from its
// transaction, which fails, and writes again without the SMS (a fourth
// call, only at the number's ceiling).
//
// Times are exact epoch seconds, with a decimal fraction down to the
// nanosecond when they have one ("1700000000.25"); durations likewise. A
// top-level expiresAt, the TTL attribute, is whole seconds rounded up; the
// exact expiry beside it, exp, is what conditions compare and reads
// return (in slot maps expiresAt itself is exact). Expiry is always
// checked in the conditions and by the caller, never left to TTL.
package dynamo
