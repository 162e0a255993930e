package dynamo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/portalpass/portalpass/pkg/login"
)

// CreateTenant stores a new tenant; login.ErrConflict when the id is taken.
func (s *Store) CreateTenant(ctx context.Context, t login.Tenant) error {
	_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                s.table,
		Item:                     tenantItem(t),
		ConditionExpression:      aws.String("attribute_not_exists(#pk)"),
		ExpressionAttributeNames: namesPK,
	})
	if _, ok := isCondFailed(err); ok {
		return login.ErrConflict
	}
	if err != nil {
		return fmt.Errorf("dynamo: create tenant: %w", err)
	}
	return nil
}

// GetTenant returns a tenant (read consistently) or login.ErrNotFound.
func (s *Store) GetTenant(ctx context.Context, id string) (login.Tenant, error) {
	m, err := s.get(ctx, tenantPK(id), skMeta)
	if err != nil {
		return login.Tenant{}, fmt.Errorf("dynamo: get tenant: %w", err)
	}
	if m == nil {
		return login.Tenant{}, login.ErrNotFound
	}
	t, err := tenantFrom(m)
	if err != nil {
		return login.Tenant{}, fmt.Errorf("dynamo: get tenant: %w", err)
	}
	return t, nil
}

// UpdateTenant stores t if the stored version is still prev; else
// login.ErrStale (also when there is no such tenant).
func (s *Store) UpdateTenant(ctx context.Context, t login.Tenant, prev int64) error {
	_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                 s.table,
		Item:                      tenantItem(t),
		ConditionExpression:       aws.String("#v = :prev"),
		ExpressionAttributeNames:  map[string]string{"#v": attrVersion},
		ExpressionAttributeValues: map[string]types.AttributeValue{":prev": avInt(prev)},
	})
	if _, ok := isCondFailed(err); ok {
		return login.ErrStale
	}
	if err != nil {
		return fmt.Errorf("dynamo: update tenant: %w", err)
	}
	return nil
}

// ListTenants returns every tenant, by id. It queries GSI1, so a tenant
// created a moment ago may be missing (operator tooling only).
func (s *Store) ListTenants(ctx context.Context) ([]login.Tenant, error) {
	var out []login.Tenant
	err := s.queryIndex(ctx, &dynamodb.QueryInput{
		TableName:                 s.table,
		IndexName:                 aws.String("GSI1"),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": attrGSI1PK},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": avS(tenantsGSI1PK)},
	}, func(m item) (bool, error) {
		t, err := tenantFrom(m)
		out = append(out, t)
		return true, err
	})
	if err != nil {
		return nil, fmt.Errorf("dynamo: list tenants: %w", err)
	}
	return out, nil
}

// PutAPIKey stores a new key; login.ErrConflict when the hash exists.
func (s *Store) PutAPIKey(ctx context.Context, k login.APIKey) error {
	_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                s.table,
		Item:                     apiKeyItem(k),
		ConditionExpression:      aws.String("attribute_not_exists(#pk)"),
		ExpressionAttributeNames: namesPK,
	})
	if _, ok := isCondFailed(err); ok {
		return login.ErrConflict
	}
	if err != nil {
		return fmt.Errorf("dynamo: put api key: %w", err)
	}
	return nil
}

// GetAPIKey returns the key with that hash (read consistently) or
// login.ErrNotFound.
func (s *Store) GetAPIKey(ctx context.Context, hash []byte) (login.APIKey, error) {
	m, err := s.get(ctx, apiKeyPK(hash), skMeta)
	if err != nil {
		return login.APIKey{}, fmt.Errorf("dynamo: get api key: %w", err)
	}
	if m == nil {
		return login.APIKey{}, login.ErrNotFound
	}
	k, err := apiKeyFrom(hash, m)
	if err != nil {
		return login.APIKey{}, fmt.Errorf("dynamo: get api key: %w", err)
	}
	return k, nil
}

// get reads one item consistently; nil when it does not exist.
func (s *Store) get(ctx context.Context, pk, sk string) (item, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      s.table,
		Key:            key(pk, sk),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, err
	}
	if len(out.Item) == 0 {
		return nil, nil
	}
	return out.Item, nil
}
