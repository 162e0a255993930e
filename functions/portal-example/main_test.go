package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func TestMe(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "events", "portal-example", "me.json"))
	if err != nil {
		t.Fatal(err)
	}
	var withCtx map[string]any
	if err := json.Unmarshal(b, &withCtx); err != nil {
		t.Fatal(err)
	}
	without := map[string]any{}
	_ = json.Unmarshal(b, &without)
	delete(without["requestContext"].(map[string]any), "authorizer")
	tests := []struct {
		name   string
		ev     map[string]any
		status int
		want   string
	}{
		{"behind the authorizer", withCtx, http.StatusOK, `{"tenantId":"acme","contactId":"CONTACT","via":"link"}`},
		{"without it", without, http.StatusUnauthorized, `{"error":{"code":"unauthorized","message":"This route needs a session checked by the authorizer."}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload, _ := json.Marshal(tt.ev)
			out, err := lambda.NewHandler(handle).Invoke(context.Background(), payload)
			if err != nil {
				t.Fatal(err)
			}
			var resp events.APIGatewayV2HTTPResponse
			if err := json.Unmarshal(out, &resp); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status || resp.Body != tt.want || resp.Headers["Cache-Control"] != "no-store" {
				t.Errorf("response = %d %v %s; want %d %s", resp.StatusCode, resp.Headers, resp.Body, tt.status, tt.want)
			}
		})
	}
}
