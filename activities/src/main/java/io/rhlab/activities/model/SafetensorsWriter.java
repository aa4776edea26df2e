package io.rhlab.activities.model;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Writes float32 NDArrays as a safetensors file (F32, or BF16 rounded to nearest even), streaming
 * one tensor at a time. The header is padded with spaces to a multiple of 8 bytes, tensors are laid
 * out contiguously in the given order, and the file appears under its name only once complete (it
 * is written to a sibling temporary file and moved).
 */
public final class SafetensorsWriter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SafetensorsWriter() {}

  /**
   * Writes a safetensors file.
   *
   * @param file destination; replaced if it exists
   * @param tensors name to float32 array, in the order to write
   * @param dtype F32 or BF16
   * @param metadata {@code __metadata__} string entries (Hugging Face expects {"format": "pt"})
   * @throws IOException if writing fails
   * @throws IllegalArgumentException if dtype is F16 or an array is not float32
   */
  public static void write(
      Path file, Map<String, NDArray> tensors, SafetensorsDType dtype, Map<String, String> metadata)
      throws IOException {
    if (dtype == SafetensorsDType.F16) {
      throw new IllegalArgumentException("dtype must be F32 or BF16 for writing, got F16");
    }
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
      NDArray array = entry.getValue();
      if (array.getDataType() != ai.djl.ndarray.types.DataType.FLOAT32) {
        throw new IllegalArgumentException(
            entry.getKey() + " must be float32, got " + array.getDataType());
      }
      long bytes = array.getShape().size() * dtype.bytes();
      ObjectNode info = header.putObject(entry.getKey());
      info.put("dtype", dtype.name());
      ArrayNode shape = info.putArray("shape");
      for (long dimension : array.getShape().getShape()) {
        shape.add(dimension);
      }
      info.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) {
      head.put((byte) ' ');
    }
    head.flip();

    Path temporary = file.resolveSibling(file.getFileName() + ".partial");
    try (FileChannel channel =
        FileChannel.open(
            temporary,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      writeFully(channel, head);
      for (NDArray array : tensors.values()) {
        writeFully(channel, encode(array.toFloatArray(), dtype));
      }
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
    Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static ByteBuffer encode(float[] values, SafetensorsDType dtype) {
    ByteBuffer data =
        ByteBuffer.allocate(values.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    if (dtype == SafetensorsDType.F32) {
      data.asFloatBuffer().put(values);
    } else {
      for (float value : values) {
        data.putShort(SafetensorsDType.floatToBfloat16(value));
      }
      data.flip();
    }
    return data;
  }

  private static void writeFully(FileChannel channel, ByteBuffer data) throws IOException {
    while (data.hasRemaining()) {
      channel.write(data);
    }
  }
}
