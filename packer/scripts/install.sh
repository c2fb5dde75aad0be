#!/bin/bash
# Runs as root on the Packer build instance (Amazon Linux 2023); see packer/imagery.pkr.hcl.
set -euxo pipefail

# Current packages, then the runtime and the CloudFormation helper (cfn-signal).
dnf -y upgrade --releasever=latest
dnf -y install java-21-amazon-corretto-headless aws-cfn-bootstrap
dnf clean all

# The services run as their own unprivileged user, with no shell and no home.
useradd --system --user-group --home-dir /nonexistent --no-create-home --shell /sbin/nologin imagery

# Jars owned by root and read-only for the service: a compromised service cannot replace them.
install -d -m 0755 -o root -g root /opt/imagery
install -m 0644 -o root -g root /tmp/imagery/imagery-api.jar /tmp/imagery/imagery-worker.jar /opt/imagery/
install -m 0644 -o root -g root /tmp/imagery/imagery-api.service /tmp/imagery/imagery-worker.service /etc/systemd/system/
systemd-analyze verify /etc/systemd/system/imagery-api.service /etc/systemd/system/imagery-worker.service
systemctl daemon-reload
# Not enabled on purpose: each fleet's user data writes /etc/imagery/imagery.env and enables
# its own unit.

# What the launch templates rely on.
java -version
test -x /opt/aws/bin/cfn-signal
systemctl is-enabled amazon-ssm-agent

# No SSH on instances: Session Manager replaces it. Remove Packer's temporary key too.
systemctl disable sshd.service
rm -f /home/ec2-user/.ssh/authorized_keys
rm -rf /tmp/imagery
cloud-init clean --logs
