package io.rhlab.infra.config;

/**
 * How to reach Temporal. A null address means the embedded server.
 *
 * @param tls connect with TLS (implied by a client certificate or an API key)
 * @param clientCertFile PEM client certificate for mTLS (Temporal Cloud's mTLS auth), or null
 * @param clientKeyFile PKCS8 PEM key of that certificate, or null
 * @param caFile PEM CA bundle to trust instead of the JVM's, or null
 * @param apiKey API key sent as a bearer token (Temporal Cloud's API-key auth), or null
 */
public record TemporalSettings(
    String address,
    String namespace,
    boolean tls,
    String clientCertFile,
    String clientKeyFile,
    String caFile,
    String apiKey) {

  public boolean embedded() {
    return address == null;
  }

  @Override
  public String toString() {
    return "TemporalSettings[address=" + (address == null ? "(embedded)" : address) + ", namespace="
        + namespace + ", tls=" + tls + ", clientCertFile=" + clientCertFile + ", caFile=" + caFile
        + ", apiKey=" + (apiKey == null ? "none" : "***") + "]";
  }
}
