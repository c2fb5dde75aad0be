package dev.imagery.local.launcher;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpServer;

/** Stands in for imagery-api.jar / imagery-worker.jar: a readiness endpoint on SERVER_PORT, and it says what it got
 * (its environment and JVM options). */
public final class FakeService {

    private FakeService() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv("SERVER_PORT"));
        System.out.println("fake service on " + System.getenv("SERVER_ADDRESS") + ":" + port + " with IMAGERY_QUEUE="
                + System.getenv("IMAGERY_QUEUE") + " pid=" + ProcessHandle.current().pid() + " jvm="
                + ManagementFactory.getRuntimeMXBean().getInputArguments());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/actuator/health/readiness", exchange -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }
}
