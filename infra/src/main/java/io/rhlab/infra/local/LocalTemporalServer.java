package io.rhlab.infra.local;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's Java test server as a real gRPC frontend on loopback: any Temporal client (this CLI,
 * another SDK, the temporal CLI) can connect. State lives in memory and dies with the process;
 * rhlab's own stage records and checkpoints carry a run across that loss. The clock is real
 * (time skipping locked), so timeouts behave as on a cluster.
 *
 * <p>{@link #kill()} and {@link #restart()} lose every workflow, as a crash of the process would,
 * and serve a fresh, empty server on the same port (fault-injection tests).
 */
public final class LocalTemporalServer implements AutoCloseable {
  private final int port;
  private TestServicesStarter services; // null while stopped
  private Server server;

  private LocalTemporalServer(TestServicesStarter services, Server server) {
    this.services = services;
    this.server = server;
    this.port = server.getPort();
  }

  /** Starts on 127.0.0.1 only (TestServer's own factory binds every interface). */
  public static LocalTemporalServer start(int port) {
    TestServicesStarter services = new TestServicesStarter(true, 0);
    return new LocalTemporalServer(services, bind(services, port));
  }

  private static Server bind(TestServicesStarter services, int port) {
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    try {
      return builder.build().start();
    } catch (IOException e) {
      services.close();
      throw new UncheckedIOException("Temporal test server could not bind 127.0.0.1:" + port, e);
    }
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  public synchronized boolean running() {
    return server != null;
  }

  /** Stops the server at once; every workflow, task and timer it held is gone. */
  public synchronized void kill() {
    if (server == null) {
      return;
    }
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    services.close();
    server = null;
    services = null;
  }

  /** A fresh, empty server on the same port; kills the running one first. */
  public synchronized void restart() {
    kill();
    TestServicesStarter fresh = new TestServicesStarter(true, 0);
    server = bind(fresh, port);
    services = fresh;
  }

  @Override
  public synchronized void close() {
    kill();
  }
}
