package io.rhlab.activities.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file opened for reading: an 8-byte little-endian header length, a JSON header
 * mapping each tensor name to its dtype, shape and byte range, then the little-endian data.
 *
 * <p>Tensors are read on demand through memory-mapped slices of the file, one tensor at a time, so
 * a checkpoint never passes through one Java byte array (DJL's own reader does, which caps it at 2
 * GiB and doubles the memory). F16 and BF16 are widened to float32 in Java before any NDArray
 * exists: a BF16 NDArray aborts the JVM in DJL's PyTorch JNI. One tensor must be under 2 GiB after
 * widening.
 */
public final class SafetensorsFile implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER_BYTES = 100L << 20;

  /**
   * Where one tensor lies in the file.
   *
   * @param name tensor name
   * @param dtype element type
   * @param shape dimensions (empty for a scalar)
   * @param begin first byte, relative to the start of the data section
   * @param end one past the last byte, relative to the start of the data section
   */
  public record TensorInfo(
      String name, SafetensorsDType dtype, long[] shape, long begin, long end) {

    /** Number of elements. */
    public long elementCount() {
      long count = 1;
      for (long dimension : shape) {
        count *= dimension;
      }
      return count;
    }
  }

  private final Path path;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, TensorInfo> tensors;
  private final Map<String, String> metadata;

  private SafetensorsFile(
      Path path,
      FileChannel channel,
      long dataStart,
      Map<String, TensorInfo> tensors,
      Map<String, String> metadata) {
    this.path = path;
    this.channel = channel;
    this.dataStart = dataStart;
    this.tensors = tensors;
    this.metadata = metadata;
  }

  /**
   * Opens a file and validates its header: known dtypes, byte ranges matching the shapes, inside
   * the file and not overlapping.
   *
   * @param path the .safetensors file
   * @return the open file; close it to release the channel
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException naming the tensor, if the header is malformed
   */
  public static SafetensorsFile open(Path path) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    try {
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0);
      long headerLength = lengthBytes.getLong(0);
      if (headerLength <= 0
          || headerLength > MAX_HEADER_BYTES
          || 8 + headerLength > channel.size()) {
        throw new IllegalArgumentException(
            path + ": header length " + headerLength + " is not within the file");
      }
      ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
      readFully(channel, headerBytes, 8);
      JsonNode header =
          JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8).trim());
      long dataStart = 8 + headerLength;
      long dataLength = channel.size() - dataStart;
      Map<String, String> metadata = new LinkedHashMap<>();
      List<TensorInfo> infos = new ArrayList<>();
      for (Map.Entry<String, JsonNode> field : header.properties()) {
        if (field.getKey().equals("__metadata__")) {
          field
              .getValue()
              .properties()
              .forEach(m -> metadata.put(m.getKey(), m.getValue().asText()));
        } else {
          infos.add(parseInfo(field.getKey(), field.getValue(), dataLength));
        }
      }
      infos.sort(Comparator.comparingLong(TensorInfo::begin));
      Map<String, TensorInfo> tensors = new LinkedHashMap<>();
      long previousEnd = 0;
      for (TensorInfo info : infos) {
        if (info.begin() < previousEnd) {
          throw new IllegalArgumentException(info.name() + ": data_offsets overlap another tensor");
        }
        previousEnd = info.end();
        tensors.put(info.name(), info);
      }
      return new SafetensorsFile(
          path,
          channel,
          dataStart,
          Collections.unmodifiableMap(tensors),
          Collections.unmodifiableMap(metadata));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static TensorInfo parseInfo(String name, JsonNode node, long dataLength) {
    SafetensorsDType dtype;
    try {
      dtype = SafetensorsDType.parse(node.path("dtype").asText());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
    JsonNode shapeNode = node.path("shape");
    JsonNode offsets = node.path("data_offsets");
    if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
      throw new IllegalArgumentException(name + ": header entry needs shape and data_offsets");
    }
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asLong();
      if (shape[i] < 0) {
        throw new IllegalArgumentException(name + ": negative dimension in shape");
      }
    }
    long begin = offsets.get(0).asLong();
    long end = offsets.get(1).asLong();
    TensorInfo info = new TensorInfo(name, dtype, shape, begin, end);
    if (begin < 0 || end < begin || end > dataLength) {
      throw new IllegalArgumentException(
          name + ": data_offsets [" + begin + ", " + end + ") lie outside the data section");
    }
    if (end - begin != info.elementCount() * dtype.bytes()) {
      throw new IllegalArgumentException(
          name
              + ": data_offsets span "
              + (end - begin)
              + " bytes but shape and dtype need "
              + info.elementCount() * dtype.bytes());
    }
    return info;
  }

  /** The file's {@code __metadata__} entries (empty if it has none). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Tensor names in data order. */
  public List<String> names() {
    return new ArrayList<>(tensors.keySet());
  }

  /** Whether the file holds a tensor of this name. */
  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  /**
   * Where a tensor lies.
   *
   * @param name tensor name
   * @return its dtype, shape and byte range
   * @throws IllegalArgumentException if there is no such tensor
   */
  public TensorInfo info(String name) {
    TensorInfo info = tensors.get(name);
    if (info == null) {
      throw new IllegalArgumentException(path + " holds no tensor named " + name);
    }
    return info;
  }

  /**
   * The raw little-endian bytes of a tensor, memory-mapped (read-only, valid while the file is
   * open).
   *
   * @param name tensor name
   * @return a buffer positioned at the tensor's first byte, in little-endian order
   * @throws IOException if mapping fails
   */
  public ByteBuffer bytes(String name) throws IOException {
    TensorInfo info = info(name);
    long length = info.end() - info.begin();
    if (length > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + ": tensors over 2 GiB are not supported");
    }
    return channel
        .map(FileChannel.MapMode.READ_ONLY, dataStart + info.begin(), length)
        .order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * A tensor widened to float32 as a Java array (for small tensors and tests).
   *
   * @param name tensor name
   * @return the values in row-major order
   * @throws IOException if reading fails
   */
  public float[] floats(String name) throws IOException {
    TensorInfo info = info(name);
    ByteBuffer source = bytes(name);
    float[] values = new float[Math.toIntExact(info.elementCount())];
    for (int i = 0; i < values.length; i++) {
      values[i] = readElement(source, info.dtype(), i);
    }
    return values;
  }

  /**
   * A tensor as a float32 NDArray in native memory. F32 data is copied straight from the mapped
   * file; F16 and BF16 are widened in Java, a chunk at a time, into a native-order buffer first.
   *
   * @param name tensor name
   * @param manager owner (and device) of the new array
   * @return (shape) float32
   * @throws IOException if reading fails
   */
  public NDArray toNDArray(String name, NDManager manager) throws IOException {
    TensorInfo info = info(name);
    Shape shape = new Shape(info.shape());
    ByteBuffer source = bytes(name);
    if (info.dtype() == SafetensorsDType.F32
        && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
      return NativeArrays.floats(manager, source, shape);
    }
    long count = info.elementCount();
    ByteBuffer widened =
        ByteBuffer.allocateDirect(Math.toIntExact(count * 4)).order(ByteOrder.nativeOrder());
    for (int i = 0; i < count; i++) {
      widened.putFloat(i * 4, readElement(source, info.dtype(), i));
    }
    return NativeArrays.floats(manager, widened, shape);
  }

  private static float readElement(ByteBuffer source, SafetensorsDType dtype, int index) {
    return switch (dtype) {
      case F32 -> source.getFloat(index * 4);
      case F16 -> SafetensorsDType.halfToFloat(source.getShort(index * 2));
      case BF16 -> SafetensorsDType.bfloat16ToFloat(source.getShort(index * 2));
    };
  }

  private static void readFully(FileChannel channel, ByteBuffer target, long position)
      throws IOException {
    long at = position;
    while (target.hasRemaining()) {
      int read = channel.read(target, at);
      if (read < 0) {
        throw new IllegalArgumentException("file ends inside the safetensors header");
      }
      at += read;
    }
  }

  /** Closes the file channel; mapped buffers handed out before stay readable until collected. */
  @Override
  public void close() throws IOException {
    channel.close();
  }
}
