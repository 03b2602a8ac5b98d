{{/* Names and labels. */}}
{{- define "backup-agents.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "backup-agents.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* A resource name: fullname-suffix, at most 52 characters (CronJob names get a suffix per run). */}}
{{- define "backup-agents.resourceName" -}}
{{- printf "%s-%s" (include "backup-agents.fullname" .root) .suffix | trunc 52 | trimSuffix "-" -}}
{{- end -}}

{{- define "backup-agents.selectorLabels" -}}
app.kubernetes.io/name: {{ include "backup-agents.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "backup-agents.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "backup-agents.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: backup-agents
{{- end -}}

{{/* The instance label every pushed metric carries; the alerts select it. */}}
{{- define "backup-agents.metricsInstance" -}}
{{- default .Release.Name .Values.metrics.instance -}}
{{- end -}}

{{/* image: repository:tag or repository@digest. Params: root, image. */}}
{{- define "backup-agents.image" -}}
{{- if .image.digest -}}
{{- printf "%s@%s" .image.repository .image.digest -}}
{{- else -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) -}}
{{- end -}}
{{- end -}}

{{/*
Environment of a container, built up in a state dict {env: list, secrets: dict, volumes: list,
mounts: list} by the add* helpers below and rendered by backup-agents.jobSpec.
*/}}
{{- define "backup-agents.newState" -}}
{{- $_ := set . "env" (list) -}}
{{- $_ := set . "secrets" (dict) -}}
{{- $_ := set . "secretKeys" (dict) -}}
{{- $_ := set . "volumes" (list) -}}
{{- $_ := set . "mounts" (list) -}}
{{- end -}}

{{/* A plain variable; skipped when the value is empty. Params: state, name, value. */}}
{{- define "backup-agents.addEnv" -}}
{{- if and (not (kindIs "invalid" .value)) (ne (toString .value) "") -}}
{{- $_ := set .state "env" (append .state.env (dict "name" .name "value" (toString .value))) -}}
{{- end -}}
{{- end -}}

{{/*
A credential from a Secret: NAME from secretKeyRef, or (asFile / secretsAsFiles) the Secret
mounted read-only and NAME_FILE pointing at the key's file. Params: state, root, name, ref.
*/}}
{{- define "backup-agents.addSecretEnv" -}}
{{- $ref := .ref | default dict -}}
{{- if $ref.name -}}
{{- $key := required (printf "the Secret reference for %s (Secret %s) needs a key" .name $ref.name) $ref.key -}}
{{- if or $ref.asFile .root.Values.secretsAsFiles -}}
{{- $volume := printf "secret-%s" $ref.name | trunc 63 | trimSuffix "-" -}}
{{- $_ := set .state.secrets $ref.name $volume -}}
{{- $_ := set .state.secretKeys $ref.name (append (get .state.secretKeys $ref.name | default list) $key | uniq) -}}
{{- $path := printf "/run/secrets/backup-agents/%s/%s" $ref.name $key -}}
{{- $_ := set .state "env" (append .state.env (dict "name" (printf "%s_FILE" .name) "value" $path)) -}}
{{- else -}}
{{- $from := dict "secretKeyRef" (dict "name" $ref.name "key" $key) -}}
{{- $_ := set .state "env" (append .state.env (dict "name" .name "valueFrom" $from)) -}}
{{- end -}}
{{- else if $ref.key -}}
{{- fail (printf "the Secret reference for %s has a key but no name" .name) -}}
{{- end -}}
{{- end -}}

{{/*
Plain extra variables. A credential must come from a Secret: a name that looks like one with a
plain value is refused. Params: state, list, where.
*/}}
{{- define "backup-agents.addExtraEnv" -}}
{{- range .list -}}
{{- $name := required (printf "%s: every entry needs a name" $.where) .name -}}
{{- if and (hasKey . "value") (regexMatch "(PASS|SECRET|TOKEN|ACCESS_KEY|CREDENTIAL|PRIVATE_KEY)" (upper $name)) (not (hasSuffix "_FILE" $name)) -}}
{{- fail (printf "%s: %s looks like a credential; give it as a Secret reference (valueFrom.secretKeyRef), never as a plain value" $.where $name) -}}
{{- end -}}
{{- $_ := set $.state "env" (append $.state.env .) -}}
{{- end -}}
{{- end -}}

{{/* Logging and metrics variables of every run. Params: state, root. */}}
{{- define "backup-agents.addCommonEnv" -}}
{{- $v := .root.Values -}}
{{- include "backup-agents.addEnv" (dict "state" .state "name" "LOG_FORMAT" "value" $v.logFormat) -}}
{{- include "backup-agents.addEnv" (dict "state" .state "name" "METRICS_PUSHGATEWAY_URL" "value" $v.metrics.pushgatewayUrl) -}}
{{- include "backup-agents.addEnv" (dict "state" .state "name" "METRICS_INSTANCE" "value" (include "backup-agents.metricsInstance" .root)) -}}
{{- include "backup-agents.addEnv" (dict "state" .state "name" "METRICS_PUSHGATEWAY_USER" "value" $v.metrics.pushgatewayUser) -}}
{{- include "backup-agents.addSecretEnv" (dict "state" .state "root" .root "name" "METRICS_PUSHGATEWAY_PASSWORD" "ref" $v.metrics.pushgatewayPasswordSecret) -}}
{{- end -}}

{{/*
Encryption of new backups: the recipients' public keys from a ConfigMap key (configMap) or a
Secret key (secret), and the compression. Params: state, root, sb.
*/}}
{{- define "backup-agents.addBackupEncodingEnv" -}}
{{- include "backup-agents.addEnv" (dict "state" .state "name" "BACKUP_COMPRESSION" "value" .sb.compression) -}}
{{- include "backup-agents.addEnv" (dict "state" .state "name" "BACKUP_COMPRESSION_LEVEL" "value" .sb.compressionLevel) -}}
{{- $r := (.sb.encryption | default dict).recipients | default dict -}}
{{- if and $r.configMap $r.configMap.name -}}
{{- $key := required "sqlBackup.encryption.recipients.configMap needs a key" $r.configMap.key -}}
{{- $from := dict "configMapKeyRef" (dict "name" $r.configMap.name "key" $key) -}}
{{- $_ := set .state "env" (append .state.env (dict "name" "BACKUP_ENCRYPTION_RECIPIENTS" "valueFrom" $from)) -}}
{{- else if $r.secret -}}
{{- include "backup-agents.addSecretEnv" (dict "state" .state "root" .root "name" "BACKUP_ENCRYPTION_RECIPIENTS" "ref" $r.secret) -}}
{{- end -}}
{{- end -}}

{{/*
The private key that decrypts encrypted backups, always mounted as a file, and its passphrase;
only recovery and verify workloads get it. Params: state, root, key, passphrase.
*/}}
{{- define "backup-agents.addDecryptionEnv" -}}
{{- if and .key .key.name -}}
{{- include "backup-agents.addSecretEnv" (dict "state" .state "root" .root "name" "BACKUP_DECRYPTION_KEY" "ref" (merge (dict "asFile" true) .key)) -}}
{{- include "backup-agents.addSecretEnv" (dict "state" .state "root" .root "name" "BACKUP_DECRYPTION_KEY_PASSPHRASE" "ref" .passphrase) -}}
{{- end -}}
{{- end -}}

{{/* PostgreSQL connection variables. Params: state, root, pg, where. */}}
{{- define "backup-agents.addPostgresEnv" -}}
{{- include "backup-agents.addEnv" (dict "state" .state "name" "PGHOST" "value" (required (printf "%s.host is required" .where) .pg.host)) -}}
{{- include "backup-agents.addEnv" (dict "state" .state "name" "PGPORT" "value" .pg.port) -}}
{{- include "backup-agents.addEnv" (dict "state" .state "name" "PGUSER" "value" .pg.user) -}}
{{- include "backup-agents.addSecretEnv" (dict "state" .state "root" .root "name" "PGADMINPASS" "ref" .pg.passwordSecret) -}}
{{- include "backup-agents.addPostgresTlsEnv" (dict "state" .state "root" .root "tls" .pg.tls "prefix" "") -}}
{{- end -}}

{{/*
TLS to PostgreSQL (libpq's PGSSL* variables, each with prefix, e.g. VERIFY_): the mode, and the CA,
client certificate, key and revocation list as files of Secrets mounted read-only. The key goes as
PGSSLKEY_FILE (a secret); the agent copies it 0600 for libpq. Params: state, root, tls, prefix.
*/}}
{{- define "backup-agents.addPostgresTlsEnv" -}}
{{- $tls := .tls | default dict -}}
{{- include "backup-agents.addEnv" (dict "state" .state "name" (printf "%sPGSSLMODE" .prefix) "value" $tls.mode) -}}
{{- include "backup-agents.addSecretFileEnv" (dict "state" .state "name" (printf "%sPGSSLROOTCERT" .prefix) "ref" $tls.caSecret) -}}
{{- include "backup-agents.addSecretFileEnv" (dict "state" .state "name" (printf "%sPGSSLCERT" .prefix) "ref" $tls.certSecret) -}}
{{- include "backup-agents.addSecretEnv" (dict "state" .state "root" .root "name" (printf "%sPGSSLKEY" .prefix) "ref" (merge (dict "asFile" true) ($tls.keySecret | default dict))) -}}
{{- include "backup-agents.addSecretFileEnv" (dict "state" .state "name" (printf "%sPGSSLCRL" .prefix) "ref" $tls.crlSecret) -}}
{{- end -}}

{{/*
A file of a Secret (a certificate, not itself a secret): the Secret mounted read-only and NAME set
to the key's path. Params: state, name, ref.
*/}}
{{- define "backup-agents.addSecretFileEnv" -}}
{{- $ref := .ref | default dict -}}
{{- if $ref.name -}}
{{- $key := required (printf "the Secret reference for %s (Secret %s) needs a key" .name $ref.name) $ref.key -}}
{{- $volume := printf "secret-%s" $ref.name | trunc 63 | trimSuffix "-" -}}
{{- $_ := set .state.secrets $ref.name $volume -}}
{{- $_ := set .state.secretKeys $ref.name (append (get .state.secretKeys $ref.name | default list) $key | uniq) -}}
{{- $_ := set .state "env" (append .state.env (dict "name" .name "value" (printf "/run/secrets/backup-agents/%s/%s" $ref.name $key))) -}}
{{- else if $ref.key -}}
{{- fail (printf "the Secret reference for %s has a key but no name" .name) -}}
{{- end -}}
{{- end -}}

{{/* S3 connection variables: the default s3 values merged with overrides. Params: state, root, override. */}}
{{- define "backup-agents.addS3Env" -}}
{{- $s3 := mergeOverwrite (deepCopy .root.Values.s3) (deepCopy (.override | default dict)) -}}
{{- include "backup-agents.addEnv" (dict "state" .state "name" "S3_ENDPOINT" "value" $s3.endpoint) -}}
{{- include "backup-agents.addEnv" (dict "state" .state "name" "S3_PROVIDER" "value" $s3.provider) -}}
{{- include "backup-agents.addEnv" (dict "state" .state "name" "S3_REGION" "value" $s3.region) -}}
{{- include "backup-agents.addSecretEnv" (dict "state" .state "root" .root "name" "S3_ACCESS_KEY_ID" "ref" $s3.accessKeyIdSecret) -}}
{{- include "backup-agents.addSecretEnv" (dict "state" .state "root" .root "name" "S3_SECRET_ACCESS_KEY" "ref" $s3.secretAccessKeySecret) -}}
{{- if $s3.noCheckCertificate -}}
{{- include "backup-agents.addEnv" (dict "state" .state "name" "S3_NO_CHECK_CERTIFICATE" "value" "yes") -}}
{{- end -}}
{{- include "backup-agents.addEnv" (dict "state" .state "name" "S3_SSE" "value" $s3.sse) -}}
{{- include "backup-agents.addEnv" (dict "state" .state "name" "S3_SSE_KMS_KEY_ID" "value" $s3.sseKmsKeyId) -}}
{{- include "backup-agents.addEnv" (dict "state" .state "name" "S3_STORAGE_CLASS" "value" $s3.storageClass) -}}
{{- end -}}

{{/*
A volume mounted at a path: an existing PVC, an NFS export, or a PVC this chart creates.
Params: state, name, source ({existingClaim | nfs: {server, path} | claimName}), path, readOnly, where.
*/}}
{{- define "backup-agents.addVolume" -}}
{{- $src := .source | default dict -}}
{{- $volume := dict "name" .name -}}
{{- if $src.claimName -}}
{{- $_ := set $volume "persistentVolumeClaim" (dict "claimName" $src.claimName "readOnly" (.readOnly | default false)) -}}
{{- else if $src.existingClaim -}}
{{- $_ := set $volume "persistentVolumeClaim" (dict "claimName" $src.existingClaim "readOnly" (.readOnly | default false)) -}}
{{- else if and $src.nfs $src.nfs.server -}}
{{- $path := required (printf "%s.nfs.path is required" .where) $src.nfs.path -}}
{{- $_ := set $volume "nfs" (dict "server" $src.nfs.server "path" $path "readOnly" (.readOnly | default false)) -}}
{{- else -}}
{{- fail (printf "%s: set existingClaim or nfs.server/nfs.path" .where) -}}
{{- end -}}
{{- $_ := set .state "volumes" (append .state.volumes $volume) -}}
{{- $mount := dict "name" .name "mountPath" .path "readOnly" (.readOnly | default false) -}}
{{- if $src.subPath -}}
{{- $_ := set $mount "subPath" $src.subPath -}}
{{- end -}}
{{- $_ := set .state "mounts" (append .state.mounts $mount) -}}
{{- end -}}

{{/* The backup volume as a volume source: the created PVC, or existingClaim / nfs. */}}
{{- define "backup-agents.backupVolumeSource" -}}
{{- $bv := .Values.backupVolume -}}
{{- if $bv.create.enabled -}}
{{- toYaml (dict "claimName" (include "backup-agents.resourceName" (dict "root" . "suffix" "backups"))) -}}
{{- else -}}
{{- toYaml (dict "existingClaim" $bv.existingClaim "nfs" ($bv.nfs | default dict)) -}}
{{- end -}}
{{- end -}}

{{/*
The spec of a Job: retries, deadlines, podFailurePolicy, and a pod with one hardened container.
Params: root, job (merged job settings), component, container (name), image, args, state,
root (as user 0 to preserve ownership), indexed (shard count > 1).
*/}}
{{- define "backup-agents.jobSpec" -}}
{{- $job := .job -}}
{{- $root := .root -}}
backoffLimit: {{ $job.backoffLimit }}
{{- if $job.activeDeadlineSeconds }}
activeDeadlineSeconds: {{ $job.activeDeadlineSeconds }}
{{- end }}
{{- if not (kindIs "invalid" $job.ttlSecondsAfterFinished) }}
ttlSecondsAfterFinished: {{ $job.ttlSecondsAfterFinished }}
{{- end }}
{{- if gt (int (.shards | default 1)) 1 }}
completionMode: Indexed
completions: {{ .shards }}
parallelism: {{ .shards }}
{{- end }}
podFailurePolicy:
  rules:
    {{- if $job.failFastExitCodes }}
    {{- $previous := 0 }}
    {{- range $job.failFastExitCodes }}
    {{- if le (int .) $previous }}
    {{- fail "jobDefaults.failFastExitCodes must be positive and in ascending order" }}
    {{- end }}
    {{- $previous = int . }}
    {{- end }}
    # A retry cannot help: bad settings, refused credentials, a refusing guard, a corrupt backup.
    - action: FailJob
      onExitCodes:
        containerName: {{ .container }}
        operator: In
        values: {{ toJson $job.failFastExitCodes }}
    {{- end }}
    {{- if $job.ignoreDisruptions }}
    # Evictions and preemptions are retried without counting against backoffLimit.
    - action: Ignore
      onPodConditions:
        - type: DisruptionTarget
    {{- end }}
template:
  metadata:
    labels:
      {{- include "backup-agents.selectorLabels" $root | nindent 6 }}
      app.kubernetes.io/component: {{ .component }}
      {{- with $job.podLabels }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
    {{- with $job.podAnnotations }}
    annotations:
      {{- toYaml . | nindent 6 }}
    {{- end }}
  spec:
    restartPolicy: Never
    {{- if $root.Values.serviceAccount.create }}
    serviceAccountName: {{ default (include "backup-agents.fullname" $root) $root.Values.serviceAccount.name }}
    {{- else if $root.Values.serviceAccount.name }}
    serviceAccountName: {{ $root.Values.serviceAccount.name }}
    {{- end }}
    automountServiceAccountToken: {{ $root.Values.serviceAccount.automountServiceAccountToken }}
    {{- $podSecurity := deepCopy $root.Values.podSecurityContext }}
    {{- if .asRoot }}
    {{- /* No fsGroup either: the kubelet would re-own the volumes whose owners this run keeps. */}}
    {{- $podSecurity = merge (dict "runAsNonRoot" false "runAsUser" 0 "runAsGroup" 0) (omit $podSecurity "runAsNonRoot" "runAsUser" "runAsGroup" "fsGroup" "fsGroupChangePolicy") }}
    {{- end }}
    securityContext:
      {{- toYaml $podSecurity | nindent 6 }}
    {{- with $root.Values.imagePullSecrets }}
    imagePullSecrets:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    {{- with $job.priorityClassName }}
    priorityClassName: {{ . }}
    {{- end }}
    {{- with $job.nodeSelector }}
    nodeSelector:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    {{- with $job.tolerations }}
    tolerations:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    {{- with $job.affinity }}
    affinity:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    containers:
      - name: {{ .container }}
        image: {{ include "backup-agents.image" (dict "root" $root "image" .image) }}
        imagePullPolicy: {{ .image.pullPolicy }}
        {{- with .args }}
        args:
          {{- toYaml . | nindent 10 }}
        {{- end }}
        env:
          {{- toYaml .state.env | nindent 10 }}
        {{- $security := deepCopy $root.Values.securityContext }}
        {{- if .asRoot }}
        {{- $security = merge (dict "runAsNonRoot" false "runAsUser" 0 "capabilities" (dict "drop" (list "ALL") "add" (list "CHOWN" "DAC_OVERRIDE" "FOWNER" "FSETID"))) (omit $security "capabilities") }}
        {{- end }}
        securityContext:
          {{- toYaml $security | nindent 10 }}
        resources:
          {{- toYaml $job.resources | nindent 10 }}
        terminationMessagePolicy: FallbackToLogsOnError
        volumeMounts:
          - name: tmp
            mountPath: /tmp
          {{- with .state.mounts }}
          {{- toYaml . | nindent 10 }}
          {{- end }}
          {{- range $secret, $volume := .state.secrets }}
          - name: {{ $volume }}
            mountPath: /run/secrets/backup-agents/{{ $secret }}
            readOnly: true
          {{- end }}
    volumes:
      # The root file system is read-only; the agents write temporary files here.
      - name: tmp
        emptyDir:
          sizeLimit: {{ $job.tmpSizeLimit }}
      {{- with .state.volumes }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
      {{- range $secret, $volume := .state.secrets }}
      - name: {{ $volume }}
        secret:
          secretName: {{ $secret }}
          # Only the keys used: a CA's Secret also holds the CA's private key.
          items:
            {{- range (get $.state.secretKeys $secret) }}
            - key: {{ . }}
              path: {{ . }}
            {{- end }}
          # Readable by the agent whatever podSecurityContext says; the pod has no other users.
          defaultMode: 0444
      {{- end }}
{{- end -}}

{{/* jobDefaults merged with a workload's own job settings (theirs win). Params: root, job. */}}
{{- define "backup-agents.jobSettings" -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.jobDefaults) (deepCopy (.job | default dict))) -}}
{{- end -}}

{{/* The metadata of a CronJob or Job. Params: root, name, component. */}}
{{- define "backup-agents.metadata" -}}
name: {{ .name }}
{{- with .root.Release.Namespace }}
namespace: {{ . }}
{{- end }}
labels:
  {{- include "backup-agents.labels" .root | nindent 2 }}
  app.kubernetes.io/component: {{ .component }}
{{- end -}}
