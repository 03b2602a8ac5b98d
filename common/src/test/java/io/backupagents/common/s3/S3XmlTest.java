package io.backupagents.common.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class S3XmlTest {

  private static List<String> read(String xml) throws IOException {
    List<String> events = new ArrayList<>();
    S3Xml.read(
        xml.getBytes(StandardCharsets.UTF_8),
        (depth, name, text) -> events.add(depth + " " + name + "=" + text));
    return events;
  }

  @Test
  void elementsEndWithTheirDepthAndText() throws IOException {
    assertThat(
            read(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<R xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                    + "<Name>b</Name><Prefix/><Prefix />"
                    + "<C><Key>a/é 日.txt</Key><Size>3</Size></C></R>"))
        .containsExactly(
            "2 Name=b", "2 Prefix=", "2 Prefix=", "3 Key=a/é 日.txt", "3 Size=3", "2 C=", "1 R=");
  }

  @Test
  void referencesCdataCommentsAndPrefixesAreResolved() throws IOException {
    assertThat(
            read(
                "<s3:R a='x>y' b=\"1\"><!-- a comment with <tags> -->"
                    + "<s3:ETag>&quot;0a&quot;</s3:ETag>"
                    + "<K>&lt;&gt;&amp;&apos;&#13;&#x41;&#x1F600;</K>"
                    + "<D><![CDATA[<raw & text>]]></D></s3:R>"))
        .containsExactly("2 ETag=\"0a\"", "2 K=<>&'\rA\uD83D\uDE00", "2 D=<raw & text>", "1 R=");
  }

  @Test
  void malformedOrDangerousDocumentsAreRefused() {
    assertThatThrownBy(() -> read("<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r/>"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("document type declaration");
    assertThatThrownBy(() -> read("<a><b></a></b>"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("unexpected end tag </a>");
    assertThatThrownBy(() -> read("<a><b>text</b>"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ends inside <a>");
    assertThatThrownBy(() -> read("<a>&nbsp;</a>"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("unknown entity &nbsp;");
    assertThatThrownBy(() -> read("<a>&#xZZ;</a>"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("bad character reference");
    assertThatThrownBy(() -> read("<a b=\"unterminated></a>"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("unterminated tag");
  }
}
