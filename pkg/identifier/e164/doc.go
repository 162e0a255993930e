// Package e164 validates phone numbers the way libphonenumber does
// (phonenumbers.IsValidNumber on a number parsed in international format)
// and returns them in E.164 form, without the library at run time.
//
// The library parses all its metadata at start-up (tens of milliseconds,
// megabytes of binary), which a Lambda cold start cannot afford. Instead,
// tables.go holds the few facts validation reads, generated from the
// library's metadata by go generate (./internal/gen): per country calling
// code, the national prefix rules of its main region and, per region, its
// leading digits, its number patterns and their possible lengths. All of it
// is constant data: nothing runs at init. Each regular expression is
// compiled the first time a number needs it, once per process.
package e164
