#!/bin/bash
# Runs as root on the Packer build instance (Amazon Linux 2023); see packer/imagery.pkr.hcl.
set -euxo pipefail

# Current packages, then the runtime and the CloudFormation helper (cfn-signal). Corretto 25 for its AOT cache
# (below); the jars are Java 17 bytecode, so they run on it unchanged.
dnf -y upgrade --releasever=latest
dnf -y install java-25-amazon-corretto-headless aws-cfn-bootstrap
# The worker decodes JPEGs with libjpeg-turbo's TurboJPEG library, twice as fast as the JDK's decoder
# (docs/PERFORMANCE.md); Fedora, and so AL2023, package it as turbojpeg. Without it the worker still works,
# with the JDK's decoder, so a missing package is a warning, not a failed build.
dnf -y install turbojpeg || echo "WARNING: no turbojpeg package: the worker will decode JPEGs with the JDK" >&2
# And it deflates its PNGs with Intel's ISA-L (igzip), about four times as fast as zlib; Fedora packages it as
# isa-l. Without it the worker deflates with the JDK's zlib, so this too is a warning only.
dnf -y install isa-l || echo "WARNING: no isa-l package: the worker will deflate PNGs with zlib" >&2
# And it decodes WebPs with libwebp, WebP's reference decoder (AL2023: libwebp): the sepia job on a 4.1 MP WebP
# takes 61 ms with it, 302 with the Java decoder the worker falls back on.
dnf -y install libwebp || echo "WARNING: no libwebp package: the worker will decode WebPs in Java" >&2
dnf clean all

# The services run as their own unprivileged user, with no shell and no home.
useradd --system --user-group --home-dir /nonexistent --no-create-home --shell /sbin/nologin imagery

# Jars owned by root and read-only for the service: a compromised service cannot replace them.
install -d -m 0755 -o root -g root /opt/imagery
# Start-up (docs/PERFORMANCE.md, "Start-up"): each fat jar is unpacked into Spring Boot's extracted layout (a
# thin /opt/imagery/imagery-*.jar whose manifest names /opt/imagery/lib/*.jar; the two services share the
# same dependency versions), and the JDK's AOT cache (JEP 483/514/515: loaded and linked classes, method
# profiles) is recorded by a training run that stops after the context refresh. That run builds the AWS
# clients but sends no request (lifecycle beans such as the SQS listener never start), so it needs no
# credentials or resources: only a region. Like the units, it runs in Spring AOT mode (-Dspring.aot.enabled=true:
# the bean definitions that the build's process-aot precomputed, no configuration scanning). The units pass
# -XX:AOTCache: without the cache (a failed training run) or with a stale one (another JDK build, changed jars)
# the JVM logs "[error][aot] ..." and starts normally, only slower.
install -d -m 0755 -o root -g root /opt/imagery/lib
# The training run takes the unit's own JAVA_OPTS, less its -XX:AOTCache: a cache recorded with other module
# options is rejected at start-up ("Mismatched values for property jdk.module.enable.native.access": the worker's
# JPEG decoder calls native code), and one recorded outside Spring AOT mode holds the classes of another start.
unit_java_opts() { # $1: a unit file
  sed -n 's/^Environment="JAVA_OPTS=\(.*\)"$/\1/p' "$1" | sed -E 's/ ?-XX:AOTCache=[^ ]*//'
}
for service in imagery-api imagery-worker; do
  java -Djarmode=tools -jar "/tmp/imagery/$service.jar" extract --destination "/tmp/imagery/extract/$service"
  cp -n "/tmp/imagery/extract/$service"/lib/*.jar /opt/imagery/lib/
  install -m 0644 -o root -g root "/tmp/imagery/extract/$service/$service.jar" /opt/imagery/
  java_opts=$(unit_java_opts "/tmp/imagery/$service.service")
  if ! (cd /tmp && AWS_REGION="${AWS_REGION:-us-east-1}" java $java_opts -XX:AOTCacheOutput="/opt/imagery/$service.aot" \
      -Dspring.context.exit=onRefresh -Dserver.port=0 -jar "/opt/imagery/$service.jar"); then
    echo "AOT cache training run of $service failed: it will start without the cache" >&2
    rm -f "/opt/imagery/$service.aot" "/opt/imagery/$service.aot.config"
  fi
done
chown -R root:root /opt/imagery
chmod -R a+rX,go-w /opt/imagery
install -m 0644 -o root -g root /tmp/imagery/imagery-api.service /tmp/imagery/imagery-worker.service /etc/systemd/system/
systemd-analyze verify /etc/systemd/system/imagery-api.service /etc/systemd/system/imagery-worker.service
systemctl daemon-reload
# Not enabled on purpose: each fleet's user data writes /etc/imagery/imagery.env and enables
# its own unit.

# What the launch templates rely on: a JDK that reads the units' -XX:AOTCache (JDK 25 or later).
java -version
java -XX:+PrintFlagsFinal -version | grep -w AOTCache
test -x /opt/aws/bin/cfn-signal
ls -l /usr/lib64/libturbojpeg.so.0 || echo "WARNING: libturbojpeg.so.0 is missing (see above)" >&2
ls -l /usr/lib64/libisal.so.2 || echo "WARNING: libisal.so.2 is missing (see above)" >&2
ls -l /usr/lib64/libwebp.so.7 || echo "WARNING: libwebp.so.7 is missing (see above)" >&2
systemctl is-enabled amazon-ssm-agent

# No SSH on instances: Session Manager replaces it. Remove Packer's temporary key too.
systemctl disable sshd.service
rm -f /home/ec2-user/.ssh/authorized_keys
rm -rf /tmp/imagery
cloud-init clean --logs
