package io.backupagents.sqlbackup.compress;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the classes that call libdeflate through the foreign function API. They are compiled for
 * Java 22 (where that API is final) and only loaded on such a runtime; a trial call proves the
 * library works before it is trusted.
 */
final class NativeEngines {

  private static final Logger log = LoggerFactory.getLogger(NativeEngines.class);

  /** A trial of a freshly found engine's factory. */
  @FunctionalInterface
  interface Trial {
    boolean works(MethodHandle open) throws Throwable;
  }

  private NativeEngines() {}

  /**
   * The static {@code open} method of {@code className}, typed as {@code type}, or null when it
   * cannot be used here.
   */
  static MethodHandle find(String className, MethodType type, Trial trial) {
    if (Runtime.version().feature() < 22) {
      return null;
    }
    try {
      Class<?> c = Class.forName(className);
      MethodHandle open =
          MethodHandles.lookup().findStatic(c, "open", type.changeReturnType(c)).asType(type);
      return trial.works(open) ? open : null;
    } catch (Throwable e) {
      log.debug("{} is not usable here ({}); using the JDK's zlib", className, e.toString());
      return null;
    }
  }
}
