package dev.warden.mongowire;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs mongo-java-server (the MongoDB wire protocol in the JVM) for local
 * development and tests on machines without MongoDB: docs/adr/0004.
 *
 * <pre>
 *   java -jar mongo-wire.jar --listen 127.0.0.1:0 --backend memory
 *   java -jar mongo-wire.jar --listen 127.0.0.1:27117 --backend h2 --file .data/mongo/warden.mv
 * </pre>
 *
 * Prints one line {@code ready mongodb://host:port/} on stdout once it accepts
 * connections (so a launcher can pass port 0 and learn the real one), and on
 * SIGTERM/SIGINT stops accepting, closes the backend (the H2 file is committed
 * and closed) and exits 0.
 */
public final class MongoWireServer {
    private MongoWireServer() {}

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("mongo-wire: " + e.getMessage());
            System.err.println("usage: --listen host:port --backend memory|h2 [--file path]");
            System.exit(64);
            return;
        }

        MongoBackend backend = openBackend(options);
        MongoServer server = new MongoServer(backend);
        server.bind(new InetSocketAddress(options.host, options.port));
        InetSocketAddress bound = server.getLocalAddress();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // shutdown() closes the backend: for H2 that commits and closes the file.
            server.shutdown();
            stopped.countDown();
        }, "mongo-wire-shutdown"));

        System.out.println("ready mongodb://" + bound.getHostString() + ":" + bound.getPort() + "/");
        System.out.flush();
        stopped.await();
    }

    private static MongoBackend openBackend(Options options) throws IOException {
        if (options.backend.equals("memory")) return new MemoryBackend();
        Path file = Path.of(options.file).toAbsolutePath();
        Files.createDirectories(file.getParent());
        return new H2Backend(file.toString());
    }

    private record Options(String host, int port, String backend, String file) {
        static Options parse(String[] args) {
            String listen = null;
            String backend = "memory";
            String file = null;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--listen" -> listen = require(args[i], value);
                    case "--backend" -> backend = require(args[i], value);
                    case "--file" -> file = require(args[i], value);
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
                i++;
            }
            if (listen == null) throw new IllegalArgumentException("--listen is required");
            int colon = listen.lastIndexOf(':');
            if (colon <= 0) throw new IllegalArgumentException("--listen must be host:port");
            int port;
            try {
                port = Integer.parseInt(listen.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--listen port is not a number: " + listen);
            }
            if (!backend.equals("memory") && !backend.equals("h2")) {
                throw new IllegalArgumentException("--backend must be memory or h2, not " + backend);
            }
            if (backend.equals("h2") && file == null) {
                throw new IllegalArgumentException("--backend h2 needs --file");
            }
            return new Options(listen.substring(0, colon), port, backend, file);
        }

        private static String require(String flag, String value) {
            if (value == null) throw new IllegalArgumentException(flag + " needs a value");
            return value;
        }
    }
}
