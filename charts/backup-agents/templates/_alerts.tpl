{{/*
The alert rule groups, shared by the PrometheusRule and the plain rules file in monitoring/ (which
is this rendered with monitoring/plain-rules.values.yaml; a test keeps the two equal).

Metrics come from the Pushgateway (scraped with honor_labels: true): sql-backup pushes one group
per tier (label backup_type) and per action, volume-replicator one per target (label target).
*/}}

{{/* A selector: {a="b",...} from a list of matchers plus the release scope. Params: root, matchers. */}}
{{- define "backup-agents.selector" -}}
{{- $m := .matchers | default list -}}
{{- if .root.Values.alerts.scopeToRelease -}}
{{- $m = append $m (printf "instance=%q" (include "backup-agents.metricsInstance" .root)) -}}
{{- end -}}
{{- if $m -}}{{- printf "{%s}" (join "," $m) -}}{{- end -}}
{{- end -}}

{{- define "backup-agents.alertLabels" -}}
severity: {{ index .root.Values.alerts.severities .alert | default "warning" }}
{{- with .root.Values.alerts.labels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "backup-agents.runbook" -}}
{{- with .root.Values.alerts.runbookBaseUrl -}}
runbook_url: {{ printf "%s#%s" . (lower $.alert) }}
{{- end -}}
{{- end -}}

{{- define "backup-agents.ruleGroups" -}}
{{- $root := . -}}
{{- $a := .Values.alerts -}}
{{- $h := $a.staleAfterHours -}}
{{- $all := include "backup-agents.selector" (dict "root" $root) -}}
- name: backup-agents.sql-backup
  rules:
    - alert: SqlBackupStale
      expr: |
        {{- range $i, $tier := list "hourly" "daily" "weekly" "monthly" }}
        {{ if $i }}or {{ end }}(time() - sql_backup_last_success_timestamp_seconds{{ include "backup-agents.selector" (dict "root" $root "matchers" (list (printf "backup_type=%q" $tier))) }} > {{ index $h $tier }} * 3600)
        {{- end }}
      labels:
        {{- include "backup-agents.alertLabels" (dict "root" $root "alert" "SqlBackupStale") | nindent 8 }}
      annotations:
        summary: {{`"No successful {{ $labels.backup_type }} backup of {{ $labels.instance }} for {{ $value | humanizeDuration }}"`}}
        description: {{`"The {{ $labels.backup_type }} tier of {{ $labels.instance }} has not succeeded within two schedule intervals plus the run time: check the CronJob's recent Jobs and their logs."`}}
        {{- with include "backup-agents.runbook" (dict "root" $root "alert" "SqlBackupStale") }}{{ . | nindent 8 }}{{ end }}
    {{- range $tier := list "hourly" "daily" "weekly" "monthly" }}
    {{- if and $root.Values.sqlBackup.enabled (index $root.Values.sqlBackup.tiers $tier).enabled }}
    - alert: SqlBackupNeverReported
      expr: absent(sql_backup_last_run_timestamp_seconds{{ include "backup-agents.selector" (dict "root" $root "matchers" (list (printf "backup_type=%q" $tier))) }})
      for: {{ index $h $tier }}h
      labels:
        {{- include "backup-agents.alertLabels" (dict "root" $root "alert" "SqlBackupNeverReported") | nindent 8 }}
        backup_type: {{ $tier }}
      annotations:
        summary: {{ printf "No %s backup run has reported metrics" $tier | quote }}
        description: {{ printf "No %s run of sql-backup has pushed metrics for %dh: the CronJob does not run, or its pods cannot reach the Pushgateway." $tier (int (index $h $tier)) | quote }}
        {{- with include "backup-agents.runbook" (dict "root" $root "alert" "SqlBackupNeverReported") }}{{ . | nindent 8 }}{{ end }}
    {{- end }}
    {{- end }}
    - alert: SqlBackupFailed
      expr: (sql_backup_last_run_exit_code{{ $all }} != 0) != 10
      labels:
        {{- include "backup-agents.alertLabels" (dict "root" $root "alert" "SqlBackupFailed") | nindent 8 }}
      annotations:
        summary: {{`"The last sql-backup run of {{ $labels.instance }} {{ with $labels.backup_type }}({{ . }}) {{ end }}failed with exit code {{ $value }}"`}}
        description: {{`"Its termination message and log give the cause; the README's exit code table says whether a retry can help."`}}
        {{- with include "backup-agents.runbook" (dict "root" $root "alert" "SqlBackupFailed") }}{{ . | nindent 8 }}{{ end }}
    - alert: SqlBackupSizeDropped
      expr: sql_backup_backup_size_bytes{{ $all }} < {{ $a.sizeDropRatio }} * max_over_time(sql_backup_backup_size_bytes{{ $all }}[{{ $a.sizeDropWindow }}])
      labels:
        {{- include "backup-agents.alertLabels" (dict "root" $root "alert" "SqlBackupSizeDropped") | nindent 8 }}
      annotations:
        summary: {{`"The backup of {{ $labels.database }} on {{ $labels.instance }} shrank to {{ $value | humanize1024 }}B"`}}
        description: {{ printf "The newest backup is smaller than %.0f%% of the largest in the last %s: data was deleted, or the dump misses something." (mulf $a.sizeDropRatio 100) $a.sizeDropWindow | quote }}
        {{- with include "backup-agents.runbook" (dict "root" $root "alert" "SqlBackupSizeDropped") }}{{ . | nindent 8 }}{{ end }}
    - alert: SqlBackupOffsiteStale
      expr: time() - sql_backup_newest_backup_timestamp_seconds{{ include "backup-agents.selector" (dict "root" $root "matchers" (list "tier=\"hourly\"" "location=\"s3\"")) }} > {{ $h.hourly }} * 3600
      labels:
        {{- include "backup-agents.alertLabels" (dict "root" $root "alert" "SqlBackupOffsiteStale") | nindent 8 }}
      annotations:
        summary: {{`"The newest off-site hourly backup of {{ $labels.instance }} is {{ $value | humanizeDuration }} old"`}}
        description: {{`"The S3 copy lags behind the backup volume: uploads fail or the hourly tier stopped."`}}
        {{- with include "backup-agents.runbook" (dict "root" $root "alert" "SqlBackupOffsiteStale") }}{{ . | nindent 8 }}{{ end }}
    - alert: SqlBackupVerificationStale
      expr: time() - max by (instance) (sql_backup_last_verified_timestamp_seconds{{ $all }}) > {{ $h.verify }} * 3600
      labels:
        {{- include "backup-agents.alertLabels" (dict "root" $root "alert" "SqlBackupVerificationStale") | nindent 8 }}
      annotations:
        summary: {{`"No backup of {{ $labels.instance }} was proven to restore for {{ $value | humanizeDuration }}"`}}
        description: {{`"The verify runs fail or stopped: a backup nobody has restored is only a hope."`}}
        {{- with include "backup-agents.runbook" (dict "root" $root "alert" "SqlBackupVerificationStale") }}{{ . | nindent 8 }}{{ end }}
    {{- if and $root.Values.sqlBackup.enabled $root.Values.sqlBackup.verify.enabled }}
    - alert: SqlBackupNeverVerified
      expr: absent(sql_backup_last_verified_timestamp_seconds{{ $all }})
      for: {{ $h.verify }}h
      labels:
        {{- include "backup-agents.alertLabels" (dict "root" $root "alert" "SqlBackupNeverVerified") | nindent 8 }}
      annotations:
        summary: "No backup was ever proven to restore"
        description: {{ printf "Verification is configured, but no successful verify has reported within %dh." (int $h.verify) | quote }}
        {{- with include "backup-agents.runbook" (dict "root" $root "alert" "SqlBackupNeverVerified") }}{{ . | nindent 8 }}{{ end }}
    {{- end }}
- name: backup-agents.volume-replicator
  rules:
    {{- $targets := list }}
    {{- if $root.Values.volumeReplicator.enabled }}
    {{- range $name, $t := $root.Values.volumeReplicator.targets }}
    {{- if ne (toString (dig "enabled" true $t)) "false" }}
    {{- $targets = append $targets (dict "name" $name "hours" (dig "staleAfterHours" $h.replication $t)) }}
    {{- end }}
    {{- end }}
    {{- end }}
    - alert: VolumeReplicationStale
      expr: |
        {{- if $targets }}
        {{- range $i, $t := $targets }}
        {{ if $i }}or {{ end }}(time() - volume_replicator_last_success_timestamp_seconds{{ include "backup-agents.selector" (dict "root" $root "matchers" (list (printf "target=%q" $t.name))) }} > {{ $t.hours }} * 3600)
        {{- end }}
        {{- else }}
        time() - volume_replicator_last_success_timestamp_seconds{{ include "backup-agents.selector" (dict "root" $root "matchers" (list "target!=\"media-pull\"")) }} > {{ $h.replication }} * 3600
        {{- end }}
      labels:
        {{- include "backup-agents.alertLabels" (dict "root" $root "alert" "VolumeReplicationStale") | nindent 8 }}
      annotations:
        summary: {{`"No successful replication of {{ $labels.instance }} to {{ $labels.target }} for {{ $value | humanizeDuration }}"`}}
        description: {{`"The copy at {{ $labels.target }} is older than two schedule intervals plus the run time."`}}
        {{- with include "backup-agents.runbook" (dict "root" $root "alert" "VolumeReplicationStale") }}{{ . | nindent 8 }}{{ end }}
    {{- range $t := $targets }}
    - alert: VolumeReplicationNeverReported
      expr: absent(volume_replicator_last_run_timestamp_seconds{{ include "backup-agents.selector" (dict "root" $root "matchers" (list (printf "target=%q" $t.name))) }})
      for: {{ $t.hours }}h
      labels:
        {{- include "backup-agents.alertLabels" (dict "root" $root "alert" "VolumeReplicationNeverReported") | nindent 8 }}
        target: {{ $t.name }}
      annotations:
        summary: {{ printf "No replication to %s has reported metrics" $t.name | quote }}
        description: {{ printf "No run of the %s target has pushed metrics for %dh: the CronJob does not run, or its pods cannot reach the Pushgateway." $t.name (int $t.hours) | quote }}
        {{- with include "backup-agents.runbook" (dict "root" $root "alert" "VolumeReplicationNeverReported") }}{{ . | nindent 8 }}{{ end }}
    {{- end }}
    - alert: VolumeReplicationFailed
      expr: (volume_replicator_last_run_exit_code{{ $all }} != 0) != 10
      labels:
        {{- include "backup-agents.alertLabels" (dict "root" $root "alert" "VolumeReplicationFailed") | nindent 8 }}
      annotations:
        summary: {{`"The last replication of {{ $labels.instance }} to {{ $labels.target }} failed with exit code {{ $value }}"`}}
        description: {{`"Its termination message and log give the cause; 8 (partial) and 9 (vanished files) copied the rest."`}}
        {{- with include "backup-agents.runbook" (dict "root" $root "alert" "VolumeReplicationFailed") }}{{ . | nindent 8 }}{{ end }}
- name: backup-agents.guards
  rules:
    - alert: BackupDeletionGuardRefused
      expr: |
        sql_backup_last_run_exit_code{{ $all }} == 10
        or volume_replicator_last_run_exit_code{{ $all }} == 10
      labels:
        {{- include "backup-agents.alertLabels" (dict "root" $root "alert" "BackupDeletionGuardRefused") | nindent 8 }}
      annotations:
        summary: {{`"A deletion guard of {{ $labels.job }} on {{ $labels.instance }} refused to delete"`}}
        description: {{`"The source was empty or a run would have deleted more than allowed, so nothing was deleted and the copy is kept as it was. A person must find out why before the next run."`}}
        {{- with include "backup-agents.runbook" (dict "root" $root "alert" "BackupDeletionGuardRefused") }}{{ . | nindent 8 }}{{ end }}
{{- end -}}
