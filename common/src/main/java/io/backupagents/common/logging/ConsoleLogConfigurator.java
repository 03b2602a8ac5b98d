package io.backupagents.common.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's start-up configuration, done in code: the same console pattern and levels as the shared
 * {@code logback.xml} ({@link LogSetup}'s plain format at INFO), without parsing XML, which costs
 * both agents about 0.4 s of CPU at start-up (500 classes of logback's XML configuration and the
 * JDK's parser): noticeable when a replication run over an unchanged volume takes a second, and on
 * two cores that a restore shares with psql and the server. The launcher then applies LOG_FORMAT
 * and LOG_LEVEL as usual.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class ConsoleLogConfigurator extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    LogSetup.configure(context, LogSetup.Format.PLAIN, LogSetup.LogLevel.INFO);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
