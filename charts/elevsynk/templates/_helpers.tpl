{{/* The release's full name: the release name, with the chart's in front unless it already holds it. */}}
{{- define "elevsynk.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels on every object; the selector labels pick the release's manager pods. */}}
{{- define "elevsynk.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{ include "elevsynk.selectorLabels" . }}
{{- end -}}

{{- define "elevsynk.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: manager
{{- end -}}

{{- define "elevsynk.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "elevsynk.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name names the existing ServiceAccount when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "elevsynk.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/*
The manager Deployments as a YAML list of {name, selector, leaseID}: one
without sharding; with shards, the main one for objects without the shard
label and one per shard, each with its own Lease so every shard has a
leader of its own.
*/}}
{{- define "elevsynk.managers" -}}
{{- $fullname := include "elevsynk.fullname" . -}}
{{- $id := .Values.leaderElection.id -}}
{{- if .Values.sharding.shards -}}
{{- if .Values.watchLabelSelector -}}
{{- fail "set watchLabelSelector or sharding.shards, not both: each shard's selector is sharding.key=<shard>" -}}
{{- end -}}
{{- $key := .Values.sharding.key -}}
- {name: {{ $fullname | quote }}, selector: {{ printf "!%s" $key | quote }}, leaseID: {{ $id | quote }}}
{{- range .Values.sharding.shards }}
- {name: {{ printf "%s-%s" $fullname . | quote }}, selector: {{ printf "%s=%s" $key . | quote }}, leaseID: {{ printf "%s.%s" . $id | quote }}}
{{- end }}
{{- else -}}
- {name: {{ $fullname | quote }}, selector: {{ .Values.watchLabelSelector | quote }}, leaseID: {{ $id | quote }}}
{{- end -}}
{{- end -}}
