package dynamo

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/portalpass/portalpass/pkg/login"
)

// tenantKeys queries a tenant's API key items on GSI1 (PutAPIKey writes
// gsi1pk TENANT#<t>#KEYS, gsi1sk <created, fixed width>#<id>), in order
// of creation, calling each with every item until it returns false. An
// id, when set, keeps only the key with that id.
func (s *Store) tenantKeys(ctx context.Context, tenantID, id string, each func(item) (bool, error)) error {
	in := &dynamodb.QueryInput{
		TableName:                 s.table,
		IndexName:                 aws.String("GSI1"),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": attrGSI1PK},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": avS(apiKeysGSI1PK(tenantID))},
	}
	return s.queryIndex(ctx, in, func(m item) (bool, error) {
		if id != "" && m.str(attrID) != id {
			return true, nil
		}
		return each(m)
	})
}

// keyHash reads the hash of an API key item from its pk.
func keyHash(m item) ([]byte, error) {
	h, ok := strings.CutPrefix(m.str(attrPK), "APIKEY#")
	if !ok {
		return nil, errors.New("api key item without an APIKEY# key")
	}
	return hex.DecodeString(h)
}

// ListAPIKeys returns a tenant's keys in order of creation, from GSI1
// (eventually consistent: a key made a moment ago may be missing).
func (s *Store) ListAPIKeys(ctx context.Context, tenantID string) ([]login.APIKey, error) {
	var out []login.APIKey
	err := s.tenantKeys(ctx, tenantID, "", func(m item) (bool, error) {
		h, err := keyHash(m)
		if err != nil {
			return false, err
		}
		k, err := apiKeyFrom(h, m)
		out = append(out, k)
		return true, err
	})
	if err != nil {
		return nil, fmt.Errorf("dynamo: list api keys: %w", err)
	}
	return out, nil
}

// RevokeAPIKey marks a tenant's key revoked: a Query of the tenant's keys
// on GSI1 finds its hash, then an UpdateItem sets revoked on the key item
// while it exists and is the tenant's. login.ErrNotFound when the tenant
// has no key with that id.
func (s *Store) RevokeAPIKey(ctx context.Context, tenantID, id string) error {
	var hash []byte
	err := s.tenantKeys(ctx, tenantID, id, func(m item) (bool, error) {
		var err error
		hash, err = keyHash(m)
		return false, err
	})
	if err != nil {
		return fmt.Errorf("dynamo: revoke api key: %w", err)
	}
	if hash == nil {
		return login.ErrNotFound
	}
	_, err = s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 s.table,
		Key:                       key(apiKeyPK(hash), skMeta),
		UpdateExpression:          aws.String("SET #rv = :true"),
		ConditionExpression:       aws.String("attribute_exists(#pk) AND #tid = :tid AND #id = :id"),
		ExpressionAttributeNames:  map[string]string{"#pk": attrPK, "#rv": attrRevoked, "#tid": attrTenantID, "#id": attrID},
		ExpressionAttributeValues: map[string]types.AttributeValue{":true": avBool(true), ":tid": avS(tenantID), ":id": avS(id)},
	})
	if _, ok := isCondFailed(err); ok {
		return login.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("dynamo: revoke api key: %w", err)
	}
	return nil
}

// TouchAPIKey sets the LastUsedAt of the key with that hash in one
// UpdateItem; login.ErrNotFound when there is none.
func (s *Store) TouchAPIKey(ctx context.Context, hash []byte, at time.Time) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 s.table,
		Key:                       key(apiKeyPK(hash), skMeta),
		UpdateExpression:          aws.String("SET #lu = :at"),
		ConditionExpression:       aws.String("attribute_exists(#pk)"),
		ExpressionAttributeNames:  map[string]string{"#pk": attrPK, "#lu": attrLastUsedAt},
		ExpressionAttributeValues: map[string]types.AttributeValue{":at": avTime(at)},
	})
	if _, ok := isCondFailed(err); ok {
		return login.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("dynamo: touch api key: %w", err)
	}
	return nil
}
