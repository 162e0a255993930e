package dynamo

import (
	"encoding/hex"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/portalpass/portalpass/pkg/login"
)

// This file turns login values into items and back.

func tenantItem(t login.Tenant) item {
	s := t.Settings
	m := make(item, 20)
	m[attrPK] = avS(tenantPK(t.ID))
	m[attrSK] = avS(skMeta)
	m[attrGSI1PK] = avS(tenantsGSI1PK)
	m[attrGSI1SK] = avS(t.ID)
	m.setS(attrName, t.Name)
	m[attrVersion] = avInt(t.Version)
	m.setTime(attrCreatedAt, t.CreatedAt)
	m.setS(attrPortalURL, s.PortalURL)
	m[attrLinkTTL] = avN(fmtDuration(s.LinkTTL))
	m[attrInviteTTL] = avN(fmtDuration(s.InviteTTL))
	m[attrRecoveryTTL] = avN(fmtDuration(s.RecoveryTTL))
	m[attrSessionTTL] = avN(fmtDuration(s.SessionTTL))
	m[attrCodeLength] = avInt(int64(s.CodeLength))
	m[attrCodeBySMS] = avBool(s.CodeAlsoBySMS)
	m[attrSMSLogin] = avBool(s.SMSLogin)
	m.setS(attrSenderName, s.SenderName)
	m.setS(attrIntegration, s.PortalIntegration)
	m.setS(attrCookieDomain, s.CookieDomain)
	m.setS(attrSMSCountries, s.SMSCountries)
	m[attrSMSPerHour] = avInt(int64(s.SMSPerHour))
	m[attrSMSLink] = avBool(s.SMSLink)
	m.setS(attrLocales, s.Locales)
	m.setS(attrBrandColor, s.BrandColor)
	m.setS(attrSupportEmail, s.SupportEmail)
	m.setS(attrSupportURL, s.SupportURL)
	m.setS(attrLogo, s.Logo)
	return m
}

func tenantFrom(m item) (login.Tenant, error) {
	var t login.Tenant
	var errs [9]error
	t.ID, _ = strings.CutPrefix(m.str(attrPK), "TENANT#")
	t.Name = m.str(attrName)
	t.Version, errs[0] = m.int(attrVersion)
	t.CreatedAt, errs[1] = m.time(attrCreatedAt)
	s := &t.Settings
	s.PortalURL = m.str(attrPortalURL)
	s.LinkTTL, errs[2] = m.duration(attrLinkTTL)
	s.InviteTTL, errs[3] = m.duration(attrInviteTTL)
	s.RecoveryTTL, errs[4] = m.duration(attrRecoveryTTL)
	s.SessionTTL, errs[5] = m.duration(attrSessionTTL)
	var n int64
	n, errs[6] = m.int(attrCodeLength)
	s.CodeLength = int(n)
	s.CodeAlsoBySMS = m.boolean(attrCodeBySMS)
	s.SMSLogin = m.boolean(attrSMSLogin)
	s.SenderName = m.str(attrSenderName)
	s.PortalIntegration = m.str(attrIntegration)
	s.CookieDomain = m.str(attrCookieDomain)
	s.SMSCountries = m.str(attrSMSCountries)
	s.Locales = m.str(attrLocales)
	s.BrandColor = m.str(attrBrandColor)
	s.SupportEmail = m.str(attrSupportEmail)
	s.SupportURL = m.str(attrSupportURL)
	s.Logo = m.str(attrLogo)
	// A tenant stored before smsPerHour existed has the default.
	s.SMSPerHour = login.DefaultSMSPerHour
	if _, ok := m[attrSMSPerHour]; ok {
		n, errs[8] = m.int(attrSMSPerHour)
		s.SMSPerHour = int(n)
	}
	// So has one stored before smsLink existed: true.
	s.SMSLink = true
	if _, ok := m[attrSMSLink]; ok {
		s.SMSLink = m.boolean(attrSMSLink)
	}
	return t, errors.Join(errs[:]...)
}

func slotAV(s *login.Slot) types.AttributeValue {
	m := make(item, 8)
	m.setB(attrTokenHash, s.TokenHash)
	m.setB(attrCodeHash, s.CodeHash)
	m.setB(attrCodeSalt, s.CodeSalt)
	m[attrTriesLeft] = avInt(int64(s.TriesLeft))
	m[attrExpiresAt] = avTime(s.ExpiresAt)
	m[attrMulti] = avBool(s.Multi)
	m.setB(attrRequestHash, s.RequestHash)
	m.setS(attrChallenge, s.CodeChallenge)
	m.setS(attrRedirect, s.Redirect)
	m.setB(attrConsumedBy, s.ConsumedBy)
	m.setB(attrConsumedReq, s.ConsumedRequest)
	if s.ExceptionUsed {
		m[attrExcUsed] = valTrue
	}
	return &types.AttributeValueMemberM{Value: m}
}

// slotFrom reads a slot map; nil when there is none.
func slotFrom(m item) (*login.Slot, error) {
	if m == nil {
		return nil, nil
	}
	s := &login.Slot{
		TokenHash:       m.bin(attrTokenHash),
		CodeHash:        m.bin(attrCodeHash),
		CodeSalt:        m.bin(attrCodeSalt),
		Multi:           m.boolean(attrMulti),
		RequestHash:     m.bin(attrRequestHash),
		CodeChallenge:   m.str(attrChallenge),
		Redirect:        m.str(attrRedirect),
		ConsumedBy:      m.bin(attrConsumedBy),
		ConsumedRequest: m.bin(attrConsumedReq),
		ExceptionUsed:   m.boolean(attrExcUsed),
	}
	tries, err1 := m.int(attrTriesLeft)
	s.TriesLeft = int(tries)
	var err2 error
	s.ExpiresAt, err2 = m.time(attrExpiresAt)
	return s, errors.Join(err1, err2)
}

func contactItem(c login.Contact) item {
	m := make(item, 20)
	m[attrPK] = avS(contactPK(c.TenantID, c.ID))
	m[attrSK] = avS(skMeta)
	m[attrGSI3PK] = avS(contactsGSI3PK(c.TenantID))
	m[attrGSI3SK] = avS(c.ID)
	m.setS(attrTenantID, c.TenantID)
	m.setS(attrContactID, c.ID)
	m.setS(attrEmail, c.Email)
	m.setS(attrPhone, c.Phone)
	m.setS(attrName, c.Name)
	m.setS(attrLocale, c.Locale)
	m.setS(attrAccess, string(c.Access))
	m.setTime(attrCreatedAt, c.CreatedAt)
	m.setTime(attrUpdatedAt, c.UpdatedAt)
	m.setTime(attrLastLoginAt, c.LastLoginAt)
	m.setTime(attrNotBefore, c.SessionsNotBefore)
	m[attrVersion] = avInt(c.Version)
	if c.Login != nil {
		m[attrLogin] = slotAV(c.Login)
	}
	if c.Link != nil {
		m[attrLink] = slotAV(c.Link)
	}
	if c.Name != "" {
		m[attrGSI1PK] = avS(nameGSI1PK(c.TenantID))
		m[attrGSI1SK] = avS(nameGSI1SK(c.Name, c.ID))
	}
	if c.Email != "" {
		m[attrGSI2PK] = avS(emailGSI2PK(c.TenantID))
		m[attrGSI2SK] = avS(c.Email)
	}
	return m
}

func nameGSI1SK(name, id string) string { return strings.ToLower(name) + "#" + id }

func contactFrom(m item) (login.Contact, error) {
	var c login.Contact
	var errs [9]error
	c.TenantID = m.str(attrTenantID)
	c.ID = m.str(attrContactID)
	c.Email = m.str(attrEmail)
	c.Phone = m.str(attrPhone)
	c.Name = m.str(attrName)
	c.Locale = m.str(attrLocale)
	c.Access = login.Access(m.str(attrAccess))
	c.CreatedAt, errs[0] = m.time(attrCreatedAt)
	c.UpdatedAt, errs[1] = m.time(attrUpdatedAt)
	c.LastLoginAt, errs[2] = m.time(attrLastLoginAt)
	c.SessionsNotBefore, errs[3] = m.time(attrNotBefore)
	c.Version, errs[4] = m.int(attrVersion)
	c.Login, errs[5] = slotFrom(m.sub(attrLogin))
	c.Link, errs[6] = slotFrom(m.sub(attrLink))
	return c, errors.Join(errs[:]...)
}

// identItem is the identifier item of a contact (without a login mirror).
func identItem(identKey string, c login.Contact) item {
	m := make(item, 8)
	m[attrPK] = avS(identKeyPK(identKey))
	m[attrSK] = avS(identTenantSK(c.TenantID))
	m[attrContactID] = avS(c.ID)
	m.setS(attrAccess, string(c.Access))
	m.setS(attrEmail, c.Email)
	m.setS(attrPhone, c.Phone)
	m.setS(attrName, c.Name)
	return m
}

func matchFrom(m item) (login.IdentityMatch, error) {
	var x login.IdentityMatch
	x.TenantID, _ = strings.CutPrefix(m.str(attrSK), "TENANT#")
	x.ContactID = m.str(attrContactID)
	x.Access = login.Access(m.str(attrAccess))
	x.Email = m.str(attrEmail)
	x.Phone = m.str(attrPhone)
	x.Name = m.str(attrName)
	if r := m.sub(attrRate); len(r) > 0 {
		x.Counters = make(map[string]int, len(r))
		for k := range r {
			n, err := r.int(k)
			if err != nil {
				return x, err
			}
			x.Counters[k] = int(n)
		}
	}
	var err error
	x.Login, err = slotFrom(m.sub(attrLogin))
	return x, err
}

func targetsAV(ts []login.Target) types.AttributeValue {
	l := make([]types.AttributeValue, len(ts))
	for i, t := range ts {
		l[i] = &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{
			attrTenantID: avS(t.TenantID), attrContactID: avS(t.ContactID),
		}}
	}
	return &types.AttributeValueMemberL{Value: l}
}

func targetsFrom(av types.AttributeValue) []login.Target {
	l, ok := av.(*types.AttributeValueMemberL)
	if !ok {
		return nil
	}
	out := make([]login.Target, 0, len(l.Value))
	for _, v := range l.Value {
		if m, ok := v.(*types.AttributeValueMemberM); ok {
			out = append(out, login.Target{TenantID: item(m.Value).str(attrTenantID), ContactID: item(m.Value).str(attrContactID)})
		}
	}
	return out
}

func multiItem(a *login.MultiAttempt) item {
	m := make(item, 12)
	m[attrPK] = avS(identKeyPK(a.IdentKey))
	m[attrSK] = avS(skMulti)
	m[attrIdentKey] = avS(a.IdentKey)
	m.setB(attrTokenHash, a.TokenHash)
	m.setB(attrCodeHash, a.CodeHash)
	m.setB(attrCodeSalt, a.CodeSalt)
	m[attrTriesLeft] = avInt(int64(a.TriesLeft))
	m.setExpiry(a.ExpiresAt)
	m[attrTargets] = targetsAV(a.Targets)
	m.setB(attrRequestHash, a.RequestHash)
	m.setS(attrChallenge, a.CodeChallenge)
	m.setS(attrRedirect, a.Redirect)
	m.setB(attrConsumedBy, a.ConsumedBy)
	m.setB(attrConsumedReq, a.ConsumedRequest)
	if a.ExceptionUsed {
		m[attrExcUsed] = valTrue
	}
	return m
}

func multiFrom(m item) (*login.MultiAttempt, error) {
	a := &login.MultiAttempt{
		IdentKey:        m.str(attrIdentKey),
		TokenHash:       m.bin(attrTokenHash),
		CodeHash:        m.bin(attrCodeHash),
		CodeSalt:        m.bin(attrCodeSalt),
		Targets:         targetsFrom(m[attrTargets]),
		RequestHash:     m.bin(attrRequestHash),
		CodeChallenge:   m.str(attrChallenge),
		Redirect:        m.str(attrRedirect),
		ConsumedBy:      m.bin(attrConsumedBy),
		ConsumedRequest: m.bin(attrConsumedReq),
		ExceptionUsed:   m.boolean(attrExcUsed),
	}
	tries, err1 := m.int(attrTriesLeft)
	a.TriesLeft = int(tries)
	var err2 error
	a.ExpiresAt, err2 = m.expiry()
	return a, errors.Join(err1, err2)
}

func pickerItem(p *login.Picker) item {
	m := make(item, 12)
	m[attrPK] = avS(pickerPK(p.Hash))
	m[attrSK] = avS(skMeta)
	m[attrTargets] = targetsAV(p.Targets)
	m.setS(attrVia, p.Via)
	m.setS(attrRedirect, p.Redirect)
	m.setTime(attrCreatedAt, p.CreatedAt)
	m.setExpiry(p.ExpiresAt)
	m.setS(attrAttempt, p.Attempt)
	m.setS(attrChallenge, p.CodeChallenge)
	return m
}

func pickerFrom(hash []byte, m item) (login.Picker, error) {
	p := login.Picker{
		Hash:          hash,
		Targets:       targetsFrom(m[attrTargets]),
		Via:           m.str(attrVia),
		Redirect:      m.str(attrRedirect),
		Attempt:       m.str(attrAttempt),
		CodeChallenge: m.str(attrChallenge),
	}
	var err1, err2 error
	p.CreatedAt, err1 = m.time(attrCreatedAt)
	p.ExpiresAt, err2 = m.expiry()
	return p, errors.Join(err1, err2)
}

func sessionItem(s *login.Session) item {
	m := make(item, 6)
	m[attrPK] = avS(sessionPK(s.TenantID, s.ContactID))
	m[attrSK] = avS(hex.EncodeToString(s.Hash))
	m.setTime(attrCreatedAt, s.CreatedAt)
	m.setExpiry(s.ExpiresAt)
	m.setS(attrVia, s.Via)
	return m
}

func sessionFrom(tenantID, contactID string, hash []byte, m item) (login.Session, error) {
	s := login.Session{TenantID: tenantID, ContactID: contactID, Hash: hash, Via: m.str(attrVia)}
	var err1, err2 error
	s.CreatedAt, err1 = m.time(attrCreatedAt)
	s.ExpiresAt, err2 = m.expiry()
	return s, errors.Join(err1, err2)
}

func apiKeyItem(k login.APIKey) item {
	m := make(item, 8)
	m[attrPK] = avS(apiKeyPK(k.Hash))
	m[attrSK] = avS(skMeta)
	m[attrGSI1PK] = avS(apiKeysGSI1PK(k.TenantID))
	m[attrGSI1SK] = avS(k.CreatedAt.UTC().Format(auditTimeLayout) + "#" + k.ID)
	m.setS(attrID, k.ID)
	m.setS(attrTenantID, k.TenantID)
	m.setS(attrName, k.Name)
	m.setTime(attrCreatedAt, k.CreatedAt)
	m.setTime(attrLastUsedAt, k.LastUsedAt)
	m[attrRevoked] = avBool(k.Revoked)
	return m
}

func apiKeyFrom(hash []byte, m item) (login.APIKey, error) {
	k := login.APIKey{
		Hash: hash, ID: m.str(attrID), TenantID: m.str(attrTenantID),
		Name: m.str(attrName), Revoked: m.boolean(attrRevoked),
	}
	var err1, err2 error
	k.CreatedAt, err1 = m.time(attrCreatedAt)
	k.LastUsedAt, err2 = m.time(attrLastUsedAt)
	return k, errors.Join(err1, err2)
}
