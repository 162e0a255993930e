package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/portalpass/portalpass/pkg/login"
)

// A tenant's logo is an item of its own beside the tenant item, so that
// the tenant item every login reads stays small: TENANT#t / LOGO#name.
const (
	attrContentType = "contentType"
	attrData        = "data"
)

func logoSK(name string) string { return "LOGO#" + name }

// PutLogo makes logo the tenant's logo in one transaction: the logo's
// item put, the replaced logo's item deleted, and the tenant item's logo
// and version set on the condition that its version is still prev
// (login.ErrStale otherwise), so that a settings PATCH racing it fails
// its own condition instead of writing the old logo name back.
func (s *Store) PutLogo(ctx context.Context, tenantID string, logo login.Logo, old string, prev int64) error {
	t := newTx(3)
	m := item{attrPK: avS(tenantPK(tenantID)), attrSK: avS(logoSK(logo.Name)), attrContentType: avS(logo.ContentType)}
	m.setB(attrData, logo.Data)
	s.txPut(t, m)
	if old != "" && old != logo.Name {
		s.txDeleteLogo(t, tenantID, old)
	}
	s.txTenantLogo(t, tenantID, logo.Name, prev)
	// No counters and no consumed item: the time is not read.
	return s.run(ctx, "put logo", t, time.Time{}, nil, nil)
}

// DeleteLogo removes the tenant's logo old as PutLogo replaces it.
func (s *Store) DeleteLogo(ctx context.Context, tenantID, old string, prev int64) error {
	t := newTx(2)
	if old != "" {
		s.txDeleteLogo(t, tenantID, old)
	}
	s.txTenantLogo(t, tenantID, "", prev)
	// No counters and no consumed item: the time is not read.
	return s.run(ctx, "delete logo", t, time.Time{}, nil, nil)
}

func (s *Store) txDeleteLogo(t *tx, tenantID, name string) {
	t.add(types.TransactWriteItem{Delete: &types.Delete{
		TableName: s.table, Key: key(tenantPK(tenantID), logoSK(name)),
	}}, roleNone, 0)
}

// txTenantLogo sets the tenant item's logo name ("" removes it) and
// bumps its version, on the condition that the version is still prev.
func (s *Store) txTenantLogo(t *tx, tenantID, name string, prev int64) {
	u := newUpdate()
	u.setS(attrLogo, name)
	u.set(attrVersion, avInt(prev+1))
	u.values[":prev"] = avInt(prev)
	t.add(types.TransactWriteItem{Update: &types.Update{
		TableName:                 s.table,
		Key:                       key(tenantPK(tenantID), skMeta),
		UpdateExpression:          aws.String(u.expr()),
		ConditionExpression:       aws.String("#version = :prev"),
		ExpressionAttributeNames:  u.names,
		ExpressionAttributeValues: u.values,
	}}, roleStale, 0)
}

// GetLogo returns the tenant's logo of that name (read consistently) or
// login.ErrNotFound.
func (s *Store) GetLogo(ctx context.Context, tenantID, name string) (login.Logo, error) {
	m, err := s.get(ctx, tenantPK(tenantID), logoSK(name))
	if err != nil {
		return login.Logo{}, fmt.Errorf("dynamo: get logo: %w", err)
	}
	if m == nil {
		return login.Logo{}, login.ErrNotFound
	}
	return login.Logo{Name: name, ContentType: m.str(attrContentType), Data: m.bin(attrData)}, nil
}
