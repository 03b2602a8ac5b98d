package io.backupagents.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A small TCP proxy in front of an HTTP endpoint (S3Proxy) that injects the fault a congested or
 * half-dead network causes: the requests whose first line matches a predicate stop moving, their
 * bytes held back (the client sees no error, only silence), until {@link #release()}. Everything
 * else passes untouched, so the client's own timeouts and retries are what is under test.
 */
public final class StallingProxy implements AutoCloseable {

  private final ServerSocket server;
  private final URI target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger stalled = new AtomicInteger();
  private volatile Predicate<String> stallWhen = line -> false;

  private StallingProxy(URI target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("stalling-proxy").start(this::acceptLoop);
  }

  /** A proxy for {@code target} (http://host:port). */
  public static StallingProxy start(URI target) {
    try {
      return new StallingProxy(target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The address clients should use instead of the target's. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** From now on, holds every request whose request line (e.g. "PUT /b/k HTTP/1.1") matches. */
  public void stall(Predicate<String> requestLine) {
    this.stallWhen = requestLine;
  }

  /** Lets the held requests (and all later ones) through. */
  public void release() {
    this.stallWhen = line -> false;
    synchronized (this) {
      notifyAll();
    }
  }

  /** How many requests have been held so far. */
  public int stalledRequests() {
    return stalled.get();
  }

  private void acceptLoop() {
    try {
      while (true) {
        Socket client = server.accept();
        Socket upstream = new Socket(target.getHost(), target.getPort());
        sockets.add(client);
        sockets.add(upstream);
        Thread.ofVirtual().start(() -> pump(client, upstream, true));
        Thread.ofVirtual().start(() -> pump(upstream, client, false));
      }
    } catch (IOException e) {
      // closed
    }
  }

  private void pump(Socket from, Socket to, boolean requests) {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      boolean held = false;
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (requests && startsRequest(buffer, n)) {
          held = stallWhen.test(requestLine(buffer, n));
          if (held) {
            stalled.incrementAndGet();
          }
        }
        while (held && stallWhen.test(requestLine(buffer, n))) {
          synchronized (this) {
            wait(200);
          }
        }
        held = false;
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // one side closed: close both
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static boolean startsRequest(byte[] b, int n) {
    String head = new String(b, 0, Math.min(n, 8), StandardCharsets.US_ASCII);
    return head.matches("^(GET|PUT|POST|HEAD|DELETE) .*");
  }

  private static String requestLine(byte[] b, int n) {
    String head = new String(b, 0, Math.min(n, 2048), StandardCharsets.ISO_8859_1);
    int end = head.indexOf("\r\n");
    return end < 0 ? head : head.substring(0, end);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    release();
    try {
      server.close();
    } catch (IOException e) {
      // already closed
    }
    sockets.forEach(StallingProxy::closeQuietly);
  }
}
