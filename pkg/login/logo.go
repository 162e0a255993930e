package login

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
)

// Logo is a tenant's uploaded logo. Its bytes live in an item of their
// own; the tenant item holds only Name (Settings.Logo), so that the read
// every login makes stays small.
type Logo struct {
	// Name is the first 16 hex digits of the SHA-256 of Data and the
	// type's extension ("3f2a9c01b7d4e855.png"): a new image is a new
	// name, so its URL may be cached for ever.
	Name        string
	ContentType string // image/png, image/jpeg or image/webp
	Data        []byte
}

// MaxLogoBytes is the largest logo one may upload (API.md: 100 KiB).
const MaxLogoBytes = 100 << 10

// logoExt is the extension of each logo type; nothing else is a logo.
var logoExt = map[string]string{"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}

var (
	errLogoTooLarge = Errorf(CodeBodyTooLarge, "The logo is larger than 100 KiB.")
	errLogoType     = Errorf(CodeUnsupportedMedia, "The logo must be a PNG, JPEG or WebP image, sent with its Content-Type (image/png, image/jpeg or image/webp).")
	errLogoContent  = Errorf(CodeUnsupportedMedia, "The body is not the image its Content-Type says: the logo must be a well-formed PNG, JPEG or WebP image.")
)

// NewLogo checks an upload and names it: at most MaxLogoBytes
// (body_too_large), of a logo type, and really that image by its content
// (unsupported_media_type). contentType is the bare media type, without
// parameters, as the HTTP layer parsed it.
func NewLogo(contentType string, data []byte) (Logo, error) {
	if len(data) > MaxLogoBytes {
		return Logo{}, errLogoTooLarge
	}
	ct := strings.ToLower(contentType)
	ext, ok := logoExt[ct]
	if !ok {
		return Logo{}, errLogoType
	}
	if !imageIs(ct, data) {
		return Logo{}, errLogoContent
	}
	sum := sha256.Sum256(data)
	return Logo{Name: hex.EncodeToString(sum[:8]) + "." + ext, ContentType: ct, Data: data}, nil
}

// ValidLogoName reports whether name has the form of a logo's name: 16
// lower-case hex digits, a dot and a logo type's extension.
func ValidLogoName(name string) bool {
	h, ext, ok := strings.Cut(name, ".")
	if !ok || len(h) != 16 || (ext != "png" && ext != "jpg" && ext != "webp") {
		return false
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// SetLogo makes an upload the key's tenant's logo (NewLogo's checks) in
// one write under the settings version: the logo's item, the tenant's
// Settings.Logo and version, and the previous logo's item deleted, so a
// settings change made meanwhile can neither undo it nor be undone.
// The change is audited as a settings change, with the logo's name.
func (s *Service) SetLogo(ctx context.Context, k APIKey, contentType string, data []byte, m Meta) (Tenant, error) {
	l, err := NewLogo(contentType, data)
	if err != nil {
		return Tenant{}, err
	}
	return s.changeLogo(ctx, k, &l, m)
}

// RemoveLogo removes the key's tenant's logo, if it has one, as SetLogo
// sets it. Its URL answers 404 from then on.
func (s *Service) RemoveLogo(ctx context.Context, k APIKey, m Meta) (Tenant, error) {
	return s.changeLogo(ctx, k, nil, m)
}

// changeLogo sets l as the tenant's logo, or removes it when l is nil.
func (s *Service) changeLogo(ctx context.Context, k APIKey, l *Logo, m Meta) (Tenant, error) {
	return retryStale(func() (Tenant, error) {
		t, err := s.d.Tenants.GetTenant(ctx, k.TenantID)
		if err != nil {
			return Tenant{}, internal("get tenant", err)
		}
		old, prev := t.Settings.Logo, t.Version
		name, detail := "", "removed"
		if l != nil {
			name, detail = l.Name, l.Name
		}
		if name == old {
			return t, nil // the same image again, or nothing to remove
		}
		if l != nil {
			err = s.d.Tenants.PutLogo(ctx, t.ID, *l, old, prev)
		} else {
			err = s.d.Tenants.DeleteLogo(ctx, t.ID, old, prev)
		}
		if errors.Is(err, ErrStale) {
			return Tenant{}, err
		}
		if err != nil {
			return Tenant{}, internal("change logo", err)
		}
		t.Settings.Logo, t.Version = name, prev+1
		s.forgetTenant(t.ID)
		s.record(ctx, s.event(EventSettingsUpdated, t.ID, "", k.Actor(), m, map[string]string{"logo": detail}))
		return t, nil
	})
}

// Logo returns the tenant's logo named name for GET /logos/{tenant}/{name},
// ErrNotFound for any other name. A container keeps the logos it served
// (logoCache), and serves one from there only while the tenant, as the
// container last read it (at most TenantCacheTTL ago), still names it;
// otherwise it asks the store, which holds only each tenant's current
// logo: a removed or replaced logo is not found.
func (s *Service) Logo(ctx context.Context, tenantID, name string) (Logo, error) {
	if !ValidTenantID(tenantID) || !ValidLogoName(name) {
		return Logo{}, ErrNotFound
	}
	t, err := s.Tenant(ctx, tenantID)
	if errors.Is(err, ErrNotFound) {
		return Logo{}, ErrNotFound
	}
	if err != nil {
		return Logo{}, internal("get tenant", err)
	}
	key := tenantID + "/" + name
	current := t.Settings.Logo == name
	if current {
		if l, ok := s.logos.get(key); ok {
			return l, nil
		}
	}
	l, err := s.d.Tenants.GetLogo(ctx, tenantID, name)
	if errors.Is(err, ErrNotFound) {
		s.logos.drop(key)
		return Logo{}, ErrNotFound
	}
	if err != nil {
		return Logo{}, internal("get logo", err)
	}
	if current {
		s.logos.put(key, l)
	}
	return l, nil
}

// logoCacheBytes bounds the logos a container keeps: about 40 of the
// largest, far more of the usual few kilobytes.
const logoCacheBytes = 4 << 20

// logoCache keeps the logos a container served, least recently used out
// first once they hold more than max bytes. A logo's content never
// changes under its name, so nothing is ever stale: only a removed
// logo must not be served, which Service.Logo sees by the tenant.
type logoCache struct {
	mu    sync.Mutex
	max   int
	size  int
	order *list.List // of *logoEntry, most recent first
	byKey map[string]*list.Element
}

type logoEntry struct {
	key  string
	logo Logo
}

func newLogoCache(max int) *logoCache {
	return &logoCache{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

func (c *logoCache) get(key string) (Logo, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		return Logo{}, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*logoEntry).logo, true
}

func (c *logoCache) put(key string, l Logo) {
	if len(l.Data) > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[key]; ok {
		return
	}
	c.byKey[key] = c.order.PushFront(&logoEntry{key, l})
	c.size += len(l.Data)
	for c.size > c.max {
		c.removeLocked(c.order.Back())
	}
}

func (c *logoCache) drop(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		c.removeLocked(e)
	}
}

func (c *logoCache) removeLocked(e *list.Element) {
	le := c.order.Remove(e).(*logoEntry)
	delete(c.byKey, le.key)
	c.size -= len(le.logo.Data)
}

// len returns how many logos the cache holds (tests).
func (c *logoCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
