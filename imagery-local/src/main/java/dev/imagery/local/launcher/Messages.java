package dev.imagery.local.launcher;

import static dev.imagery.local.launcher.ServiceProcess.print;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.imagery.local.AwsService;
import dev.imagery.local.EmbeddedAws;

/** What the launcher tells its user, and the checks behind the friendlier messages. */
final class Messages {

    private Messages() {
    }

    static void awsRunning(EmbeddedAws aws, Path envFile) {
        print("AWS is running on this machine" + (aws.persistent() ? "" : " (in memory)") + ":");
        print("  DynamoDB  " + aws.endpoints().endpoint(AwsService.DYNAMODB) + "   DynamoDB Local, pid "
                + aws.pid(AwsService.DYNAMODB));
        print("  SQS       " + aws.endpoints().endpoint(AwsService.SQS) + "   ElasticMQ, pid " + aws.pid(AwsService.SQS)
                + ", queue " + aws.queueUrl());
        print("  S3        " + aws.endpoints().endpoint(AwsService.S3) + "   S3Proxy, pid " + aws.pid(AwsService.S3)
                + ", bucket " + aws.resources().bucket());
        print("  a server that dies (kill -9 <pid>) is restarted within a few seconds"
                + (aws.persistent() ? ", with its data" : ""));
        print("  data and logs in " + aws.dataDirectory() + " (removed on exit)");
        print("Configuration written to " + envFile);
    }

    static void howToStartServices(LauncherOptions options, Path envFile) {
        Path here = Path.of("").toAbsolutePath();
        boolean envFileHere = envFile.getParent().equals(here);
        print("");
        print("Start the services in two more terminals, from " + (envFileHere ? "this directory" : envFile.getParent())
                + " (they import ./" + envFile.getFileName() + " themselves):");
        print("  java " + String.join(" ", Launcher.API_JVM_OPTIONS) + " -jar " + relative(here, options.apiJar));
        print("  java " + String.join(" ", Launcher.workerJvmOptions(options)) + " -jar "
                + relative(here, options.workerJar));
        print("Other tools (aws cli, scripts) can load it into a shell: set -a; . ./" + envFile.getFileName() + "; set +a");
        print("Ctrl-C stops the AWS servers.");
    }

    /** A taken port would otherwise surface as a Spring stack trace from deep inside the child. */
    static void requireFreePorts(LauncherOptions options) {
        requireFree(options.apiPort, "--port");
        for (int n = 0; n < options.workers; n++) {
            requireFree(options.workerPort + n, "--worker-port");
        }
    }

    /** Only our own file: if someone replaced it meanwhile, it is theirs. */
    static void removeEnvFile(Path envFile, Map<String, String> environment) {
        try {
            if (Files.isRegularFile(envFile)
                    && Files.readString(envFile).contains("IMAGERY_QUEUE=" + environment.get("IMAGERY_QUEUE") + "\n")) {
                Files.delete(envFile);
            }
        } catch (IOException e) {
            print("imagery-local: could not remove " + envFile + ": " + e.getMessage());
        }
    }

    private static void requireFree(int port, String option) {
        try (ServerSocket probe = new ServerSocket(port)) {
            probe.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalArgumentException("port " + port + " is in use; choose another with " + option + "=");
        }
    }

    private static String relative(Path base, Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return absolute.startsWith(base) ? base.relativize(absolute).toString() : absolute.toString();
    }
}
