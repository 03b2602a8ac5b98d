package io.backupagents.common.s3;

import io.backupagents.common.exit.AgentException;
import io.backupagents.common.exit.ExitCode;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Turns SDK failures into {@link AgentException}s with the right exit code and a short cause. */
public final class S3Errors {

  private S3Errors() {}

  /** Classifies {@code failure} of {@code what} (e.g. "upload of s3://b/k"). */
  public static AgentException classify(String what, Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof AgentException agent) {
      return agent;
    }
    if (t instanceof S3Exception s3) {
      String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
      String detail = "HTTP " + s3.statusCode() + (code == null ? "" : " " + code);
      if (s3.statusCode() == 403 || "InvalidAccessKeyId".equals(code)) {
        return new AgentException(
            ExitCode.AUTH_FAILED,
            what + " was refused (" + detail + "): check the access key, secret and bucket policy",
            t);
      }
      if ("NoSuchBucket".equals(code)) {
        return new AgentException(
            ExitCode.NOT_FOUND, what + " failed: the bucket does not exist (" + detail + ")", t);
      }
      return new AgentException(ExitCode.OPERATION_FAILED, what + " failed (" + detail + ")", t);
    }
    if (certificateRefused(t)) {
      return new AgentException(
          ExitCode.AUTH_FAILED,
          what
              + " failed: the S3 endpoint's TLS certificate was refused ("
              + rootMessage(t)
              + "): it must name the endpoint's host and chain to a CA in the Java trust store",
          t);
    }
    if (t instanceof SdkClientException && isConnectionProblem(t)) {
      return new AgentException(
          ExitCode.UNREACHABLE,
          what + " failed: the S3 endpoint could not be reached (" + rootMessage(t) + ")",
          t);
    }
    return new AgentException(ExitCode.OPERATION_FAILED, what + " failed: " + rootMessage(t), t);
  }

  public static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /**
   * Whether the client refused the endpoint's certificate (untrusted, expired, or for another host
   * name): no retry can help, and the cause says what to fix.
   */
  static boolean certificateRefused(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof CertificateException) {
        return true;
      }
    }
    return false;
  }

  private static boolean isConnectionProblem(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException
          || c instanceof UnknownHostException
          || c instanceof UnresolvedAddressException
          || String.valueOf(c.getMessage()).contains("Connection refused")) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.replaceAll("\\s*\\R\\s*", " ");
  }
}
