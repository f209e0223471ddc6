{{/*
Names and labels of the export-control chart.
*/}}

{{/* Chart name. */}}
{{- define "export-control.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-wide prefix of every object name. */}}
{{- define "export-control.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* chart label value: name-version */}}
{{- define "export-control.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels shared by every object of the release. */}}
{{- define "export-control.commonLabels" -}}
helm.sh/chart: {{ include "export-control.chart" . }}
app.kubernetes.io/part-of: {{ include "export-control.name" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Object name of one component: (dict "root" $ "name" "licensing").
*/}}
{{- define "export-control.componentName" -}}
{{- printf "%s-%s" (include "export-control.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels of one component: (dict "root" $ "name" "licensing"). */}}
{{- define "export-control.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}

{{/* All labels of one component: (dict "root" $ "name" "licensing"). */}}
{{- define "export-control.labels" -}}
{{ include "export-control.commonLabels" .root }}
{{ include "export-control.selectorLabels" . }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/* Selector of every pod of the release (services and the trial Keycloak). */}}
{{- define "export-control.releaseSelector" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: {{ include "export-control.name" . }}
{{- end }}

{{/*
Fixed facts of each service: the environment variable (and Secret key) of its client secret.
*/}}
{{- define "export-control.clientSecretKey" -}}
{{- $keys := dict "licensing" "EC_LICENSING_CLIENT_SECRET" "provincial-reporting" "EC_REPORTING_CLIENT_SECRET" "enforcement-coordination" "EC_ENFORCEMENT_CLIENT_SECRET" "notification" "EC_NOTIFICATION_CLIENT_SECRET" "gateway" "EC_GATEWAY_CLIENT_SECRET" -}}
{{- required (printf "no client secret is known for service %s" .) (get $keys .) -}}
{{- end }}

{{/*
Every ${EC_...} placeholder of the base realm (files/export-control-realm.json); a test keeps this
list equal to the realm's placeholders. The services use the first five; the trial Keycloak all.
*/}}
{{- define "export-control.realmSecretKeys" -}}
EC_GATEWAY_CLIENT_SECRET EC_LICENSING_CLIENT_SECRET EC_REPORTING_CLIENT_SECRET EC_ENFORCEMENT_CLIENT_SECRET EC_NOTIFICATION_CLIENT_SECRET EC_PROVINCE_150000_SECRET EC_PROVINCE_360000_SECRET EC_PROVINCE_430000_SECRET EC_PROVINCE_450000_SECRET
{{- end }}

{{/* Name of the Secret holding the client secrets (existing or created by the chart). */}}
{{- define "export-control.clientSecretsName" -}}
{{- $cs := .Values.keycloak.clientSecrets }}
{{- if $cs.create }}
{{- printf "%s-client-secrets" (include "export-control.fullname" .) }}
{{- else }}
{{- required "keycloak.clientSecrets.existingSecret (or keycloak.clientSecrets.create with values) is required: an unset client secret would become a literal secret in Keycloak" $cs.existingSecret }}
{{- end }}
{{- end }}

{{/* Base URL of Keycloak the services use. */}}
{{- define "export-control.keycloakUrl" -}}
{{- if .Values.keycloak.trial.enabled }}
{{- printf "http://%s:8080" (include "export-control.componentName" (dict "root" . "name" "keycloak")) }}
{{- else }}
{{- required "keycloak.url is required (or keycloak.trial.enabled)" .Values.keycloak.url | trimSuffix "/" }}
{{- end }}
{{- end }}

{{/*
Settings of one service: serviceDefaults overridden by services.<name>, as YAML
((dict "root" $ "name" "licensing") | fromYaml).
*/}}
{{- define "export-control.serviceValues" -}}
{{- $own := deepCopy (index .root.Values.services .name | default dict) }}
{{- $_ := unset $own "database" }}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.serviceDefaults) $own) }}
{{- end }}

{{/* Database settings of one service: `database` overridden by services.<name>.database. */}}
{{- define "export-control.databaseValues" -}}
{{- $own := deepCopy ((index .root.Values.services .name | default dict).database | default dict) }}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.database) $own) }}
{{- end }}

{{/* Image of one service. */}}
{{- define "export-control.image" -}}
{{- $img := .root.Values.image }}
{{- $repo := printf "%s/%s" $img.group .name }}
{{- if $img.registry }}
{{- $repo = printf "%s/%s" (trimSuffix "/" $img.registry) $repo }}
{{- end }}
{{- printf "%s:%s" $repo (default .root.Chart.AppVersion $img.tag) }}
{{- end }}

{{/* The restricted pod security context (Pod Security Standard "restricted"). */}}
{{- define "export-control.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 185
runAsGroup: 185
fsGroup: 185
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* The restricted container security context. */}}
{{- define "export-control.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}
