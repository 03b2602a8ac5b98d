package io.backupagents.common.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain TCP relay in front of an HTTP S3 endpoint that keeps the bytes clients send, to check
 * request headers the endpoint accepts but does not act on (S3Proxy stores no storage class from a
 * copy). Requests pass unchanged, Host header included, so their signatures stay valid.
 */
final class RecordingRelay implements AutoCloseable {

  private static final Pattern REQUEST_LINE =
      Pattern.compile("(?m)^(GET|HEAD|PUT|POST|DELETE) \\S+ HTTP/1\\.1\r\n");

  private final URI target;
  private final ServerSocket listener;
  private final List<ByteArrayOutputStream> connections = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  RecordingRelay(URI target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::accept);
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  /**
   * The request line and headers of every request sent since the last call, lower-cased, one string
   * each, in the order of their connections.
   */
  List<String> takeRequests() {
    List<String> requests = new ArrayList<>();
    for (ByteArrayOutputStream sent : connections) {
      String text;
      synchronized (sent) {
        text = sent.toString(StandardCharsets.ISO_8859_1);
        sent.reset();
      }
      Matcher m = REQUEST_LINE.matcher(text);
      while (m.find()) {
        int end = text.indexOf("\r\n\r\n", m.start());
        requests.add(
            text.substring(m.start(), end < 0 ? text.length() : end).toLowerCase(Locale.ROOT));
      }
    }
    return requests;
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(target.getHost(), target.getPort());
        sockets.add(client);
        sockets.add(server);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        connections.add(sent);
        Thread.ofVirtual().start(() -> pump(client, server, sent));
        Thread.ofVirtual().start(() -> pump(server, client, null));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static void pump(Socket from, Socket to, ByteArrayOutputStream record) {
    byte[] buffer = new byte[64 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n; (n = in.read(buffer)) > 0; ) {
        if (record != null) {
          synchronized (record) {
            record.write(buffer, 0, n);
          }
        }
        out.write(buffer, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      // either side closed the connection
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
