package io.backupagents.common.s3;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the HTTP requests every SDK client in the test JVM sends, by operation (retries count
 * again). The SDK loads it into each client it builds from {@code
 * software/amazon/awssdk/global/handlers/execution.interceptors} in the test resources.
 */
public final class RequestCounter implements ExecutionInterceptor {

  private static final Map<String, AtomicInteger> SENT = new ConcurrentHashMap<>();

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    SENT.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
  }

  /** Requests sent since the last call, by operation; starts counting afresh. */
  static Map<String, Integer> take() {
    Map<String, Integer> counts = new TreeMap<>();
    SENT.forEach((operation, n) -> counts.put(operation, n.getAndSet(0)));
    counts.values().removeIf(n -> n == 0);
    return counts;
  }
}
