package io.backupagents.demo;

import io.backupagents.testing.Commands;
import io.backupagents.testing.PostgresServer;
import io.backupagents.testing.S3ProxyServer;
import java.util.List;

/** Starts a throw-away PostgreSQL with sample data and an in-process S3 endpoint with a bucket. */
final class StartServersStep implements DemoStep {

  @Override
  public String title() {
    return "start a throw-away PostgreSQL with sample data and an in-process S3 endpoint";
  }

  @Override
  public void run(DemoContext c) {
    PostgresServer pg = PostgresServer.start();
    S3ProxyServer s3;
    try {
      loadSampleData(pg);
      s3 = S3ProxyServer.inMemory();
    } catch (RuntimeException e) {
      pg.close();
      throw e;
    }
    c.servers(pg, s3);
    c.createBucket();
    c.out()
        .printf(
            "PostgreSQL %d on %s:%d with databases bank (pgbench, %s) and shop (%s rows of"
                + " non-ASCII text, large objects)%n",
            pg.majorVersion(),
            pg.host(),
            pg.port(),
            pg.queryString("bank", "SELECT pg_size_pretty(pg_database_size('bank'))"),
            pg.queryString("shop", "SELECT count(*) FROM sales.customers"));
    c.out().printf("S3 endpoint %s with the bucket %s%n", s3.endpoint(), DemoContext.BUCKET);
  }

  private static void loadSampleData(PostgresServer pg) {
    pg.createDatabase("bank");
    Commands.run(
        List.of(pg.binDir().resolve("pgbench").toString(), "-i", "-s", "2", "-q", "bank"),
        pg.libpqEnvironment());
    pg.createDatabase("shop");
    pg.execute(
        "shop",
        """
        CREATE SCHEMA sales;
        CREATE TABLE sales.customers (id serial PRIMARY KEY, name text, city text, note text);
        INSERT INTO sales.customers (name, city, note)
          SELECT 'Kunde ' || g,
                 (ARRAY['Zürich', '東京', 'São Paulo', 'Київ', 'Reykjavík'])[1 + g % 5],
                 repeat('naïve café ☕ ', g % 7)
          FROM generate_series(1, 20000) g;
        CREATE TABLE sales.attachments (id int PRIMARY KEY, content oid);
        INSERT INTO sales.attachments
          SELECT g, lo_from_bytea(0, convert_to(repeat('attachment ' || g || ' ✓ ', 3000), 'UTF8'))
          FROM generate_series(1, 3) g;
        """);
  }
}
