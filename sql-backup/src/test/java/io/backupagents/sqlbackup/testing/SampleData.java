package io.backupagents.sqlbackup.testing;

import io.backupagents.testing.Commands;
import io.backupagents.testing.PostgresServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Real data for dump tests: a pgbench database ({@code bank}), a database with several schemas,
 * non-ASCII text, JSON and large objects ({@code shop}), and a role.
 */
public final class SampleData {

  public static final List<String> DATABASES = List.of("bank", "shop", "postgres");

  private SampleData() {}

  /** Loads everything into {@code server}. */
  public static void load(PostgresServer server) {
    server.createDatabase("bank");
    Commands.run(
        List.of(server.binDir().resolve("pgbench").toString(), "-i", "-s", "1", "-q", "bank"),
        server.libpqEnvironment());
    server.createDatabase("shop");
    server.execute(
        "shop",
        """
        CREATE SCHEMA sales;
        CREATE SCHEMA inventory;
        CREATE TABLE sales.customers (
          id serial PRIMARY KEY, name text NOT NULL, city text, note text);
        INSERT INTO sales.customers (name, city, note)
          SELECT 'Kunde ' || g,
                 (ARRAY['Zürich', '東京', 'São Paulo', 'Київ', 'Reykjavík'])[1 + g % 5],
                 repeat('naïve café ☕ ', g % 7)
          FROM generate_series(1, 20000) g;
        CREATE TABLE inventory.items (
          sku text PRIMARY KEY, description text, qty int, price numeric(10, 2), tags jsonb);
        INSERT INTO inventory.items
          SELECT 'SKU-' || g, 'Artikel «' || g || '» – größe ' || (g % 40),
                 g % 97, (g % 1000) / 7.0, jsonb_build_object('g', g, 'emoji', '🙂')
          FROM generate_series(1, 5000) g;
        CREATE TABLE sales.orders (
          id bigserial PRIMARY KEY, customer_id int REFERENCES sales.customers,
          placed timestamptz, total numeric);
        INSERT INTO sales.orders (customer_id, placed, total)
          SELECT 1 + g % 20000, timestamptz '2024-01-01 00:00+00' + g * interval '7 minutes',
                 (g % 5000) / 3.0
          FROM generate_series(1, 30000) g;
        CREATE TABLE sales.attachments (id int PRIMARY KEY, content oid);
        INSERT INTO sales.attachments
          SELECT g, lo_from_bytea(0, convert_to(repeat('attachment ' || g || ' ✓ ', 3000), 'UTF8'))
          FROM generate_series(1, 6) g;
        CREATE VIEW sales.big_orders AS SELECT * FROM sales.orders WHERE total > 1000;
        CREATE ROLE reporting LOGIN PASSWORD 'reporting-pw';
        GRANT USAGE ON SCHEMA sales TO reporting;
        GRANT SELECT ON ALL TABLES IN SCHEMA sales TO reporting;
        """);
  }

  /** Table fingerprints plus the large objects of each database. */
  public static Map<String, Map<String, String>> fingerprints(
      PostgresServer server, List<String> databases) {
    Map<String, Map<String, String>> result = new HashMap<>();
    for (String db : databases) {
      Map<String, String> fp = new java.util.TreeMap<>(server.fingerprint(db));
      fp.put(
          "(large objects)",
          server.queryString(
              db,
              "SELECT count(*) || ':' || coalesce(md5(string_agg(md5(lo_get(oid)), ','"
                  + " ORDER BY oid)), '') FROM pg_largeobject_metadata"));
      result.put(db, fp);
    }
    return result;
  }
}
