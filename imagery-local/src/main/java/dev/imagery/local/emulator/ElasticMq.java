package dev.imagery.local.emulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.imagery.local.AwsService;

/**
 * ElasticMQ (SQS). The node address must carry the real port or queue URLs point elsewhere, and the region
 * must be set or ARNs read {@code arn:aws:sqs:elasticmq:...}. Persistent mode stores queue definitions in a
 * file and messages in an H2 database, so queued and in-flight messages survive a restart.
 */
final class ElasticMq implements Emulator {

    @Override
    public AwsService service() {
        return AwsService.SQS;
    }

    @Override
    public String name() {
        return "elasticmq";
    }

    @Override
    public Launch prepare(Settings settings) throws IOException {
        Files.createDirectories(settings.dataDir());
        Path conf = settings.dataDir().resolve("elasticmq.conf");
        String port = Integer.toString(settings.port());
        String text = """
                include classpath("application.conf")
                node-address { protocol = "http", host = "127.0.0.1", port = %s, context-path = "" }
                rest-sqs { enabled = true, bind-port = %s, bind-hostname = "127.0.0.1", sqs-limits = strict }
                rest-stats { enabled = false }
                generate-node-address = false
                aws { region = %s, accountId = "000000000000" }
                queues-storage { enabled = %s, path = %s }
                messages-storage { enabled = %s, uri = %s }
                """.formatted(port, port, quote(settings.region()),
                settings.persistent(), quote(settings.dataDir().resolve("queues.conf").toString()),
                settings.persistent(), quote("jdbc:h2:" + settings.dataDir().resolve("messages")));
        Files.writeString(conf, text);
        // C1 only: a few messages a second need no optimising compiler, and C2 would spend seconds of CPU on Pekko.
        return new Launch(List.of("-XX:TieredStopAtLevel=1", "-Dconfig.file=" + conf), "org.elasticmq.server.Main",
                List.of());
    }

    /** A HOCON quoted string (JSON escaping): Windows paths carry backslashes. */
    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
