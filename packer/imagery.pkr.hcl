# The Imagery AMI: Amazon Linux 2023, Amazon Corretto 25 (headless), both service jars, their
# AOT caches and their hardened systemd units. Neither unit is enabled here: each fleet's launch template
# writes /etc/imagery/imagery.env and enables its own unit (infra/cloudformation/imagery.yaml).
#
#   ./mvnw -q -DskipTests package                      # builds both jars
#   packer init packer/imagery.pkr.hcl
#   packer build -var region=eu-west-1 packer/imagery.pkr.hcl
#   jq -r '.builds[-1].artifact_id' packer-manifest.json | cut -d: -f2    # the AmiId parameter
#
# See infra/README.md. A current Packer is not available on the project's build machines: the
# infra module's PackerTemplateTest checks this file's structure (and runs `packer validate` when a
# packer binary is present); no AMI is built in CI.

packer {
  required_version = ">= 1.10.0"
  required_plugins {
    amazon = {
      version = ">= 1.8.0"
      source  = "github.com/hashicorp/amazon"
    }
  }
}

variable "region" {
  type        = string
  default     = "eu-west-1"
  description = "Region to build the AMI in (deploy the stack in the same region)."
}

variable "instance_type" {
  type        = string
  default     = "t3.small"
  description = "x86_64 type of the temporary build instance; the AMI is x86_64 like the stack's instance types."
}

variable "api_jar" {
  type        = string
  default     = "imagery-api/target/imagery-api.jar"
  description = "The API jar, relative to the repository root (./mvnw package builds it)."
}

variable "worker_jar" {
  type        = string
  default     = "imagery-worker/target/imagery-worker.jar"
  description = "The worker jar, relative to the repository root."
}

locals {
  # Paths relative to the repository root, whatever directory packer runs in.
  repository = "${path.root}/.."
  build_time = formatdate("YYYYMMDD-hhmmss", timestamp())
}

source "amazon-ebs" "imagery" {
  region          = var.region
  instance_type   = var.instance_type
  ami_name        = "imagery-${local.build_time}"
  ami_description = "Imagery API and worker on Amazon Linux 2023 with Amazon Corretto 25"

  # The newest Amazon Linux 2023 image published by Amazon itself. "2023.*" keeps out the
  # minimal and the ECS-optimized variants, which share the prefix.
  source_ami_filter {
    filters = {
      name                = "al2023-ami-2023.*-x86_64"
      architecture        = "x86_64"
      root-device-type    = "ebs"
      virtualization-type = "hvm"
    }
    owners      = ["amazon"]
    most_recent = true
  }

  # IMDSv2 only, for the build instance and (imds_support) for every instance of the AMI.
  imds_support = "v2.0"
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  # Encrypted root volume, so the AMI's snapshot is encrypted as well (gp3 at its baseline).
  launch_block_device_mappings {
    device_name           = "/dev/xvda"
    volume_size           = 16
    volume_type           = "gp3"
    iops                  = 3000
    throughput            = 125
    encrypted             = true
    delete_on_termination = true
  }

  # Packer reaches the build instance over SSH from this machine's address only; the
  # image itself ships with sshd disabled (instances are reached through Session Manager).
  ssh_username                              = "ec2-user"
  temporary_security_group_source_public_ip = true

  run_tags = {
    Name = "packer-imagery"
  }
  tags = {
    Name        = "imagery-${local.build_time}"
    Application = "imagery"
    OS          = "Amazon Linux 2023"
    Runtime     = "Amazon Corretto 25"
  }
}

build {
  name    = "imagery"
  sources = ["source.amazon-ebs.imagery"]

  provisioner "shell" {
    inline = ["mkdir -p /tmp/imagery"]
  }

  provisioner "file" {
    sources = [
      "${local.repository}/${var.api_jar}",
      "${local.repository}/${var.worker_jar}",
      "${path.root}/files/imagery-api.service",
      "${path.root}/files/imagery-worker.service",
    ]
    destination = "/tmp/imagery/"
  }

  # Corretto headless runtime, cfn-signal, the service user, the jars, their AOT caches and the units.
  provisioner "shell" {
    script          = "${path.root}/scripts/install.sh"
    execute_command = "chmod +x {{ .Path }}; sudo {{ .Vars }} {{ .Path }}"
  }

  # The AMI id for `aws cloudformation deploy --parameter-overrides AmiId=...`.
  post-processor "manifest" {
    output     = "packer-manifest.json"
    strip_path = true
    custom_data = {
      stack_parameter = "AmiId"
      region          = var.region
    }
  }
}
