package login

// LinkShape reports, from a login link's token alone and without any
// read, whether it is shaped like a login link at all (ok), and whether
// it is the link of a login for several tenants (the picker comes after
// it). Pages use it to tell a link that was never valid (mangled, cut
// short, made up) from one that is no longer valid, and to word the
// continue page; the stored hash, not this, decides whether a link works.
func LinkShape(token string) (ok, severalTenants bool) {
	t, ok := parseToken(token)
	switch {
	case !ok:
		return false, false
	case t.kind == kindLink || t.kind == kindShort:
		return true, false
	case t.kind == kindMulti || t.kind == kindShortMulti:
		return true, true
	}
	return false, false
}
