package io.backupagents.testing;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The architecture every module keeps, checked by one small test per module on its main classes: it
 * uses no project module but those it names (the agents use common, never each other); its packages
 * have no dependency cycle; and only {@code *Main} classes touch the process's environment, its
 * exit and the system clock, which everything else receives.
 */
public final class ArchitectureRules {

  private ArchitectureRules() {}

  /** The main (not test) classes of the module whose code is under {@code rootPackage}. */
  public static JavaClasses mainClasses(String rootPackage) {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(rootPackage);
  }

  /**
   * Classes under {@code rootPackage} use, of the project's own code, only classes under it or
   * under one of {@code allowedPackages} (e.g. {@code io.backupagents.common}).
   */
  public static ArchRule usesOnlyProjectModules(String rootPackage, String... allowedPackages) {
    String[] allowed =
        Stream.concat(Stream.of(rootPackage), Arrays.stream(allowedPackages))
            .map(p -> p + "..")
            .toArray(String[]::new);
    return classes()
        .that()
        .resideInAPackage(rootPackage + "..")
        .should()
        .onlyDependOnClassesThat(
            resideOutsideOfPackage("io.backupagents..").or(resideInAnyPackage(allowed)))
        .as(
            "classes of "
                + rootPackage
                + " use no project code but their own"
                + (allowedPackages.length == 0
                    ? ""
                    : " and " + String.join(", ", allowedPackages)));
  }

  /**
   * No two packages under {@code rootPackage} (each package its own slice) depend on each other.
   */
  public static ArchRule packagesAreFreeOfCycles(String rootPackage) {
    return SlicesRuleDefinition.slices()
        .assignedFrom(packagesUnder(rootPackage))
        .should()
        .beFreeOfCycles();
  }

  /**
   * Only {@code *Main} classes (and their nested classes) read the environment, exit the JVM or ask
   * the system clock; everything else receives the environment map and a {@link Clock}.
   */
  public static ArchRule onlyMainTouchesTheProcess(String rootPackage) {
    return noClasses()
        .that()
        .resideInAPackage(rootPackage + "..")
        .and(not(partOfAMainClass()))
        .should()
        .callMethod(System.class, "getenv")
        .orShould()
        .callMethod(System.class, "getenv", String.class)
        .orShould()
        .callMethod(System.class, "exit", int.class)
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(Clock.class, "systemUTC")
        .orShould()
        .callMethod(Clock.class, "systemDefaultZone")
        .orShould()
        .callMethod(Instant.class, "now")
        .as(
            "only *Main classes call System.getenv, System.exit, System.currentTimeMillis,"
                + " Clock.systemUTC/systemDefaultZone or Instant.now()");
  }

  /** All three rules on the main classes of the module under {@code rootPackage}. */
  public static void check(String rootPackage, String... allowedPackages) {
    JavaClasses classes = mainClasses(rootPackage);
    AssertionError failures = null;
    for (ArchRule rule :
        new ArchRule[] {
          usesOnlyProjectModules(rootPackage, allowedPackages),
          packagesAreFreeOfCycles(rootPackage),
          onlyMainTouchesTheProcess(rootPackage)
        }) {
      try {
        rule.check(classes);
      } catch (AssertionError e) {
        if (failures == null) {
          failures = new AssertionError("architecture rules broken in " + rootPackage);
        }
        failures.addSuppressed(e);
      }
    }
    if (failures != null) {
      throw failures;
    }
  }

  private static SliceAssignment packagesUnder(String rootPackage) {
    return new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
        String p = javaClass.getPackageName();
        if (p.equals(rootPackage)) {
          return SliceIdentifier.of("(root)");
        }
        if (p.startsWith(rootPackage + ".")) {
          return SliceIdentifier.of(p.substring(rootPackage.length() + 1));
        }
        return SliceIdentifier.ignore();
      }

      @Override
      public String getDescription() {
        return "the packages under " + rootPackage;
      }
    };
  }

  private static DescribedPredicate<JavaClass> partOfAMainClass() {
    return DescribedPredicate.describe(
        "part of a *Main class",
        c -> {
          String topLevel =
              c.getName().contains("$") ? c.getName().split("\\$", 2)[0] : c.getName();
          return topLevel.endsWith("Main");
        });
  }
}
