// Package monitoringcrds pins the Prometheus Operator API whose
// ServiceMonitor and PrometheusRule CRDs hack/tools.sh generates with
// controller-gen, as the Prometheus Operator generates its own, so the
// chart test can apply the chart's monitoring objects to a real API server.
// It is a module apart so that API stays out of the operator's go.mod.
package monitoringcrds

import _ "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
