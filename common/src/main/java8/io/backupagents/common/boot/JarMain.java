package io.backupagents.common.boot;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.security.CodeSource;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * The Main-Class of both agents' jars, compiled for Java 8 so that an old runtime can load it:
 * where the agent's Java is missing it prints "sql-backup needs Java 21 or later; found 17" and
 * exits 1 instead of the JVM's UnsupportedClassVersionError, else it calls the agent's main. The
 * jar's manifest names the agent ({@code Agent-Name}), its main class ({@code Agent-Main-Class})
 * and the Java release it is built for ({@code Agent-Java-Release}). The images, whose runtime is
 * known, may call the agent's main class directly.
 */
public final class JarMain {

  private JarMain() {}

  public static void main(String[] args) throws Throwable {
    Attributes manifest = ownManifest();
    String agent = required(manifest, "Agent-Name");
    String mainClass = required(manifest, "Agent-Main-Class");
    int release = Integer.parseInt(required(manifest, "Agent-Java-Release"));
    String problem =
        problem(
            agent,
            release,
            System.getProperty("java.specification.version"),
            System.getProperty("java.home"));
    if (problem != null) {
      System.err.println(problem);
      System.exit(1);
    }
    Method main = Class.forName(mainClass).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * What is wrong with running {@code agent}, built for Java {@code release}, on a runtime whose
   * {@code java.specification.version} is {@code specVersion}; null when nothing is.
   */
  static String problem(String agent, int release, String specVersion, String javaHome) {
    int found = feature(specVersion);
    if (found >= release) {
      return null;
    }
    return agent
        + " needs Java "
        + release
        + " or later; found "
        + (found > 0 ? String.valueOf(found) : specVersion)
        + " ("
        + javaHome
        + "): run it with a newer java, or use the container image";
  }

  /** 17 for "17", 8 for "1.8"; 0 when it cannot tell. */
  static int feature(String specVersion) {
    if (specVersion == null) {
      return 0;
    }
    String v = specVersion.startsWith("1.") ? specVersion.substring(2) : specVersion;
    int end = 0;
    while (end < v.length() && Character.isDigit(v.charAt(end))) {
      end++;
    }
    return end == 0 ? 0 : Integer.parseInt(v.substring(0, end));
  }

  private static Attributes ownManifest() throws IOException, URISyntaxException {
    CodeSource source = JarMain.class.getProtectionDomain().getCodeSource();
    if (source == null) {
      throw new IllegalStateException("JarMain runs only as the Main-Class of an agent's jar");
    }
    JarFile jar = new JarFile(new File(source.getLocation().toURI()));
    try {
      if (jar.getManifest() == null) {
        throw new IllegalStateException(jar.getName() + " has no manifest");
      }
      return jar.getManifest().getMainAttributes();
    } finally {
      jar.close();
    }
  }

  private static String required(Attributes manifest, String name) {
    String value = manifest.getValue(name);
    if (value == null || value.trim().isEmpty()) {
      throw new IllegalStateException("the jar's manifest has no " + name);
    }
    return value.trim();
  }
}
