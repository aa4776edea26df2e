package io.rhlab.activities.storage;

import java.util.Objects;

/**
 * Where objects go: any S3-compatible endpoint (MinIO in production, the embedded server
 * locally). The secret never appears in {@link #toString()}.
 */
public record S3Settings(
    String endpoint, String region, String accessKey, String secretKey, String bucket) {
  public S3Settings {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(accessKey, "accessKey");
    Objects.requireNonNull(secretKey, "secretKey");
    Objects.requireNonNull(bucket, "bucket");
  }

  @Override
  public String toString() {
    return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", accessKey=" + accessKey
        + ", secretKey=***, bucket=" + bucket + "]";
  }
}
