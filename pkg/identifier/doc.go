// Package identifier parses and normalises the identifiers customers log in
// with: an email address or a phone number.
//
// Parsing is strict (DESIGN.md, security rules): one address, no lists, no
// display names, no CR/LF or invisible characters and no look-alike @ signs.
// An email address is normalised to Unicode NFC with its domain converted to
// ASCII by IDNA, and the whole address lower-cased; a phone number is
// normalised to E.164. Parse returns the core's login.Identifier, whose Key
// is the one string that names an identifier everywhere: in store lookups
// and in rate limits.
//
// Every error is a *login.Error with login.CodeInvalidIdentifier and a
// message for people; its cause, for logs only, never repeats the input.
package identifier
