package io.backupagents.common.launch;

import io.backupagents.common.process.ProcessRunner;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/** What a job gets from the launcher: time, metrics, and the way to run external tools. */
public record RunContext(Clock clock, MeterRegistry registry, ProcessRunner processes) {}
