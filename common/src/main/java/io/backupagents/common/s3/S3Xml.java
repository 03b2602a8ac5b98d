package io.backupagents.common.s3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the small XML documents S3 answers with (a ListBucketResult, an Error): elements, their
 * text, character and entity references, CDATA sections; comments and processing instructions are
 * skipped, attributes ignored and namespace prefixes dropped. A document type declaration is
 * refused, as are mismatched tags.
 *
 * <p>Why not the JDK's XML parser: a listing of ten thousand keys is ten pages of this, and the
 * general parser's start-up and compilation cost more CPU than a pass that finds everything
 * unchanged spends on anything else.
 */
final class S3Xml {

  /** Receives each element when it ends. */
  @FunctionalInterface
  interface Handler {
    /**
     * An element ended: its depth (the root is 1), local name, and character content (the text
     * directly inside it, references resolved).
     */
    void element(int depth, String name, String text) throws IOException;
  }

  private S3Xml() {}

  static void read(byte[] document, Handler handler) throws IOException {
    String xml = new String(document, StandardCharsets.UTF_8);
    List<String> open = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int i = 0;
    int n = xml.length();
    while (i < n) {
      char c = xml.charAt(i);
      if (c == '&') {
        i = reference(xml, i, text);
      } else if (c != '<') {
        int next = nextMarkup(xml, i);
        text.append(xml, i, next);
        i = next;
      } else if (xml.startsWith("<![CDATA[", i)) {
        int end = find(xml, "]]>", i);
        text.append(xml, i + 9, end);
        i = end + 3;
      } else if (xml.startsWith("<!--", i)) {
        i = find(xml, "-->", i) + 3;
      } else if (xml.startsWith("<?", i)) {
        i = find(xml, "?>", i) + 2;
      } else if (xml.startsWith("<!", i)) {
        throw new IOException("a document type declaration is not accepted");
      } else if (xml.startsWith("</", i)) {
        int end = find(xml, ">", i);
        String name = localName(xml.substring(i + 2, end).strip());
        if (open.isEmpty() || !open.get(open.size() - 1).equals(name)) {
          throw new IOException("unexpected end tag </" + name + ">");
        }
        handler.element(open.size(), name, text.toString());
        open.remove(open.size() - 1);
        text.setLength(0);
        i = end + 1;
      } else {
        int end = tagEnd(xml, i);
        boolean empty = xml.charAt(end - 1) == '/';
        int nameEnd = i + 1;
        while (nameEnd < end && !isSpace(xml.charAt(nameEnd)) && xml.charAt(nameEnd) != '/') {
          nameEnd++;
        }
        String name = localName(xml.substring(i + 1, nameEnd));
        if (name.isEmpty()) {
          throw new IOException("a tag without a name at offset " + i);
        }
        text.setLength(0);
        if (empty) {
          handler.element(open.size() + 1, name, "");
        } else {
          open.add(name);
        }
        i = end + 1;
      }
    }
    if (!open.isEmpty()) {
      throw new IOException("the document ends inside <" + open.get(open.size() - 1) + ">");
    }
  }

  private static int nextMarkup(String xml, int from) {
    int n = xml.length();
    int i = from;
    while (i < n && xml.charAt(i) != '<' && xml.charAt(i) != '&') {
      i++;
    }
    return i;
  }

  /** The index of the '>' that closes the start tag at {@code from}, skipping quoted values. */
  private static int tagEnd(String xml, int from) throws IOException {
    char quote = 0;
    for (int i = from + 1; i < xml.length(); i++) {
      char c = xml.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        return i;
      }
    }
    throw new IOException("an unterminated tag at offset " + from);
  }

  private static int find(String xml, String what, int from) throws IOException {
    int at = xml.indexOf(what, from);
    if (at < 0) {
      throw new IOException("no '" + what + "' after offset " + from);
    }
    return at;
  }

  /** Appends the character of the reference at {@code from}; returns the index after it. */
  private static int reference(String xml, int from, StringBuilder out) throws IOException {
    int end = xml.indexOf(';', from);
    if (end < 0 || end - from > 12) {
      throw new IOException("a bad reference at offset " + from);
    }
    String name = xml.substring(from + 1, end);
    switch (name) {
      case "lt" -> out.append('<');
      case "gt" -> out.append('>');
      case "amp" -> out.append('&');
      case "quot" -> out.append('"');
      case "apos" -> out.append('\'');
      default -> {
        try {
          if (name.startsWith("#x")) {
            out.appendCodePoint(Integer.parseInt(name.substring(2), 16));
          } else if (name.startsWith("#")) {
            out.appendCodePoint(Integer.parseInt(name.substring(1)));
          } else {
            throw new IOException("an unknown entity &" + name + "; at offset " + from);
          }
        } catch (IllegalArgumentException e) {
          throw new IOException("a bad character reference &" + name + "; at offset " + from, e);
        }
      }
    }
    return end + 1;
  }

  private static String localName(String qualified) {
    int colon = qualified.indexOf(':');
    return colon < 0 ? qualified : qualified.substring(colon + 1);
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }
}
