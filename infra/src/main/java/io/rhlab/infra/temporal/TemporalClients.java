package io.rhlab.infra.temporal;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.rhlab.infra.config.ConfigException;
import io.rhlab.infra.config.TemporalSettings;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import javax.net.ssl.SSLException;

/** Connections to a Temporal frontend: plaintext on loopback, TLS, mTLS or an API key. */
public final class TemporalClients {
  private TemporalClients() {}

  /** This process as Temporal and the stage records name it: pid@host. */
  public static String identity() {
    return ManagementFactory.getRuntimeMXBean().getName();
  }

  public static WorkflowServiceStubsOptions options(TemporalSettings s) {
    if (s.address() == null) {
      throw new ConfigException("no Temporal address: start the local stack first");
    }
    WorkflowServiceStubsOptions.Builder b =
        WorkflowServiceStubsOptions.newBuilder()
            .setTarget(s.address())
            .setHealthCheckTimeout(Duration.ofSeconds(30));
    if (s.tls()) {
      b.setSslContext(sslContext(s));
    }
    if (s.apiKey() != null) {
      String key = s.apiKey();
      b.addApiKey(() -> key);
    }
    return b.build();
  }

  public static WorkflowServiceStubs connect(TemporalSettings s) {
    return WorkflowServiceStubs.newConnectedServiceStubs(options(s), Duration.ofSeconds(30));
  }

  public static WorkflowClient client(WorkflowServiceStubs stubs, TemporalSettings s) {
    return WorkflowClient.newInstance(
        stubs,
        WorkflowClientOptions.newBuilder().setNamespace(s.namespace()).setIdentity(identity()).build());
  }

  /** The TLS context for a TLS or mTLS connection; a bad file is a configuration error. */
  public static SslContext sslContext(TemporalSettings s) {
    try {
      SslContextBuilder b = GrpcSslContexts.forClient();
      if (s.clientCertFile() != null) {
        b.keyManager(new File(s.clientCertFile()), new File(s.clientKeyFile()));
      }
      if (s.caFile() != null) {
        b.trustManager(new File(s.caFile()));
      }
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new ConfigException("Temporal TLS material is unusable: " + e.getMessage());
    }
  }
}
