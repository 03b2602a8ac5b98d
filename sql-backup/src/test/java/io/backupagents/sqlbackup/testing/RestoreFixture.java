package io.backupagents.sqlbackup.testing;

import io.backupagents.common.launch.Launcher;
import io.backupagents.common.settings.SettingsReader;
import io.backupagents.sqlbackup.SqlBackupAgent;
import io.backupagents.sqlbackup.postgres.PgCredentials;
import io.backupagents.sqlbackup.postgres.PostgresSetting;
import io.backupagents.sqlbackup.postgres.PostgresSettings;
import io.backupagents.sqlbackup.settings.HostEnvironment;
import io.backupagents.testing.Commands;
import io.backupagents.testing.PostgresServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Real data, legacy-made backups and agent runs for the restore tests. */
public final class RestoreFixture {

  public static final Instant NOW = Instant.parse("2025-09-10T12:00:00Z");
  public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private RestoreFixture() {}

  /** What an agent run left: its exit status, termination message, metrics and output. */
  public record Run(int status, String termination, String metrics, String output) {}

  /**
   * Loads data that exercises a restore: a role owning a database, several schemas (one with a
   * non-ASCII name), non-ASCII text, jsonb, bytea, large objects, a plpgsql function whose body
   * holds lines that look like statements a filter acts on, and text that looks like SQL and psql
   * meta-commands in COPY data.
   */
  public static void loadSampleData(PostgresServer pg) {
    pg.execute("postgres", "CREATE ROLE appuser LOGIN PASSWORD 'app-secret'");
    pg.execute("postgres", "CREATE DATABASE app OWNER appuser");
    pg.execute("postgres", "CREATE DATABASE shop");
    pg.execute(
        "postgres",
        "CREATE TABLE public.settings (k text PRIMARY KEY, v text);"
            + " INSERT INTO settings VALUES ('greeting', 'Grüße aus Köln'), ('mode', 'staging')");
    pg.execute(
        "app",
        String.join(
            "\n",
            "CREATE SCHEMA billing AUTHORIZATION appuser;",
            "CREATE SCHEMA \"Crème brûlée\";",
            "CREATE TABLE public.customers (id serial PRIMARY KEY, name text NOT NULL, city text,"
                + " note text);",
            "INSERT INTO customers (name, city, note) SELECT 'Kunde ' || g,"
                + " (ARRAY['Zürich','Kraków','Tōkyō','Москва','São Paulo'])[1 + g % 5],"
                + " repeat('ü', g % 7) FROM generate_series(1, 2000) g;",
            "CREATE TABLE billing.invoices (id bigserial PRIMARY KEY,"
                + " customer_id int REFERENCES customers(id), amount numeric(12,2), lines jsonb);",
            "INSERT INTO billing.invoices (customer_id, amount, lines) SELECT 1 + g % 2000,"
                + " g * 1.25, jsonb_build_object('item', 'Artikel ' || g, 'qty', g % 9)"
                + " FROM generate_series(1, 5000) g;",
            "ALTER TABLE billing.invoices OWNER TO appuser;",
            "CREATE TABLE \"Crème brûlée\".\"Recettes\" (id int, titre text, données bytea);",
            "INSERT INTO \"Crème brûlée\".\"Recettes\" SELECT g, 'Recette n° ' || g || ' — ½ tasse',"
                + " decode(md5(g::text), 'hex') FROM generate_series(1, 300) g;",
            "CREATE TABLE public.documents (id int PRIMARY KEY, body oid);",
            "INSERT INTO documents SELECT g, lo_from_bytea(0, convert_to(repeat('Dokument ' || g"
                + " || ' äöü ', 200), 'UTF8')) FROM generate_series(1, 20) g;",
            "CREATE TABLE public.copy_trap (id int, body text);",
            "INSERT INTO copy_trap VALUES (1, E'DROP ROLE IF EXISTS postgres;\\n\\\\connect"
                + " template1\\nDROP DATABASE postgres;'), (2, E'-- Database \"x\" dump'),"
                + " (3, E'\\\\.'), (4, E'x\\n\\\\.\\nGRANT ALL ON DATABASE app TO PUBLIC;');",
            "CREATE FUNCTION public.cleanup() RETURNS void LANGUAGE plpgsql AS $$",
            "BEGIN",
            "DROP DATABASE IF EXISTS app;",
            "GRANT SELECT ON public.customers TO appuser;",
            "ALTER TABLE public.customers OWNER TO appuser;",
            "END $$;",
            "COMMENT ON DATABASE app IS 'the application''s data';"));
    pg.execute(
        "shop",
        "CREATE TABLE products (sku text PRIMARY KEY, title text, price numeric);"
            + " INSERT INTO products SELECT 'SKU-' || g, 'Produit ' || g || ' – €', g * 0.99"
            + " FROM generate_series(1, 500) g;");
  }

  /** Table contents, large objects and function bodies of {@code database}, for comparison. */
  public static Map<String, String> fingerprint(PostgresServer pg, String database) {
    Map<String, String> all = new TreeMap<>(pg.fingerprint(database));
    all.put(
        "large objects",
        pg.queryString(
            database,
            "SELECT coalesce(string_agg(oid::text || ':' || md5(lo_get(oid)), ',' ORDER BY oid),"
                + " '') FROM pg_largeobject_metadata"));
    all.put(
        "functions",
        pg.queryString(
            database,
            "SELECT coalesce(string_agg(proname || ':' || md5(prosrc), ',' ORDER BY proname), '')"
                + " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                + " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')"));
    return all;
  }

  /** {@code pg_dumpall --clean --if-exists | gzip > file}, as the legacy image made backups. */
  public static Path legacyDumpall(PostgresServer pg, Path file) {
    return shell(pg, pg.binDir().resolve("pg_dumpall") + " --clean --if-exists", file);
  }

  /** {@code pg_dump --clean --if-exists <database> | gzip > file}. */
  public static Path legacyDump(PostgresServer pg, String database, Path file) {
    return shell(pg, pg.binDir().resolve("pg_dump") + " --clean --if-exists " + database, file);
  }

  private static Path shell(PostgresServer pg, String dump, Path file) {
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Commands.run(
        List.of("bash", "-c", "set -eo pipefail; " + dump + " | gzip > '" + file + "'"),
        pg.libpqEnvironment());
    return file;
  }

  /** The agent's credentials for the superuser of {@code server}, its files under {@code dir}. */
  public static PgCredentials credentials(PostgresServer server, Path dir) throws IOException {
    SettingsReader r =
        new SettingsReader(
            Map.of(
                "PGHOST", server.host(),
                "PGPORT", Integer.toString(server.port()),
                "PGUSER", PostgresServer.SUPERUSER,
                "PGADMINPASS", server.password()),
            Arrays.asList(PostgresSetting.values()),
            List.of());
    PostgresSettings settings = PostgresSettings.read(r);
    r.finish();
    return PgCredentials.create(settings, dir, dir, Clock.systemUTC());
  }

  /** The environment of an agent run against {@code target}, with roots under {@code base}. */
  public static Map<String, String> env(PostgresServer target, Path base) {
    Map<String, String> env = new HashMap<>();
    env.put("PGHOST", target.host());
    env.put("PGPORT", Integer.toString(target.port()));
    env.put("PGUSER", PostgresServer.SUPERUSER);
    env.put("PGADMINPASS", target.password());
    env.put("BACKUP_ROOT_DIR", base.resolve("backup").toString());
    env.put("RECOVERY_ROOT_DIR", base.resolve("recovery").toString());
    env.put("TERMINATION_LOG_PATH", base.resolve("termination-log").toString());
    return env;
  }

  /** Runs the agent as its main would, with {@code env} and the fixed clock. */
  public static Run run(Map<String, String> env, Path base, String... args) {
    Map<String, String> host = new HashMap<>();
    host.put("PATH", System.getenv("PATH"));
    host.put("HOME", base.toString());
    host.put("TMPDIR", base.toString());
    Launcher launcher =
        new Launcher(new SqlBackupAgent(HostEnvironment.of(host, CLOCK)), env, CLOCK);
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int status;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      status = launcher.run(List.of(args));
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    original.print(output);
    return new Run(
        status,
        read(Path.of(env.get("TERMINATION_LOG_PATH"))),
        launcher.registry().scrape(),
        output);
  }

  public static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
