# portalpass: build, test and deploy helpers. `make test` is what CI runs
# (through .ci/run, which starts moto_server first).

SHELL := /bin/bash

# Every directory under functions/ is a Lambda function (one binary each).
FUNCTIONS := $(notdir $(patsubst %/,%,$(wildcard functions/*/)))

# SAM (Metadata: BuildMethod: makefile) runs `make build-<LogicalId>` with
# ARTIFACTS_DIR set. Adding a function to the template is one line here:
# LogicalId=directory under functions/.
SAM_FUNCTIONS := \
	RequestLoginFunction=request-login \
	RedeemFunction=redeem \
	SessionFunction=session \
	InviteFunction=invite \
	GenerateLinkFunction=generate-link \
	AuditFunction=audit \
	AuthorizerFunction=authorizer \
	PortalExampleFunction=portal-example \
	DeliveryEventsFunction=delivery-events \
	SendRetryFunction=send-retry

GO ?= go
GOBUILD_ENV := GOOS=linux GOARCH=arm64 CGO_ENABLED=0
GOBUILD_FLAGS := -tags lambda.norpc -trimpath -ldflags='-s -w'
# 12 MiB per bootstrap (DESIGN.md).
MAX_BOOTSTRAP_BYTES := 12582912
TEST_TIMEOUT ?= 15m
COLDSTART_FLAGS ?= -n 30 -check

# Tools `make test` needs beyond Go; `make tools` installs what is missing.
# staticcheck is pinned and called by its path under the first GOPATH entry
# (where `go install` puts it), so it need not be on PATH.
STATICCHECK_VERSION := v0.8.2
GOPATH_BIN := $(firstword $(subst :, ,$(shell $(GO) env GOPATH)))/bin
STATICCHECK := $(GOPATH_BIN)/staticcheck
# The OpenAPI linter is pinned in tools/openapi/package-lock.json; npm
# writes node_modules/.package-lock.json on every install, so it is the
# stamp that says the install is current.
OPENAPI_TOOLS := tools/openapi
REDOCLY := $(OPENAPI_TOOLS)/node_modules/.bin/redocly
REDOCLY_STAMP := $(OPENAPI_TOOLS)/node_modules/.package-lock.json
# No telemetry or update checks from a linter run in CI.
REDOCLY_ENV := REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true

.PHONY: build check-size test test-short fmt-check vet staticcheck lint lint-openapi \
	tools tool-moto tool-cfn-lint tool-staticcheck tool-redocly bench-coldstart run clean

# build: one linux/arm64 bootstrap per function under build/<name>/.
build:
	@for f in $(FUNCTIONS); do \
		echo "go build ./functions/$$f"; \
		$(GOBUILD_ENV) $(GO) build $(GOBUILD_FLAGS) -o build/$$f/bootstrap ./functions/$$f || exit 1; \
	done
	@$(MAKE) --no-print-directory check-size BOOTSTRAPS="$(FUNCTIONS:%=build/%/bootstrap)"

# check-size prints each bootstrap's size and fails when one is over 12 MiB.
check-size:
	@[ -n "$(strip $(BOOTSTRAPS))" ] || { echo "no functions under functions/"; exit 0; }; \
	status=0; \
	for b in $(BOOTSTRAPS); do \
		s=$$(wc -c < "$$b") || exit 1; \
		awk -v b="$$b" -v s="$$s" -v max=$(MAX_BOOTSTRAP_BYTES) 'BEGIN { \
			printf "%-36s %6.2f MiB%s\n", b, s / 1048576, (s > max ? "  OVER 12 MiB" : "") }'; \
		[ "$$s" -le $(MAX_BOOTSTRAP_BYTES) ] || status=1; \
	done; \
	exit $$status

define sam_target
.PHONY: build-$(1)
build-$(1):
	@[ -n "$$(ARTIFACTS_DIR)" ] || { echo "build-$(1): ARTIFACTS_DIR is not set (sam build sets it)"; exit 1; }
	$(GOBUILD_ENV) $(GO) build $(GOBUILD_FLAGS) -o $$(ARTIFACTS_DIR)/bootstrap ./functions/$(2)
	@$$(MAKE) --no-print-directory check-size BOOTSTRAPS=$$(ARTIFACTS_DIR)/bootstrap
endef
$(foreach f,$(SAM_FUNCTIONS),$(eval $(call sam_target,$(word 1,$(subst =, ,$(f))),$(word 2,$(subst =, ,$(f))))))

# test: everything CI checks. go test runs last so that its summary ends
# the output. DynamoDB, SES and SNS tests start a moto_server per test
# package (pkg/awstest), or use MOTO_ENDPOINT when it is set.
test: tools fmt-check vet staticcheck lint lint-openapi build
	$(GO) test -race -timeout $(TEST_TIMEOUT) ./...

# test-short: no moto_server, no builds of Lambda binaries.
test-short: fmt-check vet
	$(GO) test -short -race -timeout $(TEST_TIMEOUT) ./...

fmt-check:
	@files=$$(find . -name '*.go' -not -path './.git/*' -not -path '*/node_modules/*' \
		-not -path './build/*' -not -path './.aws-sam/*' | xargs -r gofmt -l); \
	if [ -n "$$files" ]; then echo "gofmt needed on:"; echo "$$files"; exit 1; fi

vet:
	$(GO) vet ./...

staticcheck: tool-staticcheck
	$(STATICCHECK) ./...

lint: tool-cfn-lint
	cfn-lint template.yaml

lint-openapi: tool-redocly
	$(REDOCLY_ENV) $(REDOCLY) lint --config $(OPENAPI_TOOLS)/redocly.yaml openapi.yaml

# tools: check every tool `make test` needs and install what is missing
# where it can; otherwise stop at once with the command that installs it.
# Run again, it changes nothing.
tools: tool-moto tool-cfn-lint tool-staticcheck tool-redocly

# pip_tool: $(1) is the command, $(2) the pip package that provides it.
# pipx when present (Debian's Python refuses a plain pip install), else
# pip into the current Python (a virtualenv or pyenv); pyenv needs a rehash
# before a new command shows on PATH.
define pip_tool
	@command -v $(1) >/dev/null 2>&1 && exit 0; \
	if command -v pipx >/dev/null 2>&1; then \
		echo "installing $(1): pipx install '$(2)'"; \
		pipx install '$(2)' || { echo "make tools: pipx install '$(2)' failed"; exit 1; }; \
	elif python3 -m pip --version >/dev/null 2>&1; then \
		echo "installing $(1): python3 -m pip install '$(2)'"; \
		python3 -m pip install --quiet '$(2)' || { echo "make tools: $(1) is missing; install it with: pipx install '$(2)' (Debian: apt-get install pipx)"; exit 1; }; \
		if command -v pyenv >/dev/null 2>&1; then pyenv rehash; fi; \
	else \
		echo "make tools: $(1) is missing and neither pipx nor pip is installed; install it with: pipx install '$(2)' (Debian: apt-get install pipx)"; exit 1; \
	fi; \
	hash -r; command -v $(1) >/dev/null 2>&1 || { \
		echo "make tools: $(2) is installed but $(1) is not on PATH; add pipx's bin directory (pipx ensurepath) or Python's scripts directory to PATH"; exit 1; }
endef

tool-moto:
	$(call pip_tool,moto_server,moto[server])

tool-cfn-lint:
	$(call pip_tool,cfn-lint,cfn-lint)

tool-staticcheck:
	@[ -x "$(STATICCHECK)" ] && "$(STATICCHECK)" -version 2>/dev/null | grep -qF '($(STATICCHECK_VERSION:v%=%))' && exit 0; \
	echo "installing staticcheck $(STATICCHECK_VERSION) into $(GOPATH_BIN)"; \
	GOBIN="$(GOPATH_BIN)" $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) || { \
		echo "make tools: install staticcheck with: GOBIN=$(GOPATH_BIN) go install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)"; exit 1; }

tool-redocly: $(REDOCLY_STAMP)

$(REDOCLY_STAMP): $(OPENAPI_TOOLS)/package.json $(OPENAPI_TOOLS)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
		echo "make tools: npm is missing; install Node.js 20.19+ and npm (Debian: apt-get install nodejs npm), then: cd $(OPENAPI_TOOLS) && npm ci"; exit 1; }
	@echo "installing the OpenAPI linter: cd $(OPENAPI_TOOLS) && npm ci"
	@cd $(OPENAPI_TOOLS) && npm ci --silent --no-audit --no-fund || { \
		echo "make tools: install it with: cd $(OPENAPI_TOOLS) && npm ci"; exit 1; }
	@touch $@

# bench-coldstart: process start to first response per function versus a
# bare aws-lambda-go function; fails over 2.0x bare (DESIGN.md).
bench-coldstart:
	$(GO) run ./infra/coldstart $(COLDSTART_FLAGS)

# capacity: DynamoDB calls, write/read units and hot partition keys per
# login flow on moto (issue 9); fails while a goal is missed. Not part of
# `make test` until the layout meets the goals.
.PHONY: capacity
capacity:
	$(GO) run ./infra/capacity -n 100 -check

run:
	$(GO) run ./infra/devserver

clean:
	rm -rf build .aws-sam
