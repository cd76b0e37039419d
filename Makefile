# elevsynk. `make demo` runs the main job end to end; `make test` runs every check.

SHELL := /usr/bin/env bash -o pipefail
.SHELLFLAGS := -ec

BIN := $(CURDIR)/bin
CONTROLLER_TOOLS_VERSION := v0.23.0
STATICCHECK_VERSION := v0.8.2
CONTROLLER_GEN := $(BIN)/controller-gen-$(CONTROLLER_TOOLS_VERSION)
STATICCHECK := $(BIN)/staticcheck-$(STATICCHECK_VERSION)
IMG ?= elevsynk/manager:dev
FUZZTIME ?= 30s

.PHONY: all
all: build

##@ Generate

.PHONY: generate
generate: $(CONTROLLER_GEN) ## Generate DeepCopy methods.
	$(CONTROLLER_GEN) object:headerFile=hack/boilerplate.go.txt paths=./api/...

.PHONY: manifests
manifests: $(CONTROLLER_GEN) ## Generate CRDs and RBAC from the markers.
	$(CONTROLLER_GEN) crd rbac:roleName=elevsynk-manager paths=./api/... paths=./controllers/... \
		output:crd:artifacts:config=config/crd/bases output:rbac:artifacts:config=config/rbac

.PHONY: chart
chart: manifests ## Copy the CRDs, the RBAC rules and the alerts from config/ into charts/elevsynk.
	rm -f charts/elevsynk/crds/*.yaml
	cp config/crd/bases/*.yaml charts/elevsynk/crds/
	cp config/rbac/role.yaml config/rbac/leader_election_role.yaml config/prometheus/prometheusrule.yaml charts/elevsynk/files/

.PHONY: verify
verify: generate manifests chart ## Fail when generated code, manifests or the chart's copies are stale, or code is not gofmt'ed.
	@if [ -n "$$(git status --porcelain -- api config charts)" ]; then \
		echo "generated files are stale; run 'make generate manifests chart' and commit:"; \
		git status --porcelain -- api config charts; git --no-pager diff -- api config charts | head -n 40; exit 1; fi
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$unformatted" ]; then \
		echo "gofmt would change: $$unformatted"; exit 1; fi

##@ Check

.PHONY: lint
lint: $(STATICCHECK) ## go vet and staticcheck.
	go vet ./...
	$(STATICCHECK) ./...

.PHONY: envtest
envtest: ## Build kube-apiserver and etcd for the controller tests (once; reused from bin/).
	@hack/envtest-assets.sh >/dev/null

.PHONY: tools
tools: ## Build helm, promtool and the Prometheus Operator CRDs for the chart and alert tests (once; reused from bin/).
	@hack/tools.sh helm >/dev/null
	@hack/tools.sh promtool >/dev/null
	@hack/tools.sh monitoring-crds >/dev/null

# hack/tools.sh asks for controller-gen here, so its version stays in one place.
.PHONY: controller-gen-path
controller-gen-path: $(CONTROLLER_GEN)
	@echo $(CONTROLLER_GEN)

.PHONY: chromium
chromium: ## Install Debian's Chromium for the report's browser test (once).
	@hack/chromium.sh >/dev/null

.PHONY: slapd
slapd: ## Install Debian's OpenLDAP slapd for the LDAP tests and the demo (once).
	@hack/slapd.sh >/dev/null

.PHONY: test
test: verify lint envtest tools chromium slapd ## Every check: generated files, vet, staticcheck, unit, envtest, chart, alert, browser, LDAP and fuzz-seed tests.
	KUBEBUILDER_ASSETS="$$(hack/envtest-assets.sh)" HELM="$$(hack/tools.sh helm)" PROMTOOL="$$(hack/tools.sh promtool)" \
		MONITORING_CRDS="$$(hack/tools.sh monitoring-crds)" SLAPD="$$(hack/slapd.sh)" go test ./... -count=1

.PHONY: fuzz
fuzz: ## Every fuzz target for FUZZTIME each (default 30s), with the executions per target.
	FUZZTIME=$(FUZZTIME) hack/fuzz.sh

.PHONY: bench
bench: ## Benchmarks at municipality scale, as one table (BENCHTIME, default 3x).
	hack/bench.sh

##@ Run

.PHONY: build
build: ## Build the manager and the CLI into bin/.
	go build -o $(BIN)/manager ./cmd/manager
	go build -o $(BIN)/elevsynk ./cmd/elevsynk

.PHONY: demo
demo: envtest build slapd ## Run the main job end to end on a local control plane and sandboxes.
	KUBEBUILDER_ASSETS="$$(hack/envtest-assets.sh)" $(BIN)/elevsynk demo -report $(BIN)/demo-report.html

.PHONY: docker-build
docker-build: ## Build the manager image.
	docker build -t $(IMG) .

.PHONY: image
image: ## Write the manager image as an OCI layout in dist/image, with no Docker engine.
	CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o $(BIN)/manager-linux-$$(go env GOARCH) ./cmd/manager
	go run ./hack/image -binary $(BIN)/manager-linux-$$(go env GOARCH) -arch $$(go env GOARCH) -out dist/image -tag $(IMG)

.PHONY: help
help: ## Show this help.
	@awk 'BEGIN {FS = ":.*##"} /^[a-zA-Z_-]+:.*?##/ { printf "  %-14s %s\n", $$1, $$2 } /^##@/ { printf "\n%s\n", substr($$0, 5) }' $(MAKEFILE_LIST)

$(CONTROLLER_GEN):
	GOBIN=$(BIN) go install sigs.k8s.io/controller-tools/cmd/controller-gen@$(CONTROLLER_TOOLS_VERSION)
	mv $(BIN)/controller-gen $@

$(STATICCHECK):
	GOBIN=$(BIN) go install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	mv $(BIN)/staticcheck $@
