{{/* The chart's name, overridable. */}}
{{- define "consensus-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The name of every object: the release name when it already contains the chart's name. */}}
{{- define "consensus-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The labels that select the operator's pods: they never change across upgrades. */}}
{{- define "consensus-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "consensus-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The labels of every object the chart makes. */}}
{{- define "consensus-operator.labels" -}}
{{ include "consensus-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ include "consensus-operator.tag" . | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: consensus
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "consensus-operator.tag" -}}
{{- default .Chart.AppVersion .Values.image.tag }}
{{- end }}

{{- define "consensus-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "consensus-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name must name an existing ServiceAccount when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
A duration flag's value: a string as written (PT30S, or seconds), a number as whole seconds. Numbers
from a values file reach templates as floats, which print as 1e+06 beyond six digits: int64 avoids it.
*/}}
{{- define "consensus-operator.duration" -}}
{{- if kindIs "string" . }}{{ . }}{{ else }}{{ . | int64 }}{{ end }}
{{- end }}
