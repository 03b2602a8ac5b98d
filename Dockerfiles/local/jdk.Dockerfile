# A JDK image made from a JDK installed on this machine, laid out as the public eclipse-temurin
# images are (/opt/java/openjdk, JAVA_HOME), so the images' jlink stage runs unchanged where no
# registry is reachable. Build context: the JDK's directory (build-images.sh does this).
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
COPY . /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# Distribution-packaged JDKs link lib/security/cacerts to the system's Java trust store, which
# this image does not have; build-images.sh mounts the host's at /run/host-cacerts. jlink copies
# it into the linked runtime, which needs it for TLS to S3 endpoints.
RUN set -eu; \
    cacerts="$JAVA_HOME/lib/security/cacerts"; \
    if [ ! -e "$cacerts" ]; then \
      [ -f /run/host-cacerts ] || { echo "$cacerts is a dangling link and no trust store was mounted" >&2; exit 1; }; \
      rm -f "$cacerts"; cp /run/host-cacerts "$cacerts"; \
    fi; \
    keytool -list -cacerts -storepass changeit | grep -q 'contains [1-9][0-9]* entries'; \
    java -version
