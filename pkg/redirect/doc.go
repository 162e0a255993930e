// Package redirect checks the redirect paths that login requests and links
// carry, and joins them to a tenant's portal URL (API.md, DESIGN.md).
//
// A redirect is a path inside the portal: a single leading /, no scheme, no
// //, no backslash, no encoded slash or backslash, no control characters
// or whitespace, and no .. segment that climbs above the portal's path.
// Join builds the final URL only from the tenant's portal URL and checks
// that the result stays on it.
//
// Errors are *login.Error values with login.CodeInvalidRequest and a
// message naming the problem; a bad stored portal URL given to Join is
// login.CodeInternal.
package redirect
